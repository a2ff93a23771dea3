playbookSearch.load("t-nu",["numbered",[6,29],"numbers",[43,41]]);
