playbookSearch.load("t-et",["etc",[34,352,16,464,15,256,24,160]]);
