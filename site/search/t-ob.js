playbookSearch.load("t-ob",["observability",[10,47],"obvious",[37,36]]);
