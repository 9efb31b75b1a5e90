//! In: paths given on the command line. Out: `SourceFile`s (normalised text
//! with its path and declared locale) or `Skipped` entries with a reason.
//!
//! Decoding is strict about bytes (a file that is not UTF-8, holds NUL bytes
//! or is empty is skipped with a reason) and lenient about everything else:
//! BOM, CRLF/LF/lone CR, NBSP and other spaces, invisible characters and
//! full-width forms are normalised here, once, so later stages see one form.

mod normalize;

pub use normalize::{normalize, normalize_inline};

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One Markdown file, decoded and normalised.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as found on disk.
    pub path: PathBuf,
    /// The path relative to the root it was found under, with `/` separators,
    /// prefixed by the root's last component (`da-dk/security-updates/…`).
    pub display_path: String,
    /// Size on disk in bytes.
    pub bytes: u64,
    /// NFKC-normalised text with `\n` line ends and no invisible characters.
    pub text: String,
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Skipped {
    /// Where the file is.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

/// How to walk the trees given.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Follow symbolic links inside the trees (loops are detected and
    /// reported). Off by default, as in ripgrep: a link is reported as
    /// skipped. A link named on the command line is always followed.
    pub follow: bool,
}

/// The files found below the paths given.
#[derive(Debug, Default)]
pub struct Discovered {
    /// (path on disk, path shown), sorted by the path shown.
    pub files: Vec<(PathBuf, String)>,
    /// What was not taken, and why.
    pub skipped: Vec<Skipped>,
}

/// Lists the documentation files below each path, sorted for a stable order.
/// A path may be one file, taken whatever its extension; below a folder the
/// walk takes Markdown files (`.md`, `.markdown`, not `README.md`) and text
/// files that open with a front-matter block (`.txt`, as the seed documents
/// are delivered). Hidden names are passed over. Paths that do not exist,
/// folders that cannot be read (a path longer than the system allows
/// included), links not followed and link loops are reported as skipped;
/// the same file reached twice is taken once.
pub fn discover(paths: &[PathBuf], options: WalkOptions) -> Discovered {
    let mut found = Discovered::default();
    let mut seen = std::collections::HashSet::new();
    for root in paths {
        let base = root
            .parent()
            .filter(|_| root.is_dir() || root.is_file())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        if root.is_file() {
            if seen.insert(identity(root)) {
                found.files.push((root.clone(), display(&base, root)));
            }
            continue;
        }
        if !root.is_dir() {
            found.skipped.push(Skipped {
                path: root.display().to_string(),
                reason: "no such file or directory".into(),
            });
            continue;
        }
        let walk = walkdir::WalkDir::new(root)
            .follow_links(options.follow)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    found.skipped.push(walk_error(&base, &e));
                    continue;
                }
            };
            let path = entry.path();
            if entry.depth() > 0 && entry.path_is_symlink() && !options.follow {
                found.skipped.push(Skipped {
                    path: display(&base, path),
                    reason: "symbolic link, not followed (index with --follow to follow links)"
                        .into(),
                });
                continue;
            }
            if !entry.file_type().is_file() || !is_document(path) {
                continue;
            }
            let shown = display(&base, path);
            if !seen.insert(identity(path)) {
                found.skipped.push(Skipped {
                    path: shown,
                    reason: "the same file was already reached by another path".into(),
                });
                continue;
            }
            found.files.push((path.to_path_buf(), shown));
        }
    }
    found.files.sort_by(|a, b| a.1.cmp(&b.1));
    found
}

/// What the walk could not enter, and why.
fn walk_error(base: &Path, e: &walkdir::Error) -> Skipped {
    let path = e.path().map_or_else(String::new, |p| display(base, p));
    let reason = match (e.loop_ancestor(), e.io_error()) {
        (Some(ancestor), _) => format!(
            "symbolic link loop (back to {}), not followed",
            display(base, ancestor)
        ),
        (None, Some(io)) if io.raw_os_error() == Some(36) => {
            format!("path longer than the system allows, not read: {io}")
        }
        (None, Some(io)) => format!("cannot read: {io}"),
        (None, None) => e.to_string(),
    };
    Skipped { path, reason }
}

/// One file's identity, so that the same file reached twice is read once.
fn identity(path: &Path) -> (u64, u64, PathBuf) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(m) = std::fs::metadata(path) {
            return (m.dev(), m.ino(), PathBuf::new());
        }
    }
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    (0, 0, canonical)
}

/// Whether a file found in a walk is a documentation file.
fn is_document(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name == "readme.md" {
        return false;
    }
    if name.ends_with(".md") || name.ends_with(".markdown") {
        return true;
    }
    name.ends_with(".txt") && opens_with_front_matter(path)
}

/// Whether the file's first line (after a BOM and blank lines) is `---`.
fn opens_with_front_matter(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 256];
    let Ok(n) = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)) else {
        return false;
    };
    let head = head[..n]
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&head[..n]);
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    start.is_some_and(|s| head[s..].starts_with(b"---"))
}

fn display(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads and normalises one file; the error is the reason it was skipped.
pub fn read(path: &Path, display_path: &str) -> Result<SourceFile, Skipped> {
    let skip = |reason: String| Skipped {
        path: display_path.to_string(),
        reason,
    };
    let bytes = std::fs::read(path).map_err(|e| skip(format!("cannot read: {e}")))?;
    from_bytes(path, display_path, &bytes)
}

/// Decodes and normalises a file's bytes; the error is the reason it was skipped.
pub fn from_bytes(path: &Path, display_path: &str, bytes: &[u8]) -> Result<SourceFile, Skipped> {
    let text = decode(bytes).map_err(|reason| Skipped {
        path: display_path.to_string(),
        reason,
    })?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        display_path: display_path.to_string(),
        bytes: bytes.len() as u64,
        text: normalize(text),
    })
}

/// Decodes bytes as UTF-8 (with or without BOM), refusing what is not text.
pub fn decode(bytes: &[u8]) -> Result<&str, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("empty file".into());
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err("UTF-16 text is not supported".into());
    }
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes)".into());
    }
    std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 at byte {} (re-save the file as UTF-8)",
            e.valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_refuses_what_is_not_text_and_says_why() {
        assert_eq!(decode(b"\xEF\xBB\xBFhej"), Ok("hej"));
        assert_eq!(decode(b""), Err("empty file".to_string()));
        assert_eq!(decode(b"\xEF\xBB\xBF \r\n"), Err("empty file".to_string()));
        assert_eq!(
            decode(b"ab\0cd"),
            Err("binary file (contains NUL bytes)".to_string())
        );
        assert_eq!(
            decode(b"caf\xE9"),
            Err("not valid UTF-8 at byte 3 (re-save the file as UTF-8)".to_string())
        );
        assert_eq!(
            decode(b"\xFF\xFEa\0"),
            Err("UTF-16 text is not supported".to_string())
        );
    }
}
