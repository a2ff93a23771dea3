playbookSearch.load("t-tw",["two",[97,400]]);
