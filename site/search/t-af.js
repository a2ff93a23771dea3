playbookSearch.load("t-af",["affected",[34,23,28,24],"affecting",[26,42],"after",[35,22,3,19,19,24,3,19,2,26,3,14]]);
