playbookSearch.load("t-ke",["keep",[62,27],"key",[17,23,6,21,15,26,12,23,3,25,11,12,1,20]]);
