playbookSearch.load("t-t0",["t0",[21,836]]);
