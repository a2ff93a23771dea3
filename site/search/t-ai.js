playbookSearch.load("t-ai",["aids",[37,36]]);
