playbookSearch.load("t-vo",["volume",[23,28,42,17,2,24]]);
