playbookSearch.load("t-cy",["cycle",[5,29,28,41]]);
