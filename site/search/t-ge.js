playbookSearch.load("t-ge",["generat",[43,592,46,192],"get",[97,400]]);
