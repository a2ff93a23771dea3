playbookSearch.load("t-t1",["t1",[20,872]]);
