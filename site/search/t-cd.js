playbookSearch.load("t-cd",["cd",[43,592,46,192]]);
