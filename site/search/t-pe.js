playbookSearch.load("t-pe",["people",[59,45],"performance",[2,18,13,20,7,15,4,21,18,20,9,21,3,22,4,22,4,11,1,11],"person",[6,29]]);
