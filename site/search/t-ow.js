playbookSearch.load("t-ow",["own",[0,608,3,544,63,784]]);
