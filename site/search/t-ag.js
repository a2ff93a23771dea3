playbookSearch.load("t-ag",["again",[65,352]]);
