playbookSearch.load("t-ti",["tick",[64,21],"ticket",[23,28,42,17,2,24],"time",[58,58],"timeline",[24,22,1,19,2,27,1,20,33,24],"tipped",[5,33],"title",[6,29]]);
