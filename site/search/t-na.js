playbookSearch.load("t-na",["name",[6,320,55,208,8,576,5,608,2,608,2,608,2,592]]);
