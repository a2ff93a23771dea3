playbookSearch.load("t-pl",["place",[1,28,62,38],"plan",[4,26,13,24,1,26,16,17,1,22,29,21],"planned",[43,41],"planning",[42,62],"playbook",[0,47,1,36,1,39,1,40,21,31]]);
