playbookSearch.load("t-sa",["safe",[20,32,18,27],"safely",[40,49],"same",[4,32,59,35,1,17],"satisfaction",[31,37],"save",[28,30],"saves",[4,42],"say",[62,27],"says",[2,37]]);
