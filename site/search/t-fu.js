playbookSearch.load("t-fu",["function",[2,400,10,512,14,464,9,400,21,480,1,384,3,336]]);
