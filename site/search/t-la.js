playbookSearch.load("t-la",["language",[37,36],"last",[24,29,11,31],"late",[59,45],"latency",[22,21,28,29,10,21,5,25],"later",[7,31,58,19],"launch",[22,21,8,46,1,27,34,16]]);
