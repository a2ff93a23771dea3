playbookSearch.load("t-bo",["board",[54,43]]);
