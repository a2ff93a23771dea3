playbookSearch.load("t-so",["so",[1,28,6,31],"software",[0,42],"something",[37,36],"soon",[66,41]]);
