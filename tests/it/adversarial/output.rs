//! Issue 12, points 1 to 3: an output folder is replaced only when playbook
//! wrote it, two builds into one output never publish an incomplete site,
//! and a failed build never changes a byte of the live one. Every `--out`
//! here is a temporary folder holding a sentinel that must survive.

use std::collections::BTreeMap;

use super::*;

const SENTINEL: &str = "my thesis, four years of work\n";

/// A folder that is not playbook's: a sentinel file and a `.git`.
fn precious(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(dir.join("thesis.tex"), SENTINEL).unwrap();
    tree(dir)
}

/// `run` (which has exited with 2, checked by its `Test`) refused to replace `shown`.
fn assert_refused(run: &Run, shown: &str) {
    assert!(
        run.stderr.starts_with(&format!("error: refusing to replace {shown}: the folder is not empty and was not written by `playbook ")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("(it holds .git/, thesis.tex; there is no .playbook-"),
        "names the entries: {}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("\nhelp: choose another --out, or remove the folder yourself\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn build_refuses_to_replace_a_folder_it_did_not_write() {
    let project = Project::empty().file("content/a.md", "# A\n");
    let outside = tempfile::tempdir().unwrap();
    let important = outside.path().join("important");
    let before = precious(&important);
    let shown = important.to_str().unwrap();
    // No flag overrides the rule.
    for extra in [&[][..], &["--allow-broken", "--drafts"][..]] {
        let mut args = vec!["build", "--out", shown];
        args.extend(extra);
        let run = project.test(&args).status(2).run();
        assert_refused(&run, shown);
        assert!(tree(&important) == before, "the folder changed");
        assert_eq!(
            listing(outside.path()),
            BTreeSet::from([
                "important".into(),
                "important/.git".into(),
                "important/.git/HEAD".into(),
                "important/thesis.tex".into()
            ]),
            "nothing was left beside it"
        );
    }
    // Relative to the project, as `--out ../important` would be.
    let inside = project.path("important");
    precious(&inside);
    let run = project
        .test(&["build", "--out", "important"])
        .status(2)
        .run();
    assert_refused(&run, "important");
    assert_eq!(project.read("important/thesis.tex"), SENTINEL);

    // A file (or a link) is not a folder to replace either.
    let project = project.file("notes.txt", SENTINEL);
    let run = project
        .test(&["build", "--out", "notes.txt"])
        .status(2)
        .run();
    assert_eq!(
        run.stderr,
        "error: refusing to replace notes.txt: it exists and is not a folder (a file or a symbolic link)\nhelp: choose another --out, or remove it yourself\n"
    );
    assert_eq!(project.read("notes.txt"), SENTINEL);
}

#[test]
fn build_replaces_an_empty_folder_and_a_site_it_wrote() {
    let project = Project::empty().file("content/a.md", "# A\n");
    std::fs::create_dir(project.path("empty")).unwrap();
    project.test(&["build", "--out", "empty"]).run();
    let marker = project.read("empty/.playbook-site");
    assert!(marker.contains("written by `playbook build`"), "{marker}");

    // Its own site is replaced, stale files and all; the marker stays the same.
    let project = project.file("empty/stale.html", "old page");
    project.test(&["build", "--out", "empty"]).run();
    assert!(!project.path("empty/stale.html").exists());
    assert_eq!(project.read("empty/.playbook-site"), marker);
    assert!(project.path("empty/a.html").exists());
    // Nothing is left beside it: no staging folder, no lock file.
    let names: Vec<String> = std::fs::read_dir(project.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(names, Vec::<String>::new());
}

fn reconcile_args(out: &str, extra: &[&str]) -> Vec<String> {
    let variants = common::fixtures_dir().join("variants");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&variants)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let mut args: Vec<String> = vec!["reconcile".into()];
    args.extend(names.iter().map(|p| p.to_string_lossy().into_owned()));
    args.extend(["--out".to_string(), out.to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn reconcile(project: &Project, out: &str, extra: &[&str]) -> Test {
    let args = reconcile_args(out, extra);
    project.test(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn reconcile_force_replaces_only_an_empty_folder_or_a_tree_it_wrote() {
    let project = Project::empty();
    let before = precious(&project.path("canon"));
    let run = reconcile(&project, "canon", &["--force"]).status(2).run();
    assert_refused(&run, "canon");
    assert!(project.tree("canon") == before, "the folder changed");

    std::fs::create_dir(project.path("empty")).unwrap();
    reconcile(&project, "empty", &["--force"]).run();
    assert!(project
        .read("empty/.playbook-reconcile")
        .contains("written by `playbook reconcile`"));
    let project = project.file("empty/stale.md", "# Stale\n");
    reconcile(&project, "empty", &["--force"]).run();
    assert!(!project.path("empty/stale.md").exists());

    // Merging onto itself keeps every file; what the merge would drop (a
    // hidden file) makes it refuse, unless the tree is reconcile's own.
    let project = project
        .file("base/notes.md", "# Notes\n")
        .file("base/.keep", "");
    let run = reconcile(&project, "base", &["--base", "base"])
        .status(2)
        .run();
    assert!(
        run.stderr
            .contains("(it holds .keep; there is no .playbook-reconcile file)"),
        "{}",
        run.stderr
    );
    assert_eq!(project.read("base/.keep"), "");
    std::fs::remove_file(project.path("base/.keep")).unwrap();
    reconcile(&project, "base", &["--base", "base"]).run();
    assert_eq!(project.read("base/notes.md"), "# Notes\n");
}

/// `pages` small pages, and the site they make, built once.
fn small_pages(pages: usize) -> Project {
    let mut project = Project::empty();
    for i in 0..pages {
        project = project.file(
            &format!("content/s{}/p{i}.md", i % 20),
            format!("# Page {i}\n\nSee [the next one](p{}.md).\n", i + 20),
        );
    }
    project
}

#[cfg(unix)]
#[test]
fn two_builds_into_one_output_take_turns_and_publish_complete_sites() {
    let pages = 3000;
    let project = small_pages(pages);
    let clock = Instant::now();
    project.test(&["build", "--allow-broken"]).run();
    eprintln!("first build of {pages} pages: {:?}", clock.elapsed());
    let expected = project.tree("site");
    assert!(expected.len() > pages);
    let complete = || {
        expected
            .keys()
            .all(|rel| project.path("site").join(rel).is_file())
    };

    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["build", "--allow-broken"])
            .current_dir(project.root())
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut waited = 0;
    for round in 0..4 {
        let mut first = spawn();
        let first_pid = first.id();
        // Start the second once the first is writing pages.
        let started = Instant::now();
        while !writing_pages(project.root()) && started.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(5));
        }
        let second = spawn();
        // Whenever one looks while they run, the site is complete.
        let mut looks = 0;
        while first.try_wait().unwrap().is_none() {
            assert!(
                complete(),
                "round {round}: an incomplete site was published"
            );
            looks += 1;
            std::thread::sleep(Duration::from_millis(20));
        }
        let first_status = first.wait_with_output().unwrap();
        assert!(
            complete(),
            "round {round}: the first build published an incomplete site"
        );
        let second = second.wait_with_output().unwrap();
        let first_err = String::from_utf8_lossy(&first_status.stderr);
        let second_err = String::from_utf8_lossy(&second.stderr);
        assert!(
            first_status.status.success(),
            "round {round}, first: {first_err}"
        );
        assert!(
            second.status.success(),
            "round {round}, second: {second_err}"
        );
        assert!(
            project.tree("site") == expected,
            "round {round}: the site is not the expected one"
        );
        if second_err.contains(&format!(
            "waiting for another build of site/ (pid {first_pid}) to finish"
        )) {
            waited += 1;
        }
        eprintln!(
            "round {round}: looked {looks} times; second said: {}",
            second_err.lines().next().unwrap_or("")
        );
    }
    assert!(waited >= 1, "the second build never said it was waiting");
    // No staging folder or lock is left (the previous sites' trash folders
    // may still be being removed in the background).
    let left: Vec<String> = staging_dirs(project.root())
        .into_iter()
        .filter(|d| !d.contains("-trash-"))
        .collect();
    assert_eq!(left, Vec::<String>::new());
}

/// Whether a build's staging folder beside `site/` holds a page folder yet.
fn writing_pages(root: &Path) -> bool {
    staging_dirs(root)
        .iter()
        .filter(|d| d.contains("-tmp-"))
        .any(|d| root.join(d).join("s0").is_dir())
}

#[test]
fn a_failed_build_never_writes_into_the_live_site() {
    let project = Project::empty().file("content/a.md", "# A\n");
    project.build();
    let before = project.tree("site");
    // `content/a.html` has the output path of `a.md`'s page, which is
    // unchanged and so linked from the live site into the new one; the
    // file named `theme` cannot be written where the theme folder is, so
    // the build fails after copying `a.html`.
    let project = project
        .file("content/a.html", "<p>injected into the live site</p>")
        .file("content/theme", "not a folder");
    let run = project.test(&["build"]).status(1).run();
    assert!(
        project.tree("site") == before,
        "the live site changed: {}",
        run.stderr
    );
    assert_eq!(staging_dirs(project.root()), Vec::<String>::new());
}
