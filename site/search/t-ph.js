playbookSearch.load("t-ph",["phase",[1,31,40,43,6,43,4,43,13,14]]);
