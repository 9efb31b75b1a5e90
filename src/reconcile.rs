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

/// One severity word a locale was found to use, learned from the other
/// locales' severity for the same bulletins.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct LearnedSeverity {
    /// The locale (`de-de`).
    pub locale: String,
    /// The word as its headings state it, lower case (`hoch`).
    pub word: String,
    /// What the other locales say those bulletins are.
    pub severity: Severity,
    /// Bulletins that agree, and bulletins that state the word.
    pub votes: (usize, usize),
}

/// Learns each locale's severity words from agreement and applies them.
///
/// A bulletin's heading states its severity after the id in every locale
/// (`MS08-067 - Kritisch`, `- 緊急`). Where no table knows the word, the
/// other locales' severity for the same bulletin says what it means: a word
/// that at least 3 bulletins state, 80% of them with one majority severity
/// elsewhere, means that severity in that locale, and every bulletin of the
/// locale stating it gets it. The tables then only help: a language without
/// a row reads its own severity words from the corpus.
pub fn learn_severity(docs: &mut [Document]) -> Vec<LearnedSeverity> {
    // What each locale states for each bulletin, by the tables.
    let mut stated: HashMap<BulletinId, BTreeMap<String, Severity>> = HashMap::new();
    for d in docs.iter() {
        let locale = d.locale.clone().unwrap_or_default();
        if let (DocKind::Bulletin, Some(id), Some(s)) = (d.kind, d.bulletin_id, d.severity) {
            stated.entry(id).or_default().insert(locale.clone(), s);
        }
        for e in &d.entries {
            if let (Some(id), Some(s)) = (e.bulletin_id, e.severity) {
                stated
                    .entry(id)
                    .or_default()
                    .entry(locale.clone())
                    .or_insert(s);
            }
        }
    }
    let majority_elsewhere = |id: BulletinId, locale: &str| -> Option<Severity> {
        let mut votes: BTreeMap<Severity, usize> = BTreeMap::new();
        for (l, s) in stated.get(&id)? {
            if l != locale {
                *votes.entry(*s).or_default() += 1;
            }
        }
        let top = *votes.values().max()?;
        let mut best = votes.iter().filter(|(_, n)| **n == top);
        match (best.next(), best.next()) {
            (Some((s, _)), None) => Some(*s),
            _ => None,
        }
    };
    // (locale, word) → severity → bulletins.
    let mut evidence: BTreeMap<(String, String), (usize, BTreeMap<Severity, usize>)> =
        BTreeMap::new();
    for d in docs
        .iter()
        .filter(|d| d.kind == DocKind::Bulletin && d.severity.is_none())
    {
        let (Some(id), Some(word)) = (d.bulletin_id, d.severity_stated.clone()) else {
            continue;
        };
        let locale = d.locale.clone().unwrap_or_default();
        let slot = evidence.entry((locale.clone(), word)).or_default();
        slot.0 += 1;
        if let Some(s) = majority_elsewhere(id, &locale) {
            *slot.1.entry(s).or_default() += 1;
        }
    }
    let mut learned = Vec::new();
    for ((locale, word), (stating, by_severity)) in evidence {
        let Some((&severity, &agree)) = by_severity.iter().max_by_key(|(_, n)| **n) else {
            continue;
        };
        let voted: usize = by_severity.values().sum();
        if agree >= 3 && agree * 5 >= voted * 4 {
            learned.push(LearnedSeverity {
                locale,
                word,
                severity,
                votes: (agree, stating),
            });
        }
    }
    for d in docs
        .iter_mut()
        .filter(|d| d.kind == DocKind::Bulletin && d.severity.is_none())
    {
        let locale = d.locale.clone().unwrap_or_default();
        if let Some(w) = learned
            .iter()
            .find(|l| l.locale == locale && Some(&l.word) == d.severity_stated.as_ref())
        {
            d.severity = Some(w.severity);
        }
    }
    learned
}
