playbookSearch.load("t-sk",["skill",[25,528],"skillsscaleinstitutionalknowledgeusingcopilotspac",[25,528],"skip",[5,592]]);
