playbookSearch.load("t-le",["lead",[18,24,6,19,1,25,2,24,31,26,6,12,3,18],"learn",[1,32],"learned",[54,37,7,20],"learnings",[29,39],"least",[34,27],"leaving",[7,36],"lessons",[54,43],"let",[5,33]]);
