playbookSearch.load("t-ab",["about",[36,576,23,640,38,320],"abov",[60,544]]);
