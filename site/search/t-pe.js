playbookSearch.load("t-pe",["people",[59,45],"performance",[2,20,13,23,11,23,18,22,9,24,3,24,4,24,4,12],"person",[6,29]]);
