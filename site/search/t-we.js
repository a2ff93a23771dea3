playbookSearch.load("t-we",["webinar",[31,592,39,592],"went",[5,592]]);
