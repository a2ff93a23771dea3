playbookSearch.load("t-sn",["snapshot",[20,544,73,400]]);
