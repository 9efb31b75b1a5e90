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

/// Lists the Markdown files below each path (a path may also be one file),
/// sorted for a stable order. Paths that do not exist are reported as skipped.
pub fn discover(paths: &[PathBuf]) -> (Vec<(PathBuf, String)>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for root in paths {
        let base = root
            .parent()
            .filter(|_| root.is_dir() || root.is_file())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        if root.is_file() {
            files.push((root.clone(), display(&base, root)));
            continue;
        }
        if !root.is_dir() {
            skipped.push(Skipped {
                path: root.display().to_string(),
                reason: "no such file or directory".into(),
            });
            continue;
        }
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) => {
                    skipped.push(Skipped {
                        path: dir.display().to_string(),
                        reason: format!("cannot read directory: {e}"),
                    });
                    continue;
                }
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.starts_with('.') {
                    continue;
                }
                if path.is_dir() {
                    stack.push(path);
                } else if is_markdown(&name) {
                    let shown = display(&base, &path);
                    files.push((path, shown));
                }
            }
        }
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    files.dedup_by(|a, b| a.0 == b.0);
    (files, skipped)
}

fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") && lower != "readme.md"
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
    let text = decode(&bytes).map_err(skip)?;
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
