//! The consensus of every bulletin's products: rows aligned and voted on,
//! words learned, the supersedence graph built, the agreement measured.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::align::*;
use super::words::*;
use super::{Entry, ProductCheck, ProductStore, majority};
use crate::extract::Document;
use crate::model::{BulletinId, KbNumber};

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
                    if kbs_of(&p.kbs[i], main) == row.kbs {
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
                misses(
                    &mut check.misses,
                    *id,
                    p,
                    m,
                    &aligned.rows,
                    main,
                    (e, &kept),
                );
                let unnamed = kept
                    .difference(e)
                    .filter(|b| !p.mentioned.contains(b))
                    .count();
                check.edges_unnamed += unnamed;
                *check
                    .per_locale_unnamed
                    .entry(p.locale.clone())
                    .or_default() += unnamed;
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
    let mut store = ProductStore {
        entries,
        check,
        ..ProductStore::default()
    };
    super::graph::link(&mut store, main_kb);
    store
}

/// One line per way page `p` disagrees with the consensus: a row whose KBs
/// differ, a row aligned to none, a count of rows that differs, replaced
/// bulletins that differ.
fn misses(
    out: &mut Vec<String>,
    id: BulletinId,
    p: &Page,
    m: &[Vec<usize>],
    rows: &[super::Product],
    main: Option<KbNumber>,
    (stated, kept): (&BTreeSet<BulletinId>, &BTreeSet<BulletinId>),
) {
    let show = |k: &[KbNumber]| {
        k.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("+")
    };
    let locale = &p.locale;
    if p.info.rows.len() != rows.len() {
        out.push(format!(
            "{id} {locale} count {} vs {}",
            p.info.rows.len(),
            rows.len()
        ));
    }
    for (i, js) in m.iter().enumerate() {
        let row = &p.info.rows[i];
        if js.is_empty() {
            out.push(format!("{id} {locale} unaligned {:?}", row.product));
        }
        for j in js {
            let mine = kbs_of(&p.kbs[i], main);
            if mine != rows[*j].kbs {
                out.push(format!(
                    "{id} {locale} kb {:?}: {} (stated {}) vs {}",
                    row.product,
                    show(&mine),
                    !p.kbs[i].is_empty(),
                    show(&rows[*j].kbs)
                ));
            }
        }
    }
    if stated != kept {
        let show = |b: &BTreeSet<BulletinId>| {
            b.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("+")
        };
        out.push(format!(
            "{id} {locale} replaced {} vs {}",
            show(stated),
            show(kept)
        ));
    }
}
