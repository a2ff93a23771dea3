playbookSearch.load("t-sp",["space",[25,528],"specialist",[11,400,58,544,17,784],"specif",[25,528],"spot",[50,512,15,288,24,176],"spreadsheet",[54,640,35,192]]);
