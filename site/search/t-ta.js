playbookSearch.load("t-ta",["take",[4,736],"taken",[61,256,1,368,17,624,10,160],"target",[34,480]]);
