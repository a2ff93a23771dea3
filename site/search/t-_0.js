playbookSearch.load("t-_0",["0",[21,724,1,646]]);
