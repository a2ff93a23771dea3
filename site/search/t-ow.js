playbookSearch.load("t-ow",["owners",[3,40],"owns",[0,37,66,48]]);
