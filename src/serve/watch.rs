//! Watching the project for changes: the content, `templates/`, `themes/`
//! and `playbook.yaml`, never the output folder or hidden files (`.git`,
//! `.playbook`, an editor's swap files).
//!
//! Events are debounced, so the burst an editor makes when it saves (write a
//! temporary file, rename it over the page, change its mode) is one rebuild.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use anyhow::Context;
use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use super::Event;
use crate::config::{Paths, CONFIG_FILE};

/// How old a change must be before it starts a rebuild, and how often that
/// is looked at. An editor's save (write a temporary file, rename it over
/// the page, chmod) takes a few milliseconds, so by the time its first event
/// is this old the files are complete and one build sees them all. It is part
/// of every edit's time to reload, so it is no longer than that needs.
const DEBOUNCE: Duration = Duration::from_millis(40);
const TICK: Duration = Duration::from_millis(10);

/// What the rebuild thread receives.
pub(super) enum Message {
    Fs(DebounceEventResult),
    /// The server is stopping.
    Stop,
}

/// What changed since the last build.
#[derive(Debug, Default)]
pub(super) struct Changed {
    /// Files that changed, as absolute paths.
    pub paths: BTreeSet<PathBuf>,
    /// Some change is not known by path (the watcher lost events).
    pub unknown: bool,
}

impl Changed {
    /// Whether anything changed that can change the site.
    pub(super) fn any(&self) -> bool {
        self.unknown || !self.paths.is_empty()
    }

    /// The changed files, when they are all known.
    pub(super) fn paths(self) -> Option<Vec<PathBuf>> {
        (!self.unknown).then(|| self.paths.into_iter().collect())
    }
}

/// Where the watched things are, as absolute paths (events are reported
/// against the paths watched).
#[derive(Debug, Clone)]
pub(super) struct Layout {
    root: PathBuf,
    content: PathBuf,
    templates: PathBuf,
    themes: PathBuf,
    config_file: PathBuf,
    out: PathBuf,
}

impl Layout {
    /// The same folders `Config::new` uses, whether or not they exist yet.
    pub(super) fn new(paths: &Paths) -> Layout {
        let root = absolute(&paths.root);
        let content = paths
            .content
            .as_deref()
            .map_or_else(|| root.join("content"), absolute);
        Layout {
            content,
            templates: root.join("templates"),
            themes: root.join("themes"),
            config_file: root.join(CONFIG_FILE),
            out: paths
                .out
                .as_deref()
                .map_or_else(|| root.join("site"), absolute),
            root,
        }
    }

    /// The folders watched recursively (when they exist).
    fn trees(&self) -> [&Path; 3] {
        [&self.content, &self.templates, &self.themes]
    }

    /// Whether a change to `path` can change the site.
    fn is_relevant(&self, path: &Path) -> bool {
        if path.starts_with(&self.out) {
            return false;
        }
        for tree in self.trees() {
            if let Ok(rel) = path.strip_prefix(tree) {
                return !rel.components().any(is_hidden) && !is_backup(path);
            }
        }
        path == self.config_file
    }
}

fn is_hidden(component: Component) -> bool {
    matches!(component, Component::Normal(name) if name.to_string_lossy().starts_with('.'))
}

/// `page.md~`, as some editors leave beside the file they save.
fn is_backup(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with('~'))
}

/// Whether an event can mean different contents: not a file being opened
/// or read (which the build itself does).
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// An absolute path with symlinks resolved where it exists, as the watcher
/// reports it.
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}

/// The debounced watcher, and which of the layout's folders it watches.
pub(super) struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    layout: Layout,
    watched: BTreeSet<PathBuf>,
    /// Folders that were removed or created since the last refresh: their
    /// watches are made anew.
    renewed: BTreeSet<PathBuf>,
    stopped: bool,
}

impl Watcher {
    /// Start watching; events go to `events` as [`Message::Fs`].
    pub(super) fn start(layout: Layout, events: Sender<Message>) -> anyhow::Result<Watcher> {
        let mut debouncer = new_debouncer(DEBOUNCE, Some(TICK), move |result| {
            let _ = events.send(Message::Fs(result));
        })
        .context("cannot start the file watcher")?;
        // The root itself, for playbook.yaml and for templates/ or themes/
        // appearing later. (When the root is the content folder, the
        // recursive watch below covers it.)
        if layout.root != layout.content {
            debouncer
                .watch(&layout.root, RecursiveMode::NonRecursive)
                .with_context(|| format!("cannot watch {}", layout.root.display()))?;
        }
        let mut watcher = Watcher {
            debouncer,
            layout,
            watched: BTreeSet::new(),
            renewed: BTreeSet::new(),
            stopped: false,
        };
        watcher.refresh();
        if !watcher.watched.contains(&watcher.layout.content) {
            anyhow::bail!(
                "cannot watch the content folder {}",
                watcher.layout.content.display()
            );
        }
        Ok(watcher)
    }

    /// Add what `message` says changed (only what can change the site) to
    /// `changed`.
    pub(super) fn collect(
        &mut self,
        message: Message,
        report: &dyn Fn(Event),
        changed: &mut Changed,
    ) {
        match message {
            Message::Stop => self.stopped = true,
            Message::Fs(Err(errors)) => {
                for err in errors {
                    report(Event::WatchError(&err.to_string()));
                }
                // Something may have been missed: build everything to be sure.
                changed.unknown = true;
            }
            Message::Fs(Ok(events)) => {
                for event in events.iter().filter(|e| changes_files(&e.kind)) {
                    if event.need_rescan() {
                        changed.unknown = true;
                    }
                    for path in &event.paths {
                        if self.layout.trees().contains(&path.as_path()) {
                            self.renewed.insert(path.clone());
                            changed.unknown = true;
                        }
                        if self.layout.is_relevant(path) {
                            changed.paths.insert(path.clone());
                        }
                    }
                }
            }
        }
    }

    pub(super) fn stopped(&self) -> bool {
        self.stopped
    }

    /// Watch the folders that exist now (templates/ made after the server
    /// started, a content folder deleted and made again) and stop watching
    /// those that are gone.
    pub(super) fn refresh(&mut self) {
        let trees: Vec<PathBuf> = self
            .layout
            .trees()
            .iter()
            .map(|p| p.to_path_buf())
            .collect();
        for tree in trees {
            let renew = self.renewed.remove(&tree);
            let watched = self.watched.contains(&tree);
            if watched && (renew || !tree.is_dir()) {
                let _ = self.debouncer.unwatch(&tree);
                self.watched.remove(&tree);
            }
            if !self.watched.contains(&tree)
                && tree.is_dir()
                && self
                    .debouncer
                    .watch(&tree, RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.insert(tree);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout {
            root: "/p".into(),
            content: "/p/content".into(),
            templates: "/p/templates".into(),
            themes: "/p/themes".into(),
            config_file: "/p/playbook.yaml".into(),
            out: "/p/site".into(),
        }
    }

    #[test]
    fn what_is_watched() {
        let cases = [
            ("/p/content/a.md", true),
            ("/p/content/guide/b.md", true),
            ("/p/content/guide", true),
            ("/p/content/img/logo.png", true),
            ("/p/templates/page.html", true),
            ("/p/themes/default/style.css", true),
            ("/p/playbook.yaml", true),
            ("/p/content/.a.md.swp", false),
            ("/p/content/.git/index", false),
            ("/p/content/guide/a.md~", false),
            ("/p/.playbook/external-links.json", false),
            ("/p/site/index.html", false),
            ("/p/README.md", false),
            ("/p/target/debug/playbook", false),
            ("/p/.git/HEAD", false),
        ];
        for (path, relevant) in cases {
            assert_eq!(layout().is_relevant(Path::new(path)), relevant, "{path}");
        }
    }

    #[test]
    fn reading_is_not_a_change() {
        use notify_debouncer_full::notify::event::{CreateKind, ModifyKind};
        assert!(!changes_files(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_files(&EventKind::Modify(ModifyKind::Any)));
        assert!(changes_files(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn the_output_is_ignored_even_inside_the_content() {
        let mut layout = layout();
        layout.content = "/p".into();
        assert!(layout.is_relevant(Path::new("/p/a.md")));
        assert!(!layout.is_relevant(Path::new("/p/site/a.html")));
        assert!(!layout.is_relevant(Path::new("/p/.git/config")));
    }
}
