//! `Test`: one run of the real `playbook` binary, in the manner of just's
//! `tests/test.rs`. Say what to run (arguments, environment) and what must
//! come out (exit status, 0 unless told; optionally the exact stdout or
//! stderr), then `.run()`. The status is compared on every run, so a test
//! cannot forget to; a `Test` that is built but never run is a compile
//! warning (`#[must_use]`, an error under `-D warnings`) and a panic when it
//! is dropped.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A run of `playbook` to make, and what it must give.
#[must_use = "a Test checks nothing until `.run()`"]
pub struct Test {
    dir: PathBuf,
    args: Vec<OsString>,
    env: Vec<(OsString, Option<OsString>)>,
    status: i32,
    stdout: Option<String>,
    stderr: Option<String>,
    redactions: Vec<(String, String)>,
    tidy: Option<fn(&str) -> String>,
    ran: bool,
}

/// What a run printed, once its exit status has been checked. The folder it
/// ran in reads `[ROOT]`.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    /// `playbook` run in `dir`, without colour, expected to succeed.
    pub fn in_dir(dir: &Path) -> Test {
        Test {
            dir: dir.to_path_buf(),
            args: Vec::new(),
            env: vec![("NO_COLOR".into(), Some("1".into()))],
            status: 0,
            stdout: None,
            stderr: None,
            redactions: Vec::new(),
            tidy: None,
            ran: false,
        }
    }

    pub fn args<S: AsRef<OsStr>>(mut self, args: impl IntoIterator<Item = S>) -> Test {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Test {
        self.env
            .push((key.into(), Some(value.as_ref().to_os_string())));
        self
    }

    pub fn env_remove(mut self, key: &str) -> Test {
        self.env.push((key.into(), None));
        self
    }

    /// The exit status the run must end with (0 unless told).
    pub fn status(mut self, code: i32) -> Test {
        self.status = code;
        self
    }

    /// The exact stdout (after redaction).
    pub fn stdout(mut self, text: &str) -> Test {
        self.stdout = Some(text.to_string());
        self
    }

    /// The exact stderr (after redaction).
    pub fn stderr(mut self, text: &str) -> Test {
        self.stderr = Some(text.to_string());
        self
    }

    /// Replace `from` by `to` in both outputs (after `[ROOT]`).
    pub fn redact(mut self, from: &str, to: &str) -> Test {
        self.redactions.push((from.to_string(), to.to_string()));
        self
    }

    /// A last pass over both outputs, for what varies from run to run.
    pub fn tidy(mut self, tidy: fn(&str) -> String) -> Test {
        self.tidy = Some(tidy);
        self
    }

    /// Run it, panicking unless the status (and any output given) is as
    /// expected.
    pub fn run(mut self) -> Run {
        self.ran = true;
        let mut command = Command::new(env!("CARGO_BIN_EXE_playbook"));
        command.args(&self.args).current_dir(&self.dir);
        for (key, value) in &self.env {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        let output = command
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.shown()));
        let run = Run {
            stdout: self.clean(&output.stdout),
            stderr: self.clean(&output.stderr),
        };
        let status = output.status.code().unwrap_or(-1);
        assert!(
            status == self.status,
            "{} exited with {} (expected {})\n--- stdout\n{}\n--- stderr\n{}",
            self.shown(),
            output.status,
            self.status,
            run.stdout,
            run.stderr
        );
        if let Some(stdout) = &self.stdout {
            assert_eq!(&run.stdout, stdout, "stdout of {}", self.shown());
        }
        if let Some(stderr) = &self.stderr {
            assert_eq!(&run.stderr, stderr, "stderr of {}", self.shown());
        }
        run
    }

    fn clean(&self, bytes: &[u8]) -> String {
        let root = self.dir.to_string_lossy();
        let mut text = String::from_utf8_lossy(bytes).replace(&*root, "[ROOT]");
        for (from, to) in &self.redactions {
            text = text.replace(from, to);
        }
        match self.tidy {
            Some(tidy) => tidy(&text),
            None => text,
        }
    }

    fn shown(&self) -> String {
        let args: Vec<_> = self.args.iter().map(|a| a.to_string_lossy()).collect();
        format!("`playbook {}`", args.join(" "))
    }
}

impl Drop for Test {
    fn drop(&mut self) {
        if !self.ran && !std::thread::panicking() {
            panic!("{} was set up but never run: add `.run()`", self.shown());
        }
    }
}

// The runner's own guarantees: each of these must fail.

#[test]
#[should_panic(expected = "(expected 0)")]
fn a_run_with_another_status_fails() {
    crate::common::Project::empty()
        .test(&["no-such-command"])
        .run();
}

#[test]
#[should_panic(expected = "stderr of `playbook --version`")]
fn a_run_with_other_output_fails() {
    crate::common::Project::empty()
        .test(&["--version"])
        .stderr("something")
        .run();
}

#[test]
#[should_panic(expected = "was set up but never run")]
fn a_test_never_run_fails() {
    let _forgotten = crate::common::Project::empty().test(&["--version"]);
}
