playbookSearch.load("t-or",["orchestrates",[11,28],"order",[6,25,55,20]]);
