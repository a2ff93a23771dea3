playbookSearch.load("t-at",["attended",[5,33]]);
