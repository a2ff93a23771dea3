playbookSearch.load("t-bo",["board",[54,43],"both",[63,44]]);
