playbookSearch.load("t-dr",["drafted",[16,37,29,35,19,17]]);
