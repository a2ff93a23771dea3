playbookSearch.load("t-cl",["clear",[37,656],"close",[85,576,8,400],"closur",[54,850,35,192]]);
