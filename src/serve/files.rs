//! What a request path means in the built site: which file (a key into
//! the site's files, never a path on disk) and its Content-Type.

use std::collections::BTreeMap;

use axum::body::Bytes;
use percent_encoding::percent_decode_str;

/// The request path as a key into the site's files: percent-decoded, without
/// the leading `/`; empty or ending in `/` for a folder. Refuses anything that
/// could mean a path outside the site on some system.
pub(super) fn site_path(raw: &str) -> Result<String, ()> {
    let rest = raw.strip_prefix('/').ok_or(())?;
    let decoded = percent_decode_str(rest).decode_utf8().map_err(|_| ())?;
    if decoded.contains(['\0', '\\']) {
        return Err(());
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        let empty_inside = segment.is_empty() && i != last;
        if empty_inside || *segment == "." || *segment == ".." || (i == 0 && is_drive(segment)) {
            return Err(());
        }
    }
    Ok(decoded.into_owned())
}

/// `C:` or `c:stuff`: a Windows drive.
fn is_drive(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

#[derive(Debug, PartialEq)]
pub(super) enum Lookup<'a> {
    File(&'a str, &'a Bytes),
    /// A folder with an index page, asked for without the trailing `/`.
    Folder,
    Missing,
}

pub(super) fn lookup<'a>(files: &'a BTreeMap<String, Bytes>, key: &str) -> Lookup<'a> {
    let found = |path: &str| {
        files
            .get_key_value(path)
            .map_or(Lookup::Missing, |(p, b)| Lookup::File(p, b))
    };
    if key.is_empty() || key.ends_with('/') {
        return found(&format!("{key}index.html"));
    }
    match found(key) {
        Lookup::Missing if files.contains_key(&format!("{key}/index.html")) => Lookup::Folder,
        other => other,
    }
}

/// The Content-Type for a file of the site, by its extension.
pub(super) fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" | "markdown" => "text/markdown; charset=utf-8",
        "yaml" | "yml" => "text/yaml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Whether a Host header names this machine: `localhost`, `*.localhost` or
/// a loopback address, with or without a port. No header at all (HTTP/1.0)
/// is fine: a rebinding attack always sends its own name.
pub(super) fn is_local_host(host: Option<&axum::http::HeaderValue>) -> bool {
    let Some(host) = host else {
        return true;
    };
    let Ok(host) = host.to_str() else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    }
    .to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths() {
        let ok = [
            ("/", ""),
            ("/index.html", "index.html"),
            ("/guide/", "guide/"),
            ("/guide/setup.html", "guide/setup.html"),
            ("/a%20b.html", "a b.html"),
            ("/caf%C3%A9.html", "café.html"),
            ("/..a/b..", "..a/b.."),
        ];
        for (raw, key) in ok {
            assert_eq!(site_path(raw).as_deref(), Ok(key), "{raw}");
        }
        let refused = [
            "",
            "index.html",
            "/../Cargo.toml",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/secret",
            "/..%2fsecret",
            "/a/%2e%2e%2f%2e%2e%2fsecret",
            "/a/../b",
            "/./a",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/a//b",
            "/C:/Windows",
            "/c:%5cWindows",
            "/a%00.html",
            "/%ff.html",
        ];
        for raw in refused {
            assert_eq!(site_path(raw), Err(()), "{raw}");
        }
    }

    #[test]
    fn folders_have_index_pages() {
        let files: BTreeMap<String, Bytes> = ["index.html", "guide/index.html", "guide/a.html"]
            .into_iter()
            .map(|p| (p.to_string(), Bytes::from_static(b"x")))
            .collect();
        let file = |p: &'static str| Lookup::File(p, &files[p]);
        assert_eq!(lookup(&files, ""), file("index.html"));
        assert_eq!(lookup(&files, "guide/"), file("guide/index.html"));
        assert_eq!(lookup(&files, "guide"), Lookup::Folder);
        assert_eq!(lookup(&files, "guide/a.html"), file("guide/a.html"));
        assert_eq!(lookup(&files, "guide/a.html/"), Lookup::Missing);
        assert_eq!(lookup(&files, "other/"), Lookup::Missing);
        assert_eq!(lookup(&files, "other"), Lookup::Missing);
    }

    #[test]
    fn content_types() {
        let cases = [
            ("index.html", "text/html; charset=utf-8"),
            ("theme/style.CSS", "text/css; charset=utf-8"),
            ("search/t-de.js", "text/javascript; charset=utf-8"),
            ("data.json", "application/json; charset=utf-8"),
            ("img/logo.svg", "image/svg+xml"),
            ("a.png", "image/png"),
            ("a.jpeg", "image/jpeg"),
            ("a.woff2", "font/woff2"),
            ("notes.md", "text/markdown; charset=utf-8"),
            ("roles.yml", "text/yaml; charset=utf-8"),
            ("v1.2/Makefile", "application/octet-stream"),
        ];
        for (path, expected) in cases {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }
}
