playbookSearch.load("t-vo",["volume",[23,29,42,17,2,24]]);
