playbookSearch.load("t-vo",["volum",[23,464,42,240,2,336,16,400,6,160]]);
