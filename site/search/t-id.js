playbookSearch.load("t-id",["id",[6,512],"identifi",[27,448,5,464,3,400,3,352,4,544,25,304,22,320]]);
