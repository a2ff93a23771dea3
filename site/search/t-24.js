playbookSearch.load("t-24",["24",[20,40,3,40,30,34]]);
