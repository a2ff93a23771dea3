//! Tidy: `src/` keeps the shape issue 14 gave it. No function over 80
//! lines, no cycle between modules (the model reaching nothing that
//! renders), and a `#[cfg(test)]` module in every file over 500 lines.
//! The source is read as text with comments, strings and character
//! literals blanked, so braces and paths inside them do not count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FUNCTION_LINES: usize = 80;
const MAX_LINES_WITHOUT_TESTS: usize = 500;
/// Functions over the limit tolerated while work in flight splits them
/// (empty: none is).
const BEING_SPLIT: &[&str] = &[];
/// The model: plain data every stage shares.
const MODEL: &[&str] = &["model", "checklist", "routes", "slug", "ids", "run"];
/// Modules that make HTML.
const RENDERING: &[&str] = &[
    "render",
    "embed",
    "html",
    "highlight",
    "markdown",
    "views",
    "search",
    "sanitize",
];

#[test]
fn no_function_is_over_80_lines() {
    let mut long = Vec::new();
    for (path, text) in library_sources() {
        for (name, lines) in function_lengths(&blank_comments_and_strings(&text)) {
            let at = format!("{}: {name}", path.display());
            if lines > MAX_FUNCTION_LINES && !BEING_SPLIT.contains(&at.as_str()) {
                long.push(format!("{at} ({lines} lines)"));
            }
        }
    }
    assert!(long.is_empty(), "split these into named steps: {long:#?}");
}

#[test]
fn every_file_over_500_lines_has_unit_tests() {
    let untested: Vec<String> = library_sources()
        .into_iter()
        .filter(|(_, text)| text.lines().count() > MAX_LINES_WITHOUT_TESTS)
        .filter(|(_, text)| test_module_at(&blank_comments_and_strings(text)).is_none())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        untested.is_empty(),
        "add a #[cfg(test)] module: {untested:?}"
    );
}

#[test]
fn modules_form_no_cycle_and_the_model_reaches_nothing_that_renders() {
    let graph = module_graph();
    assert!(graph.len() > 20, "the graph was read: {graph:?}");
    let top = |m: &Vec<String>| m[0].clone();
    let mut top_level: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, uses) in &graph {
        let entry = top_level.entry(top(module)).or_default();
        entry.extend(uses.iter().map(top).filter(|u| *u != top(module)));
    }
    assert_eq!(find_cycle(&graph), None, "a cycle between files");
    assert_eq!(find_cycle(&top_level), None, "a cycle between modules");
    for model in MODEL {
        let reached = reachable(&top_level, model);
        let rendering: Vec<&String> = reached
            .iter()
            .filter(|m| RENDERING.contains(&m.as_str()))
            .collect();
        assert!(rendering.is_empty(), "{model} reaches {rendering:?}");
    }
}

#[test]
fn the_readers_see_through_comments_strings_and_nested_functions() {
    let text = "fn a() {\n    let s = \"}\"; // }\n    let c = '}';\n    fn inner<'x>(v: &'x str) {}\n    /* } */\n}\nfn b();\n";
    let blank = blank_comments_and_strings(text);
    assert_eq!(blank.lines().count(), text.lines().count());
    assert_eq!(
        function_lengths(&blank),
        [("a".to_string(), 6), ("inner".to_string(), 1)]
    );
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert!(find_cycle(&graph).is_some());
    assert_eq!(
        uses_in("use crate::{a::{X, Y}, b as c};\nfn f() { super::c::g(); crate::d::h() }"),
        [
            "crate::a::X",
            "crate::a::Y",
            "crate::b",
            "super::c::g",
            "crate::d::h"
        ]
    );
}

/// The library's sources (the binary's `cli` is above every module).
fn library_sources() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    walkdir::WalkDir::new(root.join("src"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("src/ is readable"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .filter(|e| !e.path().starts_with(root.join("src/cli")))
        .filter(|e| e.path() != root.join("src/main.rs"))
        .map(|e| {
            let rel = e.path().strip_prefix(root).expect("under the root");
            let text = std::fs::read_to_string(e.path()).expect("a source file");
            (rel.to_path_buf(), text)
        })
        .collect()
}

/// `text` with comments, string and character literals turned to spaces
/// (line breaks kept, so line numbers stay).
fn blank_comments_and_strings(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let end = literal_or_comment_end(&chars, i);
        if end == i {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        out.extend(
            chars[i..end]
                .iter()
                .map(|&c| if c == '\n' { '\n' } else { ' ' }),
        );
        i = end;
    }
    out
}

/// Where the comment or literal starting at `i` ends; `i` when none does.
fn literal_or_comment_end(c: &[char], i: usize) -> usize {
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let find = |from: usize, what: &str| {
        let what: Vec<char> = what.chars().collect();
        (from..c.len())
            .find(|&k| c[k..].starts_with(&what))
            .map_or(c.len(), |k| k + what.len())
    };
    match (at(i), at(i + 1)) {
        ('/', '/') => (i..c.len()).find(|&k| c[k] == '\n').unwrap_or(c.len()),
        ('/', '*') => {
            let (mut depth, mut k) = (0, i);
            while k < c.len() {
                if c[k] == '/' && at(k + 1) == '*' {
                    depth += 1;
                    k += 2;
                } else if c[k] == '*' && at(k + 1) == '/' {
                    depth -= 1;
                    k += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    k += 1;
                }
            }
            k
        }
        ('r', '"' | '#') if i == 0 || !ident(at(i - 1)) => {
            let hashes = (i + 1..c.len()).take_while(|&k| c[k] == '#').count();
            if at(i + 1 + hashes) != '"' {
                return i;
            }
            find(i + 2 + hashes, &format!("\"{}", "#".repeat(hashes)))
        }
        ('"', _) => {
            let mut k = i + 1;
            while k < c.len() && c[k] != '"' {
                k += if c[k] == '\\' { 2 } else { 1 };
            }
            k + 1
        }
        ('\'', '\\') => find(i + 3, "'"),
        ('\'', _) if at(i + 2) == '\'' => i + 3,
        _ => i,
    }
}

/// Every function with a body: its name and its length in lines, from the
/// line of `fn` to the line of its closing brace.
fn function_lengths(blank: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = blank.lines().collect();
    let mut out = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let Some(name) = fn_name(line) else { continue };
        let mut depth = 0usize;
        let mut opened = false;
        let start = line.find("fn ").unwrap_or(0);
        'scan: for (k, text) in lines.iter().enumerate().skip(n) {
            let text = if k == n { &text[start..] } else { text };
            for ch in text.chars() {
                match ch {
                    ';' if !opened => break 'scan,
                    '{' => {
                        opened = true;
                        depth += 1;
                    }
                    '}' if opened => {
                        depth -= 1;
                        if depth == 0 {
                            out.push((name, k - n + 1));
                            break 'scan;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// The name of the function a line declares, if it does.
fn fn_name(line: &str) -> Option<String> {
    let mut rest = line.trim_start();
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Where the file's `#[cfg(test)] mod ...` starts, if it has one.
fn test_module_at(blank: &str) -> Option<usize> {
    blank
        .match_indices("#[cfg(test)]")
        .map(|(at, _)| at)
        .find(|&at| {
            let after = blank[at + "#[cfg(test)]".len()..].trim_start();
            let after = after.strip_prefix("pub(crate) ").unwrap_or(after);
            after.starts_with("mod ")
        })
}

/// Every `crate::` and `super::` path in `blank`, groups (`{a, b::c}`)
/// spread into one path each.
fn uses_in(blank: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = blank.as_bytes();
    let mut i = 0;
    while i < blank.len() {
        if !blank.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &blank[i..];
        let starts = rest.starts_with("crate::") || rest.starts_with("super::");
        let boundary = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if !(starts && boundary) {
            i += 1;
            continue;
        }
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let path = rest[..len].trim_end_matches(':');
        if rest[len..].starts_with('{') && rest[..len].ends_with("::") {
            let group = &rest[len..];
            let close = matching_brace(group);
            for item in top_level_items(&group[1..close]) {
                out.extend(uses_in(&format!("{path}::{item}")));
            }
            i += len + close;
        } else {
            out.push(path.to_string());
            i += len.max(1);
        }
    }
    out
}

/// Where the brace that closes the one `text` starts with is.
fn matching_brace(text: &str) -> usize {
    let mut depth = 0;
    for (at, ch) in text.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// The comma-separated items of a `use` group, nested groups kept whole.
fn top_level_items(group: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut depth = 0;
    for ch in group.chars() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(String::new());
                continue;
            }
            _ => {}
        }
        items.last_mut().expect("one item at least").push(ch);
    }
    items
        .into_iter()
        .map(|i| i.split(" as ").next().unwrap_or("").trim().to_string())
        .filter(|i| !i.is_empty() && i != "self")
        .collect()
}

/// Module (as path segments) → the modules its code names, test modules
/// left out (what tests use is not what the module depends on).
fn module_graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let sources = library_sources();
    let module_of = |path: &Path| -> Vec<String> {
        let rel = path.strip_prefix("src").unwrap_or(path).with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
            parts.pop();
        }
        parts
    };
    let modules: BTreeSet<Vec<String>> = sources.iter().map(|(p, _)| module_of(p)).collect();
    let mut graph = BTreeMap::new();
    for (path, text) in &sources {
        let module = module_of(path);
        let blank = blank_comments_and_strings(text);
        let code = &blank[..test_module_at(&blank).unwrap_or(blank.len())];
        let mut uses = BTreeSet::new();
        for used in uses_in(code) {
            let mut segments: Vec<String> = Vec::new();
            for segment in used.split("::") {
                match segment {
                    "crate" => segments.clear(),
                    "super" if segments.is_empty() => {
                        segments = module[..module.len().saturating_sub(1)].to_vec();
                    }
                    "super" => {
                        segments.pop();
                    }
                    other => segments.push(other.to_string()),
                }
            }
            // The longest module the path names.
            let target = (1..=segments.len())
                .rev()
                .map(|n| segments[..n].to_vec())
                .find(|m| modules.contains(m));
            if let Some(target) = target {
                if !module.starts_with(&target) {
                    uses.insert(target);
                }
            }
        }
        graph.insert(module, uses);
    }
    graph.remove(&Vec::new());
    graph
}

/// A cycle in `graph`, as the nodes along it, if there is one.
fn find_cycle<N: Ord + Clone + std::fmt::Debug>(
    graph: &BTreeMap<N, BTreeSet<N>>,
) -> Option<Vec<N>> {
    fn visit<N: Ord + Clone>(
        node: &N,
        graph: &BTreeMap<N, BTreeSet<N>>,
        path: &mut Vec<N>,
        done: &mut BTreeSet<N>,
    ) -> Option<Vec<N>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            return Some(path[at..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

/// Every node `from` reaches.
fn reachable(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_string()];
    while let Some(node) = todo.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if seen.insert(next.clone()) {
                todo.push(next.clone());
            }
        }
    }
    seen
}
