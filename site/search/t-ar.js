playbookSearch.load("t-ar",["archive",[37,31,17,37],"area",[34,23,33,27],"arise",[53,43],"artifacts",[43,36,11,37]]);
