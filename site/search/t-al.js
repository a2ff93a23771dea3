playbookSearch.load("t-al",["alerting",[48,36,12,26],"alerts",[17,31,43,23,4,17],"alignment",[18,63],"all",[2,18,9,14,3,21,7,18,7,15,15,20,1,20,15,22,2,11,3,11],"alternative",[6,29]]);
