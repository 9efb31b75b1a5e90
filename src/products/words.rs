//! The words each locale's product tables use, learned from the aligned
//! rows: severity and impact words where the other locales read one, and
//! the word of the FAQ tables that says "replaced".

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::align::*;
use super::{LearnedCell, majority};
use crate::extract::products::ProductRow;
use crate::model::{BulletinId, KbNumber};

/// The column (counted from the end) of a row's word read as a severity
/// or an impact.
pub(super) fn column_of(row: &ProductRow, role: Role) -> Option<u8> {
    row.words
        .iter()
        .find(|(_, w)| role.read(w).is_some())
        .map(|(c, _)| *c)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Severity,
    Impact,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Severity => "severity",
            Role::Impact => "impact",
        }
    }

    /// What the vocabulary reads in a cell, as a code.
    fn read(self, w: &str) -> Option<&'static str> {
        match self {
            Role::Severity => crate::extract::summary::severity_of(w).map(|s| s.code()),
            Role::Impact => crate::vocab::impacts_in(w).first().map(|i| i.code()),
        }
    }
}

/// Learns, per locale, the severity and impact words its rows state where
/// the other locales read one, and applies them to its rows that no table
/// read.
pub(super) fn learn_words(
    by: &mut BTreeMap<BulletinId, Vec<Page>>,
    alignments: &BTreeMap<BulletinId, Alignment>,
    main_kb: &HashMap<BulletinId, KbNumber>,
) -> Vec<LearnedCell> {
    // (locale, role, word) → votes per value.
    let mut votes: BTreeMap<(String, &'static str, String), BTreeMap<&'static str, usize>> =
        BTreeMap::new();
    for (id, pages) in by.iter() {
        if pages.len() < 2 {
            continue;
        }
        let aligned = consensus_rows(pages, main_kb.get(id).copied(), &alignments[id]);
        for (j, row) in aligned.rows.iter().enumerate() {
            for role in [Role::Severity, Role::Impact] {
                let value = match role {
                    Role::Severity => row.severity.map(|s| s.code()),
                    Role::Impact => row.impact.map(|i| i.code()),
                };
                let Some(value) = value else { continue };
                // Where the pages that read it found it.
                let members = pages
                    .iter()
                    .zip(aligned.matched)
                    .filter_map(|(p, m)| covering(m, j).map(|i| (p, i)));
                let column = majority(
                    members
                        .clone()
                        .filter_map(|(p, i)| column_of(&p.info.rows[i], role)),
                )
                .map(|(c, _)| c);
                let Some(column) = column else { continue };
                for (p, i) in members {
                    let r = &p.info.rows[i];
                    let unread = match role {
                        Role::Severity => p.read[i].0.is_none(),
                        Role::Impact => p.read[i].1.is_none(),
                    };
                    if !unread {
                        continue;
                    }
                    if let Some((_, w)) = r.words.iter().find(|(c, _)| *c == column) {
                        *votes
                            .entry((p.locale.clone(), role.name(), w.clone()))
                            .or_default()
                            .entry(value)
                            .or_default() += 1;
                    }
                }
            }
        }
    }
    // How often each word stands in a locale's rows at all: a word that
    // stands as often where the others read nothing (`対象外`, not
    // applicable) is no impact or severity.
    let mut stands: HashMap<(&str, &str), usize> = HashMap::new();
    for pages in by.values() {
        for p in pages {
            for r in &p.info.rows {
                let distinct: BTreeSet<&str> = r.words.iter().map(|(_, w)| w.as_str()).collect();
                for w in distinct {
                    *stands.entry((p.locale.as_str(), w)).or_default() += 1;
                }
            }
        }
    }
    let mut learned = Vec::new();
    let mut table: HashMap<(String, &'static str, String), &'static str> = HashMap::new();
    for ((locale, role, word), by_value) in votes {
        let stood = stands
            .get(&(locale.as_str(), word.as_str()))
            .copied()
            .unwrap_or(0);
        let total: usize = by_value.values().sum::<usize>().max(stood);
        let Some((&value, &n)) = by_value.iter().max_by_key(|(_, n)| **n) else {
            continue;
        };
        if total >= 3 && n * 5 >= total * 4 {
            table.insert((locale.clone(), role, word.clone()), value);
            learned.push(LearnedCell {
                locale,
                role: role.to_string(),
                word,
                value: value.to_string(),
                votes: (n, total),
            });
        }
    }
    for pages in by.values_mut() {
        for p in pages.iter_mut() {
            let info = p.info;
            for (i, r) in info.rows.iter().enumerate() {
                let look = |role: &'static str| {
                    r.words
                        .iter()
                        .find_map(|(_, w)| table.get(&(p.locale.clone(), role, w.clone())).copied())
                };
                let (severity, impact) = (look("severity"), look("impact"));
                let read = &mut p.read[i];
                if read.0.is_none() {
                    read.0 = severity.and_then(|c| c.parse().ok());
                }
                if read.1.is_none() {
                    read.1 = impact.and_then(|c| c.parse().ok());
                }
            }
        }
    }
    learned
}

/// Per locale, the word of its replaced-bulletins tables that says
/// "replaced": the one standing in the most rows (each row names a
/// bulletin some product's update replaces); among equals, the one another
/// word contains (`nicht ersetzt` holds `ersetzt`).
pub(super) fn replaced_words(
    by: &BTreeMap<BulletinId, Vec<Page>>,
) -> (HashMap<String, String>, Vec<LearnedCell>) {
    let mut rows: HashMap<&str, usize> = HashMap::new();
    let mut seen: HashMap<&str, BTreeMap<&str, usize>> = HashMap::new();
    for pages in by.values() {
        for p in pages {
            for m in &p.info.matrices {
                for (_, cells) in &m.rows {
                    *rows.entry(&p.locale).or_default() += 1;
                    let distinct: BTreeSet<&str> = cells.iter().map(String::as_str).collect();
                    for w in distinct.into_iter().filter(|w| !w.is_empty()) {
                        *seen.entry(&p.locale).or_default().entry(w).or_default() += 1;
                    }
                }
            }
        }
    }
    let mut out = HashMap::new();
    let mut learned = Vec::new();
    for (locale, words) in seen {
        let total = rows.get(locale).copied().unwrap_or(0);
        let contained = |w: &str| words.keys().any(|o| *o != w && o.contains(w));
        let Some((word, n)) = words
            .iter()
            .max_by_key(|(w, n)| (**n, contained(w), std::cmp::Reverse(w.len())))
        else {
            continue;
        };
        out.insert(locale.to_string(), word.to_string());
        learned.push(LearnedCell {
            locale: locale.to_string(),
            role: "replaced".to_string(),
            word: word.to_string(),
            value: "replaced".to_string(),
            votes: (*n, total),
        });
    }
    learned.sort_by(|a, b| a.locale.cmp(&b.locale));
    (out, learned)
}

/// The per-product replaced bulletins of a bulletin's FAQ tables: per
/// (replaced bulletin, product heading), whether most pages with a table of
/// that shape say "replaced" in their locale's word.
pub(super) fn pages_matrices(
    pages: &[Page],
    word: &HashMap<String, String>,
) -> Vec<(BulletinId, String)> {
    // Tables of the same shape: (count of tables, columns of each).
    let shape =
        |p: &Page| -> Vec<usize> { p.info.matrices.iter().map(|m| m.products.len()).collect() };
    let Some((common, _)) = majority(
        pages
            .iter()
            .filter(|p| !p.info.matrices.is_empty())
            .map(shape),
    ) else {
        return Vec::new();
    };
    let same: Vec<&Page> = pages.iter().filter(|p| shape(p) == common).collect();
    let mut votes: BTreeMap<(usize, BulletinId, usize), (usize, usize)> = BTreeMap::new();
    let mut headings: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    for p in &same {
        let Some(w) = word.get(&p.locale) else {
            continue;
        };
        for (t, m) in p.info.matrices.iter().enumerate() {
            for (c, h) in m.products.iter().enumerate() {
                headings.entry((t, c)).or_default().push(h.clone());
            }
            for (b, cells) in &m.rows {
                for (c, cell) in cells.iter().enumerate() {
                    let slot = votes.entry((t, *b, c)).or_default();
                    slot.1 += 1;
                    if cell == w {
                        slot.0 += 1;
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for ((t, b, c), (yes, all)) in votes {
        if yes * 2 > all {
            let heading = headings
                .get(&(t, c))
                .and_then(|forms| super::best_form(forms.iter().map(String::as_str)))
                .unwrap_or_default();
            if !heading.is_empty() {
                out.push((b, heading));
            }
        }
    }
    out
}
