playbookSearch.load("t-ua",["uat",[21,512,56,832]]);
