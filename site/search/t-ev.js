playbookSearch.load("t-ev",["even",[66,41],"events",[28,30],"every",[0,23,2,20,1,29,1,23,3,20,54,13,1,23,1,24],"everyone",[62,27],"everything",[64,21],"evidence",[28,30]]);
