playbookSearch.load("t-sr",["sre",[24,43,1,23,37,21]]);
