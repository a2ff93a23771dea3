playbookSearch.load("t-ju",["just",[37,656]]);
