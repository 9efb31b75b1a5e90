//! Re-indexing a changed tree by files' records, not the whole index.
//!
//! Every generation keeps, per file, a hash of the records written for it
//! (its own record and its summary entries, every field as indexed:
//! [`RECORDS_FILE`]). A build whose generation in use was made by the same
//! program (see [`super::manifest`]) starts from that generation's index:
//! its tantivy files are linked into the new generation, never written
//! (tantivy writes new files and renames its own metadata). Only the files
//! whose content changed are extracted again (the others are read from the
//! generation's cache, [`super::cache`]), and every record is still built,
//! after the steps across files (reconcile, learned words): a file whose
//! records hash as before is left as it is, the records of one that
//! changed, or that a change elsewhere changed (another locale's version
//! moved a bulletin's main KB or release date), are deleted and added, and
//! those of a file that is gone are deleted. The index then holds the same
//! records as a full build's; the deleted ones stay in the statistics that
//! scores use until their segment is merged (see [`merge_policy`]).

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::Path;

use serde::{Deserialize, Serialize};
use siphasher::sip128::SipHasher13;
use tantivy::schema::Value;
use tantivy::{Index, TantivyDocument};

use super::{Result, store};

/// The file of a generation holding its records' hashes, per file.
pub const RECORDS_FILE: &str = "records.json";

/// What one file was written as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecords {
    /// The hash of all its records, in order (32 hex digits).
    pub hash: String,
    /// Their keys (the `rec` field): the path, then `path#MS07-017` for
    /// each summary entry.
    pub recs: Vec<String>,
}

/// Every file's records, by the path shown.
pub type Records = BTreeMap<String, FileRecords>;

/// What an update did, for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateCounts {
    /// Files read and extracted (the rest came from the previous
    /// generation's cache of extracted documents, see [`super::cache`]).
    pub files_extracted: usize,
    /// Files whose records were kept as they were.
    pub files_kept: usize,
    /// Files whose records were deleted and added again (changed, or
    /// changed by a change elsewhere).
    pub files_rewritten: usize,
    /// Files new to the index.
    pub files_added: usize,
    /// Files gone from the trees: their records deleted.
    pub files_removed: usize,
    /// Records added.
    pub records_added: usize,
    /// Records deleted.
    pub records_deleted: usize,
}

/// Hashes the records of one file, every field as written, in order.
pub fn hash_records<'a>(records: impl IntoIterator<Item = &'a TantivyDocument>) -> String {
    let mut h = SipHasher13::new();
    for doc in records {
        h.write_u8(0xff);
        for (field, value) in doc.field_values() {
            h.write_u32(field.field_id());
            if let Some(s) = value.as_str() {
                h.write_u8(0);
                h.write_usize(s.len());
                h.write(s.as_bytes());
            } else if let Some(n) = value.as_u64() {
                h.write_u8(1);
                h.write_u64(n);
            } else {
                // The schema holds text and u64 fields only; anything else
                // is hashed by its debug form rather than skipped.
                h.write_u8(2);
                h.write(format!("{value:?}").as_bytes());
            }
        }
    }
    super::manifest::hex(&h)
}

/// How an update merges: a segment with a fifth of its records deleted is
/// merged (the records go, and their share of the statistics scores use);
/// the small segments updates add are merged eight at a time (tantivy's
/// log policy); no merge makes a segment of over `max` records.
///
/// An update does not merge every segment as a full build does: tantivy
/// merges a segment with deleted records by estimating its token counts
/// from its quantised field lengths, which moved scores by 0.3% on the
/// fixtures, more than the few deleted records left in the statistics do
/// (and a merge of the six locales' segment took 3.2 s of a 6.6 s update).
pub fn merge_policy(max: usize) -> tantivy::merge_policy::LogMergePolicy {
    let mut policy = tantivy::merge_policy::LogMergePolicy::default();
    policy.set_del_docs_ratio_before_merge(0.2);
    policy.set_max_docs_before_merge(max);
    policy
}

/// The records of the generation folder `dir`, if it has them.
pub fn load(dir: &Path) -> Option<Records> {
    let raw = std::fs::read(dir.join(RECORDS_FILE)).ok()?;
    serde_json::from_slice(&raw).ok()
}

/// Writes the records into a generation folder being built.
pub fn save(dir: &Path, records: &Records) -> Result<()> {
    let json = serde_json::to_vec(records).expect("records serialise");
    store::write_atomically(dir, RECORDS_FILE, &json)
}

/// The index of the complete generation `from`, its tantivy files linked
/// into the empty generation folder `to` (hard links, copies where links
/// cannot be made; its metadata files copied, as tantivy replaces them) and
/// opened there. `None` where that fails: what was put in `to` is removed,
/// and the build writes every record instead.
pub fn open_linked(from: &Path, to: &Path) -> Option<Index> {
    const OWN: [&str; 2] = ["meta.json", ".managed.json"];
    let raw = std::fs::read(from.join(".managed.json")).ok()?;
    let files: Vec<String> = serde_json::from_slice(&raw).ok()?;
    // Names tantivy wrote, in the folder itself.
    let names: Vec<&str> = (files.iter().map(String::as_str))
        .filter(|n| !OWN.contains(n) && !n.contains('/') && !n.contains(".."))
        .chain(OWN)
        .collect();
    let mut made = Vec::new();
    let mut link = || -> Option<Index> {
        for name in &names {
            let (src, dst) = (from.join(name), to.join(name));
            let linked = !OWN.contains(name) && std::fs::hard_link(&src, &dst).is_ok();
            if !linked {
                std::fs::copy(&src, &dst).ok()?;
            }
            made.push(dst);
        }
        Index::open_in_dir(to).ok()
    };
    let index = link();
    if index.is_none() {
        for path in made {
            let _ = std::fs::remove_file(path);
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_hashes_by_every_field_and_value_in_order() {
        let (_, fields) = super::super::schema();
        let record = |title: &str, year: u64| {
            let mut d = TantivyDocument::default();
            d.add_text(fields.rec, "da-dk/ms07-017.md");
            d.add_text(fields.title, title);
            d.add_u64(fields.year, year);
            d
        };
        let a = record("Sårbarhed i GDI", 2007);
        let h = hash_records([&a]);
        assert_eq!(h, hash_records([&record("Sårbarhed i GDI", 2007)]));
        assert_eq!(h.len(), 32);
        assert_ne!(h, hash_records([&record("Sårbarhed i GDI", 2008)]));
        assert_ne!(h, hash_records([&record("Sårbarhed i GDI ", 2007)]));
        // Two records are not one record holding both.
        let b = record("x", 2007);
        assert_ne!(hash_records([&a, &b]), hash_records([&b, &a]));
        assert_ne!(hash_records([&a]), hash_records([&a, &a]));
    }
}
