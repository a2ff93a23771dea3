playbookSearch.load("t-ot",["other",[3,512,39,480,21,592,26,160],"otherwis",[2,656]]);
