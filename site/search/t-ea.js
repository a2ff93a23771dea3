playbookSearch.load("t-ea",["each",[0,26,3,32,3,18,30,33,25,14,6,19]]);
