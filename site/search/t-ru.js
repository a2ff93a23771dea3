playbookSearch.load("t-ru",["run",[0,26,21,23,7,19,6,17,31,14,2,19],"runbook",[5,29,15,32],"runbooks",[29,34,32,20]]);
