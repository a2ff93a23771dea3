playbookSearch.load("t-ht",["https",[25,29]]);
