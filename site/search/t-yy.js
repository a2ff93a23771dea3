playbookSearch.load("t-yy",["yyyy",[6,29]]);
