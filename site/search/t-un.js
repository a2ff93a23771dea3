playbookSearch.load("t-un",["understood",[38,416,29,368,22,160,6,624],"unit",[34,384,10,528,45,176],"unless",[2,656]]);
