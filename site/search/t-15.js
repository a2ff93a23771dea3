playbookSearch.load("t-15",["15",[27,32,33,23,2,21]]);
