playbookSearch.load("t-bu",["build",[43,67],"business",[11,18,12,24,6,26,27,29,9,15]]);
