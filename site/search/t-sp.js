playbookSearch.load("t-sp",["space",[25,528],"specialist",[11,384,58,544,17,784],"specif",[25,528],"spot",[50,512,15,288,24,192],"spreadsheet",[54,640,35,208]]);
