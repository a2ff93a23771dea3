//! Run files on disk: read with file:line:col errors; written whole, through
//! an exclusive lock beside the file (`.2.4.0.yaml.playbook-lock`) and an
//! atomic replace, reading the file again under the lock, so two processes
//! that tick different items at the same moment both land.

use std::path::{Path, PathBuf};

use super::format::format;
use super::model::{Run, RunVersion};
use super::parse::parse;
use crate::error::Error;
use crate::ownership::{Marker, OutputLock};

/// The default folder of run files, relative to the content folder.
pub const DEFAULT_RUNS_DIR: &str = "runs";

/// What the lock says in its messages ("waiting for another run of
/// content/runs/2.4.0.yaml"); no marker file: it locks a file, not a folder.
const LOCK: Marker = Marker {
    name: "",
    text: "",
    command: "run",
};

/// One run file: where it is, and how messages show it.
#[derive(Debug, Clone)]
pub struct RunFile {
    pub path: PathBuf,
    /// The path as the user would type it (`content/runs/2.4.0.yaml`).
    pub shown: String,
}

impl RunFile {
    /// The file of `version` in `runs_dir`.
    pub fn new(runs_dir: &Path, version: &RunVersion) -> RunFile {
        let path = runs_dir.join(version.file_name());
        RunFile {
            shown: crate::fs::display(&path),
            path,
        }
    }

    pub fn exists(&self) -> bool {
        self.path.exists()
    }

    /// The run, read and checked.
    pub fn load(&self) -> Result<Run, Error> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Usage(format!(
                    "there is no run file {}\nhelp: start the run with `playbook run start VERSION`",
                    self.shown
                )))
            }
            Err(err) => {
                return Err(Error::Io(
                    anyhow::Error::new(err).context(format!("cannot read {}", self.shown)),
                ))
            }
        };
        parse(&self.shown, &text).map_err(|diagnostics| Error::Invalid {
            diagnostics,
            sources: [(self.shown.clone(), text)].into(),
        })
    }

    /// Write a new run file; refuses one that exists.
    pub fn create(&self, run: &Run) -> Result<(), Error> {
        let parent = self.parent();
        crate::fs::create_dir_all(&parent)?;
        let _lock = self.lock(&parent)?;
        if self.path.exists() {
            return Err(Error::Usage(format!(
                "the run file {} exists already; nothing was written\nhelp: tick its items with `playbook run tick {} ITEM --by NAME`, or remove the file to start again",
                self.shown, run.version
            )));
        }
        crate::write::write_file_atomically(&self.path, format(run).as_bytes())?;
        Ok(())
    }

    /// Read the run under the lock, let `change` change it, and write it
    /// back when `change` succeeds (nothing is written when it fails).
    pub fn update<T>(&self, change: impl FnOnce(&mut Run) -> Result<T, Error>) -> Result<T, Error> {
        let parent = self.parent();
        let _lock = self.lock(&parent)?;
        let mut run = self.load()?;
        let result = change(&mut run)?;
        crate::write::write_file_atomically(&self.path, format(&run).as_bytes())?;
        Ok(result)
    }

    fn parent(&self) -> PathBuf {
        self.path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    }

    fn lock(&self, parent: &Path) -> Result<OutputLock, Error> {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(OutputLock::acquire(&self.path, parent, &name, &LOCK)?)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::model::*;
    use super::*;
    use crate::checklist::{ReleasePhase, ReleaseType};

    pub(crate) fn sample(version: &str, items: usize) -> Run {
        Run {
            version: RunVersion::parse(version).unwrap(),
            release_type: ReleaseType::Minor,
            date: RunDate::parse("2026-12-06").unwrap(),
            started_by: "Dana".into(),
            started_at: Timestamp::parse("2026-12-06T09:00:00Z").unwrap(),
            items: (0..items)
                .map(|i| RunItem {
                    id: format!("pre/item-{i}"),
                    checklist: "pre".into(),
                    group: "g".into(),
                    phase: ReleasePhase::PreRelease,
                    owners: vec!["qa".into()],
                    optional: false,
                    state: ItemState::Open,
                    reason: None,
                    by: None,
                    at: None,
                    note: None,
                    text: format!("Item {i}"),
                })
                .collect(),
        }
    }

    #[test]
    fn create_refuses_an_existing_file_and_update_writes() {
        let dir = tempfile::tempdir().unwrap();
        let run = sample("2.4.0", 3);
        let file = RunFile::new(&dir.path().join("runs"), &run.version);
        file.create(&run).unwrap();
        let err = file.create(&run).unwrap_err();
        assert!(err.to_string().contains("exists already"), "{err}");
        let at = Timestamp::parse("2026-12-06T10:00:00Z").unwrap();
        file.update(|run| {
            run.items[1].close(ItemState::Done, "Sam", at, None);
            Ok(())
        })
        .unwrap();
        let back = file.load().unwrap();
        assert_eq!(back.items[1].by.as_deref(), Some("Sam"));
        // A failed change writes nothing.
        let before = std::fs::read(&file.path).unwrap();
        let failed: Result<(), Error> = file.update(|run| {
            run.items[0].close(ItemState::Done, "X", at, None);
            Err(Error::Usage("no".into()))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&file.path).unwrap(), before);
        let names: Vec<_> = std::fs::read_dir(dir.path().join("runs"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["2.4.0.yaml"], "no lock or staging file left");
    }

    #[test]
    fn threads_ticking_different_items_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let run = sample("1.0.0", 48);
        let file = RunFile::new(dir.path(), &run.version);
        file.create(&run).unwrap();
        let at = Timestamp::parse("2026-12-06T10:00:00Z").unwrap();
        std::thread::scope(|s| {
            for i in 0..48 {
                let file = file.clone();
                s.spawn(move || {
                    file.update(|run| {
                        run.items[i].close(ItemState::Done, &format!("p{i}"), at, None);
                        Ok(())
                    })
                    .unwrap()
                });
            }
        });
        let back = file.load().unwrap();
        assert!(back.items.iter().all(|i| i.state == ItemState::Done));
    }
}
