playbookSearch.load("t-ui",["ui",[37,656]]);
