playbookSearch.load("t-mt",["mttr",[58,800]]);
