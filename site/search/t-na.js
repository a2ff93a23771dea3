playbookSearch.load("t-na",["named",[61,23],"names",[6,29]]);
