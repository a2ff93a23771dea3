playbookSearch.load("t-bl",["blameless",[29,34,32,20]]);
