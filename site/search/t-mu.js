playbookSearch.load("t-mu",["must",[13,42,51,19]]);
