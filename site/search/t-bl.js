playbookSearch.load("t-bl",["blameless",[29,544,32,272,24,528]]);
