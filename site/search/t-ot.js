playbookSearch.load("t-ot",["other",[3,496,39,480,21,592,26,176],"otherwis",[2,656]]);
