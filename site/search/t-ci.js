playbookSearch.load("t-ci",["ci",[15,32,28,32,21,17]]);
