playbookSearch.load("t-wr",["write",[4,30,2,20,1,26,29,28],"writer",[11,28],"written",[3,38]]);
