playbookSearch.load("t-at",["attend",[5,592]]);
