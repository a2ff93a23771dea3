playbookSearch.load("t-nn",["nnn",[6,512]]);
