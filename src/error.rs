//! The one error type of the library's fallible entry points (loading,
//! building, serving, the CLI's commands), with the exit code each kind of
//! failure gets. `cli::run` is the one place that prints an error and
//! turns it into the process's exit status.

use std::net::SocketAddr;

use crate::diagnostic::{Diagnostic, Sources};

/// Exit status: the content has problems (broken front matter, template errors, ...).
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit status: wrong usage, or the environment failed (unwritable output, ...).
pub const EXIT_USAGE: u8 = 2;

/// Why a command did not do its job.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the user's files; `sources` holds their texts for display.
    /// (Shown as diagnostics, not through `Display`.)
    #[error("{} problem(s) in the content", diagnostics.len())]
    Invalid {
        diagnostics: Vec<Diagnostic>,
        sources: Sources,
    },
    /// The command line asks for something that cannot be done (a missing
    /// folder, an unknown role); the message may go on with `help:` lines.
    #[error("{0}")]
    Usage(String),
    /// Another program listens on this address already.
    #[error(
        "port {} on {} is already in use (by another `playbook serve`?); \
         choose another port with --port {}, or --port 0 for any free one",
        .0.port(),
        .0.ip(),
        .0.port().checked_add(1).unwrap_or(3001)
    )]
    AddrInUse(SocketAddr),
    /// A problem in the content that has no place in a file (a file the
    /// command needs is missing); the message may go on with `help:` lines.
    #[error("{0}")]
    Content(String),
    /// `cause` stopped the command before it wrote anything; `note` says
    /// what was left as it was.
    #[error("{note}")]
    NothingWritten {
        cause: Box<Error>,
        note: &'static str,
    },
    /// Anything else: the output cannot be written, a folder cannot be
    /// read, ...; shown with its causes.
    #[error("{0:#}")]
    Io(anyhow::Error),
}

/// The name the build's callers know it by.
pub type BuildError = Error;

impl From<anyhow::Error> for Error {
    fn from(err: anyhow::Error) -> Self {
        Error::Io(err)
    }
}

impl Error {
    pub(crate) fn invalid(diagnostics: Vec<Diagnostic>, sources: Sources) -> Self {
        Error::Invalid {
            diagnostics,
            sources,
        }
    }

    /// One diagnostic, shown against the text of its file.
    pub fn in_file(diagnostic: Diagnostic, text: String) -> Self {
        let sources = Sources::from([(diagnostic.path.clone(), text)]);
        Error::invalid(vec![diagnostic], sources)
    }

    /// The process's exit status for this error: 1 for problems in the
    /// content, 2 for usage and I/O errors, 0 when the problems found are
    /// only warnings.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid { diagnostics, .. } if !diagnostics.iter().any(Diagnostic::is_error) => {
                0
            }
            Error::Invalid { .. } => EXIT_PROBLEMS,
            Error::Content(_) => EXIT_PROBLEMS,
            Error::NothingWritten { cause, .. } => cause.exit_code(),
            Error::Usage(_) | Error::AddrInUse(_) | Error::Io(_) => EXIT_USAGE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_failure_has_its_exit_code_and_message() {
        let problem = Diagnostic::file_error("code", "a.md", "broken");
        let mut warning = Diagnostic::file_error("code", "a.md", "odd");
        warning.severity = crate::diagnostic::Severity::Warning;
        let invalid = Error::invalid(vec![problem], Sources::new());
        assert_eq!(invalid.exit_code(), 1);
        assert_eq!(Error::invalid(vec![warning], Sources::new()).exit_code(), 0);
        let stopped = Error::NothingWritten {
            cause: Box::new(invalid),
            note: "nothing was written",
        };
        assert_eq!(
            (stopped.exit_code(), stopped.to_string().as_str()),
            (1, "nothing was written")
        );
        assert_eq!(Error::Content("no spec".into()).exit_code(), 1);
        assert_eq!(Error::Usage("no".into()).exit_code(), 2);
        let io = Error::from(anyhow::anyhow!("disk full").context("cannot write site/a.html"));
        assert_eq!(io.exit_code(), 2);
        assert_eq!(io.to_string(), "cannot write site/a.html: disk full");
        let busy = Error::AddrInUse("127.0.0.1:3000".parse().unwrap());
        assert_eq!(busy.exit_code(), 2);
        assert_eq!(
            busy.to_string(),
            "port 3000 on 127.0.0.1 is already in use (by another `playbook serve`?); \
             choose another port with --port 3001, or --port 0 for any free one"
        );
        let max = Error::AddrInUse("[::1]:65535".parse().unwrap());
        assert!(max.to_string().contains("--port 3001,"), "{max}");
    }
}
