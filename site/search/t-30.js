playbookSearch.load("t-30",["30",[27,576,7,384,26,432]]);
