playbookSearch.load("t-be",["before",[13,30,12,18,35,27,2,17,2,13,3,19],"begin",[21,37],"behaviour",[2,37],"below",[7,26,19,30,34,21,7,22],"benefits",[37,36],"best",[37,51],"between",[10,47]]);
