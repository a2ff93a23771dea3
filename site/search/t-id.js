playbookSearch.load("t-id",["id",[6,29],"identified",[38,24,4,43,25,24],"identify",[32,42],"identifying",[27,41]]);
