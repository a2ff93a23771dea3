playbookSearch.load("t-ef",["effect",[14,38,50,19],"effective",[36,40],"effectively",[38,31],"efficiently",[40,49]]);
