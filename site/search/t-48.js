playbookSearch.load("t-48",["48",[34,384,19,560,36,176]]);
