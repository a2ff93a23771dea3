playbookSearch.load("t-sk",["skills",[25,29],"skipped",[5,33]]);
