playbookSearch.load("t-nu",["number",[6,400,37,544,46,176]]);
