playbookSearch.load("t-ua",["uat",[21,37]]);
