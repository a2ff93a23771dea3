playbookSearch.load("t-di",["did",[5,33],"disable",[28,24,32,23,1,18],"diverging",[0,42]]);
