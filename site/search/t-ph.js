playbookSearch.load("t-ph",["phase",[1,560,40,788,6,802,4,788,13,224],"phasebyphas",[1,560]]);
