playbookSearch.load("t-ye",["year",[6,29],"yet",[62,27]]);
