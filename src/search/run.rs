//! One evaluation of a compiled query: the count, the groups of the page
//! and, without filters, the facets in one pass; the disjunctive facet
//! counts under filters.

use tantivy::collector::sort_key::SortByStaticFastValue;
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, Score, Searcher};

use crate::Engine;
use crate::index::{Result, name};

use super::*;

/// What one evaluation of a query gives.
pub(super) struct Pass {
    /// Matching records.
    pub(super) records: usize,
    /// Matching groups, and the languages each matched in.
    pub(super) matched: group::Matched,
    /// The groups of the requested page and those before it, best first.
    pub(super) groups: Vec<group::Group>,
    /// Facets, when they could be counted in the same pass (no filters).
    pub(super) facets: Option<Facets>,
}

/// Records fetched per group wanted: a bulletin has up to two records per locale.
pub(super) const RECORDS_PER_GROUP: usize = 8;

/// Evaluates `query`: count, groups and (without filters) facets in one
/// pass; more records are fetched only when the page needs more groups.
pub(super) fn one_pass(
    engine: &Engine,
    searcher: &Searcher,
    query: &dyn Query,
    req: &SearchRequest,
) -> Result<Pass> {
    let want = req.offset + req.limit.max(1);
    let mut fetch = (want * RECORDS_PER_GROUP).max(64);
    let groups = group::GroupCount {
        multi_segment: searcher.segment_readers().len() > 1,
    };
    let facets = match req.facets && req.filters == Filters::default() {
        true => Some(facets::GroupFacets {
            dims: facets::Dim::ALL.to_vec(),
            table: facets::FacetTable::of(engine, searcher)?,
        }),
        false => None,
    };
    // One evaluation gives everything; a second only when the page needs
    // more records than the first fetched.
    let (records, matched, facets, mut top) = match req.sort {
        Sort::Relevance => {
            let (records, matched, facets, top) =
                searcher.search(query, &(Count, groups, facets, by_score(fetch)))?;
            (
                records,
                matched,
                facets,
                settle(searcher, query, top, fetch)?,
            )
        }
        Sort::Date => {
            let (records, matched, facets, top) =
                searcher.search(query, &(Count, groups, facets, by_date(fetch)))?;
            let top = top.into_iter().map(|(_, addr)| (0.0, addr)).collect();
            (records, matched, facets, top)
        }
    };
    loop {
        let grouped = group::group(searcher, &top)?;
        if grouped.len() >= want || top.len() < fetch {
            return Ok(Pass {
                records,
                matched,
                groups: grouped,
                facets,
            });
        }
        fetch *= 4;
        top = top_records(searcher, query, req.sort, fetch)?;
    }
}

/// The best `n` records in `sort` order.
pub(super) fn top_records(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    n: usize,
) -> Result<Vec<(f32, DocAddress)>> {
    Ok(match sort {
        Sort::Relevance => top_by_score(searcher, query, n)?,
        Sort::Date => searcher
            .search(query, &by_date(n))?
            .into_iter()
            .map(|(_, addr)| (0.0, addr))
            .collect(),
    })
}

/// How many records past the `n` asked for a ranking by score fetches, so
/// that a tie at the `n`th score is seen whole: tantivy keeps, of records
/// that score the same, the ones it stored first.
const TIE_MARGIN: usize = 2;

/// Collects the best `TIE_MARGIN × n` records by score; [`settle`] cuts
/// them to `n`.
pub(super) fn by_score(n: usize) -> impl Collector<Fruit = Vec<(Score, DocAddress)>> {
    TopDocs::with_limit(n.max(1) * TIE_MARGIN).order_by_score()
}

/// The best `n` of `top` (from [`by_score`]`(n)` on `query`): equal scores
/// go by the records' `tie` hashes, highest first, so every build of the
/// same records ranks them alike; where the records tied with the `n`th
/// run past what was fetched, more are fetched. The hashes are read for
/// the fetched records only, where ranking by (score, hash) in tantivy
/// reads one for every match and gives up skipping blocks that cannot
/// score into the top (instruction counts over the corpus bench's queries:
/// the same as scores alone, to 0.1%).
pub(super) fn settle(
    searcher: &Searcher,
    query: &dyn Query,
    mut top: Vec<(Score, DocAddress)>,
    n: usize,
) -> Result<Vec<(Score, DocAddress)>> {
    let n = n.max(1);
    let mut fetched = n * TIE_MARGIN;
    while top.len() == fetched && top[fetched - 1].0 == top[n - 1].0 {
        fetched *= 4;
        top = searcher.search(query, &TopDocs::with_limit(fetched).order_by_score())?;
    }
    let mut ties = vec![None; searcher.segment_readers().len()];
    let mut ranked = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let column = match &mut ties[addr.segment_ord as usize] {
            Some(c) => c,
            slot => slot.insert(
                searcher
                    .segment_reader(addr.segment_ord)
                    .fast_fields()
                    .u64(name::TIE)?
                    .first_or_default_col(0),
            ),
        };
        ranked.push((score, column.get_val(addr.doc_id), addr));
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
    ranked.truncate(n);
    Ok(ranked
        .into_iter()
        .map(|(score, _, addr)| (score, addr))
        .collect())
}

/// The best `n` records by score, ties settled (see [`settle`]).
pub(super) fn top_by_score(
    searcher: &Searcher,
    query: &dyn Query,
    n: usize,
) -> Result<Vec<(Score, DocAddress)>> {
    let top = searcher.search(query, &by_score(n))?;
    settle(searcher, query, top, n)
}

/// A record's place by date: its release day (`yyyymmdd`), then its `tie`.
type DateRank = (Option<u64>, Option<u64>);

/// The newest `n` records (by release date); the same day by their `tie`
/// hashes, highest first. Nothing is skipped when sorting by a field, so
/// the hash is a second sort key here.
fn by_date(n: usize) -> impl Collector<Fruit = Vec<(DateRank, DocAddress)>> {
    TopDocs::with_limit(n).order_by((
        SortByStaticFastValue::<u64>::for_field(name::DATE),
        SortByStaticFastValue::<u64>::for_field(name::TIE),
    ))
}

/// The facet counts of a search, disjunctive as in Algolia and Meilisearch:
/// each facet counts the results under every other active filter, so a
/// count is what a click on it gives, and picking a language leaves the
/// other languages listed with their counts. Facets whose other filters
/// are the same share one pass (all four when no filter is active).
pub(super) fn facet_counts(
    engine: &Engine,
    searcher: &Searcher,
    base: &dyn Query,
    filters: &Filters,
) -> Result<Facets> {
    use facets::Dim;
    let without = |dim: Dim| {
        let mut f = filters.clone();
        match dim {
            Dim::Lang => f.lang = None,
            Dim::Kind => f.kind = None,
            Dim::Severity => f.severity = None,
            Dim::Year => f.year = None,
            Dim::Impact => f.impact = None,
            Dim::Family => f.product = None,
        }
        f
    };
    let mut passes: Vec<(Filters, Vec<Dim>)> = Vec::new();
    for dim in Dim::ALL {
        let f = without(dim);
        match passes.iter_mut().find(|(other, _)| *other == f) {
            Some((_, dims)) => dims.push(dim),
            None => passes.push((f, vec![dim])),
        }
    }
    let mut out = Facets::default();
    let table = facets::FacetTable::of(engine, searcher)?;
    for (f, dims) in passes {
        let mut counted = searcher.search(
            &*filtered(engine, base, &f),
            &facets::GroupFacets {
                dims: dims.clone(),
                table: table.clone(),
            },
        )?;
        for dim in dims {
            out.take(dim, &mut counted);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use tantivy::query::TermQuery;
    use tantivy::schema::IndexRecordOption;
    use tantivy::{Index, TantivyDocument, Term};

    use super::*;
    use crate::index::{schema, tie_of};

    /// Three records that score alike and share a day, written in `order`;
    /// the record keys of a search's top `n` records, by score and by date.
    fn ranked(order: [&str; 3], n: usize) -> (Vec<String>, Vec<String>) {
        let (schema, f) = schema();
        let index = Index::create_in_ram(schema);
        crate::analyze::register(index.tokenizers());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for rec in order {
            let mut doc = TantivyDocument::default();
            doc.add_text(f.rec, rec);
            doc.add_u64(f.tie, tie_of(rec));
            doc.add_text(f.kind, "bulletin");
            doc.add_u64(f.date, 20070410);
            writer.add_document(doc).unwrap();
            // One segment each: the stored order is the order of writing.
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        let query = TermQuery::new(
            Term::from_field_text(f.kind, "bulletin"),
            IndexRecordOption::WithFreqs,
        );
        let keys = |top: Vec<(f32, DocAddress)>| -> Vec<String> {
            top.iter()
                .map(|&(_, a)| {
                    let doc: TantivyDocument = searcher.doc(a).unwrap();
                    super::stored_str(&doc, f.rec).unwrap()
                })
                .collect()
        };
        (
            keys(top_records(&searcher, &query, Sort::Relevance, n).unwrap()),
            keys(top_records(&searcher, &query, Sort::Date, n).unwrap()),
        )
    }

    #[test]
    fn equal_scores_and_dates_rank_by_the_records_not_by_the_order_written() {
        let recs = [
            "da-dk/ms07-017.md",
            "ja-jp/ms07-017.md",
            "zh-tw/ms07-017.md",
        ];
        let mut by_tie = recs.to_vec();
        by_tie.sort_by_key(|r| std::cmp::Reverse(tie_of(r)));
        // The best two, then the best one (where the tie runs past what a
        // first fetch holds): those with the highest tie hashes, highest
        // first, however they were written.
        for n in [2, 1] {
            let want: Vec<String> = by_tie[..n].iter().map(|s| s.to_string()).collect();
            for order in [
                recs,
                [recs[2], recs[1], recs[0]],
                [recs[1], recs[2], recs[0]],
            ] {
                assert_eq!(ranked(order, n), (want.clone(), want.clone()), "{order:?}");
            }
        }
    }
}
