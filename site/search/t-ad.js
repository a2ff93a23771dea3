playbookSearch.load("t-ad",["add",[7,51],"address",[53,43],"addressing",[2,32,10,40],"adoption",[31,37]]);
