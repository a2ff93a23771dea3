playbookSearch.load("t-un",["understood",[38,416,29,368,22,176,6,624],"unit",[34,384,10,528,45,192],"unless",[2,656]]);
