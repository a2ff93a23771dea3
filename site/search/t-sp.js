playbookSearch.load("t-sp",["spaces",[25,29],"specialist",[11,28],"specific",[25,29],"spot",[50,35,15,19],"spreadsheet",[54,43]]);
