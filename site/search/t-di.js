playbookSearch.load("t-di",["did",[5,592],"disabl",[28,384,32,384,1,240,18,592,10,160],"diverg",[0,768]]);
