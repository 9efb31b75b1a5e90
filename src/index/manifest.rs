//! What a generation was built from: every file found, with its size and a
//! hash of its content, what the walk skipped, and the build that read them.
//!
//! An `index` run whose files, skips and build are those of the generation
//! in use has nothing to do: it says so and keeps that generation, after
//! reading every file once to hash it (500 MB in well under a second from
//! the page cache, on two cores). A build hashes the bytes extraction reads;
//! only a run that has a manifest to compare with reads the files first. Sizes and modification times are not
//! trusted alone: a checkout or a copy can change a file and keep both.
//! The build is named by a hash of the running program, so a program with
//! other extraction rules re-reads everything.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use siphasher::sip128::{Hasher128, SipHasher13};

use super::{Result, SCHEMA_VERSION, io, store};
use crate::ingest::{Discovered, Skipped, WalkOptions};

/// The file holding a generation's manifest.
pub const MANIFEST_FILE: &str = "manifest.json";

/// One file read into a generation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The path shown (`corpus/da-dk/…/ms07-017.md`).
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// SipHash-1-3 (128 bits) of its content, in hex; empty when it could
    /// not be read (it was then skipped, with its reason).
    pub hash: String,
}

/// What one generation was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The program and schema that built it.
    pub build: String,
    /// Whether symbolic links were followed.
    pub follow: bool,
    /// Every file found, sorted by path shown.
    pub files: Vec<FileEntry>,
    /// What the walk did not take, and why (`path: reason`).
    pub skipped: Vec<String>,
}

impl FileEntry {
    /// The entry of a file shown as `shown`, from its content (`None`: it
    /// could not be read).
    pub fn new(shown: &str, content: Option<&[u8]>) -> FileEntry {
        FileEntry {
            path: shown.to_string(),
            bytes: content.map_or(0, |c| c.len() as u64),
            hash: content.map(hash).unwrap_or_default(),
        }
    }
}

impl Manifest {
    /// The manifest of `files` (in the walk's order) and of what the walk
    /// skipped, built by this program.
    pub fn new(files: Vec<FileEntry>, walk_skipped: &[Skipped], walk: WalkOptions) -> Manifest {
        Manifest {
            build: build_identity().to_string(),
            follow: walk.follow,
            files,
            skipped: walk_skipped
                .iter()
                .map(|s| format!("{}: {}", s.path, s.reason))
                .collect(),
        }
    }

    /// Reads and hashes every file `found` lists (in parallel): to compare
    /// with the generation in use before extracting anything.
    pub fn of(found: &Discovered, walk: WalkOptions) -> Manifest {
        let files = found
            .files
            .par_iter()
            .map(|(path, shown)| FileEntry::new(shown, std::fs::read(path).ok().as_deref()))
            .collect();
        Manifest::new(files, &found.skipped, walk)
    }

    /// The generation in use in the index folder `dir` and its manifest,
    /// if it has one (a generation built before manifests has none).
    pub fn in_use(dir: &Path) -> Result<Option<(PathBuf, Manifest)>> {
        let Some((generation, _)) = store::current(dir)? else {
            return Ok(None);
        };
        let path = generation.join(MANIFEST_FILE);
        match std::fs::read_to_string(&path) {
            // A manifest that does not parse is as good as none: rebuild.
            Ok(raw) => Ok(serde_json::from_str(&raw).ok().map(|m| (generation, m))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(format!("reading {}", path.display()))(e)),
        }
    }

    /// Writes the manifest into a generation folder being built.
    pub fn save(&self, generation: &Path) -> Result<()> {
        let json = serde_json::to_vec(self).expect("a manifest serialises");
        store::write_atomically(generation, MANIFEST_FILE, &json)
    }

    /// Bytes of all files.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }
}

/// SipHash-1-3 (128 bits, zero keys) of `content`, as 32 hex digits: the
/// content hash of files, and of the entries and records of a generation.
pub(super) fn hash(content: &[u8]) -> String {
    let mut h = SipHasher13::new();
    std::hash::Hasher::write(&mut h, content);
    hex(&h)
}

/// The hasher's 128-bit result as 32 hex digits.
pub(super) fn hex(h: &SipHasher13) -> String {
    format!("{:032x}", h.finish128().as_u128())
}

/// [`hash`] of all that `from` reads, read 64 kB at a time.
fn hash_read(mut from: impl std::io::Read) -> std::io::Result<String> {
    let mut h = SipHasher13::new();
    let mut piece = vec![0; 1 << 16];
    loop {
        match from.read(&mut piece) {
            Ok(0) => break,
            Ok(n) => std::hash::Hasher::write(&mut h, &piece[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(hex(&h))
}

/// The program's name, version and schema, and a hash of its executable:
/// two builds of the same version with other rules differ.
fn build_identity() -> &'static str {
    static IDENTITY: OnceLock<String> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        // Read in pieces: the executable (137 MB with its debug info) was
        // read whole, the peak of a build's first stage.
        let exe = std::env::current_exe()
            .and_then(std::fs::File::open)
            .and_then(hash_read)
            .unwrap_or_else(|_| "unknown".to_string());
        format!(
            "{} {} schema {SCHEMA_VERSION} exe {exe}",
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_hashed_in_pieces_hashes_as_it_does_whole() {
        let bytes: Vec<u8> = (0..200_003u32).map(|i| (i * 7 % 251) as u8).collect();
        assert_eq!(hash_read(&bytes[..]).unwrap(), hash(&bytes));
        assert_eq!(hash_read(&b""[..]).unwrap(), hash(b""));
        assert_ne!(hash_read(&bytes[1..]).unwrap(), hash(&bytes));
        assert!(build_identity().contains(" exe "));
        assert!(!build_identity().ends_with("exe unknown"));
    }

    #[test]
    fn the_hash_is_of_the_content_and_stable() {
        // SipHash-1-3 with zero keys: the same on every machine and build,
        // so a manifest written by one run is read by the next (the value
        // pins siphasher's output: a change would rebuild every index once).
        assert_eq!(hash(b""), hash(b""));
        assert_ne!(hash(b"MS07-017"), hash(b"MS07-018"));
        assert_eq!(hash(b"MS07-017").len(), 32);
        assert_eq!(hash(b"abc"), "f62f6f431c20d2cd64b4eeb45bb5ba18");
    }
}
