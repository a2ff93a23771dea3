playbookSearch.load("t-ba",["back",[6,22,54,23,1,18],"backport",[34,27],"backup",[20,29,28,32,12,23],"balance",[5,33],"based",[28,26,1,34]]);
