//! Why a command that loads or builds the site failed: problems in the
//! user's files (shown as diagnostics), or anything else (shown as a
//! message). The CLI turns these into output and an exit code.

use crate::diagnostic::{Diagnostic, Sources};

/// Why a build did not produce a site.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the user's files; `sources` holds their texts for display.
    Invalid {
        diagnostics: Vec<Diagnostic>,
        sources: Sources,
    },
    /// Anything else: the output cannot be written, a folder cannot be read, ...
    Io(anyhow::Error),
}

impl From<anyhow::Error> for BuildError {
    fn from(err: anyhow::Error) -> Self {
        BuildError::Io(err)
    }
}

impl BuildError {
    pub(crate) fn invalid(diagnostics: Vec<Diagnostic>, sources: Sources) -> Self {
        BuildError::Invalid {
            diagnostics,
            sources,
        }
    }
}
