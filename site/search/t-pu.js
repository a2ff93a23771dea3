playbookSearch.load("t-pu",["public",[11,432,83,800],"publish",[52,640,37,192],"pull",[6,448,1,576],"purpos",[10,945,30,961]]);
