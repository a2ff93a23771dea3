playbookSearch.load("t-t2",["t24",[20,872]]);
