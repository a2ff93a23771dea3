playbookSearch.load("t-cu",["current",[48,41],"customer",[22,27,2,17,1,15,6,36,3,14,18,24,9,19,4,23,2,24],"customers",[62,39,4,32,1,35]]);
