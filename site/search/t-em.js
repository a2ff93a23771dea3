playbookSearch.load("t-em",["email",[20,29,28,32,14,39],"empty",[7,36]]);
