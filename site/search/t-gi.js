playbookSearch.load("t-gi",["gif",[37,656],"github",[25,528]]);
