//! One evaluation of a compiled query: the count, the groups of the page
//! and, without filters, the facets in one pass; the disjunctive facet
//! counts under filters.

use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, Order, Searcher};

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
        Sort::Relevance => searcher.search(
            query,
            &(
                Count,
                groups,
                facets,
                TopDocs::with_limit(fetch).order_by_score(),
            ),
        )?,
        Sort::Date => {
            let (records, matched, facets, top) = searcher.search(
                query,
                &(
                    Count,
                    groups,
                    facets,
                    TopDocs::with_limit(fetch).order_by_fast_field::<u64>(name::DATE, Order::Desc),
                ),
            )?;
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
        Sort::Relevance => searcher.search(query, &TopDocs::with_limit(n).order_by_score())?,
        Sort::Date => searcher
            .search(
                query,
                &TopDocs::with_limit(n).order_by_fast_field::<u64>(name::DATE, Order::Desc),
            )?
            .into_iter()
            .map(|(_, addr)| (0.0, addr))
            .collect(),
    })
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
