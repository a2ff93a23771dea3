playbookSearch.load("t-we",["webinars",[31,37],"went",[5,33]]);
