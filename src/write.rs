//! Write the built site atomically: everything goes into a fresh folder
//! beside the target, which replaces the target only once complete. A build
//! that fails (or is killed) leaves the previous site exactly as it was:
//! every file of the new one is a new file (or a link to an unchanged old
//! one), so nothing is ever written into a file the previous site uses.
//! Only a folder that playbook wrote is replaced, by one writer at a time
//! (see [`crate::ownership`]).

use std::collections::{BTreeSet, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Context};
use rayon::prelude::*;

use crate::ownership::{ensure_replaceable, Marker, OutputLock, Replace};

/// One file of the output.
pub enum Output {
    Bytes(Vec<u8>),
    /// A file copied from the content tree.
    Copy(PathBuf),
}

/// Write `files` (output-relative path → content) as the new `out` folder,
/// marked as `marker`'s. `or_rewritten`: `out` may also be replaced when
/// these files include every file it holds (see [`Replace::OrRewritten`]).
pub fn write_site(
    out: &Path,
    marker: &'static Marker,
    or_rewritten: bool,
    files: Vec<(String, Output)>,
) -> anyhow::Result<()> {
    // Output names come from file names and ids in the content: none may
    // climb out of the output folder (`..`, absolute paths, drive prefixes).
    // Checked before anything is made, so a refusal touches nothing.
    for (rel, _) in &files {
        ensure_contained(rel, out)?;
    }
    let rewritten = or_rewritten.then(|| {
        files
            .iter()
            .map(|(rel, _)| rel.clone())
            .chain([marker.name.to_string()])
            .collect()
    });
    let staging = Staging::create(out, marker, rewritten)?;
    files
        .into_par_iter()
        .try_for_each(|(rel, output)| match output {
            Output::Bytes(bytes) => staging.write(&rel, &bytes),
            Output::Copy(source) => staging.copy(&rel, &source),
        })?;
    staging.commit()
}

/// Staging folders being written and not yet swapped in: what an interrupt
/// removes ([`remove_staging_on_interrupt`]). Locked across a swap, so an
/// interrupt waits for a swap that has begun to end.
/// Each is (staging folder, its output's lock file).
static UNSWAPPED: Mutex<Vec<(PathBuf, PathBuf)>> = Mutex::new(Vec::new());

fn unswapped() -> std::sync::MutexGuard<'static, Vec<(PathBuf, PathBuf)>> {
    UNSWAPPED.lock().unwrap_or_else(|e| e.into_inner())
}

/// A staging folder (and its output's lock) in [`UNSWAPPED`] from the
/// moment the lock is taken until it is dropped.
struct Unswapped(PathBuf);

impl Unswapped {
    fn register(dir: &Path, lock: &Path) -> Unswapped {
        unswapped().push((dir.to_path_buf(), lock.to_path_buf()));
        Unswapped(dir.to_path_buf())
    }
}

impl Drop for Unswapped {
    fn drop(&mut self) {
        unswapped().retain(|(dir, _)| *dir != self.0);
    }
}

/// Ctrl-C, `SIGTERM` or a closed terminal during a build: the staging
/// folder (a whole site, beside `--out`) is removed before the process
/// ends, instead of waiting for the next build to find it; the previous
/// site stays as it was, and a swap that has begun is let finish. For the
/// `build` command (`serve` stops through its own signal handling).
#[cfg(unix)]
pub fn remove_staging_on_interrupt() -> anyhow::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
        .context("cannot watch for Ctrl-C")?;
    std::thread::Builder::new()
        .name("interrupt".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let staging = unswapped();
                for (dir, lock) in staging.iter() {
                    // Writers may still add files while it goes: a few tries.
                    for _ in 0..5 {
                        if std::fs::remove_dir_all(dir).is_ok() || !dir.exists() {
                            break;
                        }
                    }
                    // As the lock's own drop does: removed while still held
                    // (the system lets go of it when the process ends).
                    let _ = std::fs::remove_file(lock);
                }
                if staging.is_empty() {
                    eprintln!("interrupted");
                } else {
                    eprintln!("interrupted: the new site was not put in place, and the previous one is unchanged");
                }
                std::process::exit(128 + signal);
            }
        })
        .context("cannot watch for Ctrl-C")?;
    Ok(())
}

#[cfg(not(unix))]
pub fn remove_staging_on_interrupt() -> anyhow::Result<()> {
    Ok(())
}

/// A new site being written beside `out`. Files go in as soon as they are
/// made (so a big site is never held in memory whole); [`Staging::commit`]
/// swaps the folder in. Dropped without a commit, it removes itself.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    marker: &'static Marker,
    /// See [`write_site`]'s `or_rewritten`.
    rewritten: Option<BTreeSet<String>>,
    /// Folders already made inside `dir`, to skip the system calls.
    made: Mutex<HashSet<String>>,
    /// Files written so far.
    files: AtomicUsize,
    committed: bool,
    /// What an interrupt removes, until the swap.
    _registration: Unswapped,
    /// Held from before the first write until the swap (and the clean-up
    /// after a failure) is done; declared last so it is released last.
    _lock: OutputLock,
}

impl Staging {
    /// Start a new `out`, marked as `marker`'s. Waits while another process
    /// writes `out`; refuses an `out` that `marker`'s command did not write.
    pub fn new(out: &Path, marker: &'static Marker) -> anyhow::Result<Staging> {
        Staging::create(out, marker, None)
    }

    fn create(
        out: &Path,
        marker: &'static Marker,
        rewritten: Option<BTreeSet<String>>,
    ) -> anyhow::Result<Staging> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = out
            .file_name()
            .context("the output folder needs a name (not `/` or `..`)")?
            .to_string_lossy()
            .into_owned();
        crate::fs::create_dir_all(parent)?;
        let lock = OutputLock::acquire(out, parent, &name, marker)?;
        let dir = parent.join(format!(".{name}.playbook-tmp-{}", std::process::id()));
        let registration = Unswapped::register(&dir, lock.path());
        ensure_replaceable(out, marker, &replace_rule(&rewritten))?;
        // No other process writes `out` now, so no staging folder is in use.
        remove_stale_staging(parent, &name);
        if dir.exists() {
            crate::fs::remove_dir_all(&dir)?;
        }
        crate::fs::create_dir_all(&dir)?;
        let staging = Staging {
            dir,
            out: out.to_path_buf(),
            marker,
            rewritten,
            made: Mutex::new(HashSet::new()),
            files: AtomicUsize::new(0),
            committed: false,
            _registration: registration,
            _lock: lock,
        };
        staging.write(marker.name, marker.text.as_bytes())?;
        Ok(staging)
    }

    /// Write one output file (`rel` is output-relative, `/`-separated).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.prepare(rel)?;
        if self.link_unchanged(rel, bytes, &path) {
            return Ok(());
        }
        self.create_new(rel, &path)
            .and_then(|mut file| {
                std::io::Write::write_all(&mut file, bytes)
                    .with_context(|| format!("cannot write {}", path.display()))
            })
            .map_err(|e| explain_disk_full(e, &self.out))
    }

    /// Copy a file from the content tree into the output.
    pub fn copy(&self, rel: &str, source: &Path) -> anyhow::Result<()> {
        let path = self.prepare(rel)?;
        let mut from = File::open(source)
            .with_context(|| format!("cannot copy {} to {}", source.display(), path.display()))?;
        self.create_new(rel, &path)
            .and_then(|mut to| {
                std::io::copy(&mut from, &mut to).with_context(|| {
                    format!("cannot copy {} to {}", source.display(), path.display())
                })
            })
            .map(|_| ())
            .map_err(|e| explain_disk_full(e, &self.out))
    }

    /// A new file at `path`, never an existing one: a file already there
    /// may be a link to the previous site's, which must not change.
    fn create_new(&self, rel: &str, path: &Path) -> anyhow::Result<File> {
        match File::options().write(true).create_new(true).open(path) {
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => bail!(
                "two outputs of this build would be written to {rel} in {}; rename one of their sources",
                crate::fs::display(&self.out)
            ),
            result => result.with_context(|| format!("cannot write {}", path.display())),
        }
    }

    /// When the previous site has this very file, link it into the new one
    /// instead of writing it again: no new inode or blocks (creating ten
    /// thousand files is most of a big build's system time), and an unchanged
    /// page keeps its modification time, so `rsync`-style deploys skip it.
    /// Files are never opened for writing once made (see `create_new`), so
    /// sharing them is safe.
    fn link_unchanged(&self, rel: &str, bytes: &[u8], path: &Path) -> bool {
        let old = self.out.join(rel);
        let same_size = std::fs::symlink_metadata(&old)
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
        same_size
            && std::fs::read(&old).is_ok_and(|old_bytes| old_bytes == bytes)
            && std::fs::hard_link(&old, path).is_ok()
    }

    /// The path for `rel`, its folder made.
    fn prepare(&self, rel: &str) -> anyhow::Result<PathBuf> {
        // Output names come from file names and ids in the content: none may
        // climb out of the output folder.
        ensure_contained(rel, &self.out)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        if let Some((folder, _)) = rel.rsplit_once('/') {
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(folder) {
                let path = self.dir.join(folder);
                std::fs::create_dir_all(&path)
                    .with_context(|| format!("cannot create {}", path.display()))
                    .map_err(|e| explain_disk_full(e, &self.out))?;
                made.insert(folder.to_string());
            }
        }
        Ok(self.dir.join(rel))
    }

    /// Put the new site in place of the old one.
    pub fn commit(mut self) -> anyhow::Result<()> {
        // Checked again: someone may have put files into `out` meanwhile.
        ensure_replaceable(&self.out, self.marker, &replace_rule(&self.rewritten))?;
        self.committed = true;
        let big = self.files.load(Ordering::Relaxed) > BACKGROUND_REMOVAL_FILES;
        // An interrupt now waits until the site is swapped in (or not).
        let mut staging = unswapped();
        let result = swap_in(&self.dir, &self.out, big);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        staging.retain(|(dir, _)| *dir != self.dir);
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn replace_rule(rewritten: &Option<BTreeSet<String>>) -> Replace<'_> {
    match rewritten {
        Some(paths) => Replace::OrRewritten(paths),
        None => Replace::OwnedOnly,
    }
}

/// Say so when an error was caused by a full disk (or quota).
fn explain_disk_full(err: anyhow::Error, out: &Path) -> anyhow::Error {
    if is_disk_full(&err) {
        err.context(format!(
            "the disk is full: the new site did not fit beside {}, which is unchanged; free some space or choose another --out",
            crate::fs::display(out)
        ))
    } else {
        err
    }
}

/// Whether an error was caused by a full disk (or quota).
fn is_disk_full(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|err| {
            matches!(
                err.kind(),
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
            )
        })
    })
}

/// Refuse an output path that would climb out of `out`.
fn ensure_contained(rel: &str, out: &Path) -> anyhow::Result<()> {
    if !is_contained(rel) {
        bail!(
            "refusing to write {rel}: it would land outside the output folder {}",
            crate::fs::display(out)
        );
    }
    Ok(())
}

/// Whether `rel` names a place inside the folder it is joined to.
fn is_contained(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && !rel.contains('\0')
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Write one file so that readers see the old or the new content, never a
/// half-written one: write beside it, then rename over it. A device or a
/// pipe (`/dev/stdout`, `/dev/null`, `>(jq .)`) is written through, as a
/// shell redirection writes it: renaming over it would replace it with a
/// file. Through a link to a file, the file is replaced and the link kept.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let shown = crate::fs::display(path);
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => bail!("cannot write {shown}: it is a folder; name a file"),
        Ok(meta) if !meta.is_file() => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot open {shown}"))?;
            return std::io::Write::write_all(&mut file, bytes)
                .with_context(|| format!("cannot write {shown}"));
        }
        _ => {}
    }
    let linked = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let resolved;
    let path = if linked {
        resolved = std::fs::canonicalize(path).with_context(|| {
            format!("cannot write {shown}: it is a link to a file that does not exist")
        })?;
        resolved.as_path()
    } else {
        path
    };
    let name = path
        .file_name()
        .context("the file needs a name")?
        .to_string_lossy()
        .into_owned();
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let staging = parent.join(format!(".{name}.playbook-tmp-{}", std::process::id()));
    crate::fs::write(&staging, bytes)?;
    crate::fs::rename(&staging, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&staging);
    })
}

/// Leftovers of builds that were killed before they could clean up, and
/// previous sites whose background removal never finished.
fn remove_stale_staging(parent: &Path, name: &str) {
    let staging = format!(".{name}.playbook-tmp-");
    let trash = format!(".{name}.playbook-trash-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        // A recent trash folder is probably still being removed by its `rm`.
        let abandoned = || {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > ABANDONED_TRASH_AGE)
        };
        if file_name.starts_with(&staging) || file_name.starts_with(&trash) && abandoned() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

const ABANDONED_TRASH_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Put `staging` where `out` is, atomically when `out` already exists.
fn swap_in(staging: &Path, out: &Path, background: bool) -> anyhow::Result<()> {
    match std::fs::symlink_metadata(out) {
        Err(_) => std::fs::rename(staging, out)
            .with_context(|| format!("cannot move the new site to {}", out.display())),
        Ok(meta) if !meta.is_dir() => bail!(
            "{} exists and is not a folder; remove it or choose another --out",
            out.display()
        ),
        Ok(_) => {
            exchange(staging, out).with_context(|| format!("cannot replace {}", out.display()))?;
            // `staging` now holds the previous site.
            if background {
                let trash = trash_name(staging);
                if std::fs::rename(staging, &trash).is_ok() && remove_in_background(&trash) {
                    return Ok(());
                }
                return std::fs::remove_dir_all(&trash).with_context(|| {
                    format!(
                        "cannot remove the previous site, moved to {}",
                        trash.display()
                    )
                });
            }
            std::fs::remove_dir_all(staging).with_context(|| {
                format!(
                    "cannot remove the previous site, moved to {}",
                    staging.display()
                )
            })
        }
    }
}

/// Sites with more files than this have their previous copy removed by a
/// background `rm`: on disks that discard freed blocks, unlinking ten
/// thousand files can take many seconds, and the new site is already in place.
const BACKGROUND_REMOVAL_FILES: usize = 2000;

/// `.site.playbook-tmp-PID` → `.site.playbook-trash-PID`.
fn trash_name(staging: &Path) -> PathBuf {
    let name = staging
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .replacen(".playbook-tmp-", ".playbook-trash-", 1)
        })
        .unwrap_or_default();
    staging.with_file_name(name)
}

/// Start removing `dir` in a detached `rm -rf`; false if it could not start.
/// A removal cut short is finished by a later build (see `remove_stale_staging`).
fn remove_in_background(dir: &Path) -> bool {
    std::process::Command::new("rm")
        .arg("-rf")
        .arg("--")
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

/// Swap two folders in one step (`renameat2(RENAME_EXCHANGE)` on Linux,
/// `renameatx_np(RENAME_SWAP)` on macOS), so there is no moment without a
/// complete site, even if the build is killed.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // Some file systems do not support the exchange: fall back to two renames.
        Err(Errno::INVAL | Errno::NOSYS) => two_step_exchange(a, b),
        Err(Errno::NOTSUP) if cfg!(target_vendor = "apple") => two_step_exchange(a, b),
        Err(err) => Err(err.into()),
    }
}

/// Elsewhere (Windows, the BSDs) there is no atomic exchange of two
/// folders: the previous site is moved aside, then the new one into place.
#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    two_step_exchange(a, b)
}

/// Three renames: between the first two `b` is missing (a reader sees no
/// site, never half of one), and a crash there leaves the previous site
/// moved aside (`a` with the extension `swap`), never deleted.
fn two_step_exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    let aside = a.with_extension("swap");
    std::fs::rename(b, &aside)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&aside, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(s: &str) -> Output {
        Output::Bytes(s.as_bytes().to_vec())
    }

    #[test]
    fn replaces_the_previous_site_completely() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(
            &out,
            &crate::ownership::SITE,
            false,
            vec![
                ("old.html".into(), bytes("old")),
                ("a/b.html".into(), bytes("b")),
            ],
        )
        .unwrap();
        write_site(
            &out,
            &crate::ownership::SITE,
            false,
            vec![("new.html".into(), bytes("new"))],
        )
        .unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("new.html")).unwrap(),
            "new"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["site"]);
    }

    #[test]
    fn a_failed_write_leaves_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(
            &out,
            &crate::ownership::SITE,
            false,
            vec![("index.html".into(), bytes("good"))],
        )
        .unwrap();
        let missing = Output::Copy(dir.path().join("no-such-file.png"));
        let err = write_site(
            &out,
            &crate::ownership::SITE,
            false,
            vec![
                ("index.html".into(), bytes("new")),
                ("img.png".into(), missing),
            ],
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("no-such-file.png"));
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "good"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no staging folder left behind"
        );
    }

    #[test]
    fn stale_staging_folders_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".site.playbook-tmp-999999")).unwrap();
        write_site(
            &dir.path().join("site"),
            &crate::ownership::SITE,
            false,
            vec![("i.html".into(), bytes("x"))],
        )
        .unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// `--report /dev/stdout` or a process substitution: the pipe is written
    /// through and stays a pipe (renaming over `/dev/null` as root had
    /// replaced the device with a file).
    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_through_and_stays_a_pipe() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = crate::fs::tests::make_fifo(&dir.path().join("report.fifo"));
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        write_file_atomically(&fifo, b"{\"items\": 3}\n").unwrap();
        // Checked before waiting for the reader, which would wait forever
        // on a pipe replaced by a file.
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "still a pipe: {kind:?}");
        assert_eq!(reader.join().unwrap(), "{\"items\": 3}\n");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no staging file left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn through_a_link_the_file_is_replaced_and_the_link_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("reports/latest.json");
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("report.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_file_atomically(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");

        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink(dir.path().join("missing/x.json"), &dangling).unwrap();
        let err = write_file_atomically(&dangling, b"x").unwrap_err();
        assert!(
            format!("{err:#}").contains("a link to a file that does not exist"),
            "{err:#}"
        );
        let err = write_file_atomically(dir.path(), b"x").unwrap_err();
        assert!(format!("{err:#}").contains("it is a folder"), "{err:#}");
    }

    #[test]
    fn a_copy_onto_a_linked_file_never_writes_into_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let page = || ("a.html".to_string(), bytes("built page"));
        write_site(&out, &crate::ownership::SITE, false, vec![page()]).unwrap();
        let asset = dir.path().join("a.html");
        std::fs::write(&asset, "content file").unwrap();
        // The page is unchanged, so it is linked from the previous site;
        // the content file with the same output path must not go into it.
        let err = write_site(
            &out,
            &crate::ownership::SITE,
            false,
            vec![page(), ("a.html".into(), Output::Copy(asset))],
        )
        .unwrap_err();
        assert!(
            format!("{err:#}").contains("two outputs of this build would be written to a.html"),
            "{err:#}"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a.html")).unwrap(),
            "built page"
        );
    }

    #[test]
    fn every_output_carries_the_marker() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(
            &out,
            &crate::ownership::SITE,
            false,
            vec![("i.html".into(), bytes("x"))],
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join(".playbook-site")).unwrap(),
            crate::ownership::SITE.text
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_full_disk_or_quota_is_told_apart_from_other_errors() {
        use rustix::io::Errno;
        let error = |errno: Errno| {
            anyhow::Error::from(std::io::Error::from_raw_os_error(errno.raw_os_error()))
                .context("cannot write site/a.html")
        };
        assert!(is_disk_full(&error(Errno::NOSPC)));
        assert!(is_disk_full(&error(Errno::DQUOT)));
        assert!(!is_disk_full(&error(Errno::ACCESS)));
        assert!(!is_disk_full(&anyhow::anyhow!("no space left on device")));
    }

    #[test]
    fn both_exchanges_swap_two_folders_whole() {
        for exchange in [exchange, two_step_exchange] {
            let dir = tempfile::tempdir().unwrap();
            let (a, b) = (dir.path().join("a"), dir.path().join("b"));
            std::fs::create_dir_all(a.join("sub")).unwrap();
            std::fs::create_dir(&b).unwrap();
            std::fs::write(a.join("sub/new.txt"), "new").unwrap();
            std::fs::write(b.join("old.txt"), "old").unwrap();
            exchange(&a, &b).unwrap();
            assert_eq!(
                std::fs::read_to_string(b.join("sub/new.txt")).unwrap(),
                "new"
            );
            assert_eq!(std::fs::read_to_string(a.join("old.txt")).unwrap(), "old");
            assert!(!b.join("old.txt").exists() && !a.join("sub").exists());
            let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
            assert_eq!(left.len(), 2, "nothing set aside is left behind");
        }
    }
}
