playbookSearch.load("t-ht",["https",[25,528]]);
