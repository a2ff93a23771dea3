playbookSearch.load("t-sl",["slack",[20,496,28,528,14,400],"slas",[26,672,34,480]]);
