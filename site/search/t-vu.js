playbookSearch.load("t-vu",["vulnerability",[26,33,30,34,4,23]]);
