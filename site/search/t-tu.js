playbookSearch.load("t-tu",["turned",[5,33]]);
