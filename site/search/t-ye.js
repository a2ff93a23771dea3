playbookSearch.load("t-ye",["year",[6,512],"yet",[62,320,7,608,5,640,2,640,2,640,2,624]]);
