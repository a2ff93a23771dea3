//! The project's one door to git, through `gix` (pure Rust: no libgit2, no
//! `git` process): the commit a build is at, the commits of a release
//! (`release-notes --since`), and each page's last commit date
//! (`last_updated: git`).
//!
//! Ranges are read the way `git log REV..HEAD` (and git-cliff) reads them:
//! every commit reachable from HEAD and not from REV, merged-in branches
//! included, so a feature merged from a branch is listed by its own commits.
//! Merge commits are returned too, marked, for the caller to set aside.
//!
//! Last-updated dates follow the first-parent history (the branch the site
//! is built from): a file's date is the committer date of the newest commit
//! on that line whose tree differs from its first parent's at that file, so
//! a merge dates what it brought in by when it landed. One walk serves every
//! file, and it stops once each file has its date. In a shallow clone the
//! oldest commit there stands for everything before it, as in `git log`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;
use gix::revision::walk::Sorting;
use gix::traverse::commit::simple::CommitTimeOrder;

use crate::error::Error;

/// One commit of a range, newest first as listed by [`commits_since`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The full hexadecimal id.
    pub id: String,
    pub author: String,
    /// The committer date, `YYYY-MM-DD` (UTC).
    pub date: String,
    /// The whole message, as written.
    pub message: String,
    /// More than one parent.
    pub merge: bool,
}

/// The repository holding `dir`, or `None` when `dir` is in none.
fn discover(dir: &Path) -> Result<Option<gix::Repository>, Error> {
    use gix::discover::upwards::Error as Upwards;
    match gix::discover(dir) {
        Ok(repo) => Ok(Some(repo)),
        Err(gix::discover::Error::Discover(
            Upwards::NoGitRepository { .. }
            | Upwards::NoGitRepositoryWithinCeiling { .. }
            | Upwards::NoGitRepositoryWithinFs { .. },
        )) => Ok(None),
        Err(err) => Err(Error::Io(anyhow::anyhow!(
            "cannot open the git repository at {}: {err}",
            dir.display()
        ))),
    }
}

/// Where a repository is, for messages: its work tree, else its git folder.
fn shown(repo: &gix::Repository) -> String {
    let dir = repo.workdir().unwrap_or_else(|| repo.git_dir());
    crate::fs::display(&std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()))
}

fn io(repo: &gix::Repository, what: &str, err: impl std::fmt::Display) -> Error {
    Error::Io(anyhow::anyhow!(
        "cannot read {what} in the git repository {}: {err}",
        shown(repo)
    ))
}

/// The full id of HEAD's commit; `None` outside a repository or before
/// its first commit.
pub fn head_commit(dir: &Path) -> Result<Option<String>, Error> {
    let Some(repo) = discover(dir)? else {
        return Ok(None);
    };
    let head = head_id(&repo)?;
    Ok(head.map(|id| id.to_string()))
}

fn head_id(repo: &gix::Repository) -> Result<Option<gix::ObjectId>, Error> {
    let mut head = repo.head().map_err(|e| io(repo, "HEAD", e))?;
    if head.is_unborn() {
        return Ok(None);
    }
    let id = head
        .try_peel_to_id()
        .map_err(|e| io(repo, "HEAD", e))?
        .map(|id| id.detach());
    Ok(id)
}

/// The commits reachable from HEAD and not from `since` (a tag, a branch or
/// a commit id, full or abbreviated), newest first.
pub fn commits_since(dir: &Path, since: &str) -> Result<Vec<Commit>, Error> {
    let Some(repo) = discover(dir)? else {
        return Err(Error::Usage(format!(
            "--since {since:?} needs a git repository, and {} is in none\nhelp: run playbook inside the repository (or pass --root), or leave out --since for an empty scaffold",
            crate::fs::display(dir)
        )));
    };
    let Some(head) = head_id(&repo)? else {
        return Err(Error::Usage(format!(
            "the git repository {} has no commits yet\nhelp: commit first, or leave out --since",
            shown(&repo)
        )));
    };
    let hidden = resolve(&repo, since)?;
    let walk = repo
        .rev_walk([head])
        .with_hidden([hidden])
        .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
        .all()
        .map_err(|e| io(&repo, "the history", e))?;
    let mut commits = Vec::new();
    for info in walk {
        let info = info.map_err(|e| io(&repo, "the history", e))?;
        let commit = info.object().map_err(|e| io(&repo, "a commit", e))?;
        commits.push(read_commit(&repo, &commit)?);
    }
    Ok(commits)
}

fn read_commit(repo: &gix::Repository, commit: &gix::Commit<'_>) -> Result<Commit, Error> {
    let id = commit.id.to_string();
    let bad = |e: &dyn std::fmt::Display| io(repo, &format!("commit {id}"), e);
    let author = commit
        .author()
        .map_err(|e| bad(&e))?
        .name
        .to_str_lossy()
        .into_owned();
    let time = commit.time().map_err(|e| bad(&e))?;
    let message = commit
        .message_raw()
        .map_err(|e| bad(&e))?
        .to_str_lossy()
        .into_owned();
    Ok(Commit {
        merge: commit.parent_ids().count() > 1,
        date: utc_date(time.seconds),
        id,
        author,
        message,
    })
}

/// `YYYY-MM-DD` of a Unix time, in UTC (so every machine says the same).
fn utc_date(seconds: i64) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(seconds)
        .map_or(time::Date::MIN, time::OffsetDateTime::date);
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The commit `rev` names: a tag (annotated or not), a branch, `HEAD`, a
/// full reference name, or a commit id of at least 4 hex digits.
fn resolve(repo: &gix::Repository, rev: &str) -> Result<gix::ObjectId, Error> {
    let id = match repo.try_find_reference(rev) {
        Ok(Some(mut reference)) => Some(
            reference
                .peel_to_id()
                .map_err(|e| io(repo, &format!("`{rev}`"), e))?
                .detach(),
        ),
        // A name git cannot hold (`a..b`, spaces) may still be an id below.
        Ok(None) | Err(_) => None,
    };
    let id = match id {
        Some(id) => id,
        None => match object_by_hex(repo, rev)? {
            Some(id) => id,
            None => return Err(unknown_revision(repo, rev)),
        },
    };
    let object = repo
        .find_object(id)
        .map_err(|e| io(repo, &format!("`{rev}`"), e))?;
    match object.peel_to_commit() {
        Ok(commit) => Ok(commit.id),
        Err(_) => Err(Error::Usage(format!(
            "`{rev}` in the git repository {} is not a commit\nhelp: pass --since a tag, a branch or a commit id",
            shown(repo)
        ))),
    }
}

/// The object a (possibly abbreviated) hex id names, if exactly one.
fn object_by_hex(repo: &gix::Repository, rev: &str) -> Result<Option<gix::ObjectId>, Error> {
    if rev.len() < 4 || !rev.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Ok(prefix) = gix::hash::Prefix::from_hex(&rev.to_ascii_lowercase()) else {
        return Ok(None);
    };
    match repo.objects.lookup_prefix(prefix, None) {
        Ok(Some(Ok(id))) => Ok(Some(id)),
        Ok(Some(Err(()))) => Err(Error::Usage(format!(
            "the commit id `{rev}` is ambiguous in the git repository {}\nhelp: give more of its hex digits",
            shown(repo)
        ))),
        Ok(None) => Ok(None),
        Err(err) => Err(io(repo, "the object database", err)),
    }
}

/// "unknown revision", with the tags nearest in spelling to what was asked.
fn unknown_revision(repo: &gix::Repository, rev: &str) -> Error {
    let tags = tag_names(repo);
    let help = if tags.is_empty() {
        "the repository has no tags; pass --since a branch or a commit id (`git log --oneline` lists them)".to_string()
    } else {
        let mut nearest: Vec<&String> = tags.iter().collect();
        nearest.sort_by(|a, b| {
            strsim::normalized_damerau_levenshtein(rev, b)
                .total_cmp(&strsim::normalized_damerau_levenshtein(rev, a))
                .then_with(|| a.cmp(b))
        });
        nearest.truncate(5);
        let list: Vec<String> = nearest.iter().map(|t| format!("`{t}`")).collect();
        format!(
            "the nearest tags are {}; pass --since a tag, a branch or a commit id",
            list.join(", ")
        )
    };
    let shallow = if repo.is_shallow() {
        "\nhelp: the repository is a shallow clone: fetch its history and tags (`git fetch --unshallow --tags`, or `fetch-depth: 0` for actions/checkout)"
    } else {
        ""
    };
    Error::Usage(format!(
        "unknown revision `{rev}` in the git repository {}\nhelp: {help}{shallow}",
        shown(repo)
    ))
}

fn tag_names(repo: &gix::Repository) -> BTreeSet<String> {
    let Ok(platform) = repo.references() else {
        return BTreeSet::new();
    };
    let Ok(tags) = platform.tags() else {
        return BTreeSet::new();
    };
    tags.filter_map(Result::ok)
        .map(|r| r.name().shorten().to_str_lossy().into_owned())
        .collect()
}

/// The last commit date (`YYYY-MM-DD`, UTC) of each of `files` (paths
/// relative to `dir`, `/`-separated) that a commit on HEAD's first-parent
/// line touched. Files outside a repository, or never committed, are absent.
pub fn last_commit_dates(
    dir: &Path,
    files: &BTreeSet<String>,
) -> Result<BTreeMap<String, String>, Error> {
    let mut dates = BTreeMap::new();
    let Some(mut repo) = discover(dir)? else {
        return Ok(dates);
    };
    // Trees are read again and again (each commit's and its parent's).
    repo.object_cache_size_if_unset(16 * 1024 * 1024);
    let (Some(head), Some(prefix)) = (head_id(&repo)?, prefix_in(&repo, dir)) else {
        return Ok(dates);
    };
    // A shallow clone (CI's usual checkout) ends at commits whose parents
    // it lacks: those are taken as roots, as `git log` takes them.
    let shallow: Vec<gix::ObjectId> = repo
        .shallow_commits()
        .map_err(|e| io(&repo, "the shallow file", e))?
        .map(|commits| commits.iter().copied().collect())
        .unwrap_or_default();
    let mut wanted: BTreeSet<&str> = files.iter().map(String::as_str).collect();
    let mut state = gix::diff::tree::State::default();
    let mut commit = repo.find_commit(head).map_err(|e| io(&repo, "HEAD", e))?;
    let mut tree = subtree(&repo, &commit, &prefix)?;
    while !wanted.is_empty() {
        let parent = match commit.parent_ids().next() {
            Some(id) if !shallow.contains(&commit.id) => Some(
                repo.find_commit(id)
                    .map_err(|e| io(&repo, "the history", e))?,
            ),
            _ => None,
        };
        let before = match &parent {
            Some(parent) => subtree(&repo, parent, &prefix)?,
            None => None,
        };
        if tree != before {
            let seconds = commit.time().map_err(|e| io(&repo, "a commit", e))?.seconds;
            let date = utc_date(seconds);
            for path in changed(&repo, before, tree, &mut state)? {
                if wanted.remove(path.as_str()) {
                    dates.insert(path, date.clone());
                }
            }
        }
        let Some(parent) = parent else { break };
        commit = parent;
        tree = before;
    }
    Ok(dates)
}

/// `dir` relative to the repository's work tree, `/`-separated and ending
/// in `/` (empty at the top); `None` for a bare repository or a folder
/// outside the work tree.
fn prefix_in(repo: &gix::Repository, dir: &Path) -> Option<String> {
    let workdir = std::fs::canonicalize(repo.workdir()?).ok()?;
    let dir: PathBuf = std::fs::canonicalize(dir).ok()?;
    let rel = dir.strip_prefix(&workdir).ok()?;
    let mut prefix = String::new();
    for part in rel.components() {
        prefix.push_str(part.as_os_str().to_str()?);
        prefix.push('/');
    }
    Some(prefix)
}

/// The id of the tree at `prefix` in `commit` (`None`: no such folder in it).
fn subtree(
    repo: &gix::Repository,
    commit: &gix::Commit<'_>,
    prefix: &str,
) -> Result<Option<gix::ObjectId>, Error> {
    let bad = |e: &dyn std::fmt::Display| io(repo, &format!("commit {}", commit.id), e);
    let tree = commit.tree().map_err(|e| bad(&e))?;
    if prefix.is_empty() {
        return Ok(Some(tree.id));
    }
    let entry = tree
        .lookup_entry_by_path(prefix.trim_end_matches('/'))
        .map_err(|e| bad(&e))?;
    Ok(entry.filter(|e| e.mode().is_tree()).map(|e| e.object_id()))
}

/// The paths of the files that differ between two trees.
fn changed(
    repo: &gix::Repository,
    before: Option<gix::ObjectId>,
    after: Option<gix::ObjectId>,
    state: &mut gix::diff::tree::State,
) -> Result<Vec<String>, Error> {
    let data = |id: Option<gix::ObjectId>| -> Result<Vec<u8>, Error> {
        match id {
            Some(id) => Ok(repo
                .find_tree(id)
                .map_err(|e| io(repo, "a tree", e))?
                .detach()
                .data),
            None => Ok(Vec::new()),
        }
    };
    let (lhs, rhs) = (data(before)?, data(after)?);
    let mut recorder = gix::diff::tree::Recorder::default();
    gix::diff::tree(
        gix::objs::TreeRefIter::from_bytes(&lhs, repo.object_hash()),
        gix::objs::TreeRefIter::from_bytes(&rhs, repo.object_hash()),
        state,
        &repo.objects,
        &mut recorder,
    )
    .map_err(|e| io(repo, "a tree", e))?;
    use gix::diff::tree::recorder::Change;
    Ok(recorder
        .records
        .into_iter()
        .filter_map(|change| match change {
            Change::Addition {
                entry_mode, path, ..
            }
            | Change::Modification {
                entry_mode, path, ..
            } if !entry_mode.is_tree() => Some(path.to_str_lossy().into_owned()),
            _ => None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_796_083_199), "2026-11-30");
        assert_eq!(utc_date(1_796_083_200), "2026-12-01");
    }

    #[test]
    fn outside_a_repository_there_is_no_head() {
        let dir = tempfile::tempdir().unwrap();
        // A ceiling keeps discovery from climbing into a repository above /tmp.
        let repo = gix::discover::upwards(dir.path());
        if repo.is_err() {
            assert_eq!(head_commit(dir.path()).unwrap(), None);
            assert!(
                last_commit_dates(dir.path(), &BTreeSet::from(["a.md".into()]))
                    .unwrap()
                    .is_empty()
            );
        }
    }
}
