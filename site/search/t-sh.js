playbookSearch.load("t-sh",["shape",[4,42],"shared",[38,27,29,27],"sheet",[3,38],"shown",[3,38],"shows",[63,58]]);
