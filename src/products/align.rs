//! The rows of a bulletin's locales aligned by the numbers in their names,
//! and the consensus rows voted from them (the words learned from them are
//! in `words`, the whole reconciliation in `consensus`).

use std::collections::{BTreeMap, BTreeSet};

use super::{Product, claims, majority};
use crate::extract::Document;
use crate::extract::products::{ProductInfo, ProductRow, Replaced};
use crate::model::{BulletinId, DocKind, Impact, KbNumber, Severity};

/// What aligns a row across locales: the numbers in its name, in any
/// order (`Windows Server 2003 met SP1 voor Itanium-systemen` and
/// `Windows Server 2003 with SP1 for Itanium-based Systems`;
/// `MDAC 2.8 を実行している Windows Server 2003`). Its Latin words only
/// choose among rows with the same numbers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Signature {
    pub(super) numbers: Vec<u32>,
}

pub(super) fn signature(name: &str) -> Signature {
    let mut numbers: Vec<u32> = name
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty() && n.len() <= 9)
        .filter_map(|n| n.parse().ok())
        .collect();
    numbers.sort_unstable();
    Signature { numbers }
}

/// A name's Latin words of two letters or more, lower case, without `microsoft`.
pub(super) fn latin_words(name: &str) -> BTreeSet<String> {
    name.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
        .map(str::to_ascii_lowercase)
        .filter(|w| w != "microsoft")
        .collect()
}

/// One locale's page of a bulletin.
pub(super) struct Page<'a> {
    pub(super) locale: String,
    pub(super) info: &'a ProductInfo,
    /// Severity and impact per row, after the learned words.
    pub(super) read: Vec<(Option<Severity>, Option<Impact>)>,
    /// The KBs per row: those it states, else those its download links
    /// name elsewhere in the corpus (see [`update_kbs`]).
    pub(super) kbs: Vec<Vec<KbNumber>>,
    /// Every bulletin id the page names, anywhere in its text.
    pub(super) mentioned: &'a BTreeSet<BulletinId>,
}

/// A row's KBs as compared: the stated ones, else the main KB.
pub(super) fn kbs_of(stated: &[KbNumber], main: Option<KbNumber>) -> Vec<KbNumber> {
    let mut k = if stated.is_empty() {
        main.into_iter().collect()
    } else {
        stated.to_vec()
    };
    k.sort();
    k
}

/// The KB each update (download link) stands for, over the whole corpus:
/// every row that states one KB beside its links votes for it, in any
/// locale and any bulletin, and an update is kept where four votes in five
/// name one KB. A German row `Microsoft Word 2002 – [Update herunterladen
/// (KB917335)](…familyid=4cde644b…)` names the KB of the Chinese row that
/// links the same update with `[英文下載更新程式]`.
pub(super) fn update_kbs<'a>(
    rows: impl Iterator<Item = &'a ProductRow>,
) -> BTreeMap<&'a str, KbNumber> {
    let mut votes: BTreeMap<&str, BTreeMap<KbNumber, usize>> = BTreeMap::new();
    for r in rows {
        if let [kb] = r.kbs[..] {
            for u in &r.updates {
                *votes.entry(u).or_default().entry(kb).or_default() += 1;
            }
        }
    }
    votes
        .into_iter()
        .filter_map(|(u, by)| {
            let all: usize = by.values().sum();
            let (kb, n) = by
                .into_iter()
                .max_by_key(|&(k, n)| (n, std::cmp::Reverse(k)))?;
            (n * 5 >= all * 4).then_some((u, kb))
        })
        .collect()
}

/// A row's KBs: those it states, else those its links name, where every
/// link it has names one.
fn row_kbs(r: &ProductRow, updates: &BTreeMap<&str, KbNumber>) -> Vec<KbNumber> {
    if !r.kbs.is_empty() || r.updates.is_empty() {
        return r.kbs.clone();
    }
    let mut k: Vec<KbNumber> = r
        .updates
        .iter()
        .map(|u| updates.get(u.as_str()).copied())
        .collect::<Option<_>>()
        .unwrap_or_default();
    k.sort();
    k.dedup();
    k
}

pub(super) fn replaced_ids(r: &[Replaced]) -> Vec<BulletinId> {
    let mut v: Vec<BulletinId> = r.iter().map(|x| x.bulletin).collect();
    v.sort();
    v
}

/// Per page, per row: the skeleton rows it states.
pub(super) type Matched = Vec<Vec<Vec<usize>>>;

/// A bulletin's skeleton rows and which of them each page's rows state.
pub(super) type Alignment = (Vec<Signature>, Matched);

/// The first row of a page that states skeleton row `j`.
pub(super) fn covering(m: &[Vec<usize>], j: usize) -> Option<usize> {
    m.iter().position(|js| js.contains(&j))
}

/// The numbers of a name, as a set.
pub(super) fn number_set(s: &Signature) -> BTreeSet<u32> {
    s.numbers.iter().copied().collect()
}

/// The skeleton rows of a bulletin and, per page, which skeleton rows each
/// of its rows states: first the same signature (greedy, in page order);
/// then a row that joins consecutive skeleton rows (`Windows Vista Service
/// Pack 1 和 Windows Vista Service Pack 2` for two rows) states them all,
/// and a row that is part of one (one of two rows where the others write
/// one) states that one.
pub(super) fn align(pages: &[Page]) -> (Vec<Signature>, Matched) {
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
    // The KBs the full pages state for each skeleton row: among rows of
    // the same name (one per component table), the one stating the same
    // update is the same row.
    let stated: Vec<Vec<KbNumber>> = (0..n)
        .map(|i| {
            majority(full.iter().map(|p| &p.kbs[i]).filter(|k| !k.is_empty()))
                .map(|(k, _)| k.clone())
                .unwrap_or_default()
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
                .enumerate()
                .map(|(i, r)| {
                    let s = signature(&r.product);
                    let words = latin_words(&r.product);
                    let candidates: Vec<usize> = (next..skeleton.len())
                        .chain(0..next)
                        .filter(|&j| !taken[j] && skeleton[j].0 == s)
                        .collect();
                    let named = |j: usize| !skeleton[j].1.is_disjoint(&words);
                    let same_update = |j: usize| !p.kbs[i].is_empty() && stated[j] == p.kbs[i];
                    let j = candidates
                        .iter()
                        .copied()
                        .find(|&j| same_update(j) && named(j))
                        .or_else(|| candidates.iter().copied().find(|&j| same_update(j)))
                        .or_else(|| candidates.iter().copied().find(|&j| named(j)))
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

/// The consensus of one bulletin's aligned rows.
pub(super) struct Aligned<'a> {
    pub(super) rows: Vec<Product>,
    /// Per page, per row: the consensus rows it states.
    pub(super) matched: &'a Matched,
}

/// The consensus rows of one bulletin's pages, aligned once (the
/// alignment reads names only, so learning words does not change it).
pub(super) fn consensus_rows<'a>(
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
            .map(|&(p, i)| kbs_of(&p.kbs[i], main))
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
        let mut groups: BTreeMap<String, String> = members
            .iter()
            .filter_map(|&(p, i)| Some((p.locale.clone(), p.info.rows[i].group.clone()?)))
            .collect();
        let mut forms: Vec<&String> = groups.values().collect();
        forms.sort();
        forms.dedup();
        // Every locale writing it the same: the majority says it all.
        if forms.len() < 2 && groups.len() == locales.len() {
            groups.clear();
        }
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
            groups,
            kbs,
            kb_stated: members.iter().any(|&(p, i)| !p.kbs[i].is_empty()),
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
pub(super) fn pages_by_bulletin(docs: &[Document]) -> BTreeMap<BulletinId, Vec<Page<'_>>> {
    let updates = update_kbs(
        docs.iter()
            .filter(|d| d.kind == DocKind::Bulletin)
            .flat_map(|d| &d.products.rows),
    );
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
            kbs: d
                .products
                .rows
                .iter()
                .map(|r| row_kbs(r, &updates))
                .collect(),
            mentioned: &d.bulletins_mentioned,
        });
    }
    by
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
                    updates: Vec::new(),
                })
                .collect(),
            ..ProductInfo::default()
        }
    }

    fn kb(n: u32) -> KbNumber {
        KbNumber::from_number(n).unwrap()
    }

    static NONE_NAMED: BTreeSet<BulletinId> = BTreeSet::new();

    fn pages_of(infos: &[ProductInfo; 3]) -> Vec<Page<'_>> {
        ["de-de", "nl-nl", "zh-tw"]
            .iter()
            .zip(infos)
            .map(|(l, info)| Page {
                locale: l.to_string(),
                info,
                read: vec![(None, None); info.rows.len()],
                kbs: info.rows.iter().map(|r| r.kbs.clone()).collect(),
                mentioned: &NONE_NAMED,
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
    fn a_row_without_a_kb_takes_the_one_its_download_link_names_elsewhere() {
        let link = "4cde644b-be05-4680-b0ef-df563095563c".to_string();
        let mut de = page("de-de", &["Microsoft Word 2002"]);
        de.rows[0].kbs = vec![kb(917335)];
        de.rows[0].updates = vec![link.clone()];
        let mut zh = page(
            "zh-tw",
            &["Microsoft Word 2002", "Microsoft Works Suite 2002"],
        );
        for r in &mut zh.rows {
            r.updates = vec![link.clone()];
        }
        let updates = update_kbs([&de, &zh].into_iter().flat_map(|p| &p.rows));
        assert_eq!(updates.get(link.as_str()), Some(&kb(917335)));
        assert_eq!(row_kbs(&zh.rows[1], &updates), vec![kb(917335)]);
        // A link two KBs share half and half names neither.
        let mut other = page("nl-nl", &["Microsoft Word 2002"]);
        other.rows[0].kbs = vec![kb(917336)];
        other.rows[0].updates = vec![link.clone()];
        let updates = update_kbs([&de, &other].into_iter().flat_map(|p| &p.rows));
        assert_eq!(updates.get(link.as_str()), None);
        assert!(row_kbs(&zh.rows[1], &updates).is_empty());
    }

    #[test]
    fn among_rows_of_one_name_the_one_stating_the_same_kb_is_aligned() {
        // One table per component, the same products in each; zh-tw gives
        // the tables in the other order, so order alone would cross them.
        let names = ["Windows XP", "Windows Vista", "Windows XP", "Windows Vista"];
        let kbs = [928365, 929916, 928366, 929729];
        let full = |l: &str| {
            let mut p = page(l, &names);
            for (r, k) in p.rows.iter_mut().zip(kbs) {
                r.kbs = vec![kb(k)];
            }
            p
        };
        let mut zh = page("zh-tw", &["Windows XP", "Windows Vista", "Windows XP"]);
        for (r, k) in zh.rows.iter_mut().zip([928366, 929729, 928365]) {
            r.kbs = vec![kb(k)];
        }
        let infos = [full("de-de"), full("nl-nl"), zh];
        let (_, matched) = align(&pages_of(&infos));
        assert_eq!(matched[2], vec![vec![2], vec![3], vec![0]]);
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
