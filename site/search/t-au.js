playbookSearch.load("t-au",["audienc",[62,496],"autom",[21,656,66,448,6,560]]);
