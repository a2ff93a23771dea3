playbookSearch.load("t-ow",["owns",[0,33,3,30,63,43]]);
