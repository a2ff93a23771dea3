playbookSearch.load("t-fo",["focused",[34,23,3,31],"follow",[2,21,4,17,17,34,9,25,2,16,25,26,6,20],"follows",[6,29],"foresee",[5,33],"format",[38,31],"forward",[28,26,33,20]]);
