playbookSearch.load("t-fo",["focused",[34,23,3,31],"follow",[2,20,4,16,17,32,9,23,2,15,25,24,4,24,2,19],"follows",[6,29],"foresee",[5,33],"format",[38,31],"forward",[28,26,33,20]]);
