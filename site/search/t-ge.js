playbookSearch.load("t-ge",["generated",[43,41]]);
