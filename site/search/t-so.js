playbookSearch.load("t-so",["so",[1,496,6,576],"softwar",[0,768],"someth",[37,656],"soon",[66,736]]);
