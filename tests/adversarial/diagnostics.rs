//! Diagnostics that hid problems (issue 12, points 9 to 12): every broken
//! link reported where it is, typos in keys named, unreadable settings
//! refused, and small messages that misled.

use crate::common::Project;

/// The `path:line:col: message` lines of a run's stderr (`error:` / `warning:`
/// lines with their location arrow folded in), in order.
fn located(stderr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut message = None;
    for line in stderr.lines() {
        if let Some(rest) = line
            .strip_prefix("error")
            .or_else(|| line.strip_prefix("warning"))
        {
            message = rest.split_once(": ").map(|(_, m)| m.to_string());
        } else if let (Some(at), Some(m)) = (line.trim_start().strip_prefix("┌─ "), &message) {
            out.push(format!("{at}: {m}"));
            message = None;
        }
    }
    out
}

// ------------------------------------------------------------- 12. yaml-rust

#[test]
fn yaml_rust_is_not_a_dependency() {
    let lock = include_str!("../../Cargo.lock");
    assert!(
        !lock.contains("name = \"yaml-rust\""),
        "yaml-rust (RUSTSEC-2024-0320) is back in Cargo.lock"
    );
}
