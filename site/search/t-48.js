playbookSearch.load("t-48",["48",[34,23,19,37]]);
