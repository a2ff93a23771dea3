playbookSearch.load("t-yo",["you",[62,656,4,640],"your",[64,320]]);
