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
use crate::model::{BulletinId, DocKind, Impact, KbNumber, Severity};

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

/// The reconciled main KB of each bulletin, and its severity and impact
/// where its descriptions state them.
#[derive(Debug, Clone, Default)]
pub struct Consensus {
    /// Main KB by bulletin.
    pub main_kb: HashMap<BulletinId, KbNumber>,
    /// Severity by bulletin: the most common one its descriptions state.
    pub severity: HashMap<BulletinId, Severity>,
    /// Impact categories by bulletin: the most common set its descriptions state.
    pub impacts: HashMap<BulletinId, Vec<Impact>>,
    /// Bulletins whose descriptions disagree.
    pub conflicts: Vec<Conflict>,
}

/// Votes over all documents.
pub fn reconcile(docs: &[Document]) -> Consensus {
    let mut claims: BTreeMap<BulletinId, BTreeMap<KbNumber, Vec<String>>> = BTreeMap::new();
    let mut mentions: HashMap<(BulletinId, KbNumber), usize> = HashMap::new();
    let mut severities: BTreeMap<BulletinId, BTreeMap<Severity, usize>> = BTreeMap::new();
    let mut impacts: BTreeMap<BulletinId, BTreeMap<Vec<Impact>, usize>> = BTreeMap::new();
    let mut described = |id: BulletinId, severity: Option<Severity>, found: &[Impact]| {
        if let Some(s) = severity {
            *severities.entry(id).or_default().entry(s).or_default() += 1;
        }
        if !found.is_empty() {
            let mut set = found.to_vec();
            set.sort();
            *impacts.entry(id).or_default().entry(set).or_default() += 1;
        }
    };
    for d in docs {
        if let (DocKind::Bulletin, Some(id)) = (d.kind, d.bulletin_id) {
            described(id, d.severity, &d.impacts);
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
            if let Some(id) = e.bulletin_id {
                described(id, e.severity, &e.impacts);
            }
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
    for (id, counts) in severities {
        if let Some((s, _)) = counts
            .into_iter()
            .max_by_key(|&(s, n)| (n, std::cmp::Reverse(s)))
        {
            out.severity.insert(id, s);
        }
    }
    for (id, counts) in impacts {
        if let Some((set, _)) = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        {
            out.impacts.insert(id, set);
        }
    }
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
