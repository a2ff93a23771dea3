playbookSearch.load("t-fr",["freeze",[5,24,9,31,29,29,21,15],"frequency",[58,58],"from",[1,33,3,40,3,26,27,19]]);
