playbookSearch.load("t-ty",["type",[2,26,4,20,36,29,22,15],"types",[2,42,1,28,9,42,24,30]]);
