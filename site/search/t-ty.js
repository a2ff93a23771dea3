playbookSearch.load("t-ty",["type",[2,24,1,25,3,19,36,27,22,14],"types",[2,46,10,46,24,31]]);
