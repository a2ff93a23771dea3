playbookSearch.load("t-wa",["waived",[5,33],"watch",[60,30],"watched",[59,45]]);
