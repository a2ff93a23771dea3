playbookSearch.load("t-bo",["board",[54,640,35,192]]);
