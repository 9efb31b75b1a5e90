//! The supersedence graph: each bulletin's replaced bulletins with the
//! products concerned, the inverse edges, chains and the graph check.

use std::collections::{BTreeSet, HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::{Product, ProductStore, Supersession, majority, names};
use crate::model::{BulletinId, KbNumber};

/// The bulletins one bulletin replaces: those most of its pages state
/// (`kept`), each with the products whose rows or FAQ columns say so and
/// the replaced update's KB where a row states it.
pub(super) fn supersedes(
    rows: &[Product],
    matrix: Vec<(BulletinId, String)>,
    kept: &BTreeSet<BulletinId>,
) -> Vec<Supersession> {
    kept.iter()
        .map(|&b| {
            let mut products: Vec<String> = Vec::new();
            let mut kbs = Vec::new();
            for r in rows {
                if let Some(x) = r.replaces.iter().find(|x| x.bulletin == b) {
                    if !products.contains(&r.product) {
                        products.push(r.product.clone());
                    }
                    kbs.extend(x.kb);
                }
            }
            for (mb, heading) in &matrix {
                if *mb == b && !products.contains(heading) {
                    products.push(heading.clone());
                }
            }
            Supersession {
                bulletin: b,
                kb: majority(kbs).map(|(k, _)| k),
                products,
            }
        })
        .collect()
}

/// A bulletin's place in time (`MS99-050` before `MS01-001`).
pub fn chrono(b: BulletinId) -> (u16, u16) {
    (b.year(), b.number())
}

/// The KB of `entry`'s update for the products `products` name (the first
/// such row's), else its first row's, else its main KB.
fn kb_for(rows: &[Product], products: &[String], main: Option<KbNumber>) -> Option<KbNumber> {
    rows.iter()
        .find(|r| products.contains(&r.product))
        .or(rows.first())
        .and_then(|r| r.kbs.first().copied())
        .or(main)
}

/// Fills the inverse edges and the graph check: dangling references,
/// edges to later bulletins, cycles. A replaced bulletin no page
/// describes gets an entry of its own with only what replaces it, so its
/// chain can still be asked for.
pub(super) fn link(store: &mut ProductStore, main_kb: &HashMap<BulletinId, KbNumber>) {
    let known: BTreeSet<BulletinId> = store.entries.iter().map(|e| e.bulletin).collect();
    let mut dangling: Vec<(BulletinId, BulletinId)> = Vec::new();
    for e in &store.entries {
        for s in e.supersedes.iter().filter(|s| !known.contains(&s.bulletin)) {
            dangling.push((e.bulletin, s.bulletin));
        }
    }
    let stubs: BTreeSet<BulletinId> = dangling.iter().map(|(_, b)| *b).collect();
    store
        .entries
        .extend(stubs.into_iter().map(|b| super::Entry {
            bulletin: b,
            rows: Vec::new(),
            not_affected: Vec::new(),
            supersedes: Vec::new(),
            superseded_by: Vec::new(),
            locales: Vec::new(),
        }));
    store.entries.sort_by_key(|e| e.bulletin);
    store.check.dangling = dangling;
    let index: HashMap<BulletinId, usize> = store
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.bulletin, i))
        .collect();
    let mut inverse: Vec<(usize, Supersession)> = Vec::new();
    let mut edges = 0;
    for e in &store.entries {
        for s in &e.supersedes {
            edges += 1;
            if chrono(s.bulletin) >= chrono(e.bulletin) {
                store.check.forward.push((e.bulletin, s.bulletin));
            }
            if let Some(&i) = index.get(&s.bulletin) {
                inverse.push((
                    i,
                    Supersession {
                        bulletin: e.bulletin,
                        kb: kb_for(&e.rows, &s.products, main_kb.get(&e.bulletin).copied()),
                        products: s.products.clone(),
                    },
                ));
            }
        }
    }
    store.check.edges = edges;
    for (i, s) in inverse {
        store.entries[i].superseded_by.push(s);
    }
    for e in &mut store.entries {
        e.superseded_by.sort_by_key(|s| chrono(s.bulletin));
    }
    store.check.cycles = cycles(store, &index);
}

/// Every cycle of the replaces graph, each once (found from its least id).
fn cycles(store: &ProductStore, index: &HashMap<BulletinId, usize>) -> Vec<Vec<BulletinId>> {
    let mut out = Vec::new();
    for start in &store.entries {
        // Only a walk through an edge to a later bulletin can come back.
        let mut path = vec![start.bulletin];
        let mut stack: Vec<(BulletinId, usize)> = vec![(start.bulletin, 0)];
        while let Some((at, k)) = stack.pop() {
            let Some(&i) = index.get(&at) else {
                path.pop();
                continue;
            };
            let next = store.entries[i].supersedes.get(k).map(|s| s.bulletin);
            match next {
                None => {
                    path.pop();
                }
                Some(n) => {
                    stack.push((at, k + 1));
                    if n == start.bulletin {
                        out.push(path.clone());
                    } else if chrono(n) > chrono(start.bulletin)
                        && !path.contains(&n)
                        && path.len() < 64
                    {
                        path.push(n);
                        stack.push((n, 0));
                    }
                }
            }
        }
    }
    out
}

/// One step of a chain: a bulletin that replaces the one before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChainLink {
    /// The replacing bulletin.
    #[schema(value_type = String)]
    pub bulletin: BulletinId,
    /// The bulletin it replaces.
    #[schema(value_type = String)]
    pub replaces: BulletinId,
    /// Its update's KB (for the product asked, where it has a row for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub kb: Option<KbNumber>,
    /// The products the replacement is stated for (empty: the whole bulletin).
    pub products: Vec<String>,
}

/// The bulletins that replaced one, directly or not, in release order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Chain {
    /// The bulletin asked about.
    #[schema(value_type = String)]
    pub bulletin: String,
    /// The product asked about, if any.
    pub product: Option<String>,
    /// Each replacing bulletin, oldest first.
    pub links: Vec<ChainLink>,
    /// The latest in the chain: bulletins nothing replaces further (the
    /// bulletin itself when nothing replaces it).
    #[schema(value_type = Vec<String>)]
    pub latest: Vec<BulletinId>,
}

impl ProductStore {
    /// The chain of bulletins that replaced `id`, only through edges stated
    /// for a product `product` names (by its words) or stated for the whole
    /// bulletin. `None` when no page describes `id` and none replaces it.
    pub fn chain(&self, id: BulletinId, product: Option<&str>) -> Option<Chain> {
        self.get(id)?;
        let applies = |s: &Supersession| {
            product.is_none_or(|p| s.products.is_empty() || s.products.iter().any(|n| names(n, p)))
        };
        let mut links: Vec<ChainLink> = Vec::new();
        let mut seen: BTreeSet<BulletinId> = BTreeSet::from([id]);
        let mut queue = VecDeque::from([id]);
        let mut ends: BTreeSet<BulletinId> = BTreeSet::new();
        while let Some(at) = queue.pop_front() {
            let Some(e) = self.get(at) else { continue };
            let next: Vec<&Supersession> = e.superseded_by.iter().filter(|s| applies(s)).collect();
            if next.is_empty() {
                ends.insert(at);
            }
            for s in next {
                if !seen.insert(s.bulletin) {
                    continue;
                }
                let kb = match (product, self.get(s.bulletin)) {
                    (Some(p), Some(by)) => by
                        .rows
                        .iter()
                        .find(|r| names(&r.product, p))
                        .and_then(|r| r.kbs.first().copied())
                        .or(s.kb),
                    _ => s.kb,
                };
                let products = match product {
                    Some(p) => s.products.iter().filter(|n| names(n, p)).cloned().collect(),
                    None => s.products.clone(),
                };
                links.push(ChainLink {
                    bulletin: s.bulletin,
                    replaces: at,
                    kb,
                    products,
                });
                queue.push_back(s.bulletin);
            }
        }
        links.sort_by_key(|l| (chrono(l.bulletin), chrono(l.replaces)));
        Some(Chain {
            bulletin: id.to_string(),
            product: product.map(str::to_string),
            links,
            latest: ends.into_iter().collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Entry;
    use super::*;

    fn id(s: &str) -> BulletinId {
        s.parse().unwrap()
    }

    fn entry(b: &str, replaces: &[(&str, &[&str])]) -> Entry {
        Entry {
            bulletin: id(b),
            rows: Vec::new(),
            not_affected: Vec::new(),
            supersedes: replaces
                .iter()
                .map(|(r, p)| Supersession {
                    bulletin: id(r),
                    kb: None,
                    products: p.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
            superseded_by: Vec::new(),
            locales: vec!["de-de".into()],
        }
    }

    #[test]
    fn a_chain_follows_the_product_and_ends_at_the_latest() {
        let mut store = ProductStore {
            entries: vec![
                entry("MS06-014", &[]),
                entry(
                    "MS07-009",
                    &[("MS06-014", &["Windows XP Service Pack 2", "Windows 2000"])],
                ),
                entry("MS08-043", &[("MS07-009", &["Windows 2000"])]),
                entry(
                    "MS08-050",
                    &[
                        ("MS07-009", &["Windows XP Service Pack 2"]),
                        ("MS03-001", &[]),
                    ],
                ),
            ],
            ..ProductStore::default()
        };
        link(&mut store, &HashMap::new());
        let c = store.chain(id("MS06-014"), None).unwrap();
        let got: Vec<String> = c
            .links
            .iter()
            .map(|l| format!("{}<{}", l.bulletin, l.replaces))
            .collect();
        assert_eq!(
            got,
            vec![
                "MS07-009<MS06-014",
                "MS08-043<MS07-009",
                "MS08-050<MS07-009"
            ]
        );
        assert_eq!(c.latest, vec![id("MS08-043"), id("MS08-050")]);
        let xp = store.chain(id("MS06-014"), Some("windows xp")).unwrap();
        let got: Vec<String> = xp.links.iter().map(|l| l.bulletin.to_string()).collect();
        assert_eq!(got, vec!["MS07-009", "MS08-050"]);
        assert_eq!(xp.latest, vec![id("MS08-050")]);
        assert_eq!(store.check.dangling, vec![(id("MS08-050"), id("MS03-001"))]);
        // A replaced bulletin no page describes still has its chain.
        let gone = store.chain(id("MS03-001"), None).unwrap();
        assert_eq!(gone.links.len(), 1);
        assert_eq!(gone.links[0].bulletin, id("MS08-050"));
        assert!(store.check.cycles.is_empty());
        assert!(store.chain(id("MS99-999"), None).is_none());
    }

    #[test]
    fn an_edge_to_a_later_bulletin_closing_a_loop_is_a_cycle() {
        let mut store = ProductStore {
            entries: vec![
                entry("MS07-001", &[("MS07-002", &[])]),
                entry("MS07-002", &[("MS07-001", &[])]),
            ],
            ..ProductStore::default()
        };
        link(&mut store, &HashMap::new());
        assert_eq!(store.check.forward, vec![(id("MS07-001"), id("MS07-002"))]);
        assert_eq!(
            store.check.cycles,
            vec![vec![id("MS07-001"), id("MS07-002")]]
        );
    }
}
