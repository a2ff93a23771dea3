playbookSearch.load("t-pu",["publication",[11,28],"published",[52,46],"pull",[6,25,1,31],"purpose",[10,52,30,54]]);
