playbookSearch.load("t-ya",["yaml",[3,53,33,37]]);
