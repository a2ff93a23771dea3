playbookSearch.load("t-ad",["add",[7,915],"address",[2,480,10,608,41,512,36,160],"adopt",[31,544,38,352,1,736]]);
