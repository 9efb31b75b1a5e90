//! The documents a generation extracted, kept beside it by file and content
//! hash, so that the next build by the same program extracts only the files
//! that changed (see [`super::update`]).
//!
//! `extracted.bin` holds one entry per document: its fields as JSON, LZ4
//! packed, then its body as the body packs it. `extracted.json` says where
//! each file's entry is, the hash of the file it was extracted from, and a
//! hash of the entry itself: an entry that does not read back whole is
//! extracted again, never trusted. Entries are what extraction gave, before
//! the steps across documents (learned month and severity words) change it.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::manifest::hash;
use super::{Result, io, store};
use crate::extract::{AckSection, Body, Document};

/// The entries.
pub const CACHE_FILE: &str = "extracted.bin";
/// Where they are.
pub const CACHE_INDEX: &str = "extracted.json";

/// Where one file's entry is.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// The hash of the file's content (as the manifest has it).
    file: String,
    /// Where the entry starts in [`CACHE_FILE`], and its bytes.
    at: u64,
    len: u64,
    /// SipHash-1-3 of the entry's bytes.
    hash: String,
}

/// A document's fields, its body aside, with the two its JSON form leaves out.
#[derive(Serialize)]
struct Fields<'a> {
    doc: &'a Document,
    date_lines: &'a [String],
    listings: &'a [AckSection],
}

#[derive(Deserialize)]
struct OwnedFields {
    doc: Document,
    date_lines: Vec<String>,
    listings: Vec<AckSection>,
}

/// A document as an entry: `None` where its body is no longer in memory.
pub fn pack(doc: &mut Document) -> Option<Vec<u8>> {
    doc.body.packed()?;
    // The body is packed as it is, not written into the JSON as text.
    let body = std::mem::take(&mut doc.body);
    let json = serde_json::to_vec(&Fields {
        doc,
        date_lines: &doc.date_lines,
        listings: &doc.listings,
    });
    doc.body = body;
    let json = lz4_flex::compress_prepend_size(&json.ok()?);
    let body = doc.body.packed()?;
    let mut out = Vec::with_capacity(8 + json.len() + body.len());
    out.extend_from_slice(&(json.len() as u64).to_le_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(body);
    Some(out)
}

/// The document an entry holds, if it reads back whole.
pub fn unpack(entry: &[u8]) -> Option<Document> {
    let n = u64::from_le_bytes(entry.get(..8)?.try_into().ok()?) as usize;
    let json = entry.get(8..8usize.checked_add(n)?)?;
    let json = lz4_flex::decompress_size_prepended(json).ok()?;
    let fields: OwnedFields = serde_json::from_slice(&json).ok()?;
    let mut doc = fields.doc;
    doc.date_lines = fields.date_lines;
    doc.listings = fields.listings;
    doc.body = Body::from_packed(entry[8 + n..].to_vec())?;
    Some(doc)
}

/// The entries of a complete generation, read by file.
pub struct Reader {
    file: Mutex<File>,
    entries: HashMap<String, Entry>,
}

impl Reader {
    /// The cache of the generation folder `dir`, if it has one.
    pub fn open(dir: &Path) -> Option<Reader> {
        let raw = std::fs::read(dir.join(CACHE_INDEX)).ok()?;
        let entries = serde_json::from_slice(&raw).ok()?;
        let file = File::open(dir.join(CACHE_FILE)).ok()?;
        Some(Reader {
            file: Mutex::new(file),
            entries,
        })
    }

    /// The entry of the file shown as `path`, extracted from content
    /// hashed `file_hash`, if there is one and it reads back whole.
    pub fn get(&self, path: &str, file_hash: &str) -> Option<Vec<u8>> {
        let e = self.entries.get(path).filter(|e| e.file == file_hash)?;
        let mut bytes = vec![0; usize::try_from(e.len).ok()?];
        {
            let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
            file.seek(SeekFrom::Start(e.at)).ok()?;
            file.read_exact(&mut bytes).ok()?;
        }
        (hash(&bytes) == e.hash).then_some(bytes)
    }
}

/// The entries of a generation being built, written as documents are extracted.
pub struct Writer {
    state: Mutex<WriterState>,
}

struct WriterState {
    file: File,
    end: u64,
    entries: BTreeMap<String, Entry>,
    failed: bool,
}

impl Writer {
    /// Creates the cache in the generation folder `dir`.
    pub fn create(dir: &Path) -> Result<Writer> {
        let path = dir.join(CACHE_FILE);
        let file = File::create(&path).map_err(io(format!("creating {}", path.display())))?;
        Ok(Writer {
            state: Mutex::new(WriterState {
                file,
                end: 0,
                entries: BTreeMap::new(),
                failed: false,
            }),
        })
    }

    /// Appends the entry of the file shown as `path`, whose content hashed
    /// `file_hash`. A write that fails leaves the cache without entries
    /// (the next build extracts every file), not the build failed.
    pub fn put(&self, path: &str, file_hash: &str, entry: &[u8]) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if s.failed {
            return;
        }
        if s.file.write_all(entry).is_err() {
            s.failed = true;
            return;
        }
        let at = s.end;
        s.end += entry.len() as u64;
        s.entries.insert(
            path.to_string(),
            Entry {
                file: file_hash.to_string(),
                at,
                len: entry.len() as u64,
                hash: hash(entry),
            },
        );
    }

    /// Writes where the entries are into `dir`; a cache whose writes failed
    /// is removed instead.
    pub fn finish(self, dir: &Path) -> Result<()> {
        let s = self.state.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut file = s.file;
        if s.failed || file.flush().and_then(|()| file.sync_all()).is_err() {
            let _ = std::fs::remove_file(dir.join(CACHE_FILE));
            return Ok(());
        }
        let json = serde_json::to_vec(&s.entries).expect("entries serialise");
        store::write_atomically(dir, CACHE_INDEX, &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_that_does_not_read_back_whole_gives_nothing() {
        assert!(unpack(&[]).is_none());
        assert!(unpack(&[200, 0, 0, 0, 0, 0, 0, 0, 1]).is_none());
        assert!(unpack(&u64::MAX.to_le_bytes()).is_none());
    }
}
