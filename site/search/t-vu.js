playbookSearch.load("t-vu",["vulner",[26,608,30,624,4,432]]);
