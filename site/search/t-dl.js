playbookSearch.load("t-dl",["dl",[6,25,1,31]]);
