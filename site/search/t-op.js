playbookSearch.load("t-op",["operations",[17,61],"opportunities",[32,42],"optional",[64,21],"options",[6,29]]);
