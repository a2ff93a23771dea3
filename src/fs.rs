//! File-system calls that name the path in every error ("cannot write
//! site/a.html: Permission denied"), and paths shown as the user typed them.

use std::path::Path;

use anyhow::Context;

/// A path as the user would type it: no leading `./`.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut text: &str = &text;
    while let Some(rest) = text.strip_prefix("./") {
        text = rest;
    }
    text.to_string()
}

/// [`std::fs::write`], the path in its error.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// [`std::fs::rename`], the destination in its error.
pub(crate) fn rename(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::rename(from, to).with_context(|| format!("cannot write {}", to.display()))
}

/// [`std::fs::create_dir_all`], the path in its error.
pub(crate) fn create_dir_all(path: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("cannot create {}", path.display()))
}

/// [`std::fs::remove_dir_all`], the path in its error.
pub(crate) fn remove_dir_all(path: &Path) -> anyhow::Result<()> {
    std::fs::remove_dir_all(path).with_context(|| format!("cannot remove {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_drops_leading_dot_slashes_only() {
        for (path, shown) in [
            ("./a/b", "a/b"),
            ("././a", "a"),
            ("a/./b", "a/./b"),
            ("/abs/x", "/abs/x"),
            ("../up", "../up"),
        ] {
            assert_eq!(display(Path::new(path)), shown, "{path}");
        }
    }

    #[test]
    fn errors_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing/file.txt");
        let err = write(&missing, b"x").unwrap_err().to_string();
        assert_eq!(err, format!("cannot write {}", missing.display()));
        let err = remove_dir_all(&missing).unwrap_err().to_string();
        assert_eq!(err, format!("cannot remove {}", missing.display()));
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"").unwrap();
        let err = create_dir_all(&blocker.join("sub"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            format!("cannot create {}", blocker.join("sub").display())
        );
    }
}
