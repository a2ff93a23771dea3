playbookSearch.load("t-au",["audience",[62,27],"automated",[21,51]]);
