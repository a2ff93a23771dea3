playbookSearch.load("t-qa",["qa",[11,18,4,37,6,24,4,20,39,23]]);
