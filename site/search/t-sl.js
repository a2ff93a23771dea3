playbookSearch.load("t-sl",["slack",[20,29,28,32,14,21],"slas",[26,37,34,26]]);
