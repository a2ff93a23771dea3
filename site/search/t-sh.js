playbookSearch.load("t-sh",["shape",[4,736],"share",[38,416,29,368,22,160,6,624],"sheet",[3,688],"should",[97,400],"show",[63,1040],"shown",[3,688]]);
