playbookSearch.load("t-yo",["you",[62,36,4,35],"your",[64,21]]);
