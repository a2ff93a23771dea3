playbookSearch.load("t-sy",["symptoms",[6,29],"system",[22,21,6,22,33,16,4,16],"systems",[42,40]]);
