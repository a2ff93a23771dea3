playbookSearch.load("t-sy",["symptom",[6,512],"system",[22,288,6,320,14,368,19,208,4,208,22,336,2,128,4,416]]);
