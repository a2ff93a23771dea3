playbookSearch.load("t-ga",["gap",[32,752],"gather",[22,368,10,560,31,592,2,256]]);
