playbookSearch.load("t-to",["told",[6,448,60,864],"too",[59,1040],"took",[59,800],"top",[7,656]]);
