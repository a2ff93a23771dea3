playbookSearch.load("t-ab",["about",[36,37,23,39],"above",[60,30]]);
