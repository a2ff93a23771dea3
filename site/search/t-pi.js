playbookSearch.load("t-pi",["pipeline",[21,24,7,20,7,24,14,30,12,15],"pipelines",[43,41]]);
