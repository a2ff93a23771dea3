playbookSearch.load("t-op",["open",[97,400],"oper",[17,625,56,496,10,400,4,384,6,320],"opportun",[32,752],"option",[6,448,58,288]]);
