playbookSearch.load("t-va",["validate",[22,20,1,24,2,20,7,28,33,23],"validated",[14,29,3,36,27,27,2,29,18,28],"validates",[11,42],"validation",[21,32,39,26]]);
