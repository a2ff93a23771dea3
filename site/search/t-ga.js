playbookSearch.load("t-ga",["gaps",[32,42],"gather",[22,23,10,33,33,17],"gathered",[63,44]]);
