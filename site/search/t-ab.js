playbookSearch.load("t-ab",["about",[36,34,23,39],"above",[60,30]]);
