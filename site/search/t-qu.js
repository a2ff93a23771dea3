playbookSearch.load("t-qu",["quality",[11,22,4,49,29,48],"questions",[38,27,29,27]]);
