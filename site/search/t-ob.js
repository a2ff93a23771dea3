playbookSearch.load("t-ob",["observ",[10,832],"obvious",[37,656]]);
