playbookSearch.load("t-ou",["out",[5,29,56,20],"outcome",[5,29,29,23],"outlined",[38,31],"outside",[5,29,28,41]]);
