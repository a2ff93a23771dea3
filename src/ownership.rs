//! Which output folders playbook may replace, and one writer at a time.
//!
//! `build` and `reconcile` replace their output folder wholesale, so they
//! only ever replace a folder that is missing, empty, or carries the marker
//! file the same command wrote into it: a folder of someone else's files
//! (a `.git`, a thesis, a system folder) is refused, whatever the flags.
//! While one process writes an output, it holds a lock beside it; a second
//! one waits for it instead of removing its half-written staging folder.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use crate::config::{display, Config};

/// The file that says "this folder was written by `command`".
pub struct Marker {
    /// The file's name inside the output folder.
    pub name: &'static str,
    /// Its content (always the same, so that rebuilds are byte-identical).
    pub text: &'static str,
    /// The command that writes it, for messages.
    pub command: &'static str,
}

/// The marker of a site written by `playbook build`.
pub const SITE: Marker = Marker {
    name: ".playbook-site",
    text: "This folder is a site written by `playbook build`.\nThe next build replaces it wholesale: keep nothing else here.\n",
    command: "build",
};

/// The marker of a canonical tree written by `playbook reconcile`.
pub const RECONCILE: Marker = Marker {
    name: ".playbook-reconcile",
    text: "This folder was written by `playbook reconcile`.\n`reconcile --force` may replace it wholesale; `--base` merges into it.\n",
    command: "reconcile",
};

/// What else, besides a missing, empty or marked folder, may be replaced.
pub enum Replace<'a> {
    /// Nothing else.
    OwnedOnly,
    /// Also a folder whose every entry is a file or folder that is written
    /// again under the same path (these paths): nothing it holds is lost.
    /// For `reconcile --base DIR --out DIR`, which carries every file over.
    OrRewritten(&'a BTreeSet<String>),
}

/// Refuse to replace `out` unless it is missing, empty, marked by `marker`,
/// or (see [`Replace`]) loses nothing.
pub fn ensure_replaceable(out: &Path, marker: &Marker, replace: &Replace) -> anyhow::Result<()> {
    let meta = match std::fs::symlink_metadata(out) {
        Ok(meta) => meta,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", display(out))),
    };
    if !meta.is_dir() {
        bail!(
            "refusing to replace {}: it exists and is not a folder (a file or a symbolic link)\nhelp: choose another --out, or remove it yourself",
            display(out)
        );
    }
    let entries = folder_entries(out)?;
    let marked = std::fs::symlink_metadata(out.join(marker.name)).is_ok_and(|m| m.is_file());
    let rewritten = match replace {
        Replace::OwnedOnly => false,
        Replace::OrRewritten(paths) => lost_entries(out, paths).is_empty(),
    };
    if entries.is_empty() || marked || rewritten {
        return Ok(());
    }
    let mut shown: Vec<String> = match replace {
        Replace::OwnedOnly => entries,
        Replace::OrRewritten(paths) => lost_entries(out, paths),
    };
    let more = shown.len().saturating_sub(SHOWN_ENTRIES);
    shown.truncate(SHOWN_ENTRIES);
    let mut list = shown.join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    bail!(
        "refusing to replace {}: the folder is not empty and was not written by `playbook {}` (it holds {list}; there is no {} file)\nhelp: choose another --out, or remove the folder yourself",
        display(out),
        marker.command,
        marker.name
    )
}

/// How many of a refused folder's entries the message names.
const SHOWN_ENTRIES: usize = 5;

/// The names in `dir`, sorted, folders with a trailing `/`.
fn folder_entries(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", display(dir)))? {
        let entry = entry.with_context(|| format!("cannot read {}", display(dir)))?;
        let mut name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            name.push('/');
        }
        names.push(name);
    }
    names.sort();
    Ok(names)
}

/// Entries under `dir` (relative, `/`-separated) that replacing it with
/// `kept` would lose: anything but a folder or a regular file in `kept`.
fn lost_entries(dir: &Path, kept: &BTreeSet<String>) -> Vec<String> {
    let mut lost = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            lost.push(format!("{prefix}?"));
            continue;
        };
        for entry in entries.flatten() {
            let rel = format!("{prefix}{}", entry.file_name().to_string_lossy());
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push((entry.path(), format!("{rel}/"))),
                Ok(t) if t.is_file() && kept.contains(&rel) => {}
                _ => lost.push(rel),
            }
        }
    }
    lost.sort();
    lost
}

/// Held while one process writes an output folder: an exclusive lock on
/// `.NAME.playbook-lock` beside it, holding the writer's process id.
/// Released (and the file removed) when dropped; the system releases it
/// if the process dies.
#[derive(Debug)]
pub struct OutputLock {
    /// Holds the lock while open.
    _file: File,
    path: PathBuf,
}

/// How long a second writer waits for the first before giving up.
const LOCK_TIMEOUT: Duration = Duration::from_secs(600);
/// How often a waiting writer tries again.
const LOCK_POLL: Duration = Duration::from_millis(20);

impl OutputLock {
    /// Lock `out` (whose folder is `parent` and name `name`), waiting for
    /// another writer, and saying so, when there is one.
    pub fn acquire(out: &Path, parent: &Path, name: &str, marker: &Marker) -> anyhow::Result<Self> {
        let path = parent.join(format!(".{name}.playbook-lock"));
        let started = Instant::now();
        let mut told = false;
        // A marker without a file (a run's lock) locks a file, not a folder.
        let shown = if marker.name.is_empty() {
            display(out)
        } else {
            format!("{}/", display(out).trim_end_matches('/'))
        };
        loop {
            match platform::try_lock_file(&path)? {
                (Some(mut file), true) => {
                    // The previous holder removes the file before unlocking:
                    // a lock on a removed file locks nothing, so start again.
                    if !platform::is_still_at(&file, &path) {
                        continue;
                    }
                    let pid = std::process::id().to_string();
                    file.set_len(0)
                        .and_then(|()| file.rewind())
                        .and_then(|()| file.write_all(pid.as_bytes()))
                        .with_context(|| format!("cannot write {}", display(&path)))?;
                    return Ok(OutputLock { _file: file, path });
                }
                (mut file, _) => {
                    let holder = file.as_mut().and_then(read_pid);
                    let waited = started.elapsed();
                    // The holder writes its id just after locking: give it a moment.
                    if !told && (holder.is_some() || waited > Duration::from_secs(1)) {
                        eprintln!(
                            "waiting for another {} of {shown} (pid {}) to finish",
                            marker.command,
                            holder.as_deref().unwrap_or("unknown")
                        );
                        told = true;
                    }
                    if waited > LOCK_TIMEOUT {
                        bail!(
                            "another {} of {shown} (pid {}) has been running for {} minutes; nothing was written\nhelp: wait for it, or stop it if it is stuck, then try again",
                            marker.command,
                            holder.as_deref().unwrap_or("unknown"),
                            LOCK_TIMEOUT.as_secs() / 60
                        );
                    }
                    std::thread::sleep(LOCK_POLL);
                }
            }
        }
    }
}

impl OutputLock {
    /// The lock file: removed, while the lock is held, when the lock is let go.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Remove the file while still holding the lock (see `acquire`);
        // closing `file` just after releases the lock.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The lock itself, per platform. On Unix (Linux, macOS, the BSDs) it is
/// an advisory `flock` on a file opened without following links, which the
/// system releases when the process dies. On Windows the file is opened
/// with no sharing, which excludes a second writer the same way. Elsewhere
/// there is no lock: two writers at once are not detected.
#[cfg(unix)]
mod platform {
    use std::fs::{File, OpenOptions};
    use std::path::Path;

    use anyhow::{bail, Context};
    use rustix::fs::{flock, FlockOperation, OFlags};
    use rustix::io::Errno;

    use crate::fs::display;

    /// One try at the lock: the lock file (to read its holder from, when
    /// busy), and whether this process holds the lock now.
    pub(super) fn try_lock_file(path: &Path) -> anyhow::Result<(Option<File>, bool)> {
        let file = open_lock_file(path)?;
        // std's `File::try_lock` needs Rust 1.89; this crate supports 1.85.
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok((Some(file), true)),
            Err(Errno::WOULDBLOCK | Errno::INTR) => Ok((Some(file), false)),
            Err(err) => Err(std::io::Error::from(err))
                .with_context(|| format!("cannot lock {}", display(path))),
        }
    }

    /// Open (or make) the lock file, refusing anything but a plain file of
    /// its own: in a shared folder such as /tmp, a planted link must not make
    /// playbook overwrite the file it points to.
    fn open_lock_file(path: &Path) -> anyhow::Result<File> {
        use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
        let no_follow = i32::try_from(OFlags::NOFOLLOW.bits()).unwrap_or_default();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .custom_flags(no_follow)
            .open(path)
            .with_context(|| format!("cannot create the lock file {}", display(path)))?;
        let meta = file
            .metadata()
            .with_context(|| format!("cannot read the lock file {}", display(path)))?;
        // No links: the holder removed it as we opened it (see `acquire`,
        // which then tries again); more than one: planted.
        if !meta.is_file() || meta.nlink() > 1 {
            bail!(
                "{} is not a lock file playbook made (it is linked elsewhere)\nhelp: remove it, then try again",
                display(path)
            );
        }
        Ok(file)
    }

    /// Whether `path` still names the file `file` has open.
    pub(super) fn is_still_at(file: &File, path: &Path) -> bool {
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(open), Ok(named)) => {
                use std::os::unix::fs::MetadataExt;
                open.dev() == named.dev() && open.ino() == named.ino()
            }
            _ => false,
        }
    }
}

#[cfg(not(unix))]
mod platform {
    use std::fs::{File, OpenOptions};
    use std::path::Path;

    use anyhow::Context;

    use crate::fs::display;

    /// One try at the lock: the lock file, and whether this process holds
    /// the lock now (on Windows, a file another process has open cannot be
    /// opened again: that is the lock).
    pub(super) fn try_lock_file(path: &Path) -> anyhow::Result<(Option<File>, bool)> {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(windows)]
        {
            use std::os::windows::fs::OpenOptionsExt;
            options.share_mode(0);
        }
        match options.open(path) {
            Ok(file) => Ok((Some(file), true)),
            // ERROR_SHARING_VIOLATION: another writer holds it.
            Err(err) if cfg!(windows) && err.raw_os_error() == Some(32) => Ok((None, false)),
            Err(err) => {
                Err(err).with_context(|| format!("cannot create the lock file {}", display(path)))
            }
        }
    }

    /// The lock file cannot be removed while another process has it open.
    pub(super) fn is_still_at(_file: &File, _path: &Path) -> bool {
        true
    }
}

/// The process id a lock file holds, if it holds one.
fn read_pid(file: &mut File) -> Option<String> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    let text = text.trim();
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.to_string())
}

/// Refuse an output folder that would swallow the sources: the site
/// replaces `--out` wholesale.
pub(crate) fn guard_output(config: &Config) -> anyhow::Result<()> {
    let out = crate::fs::absolute(&config.out_dir);
    for (what, dir) in [
        ("project root", &config.root),
        ("content folder", &config.content_dir),
    ] {
        let dir = crate::fs::absolute(dir);
        if dir.starts_with(&out) {
            bail!(
                "refusing to write the site to {}: it would replace the {what} {}; choose another --out",
                display(&config.out_dir),
                display(&dir)
            );
        }
        if out.starts_with(&dir) && what == "content folder" {
            bail!(
                "refusing to write the site to {}: it is inside the content folder {}, which would then publish the site it builds; choose another --out",
                display(&config.out_dir),
                display(&dir)
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_missing_empty_or_marked_folders_are_replaceable() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        assert!(ensure_replaceable(&out, &SITE, &Replace::OwnedOnly).is_ok());
        std::fs::create_dir(&out).unwrap();
        assert!(ensure_replaceable(&out, &SITE, &Replace::OwnedOnly).is_ok());
        std::fs::write(out.join("thesis.tex"), "x").unwrap();
        std::fs::create_dir(out.join(".git")).unwrap();
        let err = ensure_replaceable(&out, &SITE, &Replace::OwnedOnly).unwrap_err();
        assert!(
            format!("{err}").contains("it holds .git/, thesis.tex;"),
            "{err}"
        );
        // Another command's marker is not this one's.
        std::fs::write(out.join(RECONCILE.name), RECONCILE.text).unwrap();
        assert!(ensure_replaceable(&out, &SITE, &Replace::OwnedOnly).is_err());
        std::fs::write(out.join(SITE.name), SITE.text).unwrap();
        assert!(ensure_replaceable(&out, &SITE, &Replace::OwnedOnly).is_ok());
    }

    #[test]
    fn a_folder_is_replaceable_when_everything_in_it_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/b.md"), "x").unwrap();
        let kept: BTreeSet<String> = ["a/b.md".to_string()].into();
        let rewritten = Replace::OrRewritten(&kept);
        assert!(ensure_replaceable(dir.path(), &RECONCILE, &rewritten).is_ok());
        std::fs::write(dir.path().join("a/.keep"), "").unwrap();
        let err = ensure_replaceable(dir.path(), &RECONCILE, &rewritten).unwrap_err();
        assert!(format!("{err}").contains("it holds a/.keep;"), "{err}");
    }

    #[test]
    fn the_lock_is_exclusive_and_removed_when_released() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let lock = OutputLock::acquire(&out, dir.path(), "site", &SITE).unwrap();
        let path = dir.path().join(".site.playbook-lock");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            std::process::id().to_string()
        );
        let (other, locked) = platform::try_lock_file(&path).unwrap();
        assert!(other.is_some() && !locked);
        drop(lock);
        assert!(!path.exists());
        drop(OutputLock::acquire(&out, dir.path(), "site", &SITE).unwrap());

        // A planted link is refused, and its target left alone.
        let target = dir.path().join("precious");
        std::fs::write(&target, "keep").unwrap();
        std::os::unix::fs::symlink(&target, &path).unwrap();
        assert!(OutputLock::acquire(&out, dir.path(), "site", &SITE).is_err());
        std::fs::remove_file(&path).unwrap();
        std::fs::hard_link(&target, &path).unwrap();
        let err = OutputLock::acquire(&out, dir.path(), "site", &SITE).unwrap_err();
        assert!(
            format!("{err}").contains("is not a lock file playbook made"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    }
}
