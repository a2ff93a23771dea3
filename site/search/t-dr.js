playbookSearch.load("t-dr",["draft",[16,512,29,480,19,208,19,368,2,432,4,144]]);
