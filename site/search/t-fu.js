playbookSearch.load("t-fu",["functionality",[2,21,10,27,14,25,9,21,21,26,1,23,3,17]]);
