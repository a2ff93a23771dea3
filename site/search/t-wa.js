playbookSearch.load("t-wa",["waiv",[5,592],"watch",[59,704,1,480]]);
