playbookSearch.load("t-to",["told",[6,25,60,48],"too",[59,58],"took",[59,45],"top",[7,36]]);
