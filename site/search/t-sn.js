playbookSearch.load("t-sn",["snapshot",[20,37]]);
