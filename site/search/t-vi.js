playbookSearch.load("t-vi",["via",[28,39,7,31],"visual",[37,36]]);
