playbookSearch.load("t-_5",["5",[25,688,4,592]]);
