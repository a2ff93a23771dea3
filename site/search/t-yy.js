playbookSearch.load("t-yy",["yyyi",[6,512]]);
