playbookSearch.load("t-ta",["taken",[61,20,1,24],"takes",[4,42],"targeted",[34,27]]);
