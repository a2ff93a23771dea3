playbookSearch.load("t-ai",["aid",[37,656]]);
