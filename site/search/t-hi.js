playbookSearch.load("t-hi",["history",[37,36]]);
