playbookSearch.load("t-cl",["clear",[37,36],"closure",[54,64]]);
