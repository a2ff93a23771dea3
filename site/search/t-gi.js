playbookSearch.load("t-gi",["gifs",[37,36],"github",[25,29]]);
