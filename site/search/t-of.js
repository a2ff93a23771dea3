playbookSearch.load("t-of",["off",[11,30,4,40,6,26,43,24]]);
