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

/// A file the user named on the command line, read up to one byte past
/// `limit` (so the caller can say it is too large): `/dev/zero` or a pipe
/// that never ends must not fill the memory. A folder is an error saying so.
pub fn read_input(path: &Path, limit: usize) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let shown = display(path);
    if path.is_dir() {
        return Err(format!(
            "{shown} is a folder, not a file\nhelp: name the files in it, for example {shown}/*.md"
        ));
    }
    let file = std::fs::File::open(path).map_err(|err| format!("cannot read {shown}: {err}"))?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| format!("cannot read {shown}: {err}"))?;
    Ok(bytes)
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

/// An absolute form of a path that may not exist yet: its links resolved
/// as far as it exists, the rest joined on.
pub fn absolute(path: &Path) -> std::path::PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => absolute(if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        })
        .join(name),
        _ => std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A named pipe at `path` (tests of what reads or writes one).
    #[cfg(unix)]
    pub(crate) fn make_fifo(path: &Path) -> std::path::PathBuf {
        let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
        path.to_path_buf()
    }

    /// A pipe that never ends (as `/dev/zero` does) is read to the limit and no further.
    #[cfg(unix)]
    #[test]
    fn an_endless_input_is_read_one_byte_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = make_fifo(&dir.path().join("endless"));
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let mut pipe = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
                // Until the reader closes its end.
                while pipe.write_all(&[0; 4096]).is_ok() {}
            })
        };
        let bytes = read_input(&fifo, 100_000).unwrap();
        assert_eq!(bytes.len(), 100_001);
        writer.join().unwrap();
        let err = read_input(dir.path(), 10).unwrap_err();
        assert!(err.contains("is a folder, not a file"), "{err}");
    }

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
