playbookSearch.load("t-si",["sign",[11,32,4,43,49,27],"signed",[21,37],"significant",[2,32,10,40],"significantly",[26,42],"single",[0,37,1,28]]);
