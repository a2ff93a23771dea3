playbookSearch.load("t-gr",["group",[97,400]]);
