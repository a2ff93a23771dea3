playbookSearch.load("t-ge",["generat",[43,592,46,208],"get",[97,400]]);
