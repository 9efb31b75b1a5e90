//! In: every extracted `Document`. Out: `Consensus`, the main KB of each
//! bulletin as the majority of its descriptions says, and the conflicts.
//!
//! The same bulletin is described by its own file in each locale and by an
//! entry in each locale's monthly summary. Copy-paste errors (the Norwegian
//! MS07-SEP summary gives MS07-053 the KB of MS07-052) show up as a minority
//! claim and are outvoted; a tie is broken by how often each candidate is
//! mentioned in the bulletin's own files (a wrong title KB is usually
//! mentioned only once, the right one many times).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::extract::Document;
use crate::model::{BulletinId, DocKind, KbNumber};

/// One bulletin whose descriptions disagree about its main KB.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Conflict {
    /// The bulletin.
    pub bulletin_id: BulletinId,
    /// The KB the majority names (what the index uses).
    pub chosen: KbNumber,
    /// Every claimed KB with the documents (paths) claiming it.
    pub claims: Vec<(KbNumber, Vec<String>)>,
}

/// The reconciled main KB of each bulletin.
#[derive(Debug, Clone, Default)]
pub struct Consensus {
    /// Main KB by bulletin.
    pub main_kb: HashMap<BulletinId, KbNumber>,
    /// Bulletins whose descriptions disagree.
    pub conflicts: Vec<Conflict>,
}

/// Votes over all documents.
pub fn reconcile(docs: &[Document]) -> Consensus {
    let mut claims: BTreeMap<BulletinId, BTreeMap<KbNumber, Vec<String>>> = BTreeMap::new();
    let mut mentions: HashMap<(BulletinId, KbNumber), usize> = HashMap::new();
    for d in docs {
        if let (DocKind::Bulletin, Some(id)) = (d.kind, d.bulletin_id) {
            if let Some(kb) = d.main_kb {
                claims
                    .entry(id)
                    .or_default()
                    .entry(kb)
                    .or_default()
                    .push(d.path.clone());
            }
            for &kb in &d.kbs {
                let count = d.body.matches(&kb.to_string()).count();
                *mentions.entry((id, kb)).or_default() += count;
            }
        }
        for e in &d.entries {
            if let (Some(id), Some(kb)) = (e.bulletin_id, e.main_kb) {
                let path = format!("{}#{}", d.path, id);
                claims
                    .entry(id)
                    .or_default()
                    .entry(kb)
                    .or_default()
                    .push(path);
            }
        }
    }
    let mut out = Consensus::default();
    for (id, by_kb) in claims {
        let chosen = by_kb
            .iter()
            .max_by_key(|(kb, paths)| {
                (
                    paths.len(),
                    mentions.get(&(id, **kb)).copied().unwrap_or(0),
                    std::cmp::Reverse(**kb),
                )
            })
            .map(|(kb, _)| *kb);
        let Some(chosen) = chosen else { continue };
        out.main_kb.insert(id, chosen);
        if by_kb.len() > 1 {
            out.conflicts.push(Conflict {
                bulletin_id: id,
                chosen,
                claims: by_kb.into_iter().collect(),
            });
        }
    }
    out
}
