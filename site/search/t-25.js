playbookSearch.load("t-25",["25",[29,672]]);
