playbookSearch.load("t-or",["orchestr",[11,400,58,352,19,784],"order",[3,544,3,400,55,272]]);
