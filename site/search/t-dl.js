playbookSearch.load("t-dl",["dl",[6,448,1,576],"dlyyyynnn",[6,512]]);
