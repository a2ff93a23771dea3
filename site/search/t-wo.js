playbookSearch.load("t-wo",["work",[6,20,19,21,36,16,3,15],"workarounds",[11,17,4,26,23,19,7,28,19,13,3,19],"workflows",[38,31],"working",[22,26,43,19],"world",[32,42]]);
