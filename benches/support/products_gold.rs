//! The hand-verified affected-software table (`fixtures/products_gold.tsv`)
//! and how the parser scores on it: shared by the corpus tests and the
//! products bench.
#![allow(dead_code)] // each user takes what it needs

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use bulletin_search::extract::Document;
use bulletin_search::model::{BulletinId, DocKind, KbNumber};

/// One hand-verified page.
pub struct GoldPage {
    pub bulletin: BulletinId,
    pub locale: String,
    pub rows: usize,
    pub kbs: BTreeSet<KbNumber>,
    pub replaced: BTreeSet<BulletinId>,
    pub blind: bool,
}

pub fn gold_pages(fixtures: &Path) -> Vec<GoldPage> {
    let text = std::fs::read_to_string(fixtures.join("products_gold.tsv")).unwrap();
    text.lines()
        .filter(|l| l.starts_with("MS"))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            GoldPage {
                bulletin: f[0].parse().unwrap(),
                locale: f[1].to_string(),
                rows: f[2].parse().unwrap(),
                kbs: words(f[3]).map(|k| k.parse().unwrap()).collect(),
                replaced: words(f[4]).map(|b| b.parse().unwrap()).collect(),
                blind: f[5].starts_with("blind"),
            }
        })
        .collect()
}

/// A column's space-separated values (`-` for none).
fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(' ').filter(|x| !x.is_empty() && *x != "-")
}

/// What the parser read on a page: its row count, its rows' KBs (the main
/// KB for rows stating none) and the bulletins it says are replaced.
pub fn read_page(
    doc: &Document,
    main_kb: Option<KbNumber>,
) -> (usize, BTreeSet<KbNumber>, BTreeSet<BulletinId>) {
    let p = &doc.products;
    let mut kbs: BTreeSet<KbNumber> = p.rows.iter().flat_map(|r| r.kbs.iter().copied()).collect();
    if p.rows.iter().any(|r| r.kbs.is_empty()) {
        kbs.extend(main_kb);
    }
    (p.rows.len(), kbs, p.replaced())
}

/// Precision and recall over the gold pages' facts (each row, each KB,
/// each replaced bulletin), and the pages read exactly; the differences.
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub exact: usize,
    pub pages: usize,
    pub misses: Vec<String>,
}

pub fn score(
    docs: &[Document],
    main_kb: &HashMap<BulletinId, KbNumber>,
    gold: &[GoldPage],
) -> Score {
    let (mut tp, mut found, mut wanted, mut exact) = (0usize, 0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for g in gold {
        let doc = docs.iter().find(|d| {
            d.kind == DocKind::Bulletin
                && d.bulletin_id == Some(g.bulletin)
                && d.locale.as_deref() == Some(g.locale.as_str())
        });
        let (rows, kbs, replaced) = match doc {
            Some(d) => read_page(d, main_kb.get(&g.bulletin).copied()),
            None => (0, BTreeSet::new(), BTreeSet::new()),
        };
        tp += rows.min(g.rows)
            + kbs.intersection(&g.kbs).count()
            + replaced.intersection(&g.replaced).count();
        found += rows + kbs.len() + replaced.len();
        wanted += g.rows + g.kbs.len() + g.replaced.len();
        if rows == g.rows && kbs == g.kbs && replaced == g.replaced {
            exact += 1;
        } else {
            let show = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(" ");
            let k = |s: &BTreeSet<KbNumber>| show(&s.iter().map(ToString::to_string).collect());
            let b = |s: &BTreeSet<BulletinId>| show(&s.iter().map(ToString::to_string).collect());
            misses.push(format!(
                "{} {}: rows {rows}/{}, kbs [{}]/[{}], replaced [{}]/[{}]",
                g.bulletin,
                g.locale,
                g.rows,
                k(&kbs),
                k(&g.kbs),
                b(&replaced),
                b(&g.replaced)
            ));
        }
    }
    Score {
        precision: tp as f64 / found.max(1) as f64,
        recall: tp as f64 / wanted.max(1) as f64,
        exact,
        pages: gold.len(),
        misses,
    }
}
