playbookSearch.load("t-sr",["sre",[24,44,1,23,37,21]]);
