playbookSearch.load("t-un",["understood",[38,27,29,27],"unit",[34,27],"unless",[2,37]]);
