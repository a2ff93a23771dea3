playbookSearch.load("t-ut",["utc",[6,512]]);
