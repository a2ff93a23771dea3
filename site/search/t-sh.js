playbookSearch.load("t-sh",["shape",[4,42],"shared",[38,27,29,27],"shows",[3,34,60,38]]);
