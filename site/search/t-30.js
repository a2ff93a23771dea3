playbookSearch.load("t-30",["30",[27,32,7,21,26,23]]);
