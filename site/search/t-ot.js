playbookSearch.load("t-ot",["other",[42,40],"otherwise",[2,37]]);
