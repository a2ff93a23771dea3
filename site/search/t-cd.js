playbookSearch.load("t-cd",["cd",[43,41]]);
