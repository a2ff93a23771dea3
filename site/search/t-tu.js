playbookSearch.load("t-tu",["turn",[5,592]]);
