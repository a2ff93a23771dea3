playbookSearch.load("t-ef",["effect",[14,544,22,496,2,384,26,224,33,272],"effici",[40,880]]);
