//! The rows of a bulletin's locales aligned, the words learned from them,
//! and the consensus rows with their agreement figures.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Entry, LearnedCell, Product, ProductCheck, ProductStore, claims, majority};
use crate::extract::Document;
use crate::extract::products::{ProductInfo, ProductRow, Replaced};
use crate::model::{BulletinId, DocKind, Impact, KbNumber, Severity};

/// What aligns a row across locales: the numbers in its name, in any
/// order (`Windows Server 2003 met SP1 voor Itanium-systemen` and
/// `Windows Server 2003 with SP1 for Itanium-based Systems`;
/// `MDAC 2.8 を実行している Windows Server 2003`). Its Latin words only
/// choose among rows with the same numbers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Signature {
    numbers: Vec<u32>,
}

fn signature(name: &str) -> Signature {
    let mut numbers: Vec<u32> = name
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty() && n.len() <= 9)
        .filter_map(|n| n.parse().ok())
        .collect();
    numbers.sort_unstable();
    Signature { numbers }
}

/// A name's Latin words of two letters or more, lower case, without `microsoft`.
fn latin_words(name: &str) -> BTreeSet<String> {
    name.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
        .map(str::to_ascii_lowercase)
        .filter(|w| w != "microsoft")
        .collect()
}

/// One locale's page of a bulletin.
struct Page<'a> {
    locale: String,
    info: &'a ProductInfo,
    /// Severity and impact per row, after the learned words.
    read: Vec<(Option<Severity>, Option<Impact>)>,
}

/// A row's KBs as compared: the stated ones, else the main KB.
fn kbs_of(row: &ProductRow, main: Option<KbNumber>) -> Vec<KbNumber> {
    let mut k = if row.kbs.is_empty() {
        main.into_iter().collect()
    } else {
        row.kbs.clone()
    };
    k.sort();
    k
}

fn replaced_ids(r: &[Replaced]) -> Vec<BulletinId> {
    let mut v: Vec<BulletinId> = r.iter().map(|x| x.bulletin).collect();
    v.sort();
    v
}

/// Per page, per row: the skeleton rows it states.
type Matched = Vec<Vec<Vec<usize>>>;

/// A bulletin's skeleton rows and which of them each page's rows state.
type Alignment = (Vec<Signature>, Matched);

/// The first row of a page that states skeleton row `j`.
fn covering(m: &[Vec<usize>], j: usize) -> Option<usize> {
    m.iter().position(|js| js.contains(&j))
}

/// The numbers of a name, as a set.
fn number_set(s: &Signature) -> BTreeSet<u32> {
    s.numbers.iter().copied().collect()
}

/// The skeleton rows of a bulletin and, per page, which skeleton rows each
/// of its rows states: first the same signature (greedy, in page order);
/// then a row that joins consecutive skeleton rows (`Windows Vista Service
/// Pack 1 和 Windows Vista Service Pack 2` for two rows) states them all,
/// and a row that is part of one (one of two rows where the others write
/// one) states that one.
fn align(pages: &[Page]) -> (Vec<Signature>, Matched) {
    let counts = pages.iter().map(|p| p.info.rows.len()).filter(|&n| n > 0);
    let Some((n, _)) = majority(counts) else {
        return (Vec::new(), pages.iter().map(|_| Vec::new()).collect());
    };
    let full: Vec<&Page> = pages.iter().filter(|p| p.info.rows.len() == n).collect();
    let skeleton: Vec<(Signature, BTreeSet<String>)> = (0..n)
        .map(|i| {
            let (sig, _) = majority(full.iter().map(|p| signature(&p.info.rows[i].product)))
                .expect("a full page has row i");
            let words = full
                .iter()
                .map(|p| &p.info.rows[i].product)
                .filter(|f| signature(f) == sig)
                .max_by_key(|f| f.chars().filter(char::is_ascii_alphanumeric).count())
                .map(|f| latin_words(f))
                .unwrap_or_default();
            (sig, words)
        })
        .collect();
    let matched = pages
        .iter()
        .map(|p| {
            let mut taken = vec![false; skeleton.len()];
            let mut next = 0;
            p.info
                .rows
                .iter()
                .map(|r| {
                    let s = signature(&r.product);
                    let words = latin_words(&r.product);
                    let candidates: Vec<usize> = (next..skeleton.len())
                        .chain(0..next)
                        .filter(|&j| !taken[j] && skeleton[j].0 == s)
                        .collect();
                    let j = candidates
                        .iter()
                        .copied()
                        .find(|&j| !skeleton[j].1.is_disjoint(&words))
                        .or(candidates.first().copied())?;
                    taken[j] = true;
                    next = j + 1;
                    Some(j)
                })
                .collect::<Vec<Option<usize>>>()
        })
        .collect::<Vec<_>>();
    let sets: Vec<BTreeSet<u32>> = skeleton.iter().map(|(s, _)| number_set(s)).collect();
    let matched = pages
        .iter()
        .zip(matched)
        .map(|(p, m)| {
            let mut taken: Vec<bool> = vec![false; skeleton.len()];
            for j in m.iter().flatten() {
                taken[*j] = true;
            }
            p.info
                .rows
                .iter()
                .zip(m)
                .map(|(r, j)| {
                    if let Some(j) = j {
                        return vec![j];
                    }
                    let mine = number_set(&signature(&r.product));
                    let words = latin_words(&r.product);
                    if mine.is_empty() {
                        return Vec::new();
                    }
                    // A run of untaken skeleton rows whose numbers together are this row's.
                    for start in 0..skeleton.len() {
                        let mut union: BTreeSet<u32> = BTreeSet::new();
                        for end in start..skeleton.len() {
                            if taken[end]
                                || !sets[end].is_subset(&mine)
                                || skeleton[end].1.is_disjoint(&words)
                            {
                                break;
                            }
                            union.extend(sets[end].iter().copied());
                            if end > start && union == mine {
                                for t in &mut taken[start..=end] {
                                    *t = true;
                                }
                                return (start..=end).collect();
                            }
                        }
                    }
                    // Part of one untaken skeleton row.
                    (0..skeleton.len())
                        .find(|&j| {
                            !taken[j]
                                && mine.is_subset(&sets[j])
                                && mine != sets[j]
                                && !skeleton[j].1.is_disjoint(&words)
                        })
                        .map(|j| vec![j])
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let skeleton = skeleton.into_iter().map(|(s, _)| s).collect();
    (skeleton, matched)
}

/// The column (counted from the end) of a row's word read as a severity
/// or an impact.
fn column_of(row: &ProductRow, role: Role) -> Option<u8> {
    row.words
        .iter()
        .find(|(_, w)| role.read(w).is_some())
        .map(|(c, _)| *c)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
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

/// The consensus of one bulletin's aligned rows.
struct Aligned<'a> {
    rows: Vec<Product>,
    /// Per page, per row: the consensus rows it states.
    matched: &'a Matched,
}

/// The consensus rows of one bulletin's pages, aligned once (the
/// alignment reads names only, so learning words does not change it).
fn consensus_rows<'a>(
    pages: &[Page],
    main: Option<KbNumber>,
    alignment: &'a Alignment,
) -> Aligned<'a> {
    let (skeleton, matched) = alignment;
    let mut rows = Vec::new();
    for j in 0..skeleton.len() {
        let members: Vec<(&Page, usize)> = pages
            .iter()
            .zip(matched)
            .filter_map(|(p, m)| covering(m, j).map(|i| (p, i)))
            .collect();
        let product = super::best_form(
            members
                .iter()
                .map(|&(p, i)| p.info.rows[i].product.as_str()),
        )
        .unwrap_or_default();
        let kb_claims: Vec<Vec<KbNumber>> = members
            .iter()
            .map(|&(p, i)| kbs_of(&p.info.rows[i], main))
            .collect();
        let kbs = majority(kb_claims.iter().cloned())
            .map(|(k, _)| k)
            .unwrap_or_default();
        let severities: Vec<Severity> = members.iter().filter_map(|&(p, i)| p.read[i].0).collect();
        let impacts: Vec<Impact> = members.iter().filter_map(|&(p, i)| p.read[i].1).collect();
        let replaces_claims: Vec<Vec<BulletinId>> = members
            .iter()
            .filter_map(|&(p, i)| p.info.rows[i].replaces.as_deref().map(replaced_ids))
            .collect();
        let replaced = majority(replaces_claims.iter().cloned())
            .map(|(r, _)| r)
            .unwrap_or_default();
        let replaces = replaced
            .iter()
            .map(|&b| Replaced {
                bulletin: b,
                kb: majority(members.iter().filter_map(|&(p, i)| {
                    p.info.rows[i]
                        .replaces
                        .as_ref()?
                        .iter()
                        .find(|r| r.bulletin == b)?
                        .kb
                }))
                .map(|(k, _)| k),
            })
            .collect();
        let mut conflicts = Vec::new();
        if kb_claims.iter().any(|k| *k != kbs) {
            let shown: Vec<String> = kb_claims
                .iter()
                .map(|k| {
                    k.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("+")
                })
                .collect();
            conflicts.push(format!("kb {}", claims(&shown)));
        }
        if severities
            .iter()
            .any(|s| Some(s) != majority(severities.iter()).map(|(m, _)| m))
        {
            let shown: Vec<&str> = severities.iter().map(|s| s.code()).collect();
            conflicts.push(format!("severity {}", claims(&shown)));
        }
        if replaces_claims.iter().any(|r| *r != replaced) {
            let shown: Vec<String> = replaces_claims
                .iter()
                .map(|r| {
                    if r.is_empty() {
                        "none".to_string()
                    } else {
                        r.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("+")
                    }
                })
                .collect();
            conflicts.push(format!("replaces {}", claims(&shown)));
        }
        let mut locales: Vec<String> = members.iter().map(|(p, _)| p.locale.clone()).collect();
        locales.sort();
        locales.dedup();
        let (service_pack, platform) = super::edition(&product);
        rows.push(Product {
            product,
            service_pack,
            platform,
            component: majority(
                members
                    .iter()
                    .filter_map(|&(p, i)| p.info.rows[i].component.clone()),
            )
            .map(|(c, _)| c),
            group: majority(
                members
                    .iter()
                    .filter_map(|&(p, i)| p.info.rows[i].group.clone()),
            )
            .map(|(g, _)| g),
            kbs,
            kb_stated: members.iter().any(|&(p, i)| !p.info.rows[i].kbs.is_empty()),
            impact: majority(impacts.iter().copied()).map(|(i, _)| i),
            severity: majority(severities.iter().copied()).map(|(s, _)| s),
            replaces,
            locales,
            conflicts,
        });
    }
    Aligned { rows, matched }
}

/// The pages of every bulletin, by id, one per locale.
fn pages_by_bulletin(docs: &[Document]) -> BTreeMap<BulletinId, Vec<Page<'_>>> {
    let mut by: BTreeMap<BulletinId, Vec<Page>> = BTreeMap::new();
    for d in docs {
        let (DocKind::Bulletin, Some(id)) = (d.kind, d.bulletin_id) else {
            continue;
        };
        let locale = d.locale.clone().unwrap_or_else(|| d.path.clone());
        let pages = by.entry(id).or_default();
        if pages.iter().any(|p| p.locale == locale) {
            continue;
        }
        let read = d
            .products
            .rows
            .iter()
            .map(|r| (r.severity, r.impact))
            .collect();
        pages.push(Page {
            locale,
            info: &d.products,
            read,
        });
    }
    by
}

/// Learns, per locale, the severity and impact words its rows state where
/// the other locales read one, and applies them to its rows that no table
/// read.
fn learn_words(
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
fn replaced_words(
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

/// Reconciles every bulletin's products over its locales, learns what no
/// table knows, builds the supersedence graph and measures the agreement.
pub fn reconcile(docs: &[Document], main_kb: &HashMap<BulletinId, KbNumber>) -> ProductStore {
    let mut by = pages_by_bulletin(docs);
    let alignments: BTreeMap<BulletinId, Alignment> =
        by.iter().map(|(id, pages)| (*id, align(pages))).collect();
    let mut check = ProductCheck {
        learned: learn_words(&mut by, &alignments, main_kb),
        ..ProductCheck::default()
    };
    let (replaced_word, learned_replaced) = replaced_words(&by);
    check.learned.extend(learned_replaced);
    let mut entries = Vec::new();
    for (id, pages) in &by {
        let main = main_kb.get(id).copied();
        let aligned = consensus_rows(pages, main, &alignments[id]);
        // Bulletin-wide replaced bulletins: those half the pages or more state.
        let edges: Vec<BTreeSet<BulletinId>> = pages.iter().map(|p| p.info.replaced()).collect();
        let mut stated: BTreeMap<BulletinId, usize> = BTreeMap::new();
        for e in &edges {
            for b in e {
                *stated.entry(*b).or_default() += 1;
            }
        }
        let kept: BTreeSet<BulletinId> = stated
            .iter()
            .filter(|(_, n)| **n * 2 >= pages.len())
            .map(|(b, _)| *b)
            .collect();
        if pages.len() >= 2 {
            check.compared += 1;
            for (p, (e, m)) in pages.iter().zip(edges.iter().zip(aligned.matched)) {
                // (rows, replaced bulletins, severity): agreeing, compared.
                let mut votes = [(0usize, 0usize); 3];
                votes[1] = (e.intersection(&kept).count(), e.union(&kept).count());
                for (i, j) in m
                    .iter()
                    .enumerate()
                    .flat_map(|(i, js)| js.iter().map(move |j| (i, j)))
                {
                    let row = &aligned.rows[*j];
                    if kbs_of(&p.info.rows[i], main) == row.kbs {
                        votes[0].0 += 1;
                    }
                    if let Some(s) = row.severity {
                        votes[2].1 += 1;
                        if p.read[i].0 == Some(s) {
                            votes[2].0 += 1;
                        }
                    }
                }
                votes[0].1 = p.info.rows.len().max(aligned.rows.len());
                let mine = check.per_locale.entry(p.locale.clone()).or_default();
                for (k, (agree, all)) in votes.into_iter().enumerate() {
                    mine[k].0 += agree;
                    mine[k].1 += all;
                }
                check.row_votes.0 += votes[0].0;
                check.row_votes.1 += votes[0].1;
                check.edge_votes.0 += votes[1].0;
                check.edge_votes.1 += votes[1].1;
                check.severity_votes.0 += votes[2].0;
                check.severity_votes.1 += votes[2].1;
            }
        }
        for (j, r) in aligned.rows.iter().enumerate() {
            if !r.conflicts.is_empty() {
                check.conflict_count += 1;
                if check.conflicts.len() < 50 {
                    check.conflicts.push(format!(
                        "{id} row {} ({}): {}",
                        j + 1,
                        r.product,
                        r.conflicts.join("; ")
                    ));
                }
            }
        }
        let supersedes =
            super::graph::supersedes(&aligned.rows, pages_matrices(pages, &replaced_word), &kept);
        let not_affected = majority(
            pages
                .iter()
                .filter(|p| !p.info.not_affected.is_empty())
                .map(|p| p.info.not_affected.len()),
        )
        .and_then(|(n, _)| {
            pages
                .iter()
                .filter(|p| p.info.not_affected.len() == n)
                // The list that reads most untranslated: the most names
                // in Latin letters only, then the shortest.
                .max_by_key(|p| {
                    let forms = p.info.not_affected.iter().map(|s| super::untranslated(s));
                    let latin = forms.clone().filter(|(l, _)| *l).count();
                    let length: usize = forms.map(|(_, std::cmp::Reverse(n))| n).sum();
                    (latin, std::cmp::Reverse(length))
                })
                .map(|p| p.info.not_affected.clone())
        })
        .unwrap_or_default();
        let mut locales: Vec<String> = pages.iter().map(|p| p.locale.clone()).collect();
        locales.sort();
        check.bulletins += usize::from(!aligned.rows.is_empty());
        check.rows += aligned.rows.len();
        entries.push(Entry {
            bulletin: *id,
            rows: aligned.rows,
            not_affected,
            supersedes,
            superseded_by: Vec::new(),
            locales,
        });
    }
    let mut store = ProductStore { entries, check };
    super::graph::link(&mut store, main_kb);
    store
}

/// The per-product replaced bulletins of a bulletin's FAQ tables: per
/// (replaced bulletin, product heading), whether most pages with a table of
/// that shape say "replaced" in their locale's word.
fn pages_matrices(pages: &[Page], word: &HashMap<String, String>) -> Vec<(BulletinId, String)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn page(locale: &str, names: &[&str]) -> ProductInfo {
        ProductInfo {
            rows: names
                .iter()
                .map(|n| ProductRow {
                    product: n.to_string(),
                    component: None,
                    group: None,
                    kbs: Vec::new(),
                    download: true,
                    impact: None,
                    severity: None,
                    replaces: None,
                    words: vec![(1, locale.to_string())],
                })
                .collect(),
            ..ProductInfo::default()
        }
    }

    fn pages_of(infos: &[ProductInfo; 3]) -> Vec<Page<'_>> {
        ["de-de", "nl-nl", "zh-tw"]
            .iter()
            .zip(infos)
            .map(|(l, info)| Page {
                locale: l.to_string(),
                info,
                read: vec![(None, None); info.rows.len()],
            })
            .collect()
    }

    #[test]
    fn a_row_joining_two_rows_states_both_and_a_split_row_states_its_whole() {
        let two = [
            "Windows Vista Service Pack 1",
            "Windows Vista Service Pack 2",
            "Windows 7",
        ];
        let infos = [
            page("de-de", &two),
            page("nl-nl", &two),
            page(
                "zh-tw",
                &[
                    "Windows Vista Service Pack 1 和 Windows Vista Service Pack 2",
                    "Windows 7",
                ],
            ),
        ];
        let (skeleton, matched) = align(&pages_of(&infos));
        assert_eq!(skeleton.len(), 3);
        assert_eq!(matched[0], vec![vec![0], vec![1], vec![2]]);
        assert_eq!(matched[2], vec![vec![0, 1], vec![2]]);
        // The other way round: the majority joins, one locale splits.
        let joined = [
            "Windows Vista Service Pack 1 and Windows Vista Service Pack 2",
            "Windows 7",
        ];
        let infos = [
            page("de-de", &joined),
            page("nl-nl", &joined),
            page("zh-tw", &two),
        ];
        let (_, matched) = align(&pages_of(&infos));
        assert_eq!(matched[2], vec![vec![0], vec![0], vec![1]]);
    }

    #[test]
    fn translated_joining_words_leave_the_signature_alone() {
        assert_eq!(
            signature("Windows Server 2003 met SP1 voor Itanium-systemen"),
            signature("Windows Server 2003 with SP1 for Itanium-based Systems")
        );
        assert_eq!(
            signature("Windows Vista en Windows Vista Service Pack 1"),
            signature("Windows Vista および Windows Vista Service Pack 1")
        );
        assert_eq!(
            signature(
                "Microsoft Windows XP Service Pack 1 mit Microsoft Data Access Components 2.7 Service Pack 1"
            ),
            signature(
                "Microsoft Data Access Components 2.7 Service Pack 1 を実行している Microsoft Windows XP Service Pack 1"
            )
        );
        assert_ne!(
            signature("Windows Vista"),
            signature("Windows Vista x64 Edition")
        );
    }
}
