playbookSearch.load("t-du",["durat",[58,800],"dure",[5,432,18,496,31,544,11,256]]);
