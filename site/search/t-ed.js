playbookSearch.load("t-ed",["edit",[63,44],"editing",[7,36]]);
