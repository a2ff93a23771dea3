playbookSearch.load("t-vu",["vulnerability",[26,33,30,35,4,23]]);
