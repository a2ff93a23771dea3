playbookSearch.load("t-_4",["4",[22,646,16,496]]);
