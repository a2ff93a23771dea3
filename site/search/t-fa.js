playbookSearch.load("t-fa",["facing",[22,19,6,19,6,17,18,28,9,14,4,14],"failing",[56,44],"fails",[24,29,37,20],"failure",[58,45],"faqs",[38,27,29,27],"fast",[34,27]]);
