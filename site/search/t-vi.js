playbookSearch.load("t-vi",["via",[28,640,7,512,58,368],"visual",[37,656]]);
