playbookSearch.load("t-bu",["bug",[97,400],"build",[43,931,46,352],"busi",[11,304,12,416,6,416,27,480,9,224,4,272,13,640],"businesscrit",[56,784]]);
