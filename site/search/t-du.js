playbookSearch.load("t-du",["durat",[58,800],"dure",[5,480,18,528,42,288]]);
