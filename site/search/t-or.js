playbookSearch.load("t-or",["orchestrates",[11,28],"order",[3,30,3,22,55,18]]);
