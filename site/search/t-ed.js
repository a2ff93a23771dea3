playbookSearch.load("t-ed",["editing",[7,36]]);
