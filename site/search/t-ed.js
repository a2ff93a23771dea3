playbookSearch.load("t-ed",["edit",[7,656]]);
