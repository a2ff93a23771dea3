playbookSearch.load("t-_0",["0",[21,740,1,646]]);
