playbookSearch.load("t-li",["likely",[67,31],"limit",[60,30],"limitations",[16,41,48,19],"line",[6,29],"link",[7,31,55,24],"linked",[37,36],"links",[6,29],"lists",[36,40],"live",[3,52]]);
