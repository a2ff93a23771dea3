playbookSearch.load("t-hi",["histori",[37,656]]);
