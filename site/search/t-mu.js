playbookSearch.load("t-mu",["must",[13,672,51,256,33,320]]);
