playbookSearch.load("t-em",["email",[20,496,28,528,14,704],"empti",[7,656]]);
