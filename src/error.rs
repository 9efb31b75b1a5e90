//! The library's errors, and the JSON sidecar files beside the tantivy
//! files (lexicon, credits, report) that every layer reads and writes: one
//! place, so no module imports the index for its error type.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Errors of the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index at the path.
    #[error("no index at {0}: build one with `bulletin-search index --index {0} PATH…`")]
    NoIndex(PathBuf),
    /// An index of another schema version, or of the same version with
    /// other fields (built for another set of languages).
    #[error(
        "the index at {path} has schema version {found} or other fields, this program needs version {expected} and its fields: re-index with `bulletin-search index --index {path} PATH…`"
    )]
    StaleIndex {
        /// Where.
        path: PathBuf,
        /// Version found.
        found: u32,
        /// Version needed.
        expected: u32,
    },
    /// Nothing could be indexed.
    #[error("nothing to index: {0}")]
    Empty(String),
    /// The index path exists and is not an index: nothing was touched.
    #[error(
        "{path} exists and is not a bulletin-search index (it holds {holds}); nothing was changed: give --index a new or empty folder, or an index"
    )]
    NotAnIndex {
        /// Where.
        path: PathBuf,
        /// What it holds.
        holds: String,
    },
    /// Another run is writing into the same index.
    #[error(
        "another `bulletin-search index` run is writing {0} (it holds {0}/.lock); nothing was changed: wait for it to finish"
    )]
    Busy(PathBuf),
    /// tantivy failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// File system error.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Bad metadata.
    #[error("unreadable index metadata at {0}: {1}")]
    Meta(PathBuf, String),
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// Writes `value` as JSON into `dir/file` (the sidecar files beside the
/// tantivy files), durably; returns the bytes written.
pub(crate) fn save_json<T: serde::Serialize>(dir: &Path, file: &str, value: &T) -> Result<usize> {
    let json = serde_json::to_vec(value).expect("sidecar values serialise");
    write_atomically(dir, file, &json)?;
    Ok(json.len())
}

/// Reads the JSON sidecar `dir/file`; an index without one gets the default.
pub(crate) fn load_json<T: serde::de::DeserializeOwned + Default>(
    dir: &Path,
    file: &str,
) -> Result<T> {
    let path = dir.join(file);
    if !path.exists() {
        return Ok(T::default());
    }
    let raw = std::fs::read(&path).map_err(io(format!("reading {}", path.display())))?;
    serde_json::from_slice(&raw).map_err(|e| Error::Meta(path, e.to_string()))
}

pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
    let context = context.into();
    move |source| Error::Io { context, source }
}

/// Writes `dir/name` by writing a temporary file, syncing it and renaming
/// it over the old one: readers see the old content or the new, never half.
pub(crate) fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let tmp = dir.join(format!("{name}.tmp-{}", std::process::id()));
    let written = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(io(format!("writing {}", tmp.display()))(e));
    }
    fs::rename(&tmp, dir.join(name))
        .map_err(io(format!("replacing {}", dir.join(name).display())))?;
    sync_dir(dir);
    Ok(())
}

/// Makes a folder's entries durable (best effort: not every platform can).
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
