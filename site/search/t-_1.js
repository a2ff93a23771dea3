playbookSearch.load("t-_1",["1",[20,872]]);
