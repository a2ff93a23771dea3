playbookSearch.load("t-es",["escalate",[31,37],"escalation",[1,21,33,18,4,21,23,24,6,21],"escalationincident",[61,23]]);
