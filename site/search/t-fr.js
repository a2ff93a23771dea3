playbookSearch.load("t-fr",["freeze",[5,24,9,31,29,29,21,15],"frequency",[58,58],"from",[1,31,2,36,1,37,3,24,27,18]]);
