playbookSearch.load("t-ot",["other",[3,30,39,31,21,35],"otherwise",[2,37]]);
