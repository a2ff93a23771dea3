playbookSearch.load("t-ti",["tick",[3,30,60,35,1,17],"ticked",[3,38],"ticket",[23,29,42,17,2,24],"time",[58,58],"timeline",[24,22,1,20,2,27,1,20,33,24],"tipped",[5,33],"title",[6,29]]);
