playbookSearch.load("t-ea",["each",[0,26,3,24,3,18,30,26,25,14,6,19]]);
