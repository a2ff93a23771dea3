playbookSearch.load("t-kn",["know",[62,36,5,27],"knowledge",[25,29],"known",[11,14,4,21,1,25,8,17,11,19,3,16,7,24,19,18,3,16]]);
