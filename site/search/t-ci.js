playbookSearch.load("t-ci",["ci",[15,448,28,464,21,224,25,160,2,592]]);
