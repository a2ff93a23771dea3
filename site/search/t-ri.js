playbookSearch.load("t-ri",["right",[65,22],"risk",[10,47],"risks",[1,18,5,17,53,42,1,36,1,26,1,29,4,24]]);
