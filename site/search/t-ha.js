playbookSearch.load("t-ha",["handoff",[1,36,37,49,29,42],"handoffrelease",[67,31],"handoffs",[10,47],"happened",[7,36],"happening",[6,29],"happens",[60,30],"has",[3,41,21,26,42,32],"have",[59,45]]);
