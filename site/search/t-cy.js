playbookSearch.load("t-cy",["cycl",[5,528,28,752]]);
