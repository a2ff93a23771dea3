playbookSearch.load("t-et",["etc",[34,21,16,31,15,17]]);
