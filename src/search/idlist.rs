//! A query made only of ids: a patch administrator's list (`KB925902
//! KB938829 KB955048`, `MS07-017, MS08-042`, a column pasted from a
//! spreadsheet) asks "which bulletins are these", one answer per id in the
//! order given, not records that hold every id at once (there are none).
//!
//! Each id is answered as a query of that id alone would answer it first
//! (a KB number by the bulletin whose main update it is, else the advisory
//! of that number, else a record that mentions it); the ids nothing answers
//! are listed as not found.

use std::time::Instant;

use serde::Serialize;

use super::{IdTerm, SearchRequest, SearchResponse, plan, search};
use crate::Engine;
use crate::index::Result;

/// Most ids one list may hold.
pub const MAX_IDS: usize = 500;

/// One id of a list, and whether anything answers it.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct IdRow {
    /// The id as the index spells it: `KB925902`, `MS07-017`, `CVE-2007-0038`.
    pub id: String,
    /// `kb`, `bulletin` or `cve`.
    pub kind: String,
    /// Where its answer stands in `hits`; `None` when nothing answers it.
    pub hit: Option<usize>,
}

/// The ids of `query` when it is made of ids only, at least two of them,
/// with any separators between (spaces, commas, semicolons, tabs, lines).
pub fn ids_only(query: &str) -> Option<Vec<IdTerm>> {
    let spaced = query.replace([',', ';', '|', '\t', '\r', '\n'], " ");
    let p = plan(&spaced);
    (p.ids.len() >= 2 && p.terms.is_empty() && p.phrases.is_empty()).then_some(p.ids)
}

/// How the index spells an id, and its kind.
fn spelled(id: &IdTerm) -> (String, &'static str) {
    match id {
        IdTerm::Kb(kb) => (format!("KB{kb}"), "kb"),
        IdTerm::Bulletin(b) => (b.to_string(), "bulletin"),
        IdTerm::Cve(c) => (c.to_string(), "cve"),
        IdTerm::Summary(s) => (s.clone(), "summary"),
    }
}

/// Answers each id of a list: `hits` holds one answer per id found, in the
/// list's order, `ids` every id with where its answer stands.
pub fn answer(engine: &Engine, req: &SearchRequest, ids: &[IdTerm]) -> Result<SearchResponse> {
    let started = Instant::now();
    let mut hits = Vec::new();
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    if ids.len() > MAX_IDS {
        warnings.push(format!(
            "{} ids: the first {MAX_IDS} are answered",
            ids.len()
        ));
    }
    for id in ids.iter().take(MAX_IDS) {
        let (spelling, kind) = spelled(id);
        let one = SearchRequest {
            query: spelling.clone(),
            filters: req.filters.clone(),
            limit: 1,
            offset: 0,
            sort: super::Sort::Relevance,
            facets: false,
            query_lang: None,
            prefer_lang: req.prefer_lang,
            expand: false,
            explain: false,
        };
        let found = search(engine, &one)?.hits.into_iter().next();
        let hit = found.map(|h| {
            hits.push(h);
            hits.len() - 1
        });
        rows.push(IdRow {
            id: spelling,
            kind: kind.to_string(),
            hit,
        });
    }
    let missing = rows.iter().filter(|r| r.hit.is_none()).count();
    if missing > 0 {
        warnings.push(format!("{missing} of {} ids not found", rows.len()));
    }
    Ok(SearchResponse {
        total: hits.len(),
        query_lang: None,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
        facets: None,
        warnings,
        explain: None,
        ids: Some(rows),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_ids_only_with_any_separators() {
        let shown =
            |q: &str| ids_only(q).map(|ids| ids.iter().map(|i| spelled(i).0).collect::<Vec<_>>());
        assert_eq!(
            shown("KB925902 KB938829\tKB955048"),
            Some(vec![
                "KB925902".into(),
                "KB938829".into(),
                "KB955048".into()
            ])
        );
        assert_eq!(
            shown("MS07-017,ms08-42;\nCVE-2007-0038"),
            Some(vec![
                "MS07-017".into(),
                "MS08-042".into(),
                "CVE-2007-0038".into()
            ])
        );
        // One id is a search; words make it one too.
        assert_eq!(shown("KB925902"), None);
        assert_eq!(shown("KB925902 KB938829 Word"), None);
        assert_eq!(shown("\"MS07-017\" MS08-042"), None);
    }
}
