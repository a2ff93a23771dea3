playbookSearch.load("t-du",["duration",[58,45],"during",[5,24,18,26,31,31,11,16]]);
