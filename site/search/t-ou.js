playbookSearch.load("t-ou",["out",[5,528,56,304],"outcom",[5,528,29,432],"outlin",[38,560],"outsid",[5,528,28,752]]);
