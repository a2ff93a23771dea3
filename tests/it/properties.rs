//! Property tests (issue #8): reconcile loses nothing whatever the copies
//! look like, heading ids are unique and stable, and a build does not depend
//! on the order files were created (and so walked) in.
//!
//! Case counts are kept low so the file runs in well under a minute in a
//! debug build; `PROPTEST_CASES=N` raises them all for a longer run.

use crate::common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use common::{fixtures_dir, Project};
use playbook::reconcile::{self, repair, report, text, variant, Input};
use playbook::slug::{slugify, UniqueIds};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(cases),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// (i) Reconcile loses nothing.

/// The five real copies of the guide, as text.
fn seeds() -> Vec<(String, String)> {
    let dir = fixtures_dir().join("variants");
    let mut seeds: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("variants dir")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            let name = p.file_stem().expect("name").to_string_lossy().into_owned();
            let bytes = std::fs::read(&p).expect("read seed");
            (name, repair::decode(&bytes).text)
        })
        .collect();
    seeds.sort();
    seeds
}

/// A copy cut into its title block and its `## ` sections, each a list of
/// blocks; a block is a top-level list item with its nested lines, or any
/// other run of lines.
struct Shape {
    head: Vec<String>,
    sections: Vec<(String, Vec<Vec<String>>)>,
}

fn shape(text: &str) -> Shape {
    let mut head = Vec::new();
    let mut sections: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let fence = line.trim_start().starts_with("```");
        if !in_fence && line.starts_with("## ") {
            sections.push((line.to_string(), Vec::new()));
        } else if let Some((_, blocks)) = sections.last_mut() {
            let starts_item = !in_fence && (line.starts_with("- ") || line.starts_with("* "));
            match blocks.last_mut() {
                Some(block) if !starts_item && (in_fence || !line.is_empty()) => {
                    block.push(line.to_string())
                }
                _ => blocks.push(vec![line.to_string()]),
            }
        } else {
            head.push(line.to_string());
        }
        if fence {
            in_fence = !in_fence;
        }
    }
    Shape { head, sections }
}

/// How one copy is changed before it is given to reconcile.
#[derive(Debug, Clone)]
struct Change {
    /// Which seed.
    seed: usize,
    /// Permutation keys: sections, and list items within each section.
    section_order: Vec<u32>,
    item_order: Vec<u32>,
    /// Per item: 0 as is, 1 case flipped, 2 spaces doubled, 3 trailing
    /// period, 4 `and` ↔ `&`, 5 owner added, 6 a status mark after it
    /// (`✅`), 7 an owner tag before it (`[QA/Test Engineer]`).
    rewording: Vec<u8>,
    /// 0 UTF-8, 1 Windows-1252 mojibake, 2 Mac Roman mojibake, 3 BOM + CRLF,
    /// 4 raw Windows-1252 bytes, 5 UTF-16 LE with BOM, 6 UTF-16 BE with BOM,
    /// 7 UTF-16 LE without a BOM.
    encoding: u8,
    /// How lists are written: 0 `- `, 1 `* `, 2 `+ `, 3 `1. `, 4 `1) `,
    /// 5 a table of steps, 6 every other item nested under the one before,
    /// 7 boxes a word processor pastes (`- ☐ `), 8 quoted (`> - `), 9
    /// bullet glyphs as a document saved as text has them (`•\t`), 10 every
    /// step in bold.
    list_form: u8,
    /// How `## ` headings are written: 0 as is, 1 in bold, 2 with a
    /// trailing colon, 3 numbered (`Step 3: `).
    heading_form: u8,
}

fn change() -> impl Strategy<Value = Change> {
    (
        0..5usize,
        prop::collection::vec(any::<u32>(), 12),
        prop::collection::vec(any::<u32>(), 40),
        prop::collection::vec(0..8u8, 80),
        0..8u8,
        0..11u8,
        0..4u8,
    )
        .prop_map(
            |(seed, section_order, item_order, rewording, encoding, list_form, heading_form)| {
                Change {
                    seed,
                    section_order,
                    item_order,
                    rewording,
                    encoding,
                    list_form,
                    heading_form,
                }
            },
        )
}

const ROLES: [&str; 4] = [
    "**SRE/DevOps**",
    "**QA/Test Engineer**",
    "**Project Manager**",
    "**Security Lead**",
];

fn reword(item: &str, how: u8, n: usize) -> String {
    let Some(rest) = item.strip_prefix("- ") else {
        return item.to_string();
    };
    let (task, rest) = match rest.strip_prefix("[ ] ") {
        Some(rest) => ("[ ] ", rest),
        None => ("", rest),
    };
    let changed = match how {
        1 => {
            let mut chars = rest.chars();
            match chars.next() {
                Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => String::new(),
            }
        }
        2 => rest.replace(' ', "  "),
        3 if !rest.ends_with(['.', ':']) => format!("{rest}."),
        4 if rest.contains(" and ") => rest.replacen(" and ", " & ", 1),
        4 => rest.replacen(" & ", " and ", 1),
        5 if !rest.contains("**") && !rest.is_empty() => {
            format!("{rest} — {}", ROLES[n % ROLES.len()])
        }
        6 if !task.is_empty() && !rest.is_empty() => format!("{rest} ✅"),
        7 if !task.is_empty() && !rest.is_empty() && !rest.starts_with('[') => {
            format!("[{}] {rest}", ROLES[n % ROLES.len()].trim_matches('*'))
        }
        _ => rest.to_string(),
    };
    format!("- {task}{changed}")
}

fn apply(seeds: &[(String, String)], change: &Change) -> Vec<u8> {
    let mut shape = shape(&seeds[change.seed].1);
    let mut keys = change.section_order.iter().cycle();
    let mut keyed: Vec<_> = shape
        .sections
        .drain(..)
        .map(|s| (keys.next().copied().unwrap_or(0), s))
        .collect();
    keyed.sort_by_key(|(k, _)| *k);
    let mut item_keys = change.item_order.iter().cycle();
    let mut rewording = change.rewording.iter().cycle();
    let mut lines = shape.head;
    for (n, (_, (heading, mut blocks))) in keyed.into_iter().enumerate() {
        // Shuffle list items among themselves, other blocks stay in place.
        let slots: Vec<usize> = (0..blocks.len())
            .filter(|&i| blocks[i][0].starts_with("- "))
            .collect();
        let mut items: Vec<(u32, Vec<String>)> = slots
            .iter()
            .map(|&i| (item_keys.next().copied().unwrap_or(0), blocks[i].clone()))
            .collect();
        items.sort_by_key(|(k, _)| *k);
        for (&slot, (_, mut item)) in slots.iter().zip(items) {
            let how = rewording.next().copied().unwrap_or(0);
            // Windows-1252 has no ✅: an editor saving it so writes no status mark.
            let how = if change.encoding == 4 && how == 6 {
                0
            } else {
                how
            };
            item[0] = reword(&item[0], how, n + slot);
            blocks[slot] = item;
        }
        if !heading.to_lowercase().contains("release note") {
            relist(&mut blocks, &slots, change.list_form);
        }
        lines.push(String::new());
        lines.push(reheading(&heading, change.heading_form, n));
        lines.extend(blocks.into_iter().flatten());
    }
    let text = lines.join("\n") + "\n";
    match change.encoding {
        1 => mojibake(&text, encoding_rs::WINDOWS_1252),
        2 => mojibake(&text, encoding_rs::MACINTOSH),
        3 => {
            let mut bytes = b"\xEF\xBB\xBF".to_vec();
            bytes.extend(text.replace('\n', "\r\n").into_bytes());
            bytes
        }
        4 => encoding_rs::WINDOWS_1252.encode(&text).0.into_owned(),
        5 => utf16(&text, u16::to_le_bytes, [0xFF, 0xFE]),
        6 => utf16(&text, u16::to_be_bytes, [0xFE, 0xFF]),
        7 => utf16(&text, u16::to_le_bytes, [0xFF, 0xFE])[2..].to_vec(),
        _ => text.into_bytes(),
    }
}

/// A `## ` heading as another team decorates it.
fn reheading(heading: &str, form: u8, n: usize) -> String {
    let Some(text) = heading.strip_prefix("## ") else {
        return heading.to_string();
    };
    match form {
        1 if !text.contains('*') => format!("## **{text}**"),
        2 if !text.ends_with(':') => format!("## {text}:"),
        3 => format!("## Step {}: {text}", n + 1),
        _ => heading.to_string(),
    }
}

/// What Notepad's "Unicode" (LE) or "Unicode big endian" writes.
fn utf16(text: &str, order: fn(u16) -> [u8; 2], bom: [u8; 2]) -> Vec<u8> {
    let mut bytes = bom.to_vec();
    bytes.extend(text.encode_utf16().flat_map(order));
    bytes
}

/// Rewrite a section's list items (the blocks at `slots`) in another list form.
fn relist(blocks: &mut [Vec<String>], slots: &[usize], form: u8) {
    let marker = |n: usize| match form {
        1 => "* ".to_string(),
        2 => "+ ".to_string(),
        3 => format!("{}. ", n + 1),
        4 => format!("{}) ", n + 1),
        _ => "- ".to_string(),
    };
    let flat = slots.iter().all(|&i| blocks[i].len() == 1);
    if form == 5 && flat && !slots.is_empty() {
        // One table in place of the first item; the other item blocks empty.
        let mut table = vec![
            String::new(),
            "| Step | Owner |".to_string(),
            "|------|-------|".to_string(),
        ];
        for &i in slots {
            let item = blocks[i][0]
                .trim_start_matches("- ")
                .trim_start_matches("[ ] ");
            let (step, owner) = item.rsplit_once(" — ").unwrap_or((item, ""));
            table.push(format!(
                "| {} | {} |",
                step.replace('|', "\\|"),
                owner.replace('|', "\\|")
            ));
            blocks[i].clear();
        }
        table.push(String::new());
        blocks[slots[0]] = table;
        return;
    }
    for (n, &i) in slots.iter().enumerate() {
        let block = &mut blocks[i];
        if let Some(rest) = block[0].strip_prefix("- ") {
            block[0] = match form {
                7 => format!("- {}", rest.replacen("[ ] ", "☐ ", 1)),
                8 => format!("> - {rest}"),
                9 if flat => format!("•\t{rest}"),
                10 => format!("- **{}**", rest.trim()).replacen("**[ ] ", "[ ] **", 1),
                _ => format!("{}{rest}", marker(n)),
            };
            if form == 8 {
                for line in &mut block[1..] {
                    *line = format!("> {line}");
                }
            }
        }
        if form == 6 && n % 2 == 1 && block.len() == 1 && blocks_before_is_item(n, slots, i) {
            blocks[i][0] = format!("  {}", blocks[i][0]);
        }
    }
}

/// Whether the item before slot `n` directly precedes block `i` (so
/// indenting `i` nests it under that item).
fn blocks_before_is_item(n: usize, slots: &[usize], i: usize) -> bool {
    n > 0 && slots[n - 1] + 1 == i
}

/// UTF-8 read as `encoding` and saved as UTF-8 again.
fn mojibake(text: &str, encoding: &'static encoding_rs::Encoding) -> Vec<u8> {
    let (decoded, _) = encoding.decode_without_bom_handling(text.as_bytes());
    decoded.into_owned().into_bytes()
}

/// Lowercase letters and digits only, `&` read as `and`: what survives any
/// rewording the output may do (YAML quoting, Markdown escapes, whitespace),
/// and the wordings the merge treats as one.
fn squash(text: &str) -> String {
    text.replace('&', " and ")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn reconcile_loses_nothing(changes in prop::collection::vec(change(), 1..5)) {
        let seeds = seeds();
        let inputs: Vec<Input> = changes
            .iter()
            .enumerate()
            .map(|(i, change)| Input {
                path: format!("copies/copy-{i}.md"),
                bytes: apply(&seeds, change),
            })
            .collect();
        if let Ok(dir) = std::env::var("PROPERTIES_DUMP") {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("dump dir");
            for input in &inputs {
                std::fs::write(std::path::Path::new(&dir).join(input.path.trim_start_matches("copies/")), &input.bytes).expect("dump");
            }
        }
        let outcome = match reconcile::reconcile(&inputs) {
            Ok(outcome) => outcome,
            Err(problems) => return Err(TestCaseError::fail(format!("{problems:?}"))),
        };
        prop_assert!(outcome.report.lost.is_empty(), "lost: {:?}", outcome.report.lost);

        // Independently of the report: every item of every copy (as
        // reconcile read it) is in the output, or merged into one that is.
        let output = squash(&outcome.files.values().cloned().collect::<String>());
        let merged: HashMap<String, String> = outcome
            .report
            .merges
            .iter()
            .map(|m| (squash(&text::analyse_item(&m.merged).text), squash(&text::analyse_item(&m.kept).text)))
            .collect();
        let output_lines: Vec<&str> = outcome
            .files
            .values()
            .flat_map(|f| f.lines())
            .map(|l| l.trim_start().trim_start_matches("- ").trim_start_matches("text: "))
            .collect();
        let mut items_in = 0;
        for input in &inputs {
            let decoded = repair::decode(&input.bytes);
            let copy = variant::parse("copy", &decoded.text);
            items_in += report::variant_item_texts(&copy).len();
            for item in items_outside_release_notes(&copy) {
                // An owner tag ("[QA] …") that names a role leaves the text.
                let item = match text::owner_tag(&item) {
                    Some((_, rest)) if !output.contains(&squash(&item)) => rest,
                    _ => item,
                };
                let core = squash(&text::analyse_item(&item).text);
                let kept = merged.get(&core).is_some_and(|k| output.contains(k.as_str()));
                // An item that says what an earlier checklist's item says is
                // kept as a `ref` to it, under its own id.
                let referred = output.contains(&format!("id{}ref", squash(&text::item_id(&item))));
                // Nested items merge without a report entry: the output must
                // hold a wording the merge counts as the same item.
                let equivalent = || output_lines.iter().any(|line| text::same_item(line, &item));
                prop_assert!(
                    output.contains(&core) || kept || referred || equivalent(),
                    "item {item:?} of {} is not in the output; merges: {:?}",
                    input.path,
                    outcome.report.merges.iter().filter(|m| squash(&m.merged).starts_with(&core[..core.len().min(12)])).map(|m| (&m.kept, &m.merged)).collect::<Vec<_>>()
                );
            }
        }
        prop_assert_eq!(outcome.report.items_in, items_in);
    }
}

/// Every list item of a copy, nested ones included, except those of its
/// release-note template: those fields become `release-notes.yaml`'s title
/// and prompts, reworded (the report still accounts for them).
fn items_outside_release_notes(copy: &variant::Variant) -> Vec<String> {
    fn list(items: &variant::List, out: &mut Vec<String>) {
        for item in &items.items {
            out.push(item.text.clone());
            if let Some(children) = &item.children {
                list(children, out);
            }
        }
    }
    fn blocks(blocks: &[variant::Block], out: &mut Vec<String>) {
        for block in blocks {
            if let variant::Block::List(l) = block {
                list(l, out);
            }
        }
    }
    fn section(s: &variant::Section, out: &mut Vec<String>) {
        if s.heading.to_lowercase().contains("release note") {
            return;
        }
        blocks(&s.blocks, out);
        for child in &s.children {
            section(child, out);
        }
    }
    let mut out = Vec::new();
    blocks(&copy.preamble, &mut out);
    for s in &copy.sections {
        section(s, &mut out);
    }
    out
}

// ---------------------------------------------------------------------------
// (ii) Heading ids: unique within a page, stable, GitHub's `-1`, `-2`.

/// Heading texts with many collisions, GitHub's suffixes included.
fn heading_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Deploy".to_string()),
        Just("deploy".to_string()),
        Just("Deploy!".to_string()),
        Just("Deploy 1".to_string()),
        Just("Deploy-1".to_string()),
        Just("Roll back".to_string()),
        Just("Ünïcode 日本".to_string()),
        "[A-Za-z0-9 _.!?-]{0,12}",
    ]
}

proptest! {
    #![proptest_config(config(256))]

    /// The id handed out for each heading is unique; the k-th repeat of a
    /// base that nothing else collides with is `base-k`.
    #[test]
    fn unique_ids_are_unique_and_numbered(bases in prop::collection::vec("(a|b|c-d)", 0..30)) {
        let mut ids = UniqueIds::default();
        let mut seen = BTreeSet::new();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for base in &bases {
            let id = ids.unique(base);
            prop_assert!(seen.insert(id.clone()), "{id} handed out twice");
            let count = counts.entry(base.clone()).or_insert(0);
            let expected = if *count == 0 { base.clone() } else { format!("{base}-{count}") };
            prop_assert_eq!(id, expected);
            *count += 1;
        }
    }

    /// Whatever the headings (explicit `{#id}`s included), every id on a
    /// parsed page is unique, and parsing again gives the same ids.
    #[test]
    fn page_heading_ids_are_unique_and_stable(
        headings in prop::collection::vec((1..4usize, heading_text(), prop::option::of("[a-z]{1,3}(-1)?")), 0..20)
    ) {
        let mut body = String::new();
        for (level, text, explicit) in &headings {
            body.push_str(&"#".repeat(*level));
            body.push(' ');
            body.push_str(text);
            if let Some(id) = explicit {
                body.push_str(&format!(" {{#{id}}}"));
            }
            body.push_str("\n\nText.\n\n");
        }
        let parse = || {
            let paths = ["p.md".to_string()];
            let routes = playbook::routes::Routes::new(paths.iter());
            let embeds = playbook::embed::Embeds::default();
            let context = playbook::markdown::ParseContext { routes: &routes, embeds: &embeds, output: playbook::markdown::Output::Model, trusted_html: false, max_nesting: 100, guide: None };
            let page = playbook::markdown::PageRef { source_path: "p.md", url: "p.html", body_start: 0, file_text: &body };
            playbook::markdown::parse(&page, &context, &body)
        };
        let doc = parse();
        let generated: Vec<&str> = doc.headings.iter().map(|h| h.id.as_str()).collect();
        let explicit: usize = headings.iter().filter(|h| h.2.is_some()).count();
        let unique: BTreeSet<&str> = generated.iter().copied().collect();
        // Duplicate explicit ids are reported by `check`; generated ones never collide.
        prop_assert!(unique.len() + explicit >= generated.len(), "{generated:?}");
        if explicit == 0 {
            prop_assert_eq!(unique.len(), generated.len(), "{:?}", generated);
        }
        let again = parse();
        let ids_again: Vec<&str> = again.headings.iter().map(|h| h.id.as_str()).collect();
        prop_assert_eq!(generated, ids_again);
        prop_assert_eq!(&doc.ids, &again.ids);
    }

    /// A slug is made of lowercase letters, digits, `-` and `_`; slugging
    /// it again changes nothing, and the same text always gives the same slug.
    #[test]
    fn slugs_are_stable_and_idempotent(text in "[a-zA-Z0-9 _.,:!?()'\"éÉßçÇøØ日本語ΣσΩ🚀-]{0,40}") {
        let slug = slugify(&text);
        prop_assert_eq!(&slug, &slugify(&text));
        prop_assert!(!slug.contains(' '));
        prop_assert!(slug.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_'), "{}", slug);
        prop_assert!(!slug.chars().any(char::is_uppercase), "{}", slug);
        prop_assert_eq!(slugify(&slug), slug.clone());
    }
}

// ---------------------------------------------------------------------------
// (iii) A build does not depend on the order files are walked in.

/// Pages, checklists and roles that link and refer to each other.
fn content_files() -> Vec<(String, String)> {
    let mut files = vec![
        ("content/README.md".to_string(), "# Home\n\nStart with [setup](guide/setup.md) and the [checklist](release/checklist.md#before).\n".to_string()),
        ("content/roles.yaml".to_string(), "roles:\n  - id: sre\n    name: SRE\n    summary: Runs production\n  - id: qa\n    name: QA\n    summary: Tests releases\n".to_string()),
        ("content/checklists/deploy.yaml".to_string(), "id: deploy\ntitle: Deploy\ngroups:\n  - id: before\n    title: Before\n    items:\n      - id: backup\n        text: Take a backup\n        owners: [sre]\n      - id: smoke\n        text: Run the [smoke tests](../guide/setup.md#smoke-tests)\n        owners: [qa]\n".to_string()),
        ("content/release/checklist.md".to_string(), "---\ntitle: Release checklist\nweight: 1\n---\n# Release checklist\n\n## Before\n\n[Deploy checklist](../checklists/deploy.yaml)\n".to_string()),
    ];
    for (folder, names) in [
        ("guide", ["setup", "deploy", "rollback", "README"]),
        ("ops", ["monitor", "alerts", "oncall", "escalate"]),
    ] {
        for (i, name) in names.iter().enumerate() {
            let weight = if i % 2 == 0 {
                format!("weight: {i}\n")
            } else {
                String::new()
            };
            files.push((
                format!("content/{folder}/{name}.md"),
                format!("---\ntitle: {folder} {name}\n{weight}roles: [sre]\n---\n# {name}\n\n## Smoke tests\n\n## Smoke tests\n\nSee [home](../README.md) and [setup](../guide/setup.md#smoke-tests-1).\n\n```sh\necho {name}\n```\n"),
            ));
        }
    }
    files
}

fn project_in_order(files: &[(String, String)], order: &[usize]) -> Project {
    let mut project = Project::empty();
    for &i in order {
        let (path, text) = &files[i];
        project = project.file(path, text);
    }
    project
}

proptest! {
    #![proptest_config(config(6))]

    #[test]
    fn build_output_does_not_depend_on_walk_order(
        orders in (Just(content_files().len()), any::<u64>(), any::<u64>())
            .prop_map(|(n, a, b)| (shuffled(n, a), shuffled(n, b)))
    ) {
        let files = content_files();
        let first = project_in_order(&files, &orders.0);
        let second = project_in_order(&files, &orders.1);
        first.build();
        second.build();
        let (a, b) = (first.tree("site"), second.tree("site"));
        prop_assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (path, bytes) in &a {
            prop_assert!(b[path] == *bytes, "{path} differs between walk orders");
        }
    }
}

/// A permutation of `0..n` from a seed (a small LCG Fisher–Yates), so the
/// order shrinks with the seed.
fn shuffled(n: usize, mut seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        order.swap(i, (seed >> 33) as usize % (i + 1));
    }
    order
}

// ---------------------------------------------------------------------------
// (iv) Reconcile and the page parser on copies pieced together from the
// shapes other teams write: no panic, nothing lost (the fuzz harnesses'
// own checks), whatever the order of the pieces.

/// Lines and fragments of every shape reconcile reads specially.
const PIECES: [&str; 44] = [
    "# Guide\n",
    // A copy that opens with these is read as HTML.
    "<!DOCTYPE html>\n<html><body>\n",
    "<h2>Checks</h2><ul class=\"inline-task-list\"><li data-inline-task-id=\"1\">Tag [QA] <b>it</li>\n",
    "<li><input type=\"checkbox\" checked> feature_flags *on*</li></ul>\n",
    "<div class=\"checkbox checkbox-on\"></div><table><tr><th>Step</th></tr><tr><td>Ship</td></tr>\n",
    "## Release Checklist\n",
    "### Quality Assurance {#qa .x}\n",
    "## <a name=\"pre\"></a>Pre-release:\n",
    "## **Step 2: Deploy**\n",
    "## Step 1:\n",
    "- [ ] Run the suite\n",
    "- [x] Tag it ✅\n",
    "- ☐ Ship\n",
    "☑ Pasted step  \n",
    "- [] Empty box\n",
    "- [ ]\u{a0}Nbsp step\n",
    "> - [ ] Quoted step\n",
    ">\n",
    "TODO: Rotate keys\n",
    "DONE:\n",
    "Step 1: Deploy\n",
    "Step 2: Verify\n",
    "(1) One\n",
    "a. Letter\n",
    "1 - Dash\n",
    "Owner: QA\n",
    "**Owners:** SRE and QA\n",
    "[QA] Tagged step\n",
    "- [ ] Step [SRE]\n",
    "!!! warning \"Careful\"\n",
    "    Indented body.\n",
    "??? note\n",
    "| Step | Status |\n|---|---|\n| Deploy | ✅ |\n",
    "+++\ntitle = \"T\"\n+++\n",
    "---\ntitle: Other\n---\n",
    "\n",
    "    ",
    "[[Wiki]]",
    "<li><input type=\"checkbox\"> x</li>\n",
    "🟢 ⏳\n",
    "- ✅ Use flags\n",
    "  - [ ] nested\n",
    "```\n",
    "1. [ ] numbered\n",
];

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn copies_pieced_from_every_shape_never_panic_or_lose_items(
        copies in prop::collection::vec(prop::collection::vec(0..PIECES.len(), 0..30), 1..4),
        utf16_first in any::<bool>(),
    ) {
        let mut data = Vec::new();
        for (n, pieces) in copies.iter().enumerate() {
            if n > 0 {
                data.push(0x1E);
            }
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            if n == 0 && utf16_first {
                data.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            } else {
                data.extend(text.into_bytes());
            }
        }
        playbook::fuzzing::reconcile(&data);
        playbook::fuzzing::reconcile_text(&data);
        playbook::fuzzing::markdown(&data);
    }
}

// ---------------------------------------------------------------------------
// (v) A copy saved as HTML is the copy.

/// Every checklist item reconcile wrote: (checklist, group, item, text, owners).
fn checklist_items(
    files: &BTreeMap<String, String>,
) -> BTreeSet<(String, String, String, String, Vec<String>)> {
    let mut items = BTreeSet::new();
    for (path, text) in files {
        if !path.starts_with("checklists/") {
            continue;
        }
        let checklist: playbook::checklist::Checklist =
            serde_norway::from_str(text).expect("reconcile writes valid checklists");
        for group in checklist.groups {
            for item in group.items {
                items.insert((
                    checklist.id.clone(),
                    group.id.clone(),
                    item.id,
                    item.text,
                    item.owners,
                ));
            }
        }
    }
    items
}

proptest! {
    #![proptest_config(config(16))]

    #[test]
    fn an_html_export_of_any_copy_gives_the_copys_checklists(change in change()) {
        // Lines of `•` glyphs are one paragraph once rendered (a browser
        // shows them run together): the page has no list left to read.
        let change = Change { list_form: if change.list_form == 9 { 0 } else { change.list_form }, ..change };
        let seeds = seeds();
        let text = repair::decode(&apply(&seeds, &change)).text;
        let mut body = String::new();
        pulldown_cmark::html::push_html(
            &mut body,
            pulldown_cmark::Parser::new_ext(&text, playbook::markdown::options()),
        );
        let html = format!("<!DOCTYPE html>\n<html><head><title>Copy</title></head><body>\n{body}</body></html>\n");
        let read = |path: &str, bytes: Vec<u8>| {
            reconcile::reconcile(&[Input { path: path.to_string(), bytes }])
                .map_err(|problems| TestCaseError::fail(format!("{path}: {problems:?}")))
        };
        let markdown = read("copy.md", text.clone().into_bytes())?;
        let exported = read("copy.html", html.into_bytes())?;
        let (want, got) = (checklist_items(&markdown.files), checklist_items(&exported.files));
        prop_assert!(!want.is_empty());
        prop_assert!(
            want == got,
            "missing {:#?}\nextra {:#?}",
            want.difference(&got).take(4).collect::<Vec<_>>(),
            got.difference(&want).take(4).collect::<Vec<_>>()
        );
    }
}
