playbookSearch.load("t-wi",["window",[5,26,15,29,28,32],"within",[6,18,21,25,2,24,5,17,26,19,2,17],"without",[14,38,50,19]]);
