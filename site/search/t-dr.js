playbookSearch.load("t-dr",["draft",[16,544,29,496,19,224,19,400,2,448]]);
