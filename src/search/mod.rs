//! In: a query string and filters. Out: `SearchResponse` (hits with
//! highlighted snippets).
//!
//! Two steps: [`plan`] turns the string into a `QueryPlan` (ids found with
//! the same parsers extraction uses, words and phrases, warnings), pure and
//! serialisable; `compile` turns the plan into a tantivy query. Ids are
//! matched exactly in keyword fields and never fuzzed; a KB number ranks the
//! bulletin whose main update it is above documents that merely mention it.
//!
//! One stage per file: `plan` (the string read), `translate` (its words'
//! translations), `compile` (the tantivy query), `run` (one evaluation:
//! count, groups, facets), `group` (translation groups), `hits` (the hit of
//! each group, its snippets); `idlist` answers a query of ids only and
//! `lookup` the dossier and credit lookups. This file holds the request and
//! response types and [`search`], which runs the stages in that order.

use std::time::Instant;

use serde::Serialize;
use tantivy::TantivyDocument;

pub mod document;
pub mod facets;
pub mod group;
pub mod idlist;
pub mod lookup;
pub mod translate;

mod compile;
mod hits;
mod plan;
mod run;

pub use facets::Facets;
pub use plan::{IdTerm, QueryPlan, plan};
pub use translate::{PhraseTranslation, TermTranslation, Translation};

use compile::*;
use hits::*;
use run::*;

use crate::Engine;
use crate::index::Result;
use crate::lang::TextLang;
use crate::model::{BulletinId, DocKind, Impact, KbNumber, Lang, Origin, Severity};

/// Filters applied on top of the query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Only records analysed as this language.
    pub lang: Option<Lang>,
    /// Only records of this kind.
    pub kind: Option<DocKind>,
    /// Only records with this severity.
    pub severity: Option<Severity>,
    /// Only records of this year.
    pub year: Option<u64>,
    /// Only bulletins with an affected product of these words, as a
    /// phrase (`Windows Vista` finds `Windows Vista x64 Edition`).
    pub product: Option<String>,
    /// Only records of this impact.
    pub impact: Option<Impact>,
    /// Only records released on or after this day, as `yyyymmdd`
    /// (see [`day_bound`]).
    pub from: Option<u64>,
    /// Only records released on or before this day, as `yyyymmdd`.
    pub to: Option<u64>,
}

/// A day as the `date` field holds it (`yyyymmdd`), from `2007-04-03`,
/// `2007-04` or `2007`: a month or a year stands for its first day, or its
/// last with `end` (a range `2007`–`2007` is the whole year). `None` for
/// anything else, or a date no calendar has.
pub fn day_bound(text: &str, end: bool) -> Option<u64> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let number = |s: &str, digits: usize| {
        (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    let year = number(parts.first()?, 4).filter(|y| (1990..=2099).contains(y))?;
    let month = match parts.get(1) {
        Some(m) => number(m, 2).filter(|m| (1..=12).contains(m))?,
        None if end => 12,
        None => 1,
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let day = match parts.get(2) {
        Some(d) => number(d, 2).filter(|d| (1..=days).contains(d))?,
        None if end => days,
        None => 1,
    };
    (parts.len() <= 3).then_some(year * 10_000 + month * 100 + day)
}

/// One search hit: one translation group (a bulletin, summary or advisory
/// in every language it exists in) shown through one of its versions.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Hit {
    /// Unique record key of the version shown (`path` or `path#MS07-017`).
    pub doc_id: String,
    /// The translation group: the bulletin, summary or advisory id, or the record key.
    pub group: String,
    /// The bulletin the record describes.
    #[schema(value_type = Option<String>, example = "MS07-017")]
    pub bulletin_id: Option<BulletinId>,
    /// Its main KB (the consensus).
    #[schema(value_type = Option<String>, example = "925902")]
    pub kb: Option<KbNumber>,
    /// The main KB the document itself states, where it differs.
    #[schema(value_type = Option<String>)]
    pub kb_claimed: Option<KbNumber>,
    /// Title.
    pub title: String,
    /// Language the text is written in (`und` where none was found).
    #[schema(value_type = String, example = "da")]
    pub lang: TextLang,
    /// Declared locale.
    pub locale: Option<String>,
    /// Kind.
    #[schema(value_type = String, example = "bulletin")]
    pub kind: DocKind,
    /// `file` or `summary-entry`.
    #[schema(value_type = String, example = "file")]
    pub origin: Origin,
    /// The file.
    pub path: String,
    /// Published date, as this version states it.
    pub published: Option<String>,
    /// Release date, the same in every locale (the locales' majority).
    pub released: Option<String>,
    /// Severity.
    #[schema(value_type = Option<String>, example = "critical")]
    pub severity: Option<Severity>,
    /// Relevance score.
    pub score: f32,
    /// Snippet, HTML-escaped, matches wrapped in `<mark>`.
    pub snippet: String,
    /// Every language the group exists in.
    #[schema(value_type = Vec<String>)]
    pub languages: Vec<TextLang>,
    /// The languages of the group's versions that matched the query.
    #[schema(value_type = Vec<String>)]
    pub matched_languages: Vec<TextLang>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    /// Matching groups (a bulletin in six languages counts once).
    pub total: usize,
    /// The language the query was read as, when known.
    #[schema(value_type = Option<String>, example = "da")]
    pub query_lang: Option<Lang>,
    /// Milliseconds spent.
    pub took_ms: f64,
    /// The hits of the requested page.
    pub hits: Vec<Hit>,
    /// Results per language, kind, severity and year, when asked for: each
    /// facet counted under every other active filter, so a count is what
    /// a click on it gives (see `facet_counts`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    /// Warnings from planning.
    pub warnings: Vec<String>,
    /// The plan and its translations, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub explain: Option<Explain>,
    /// For a query made only of ids (see [`idlist`]): every id in the
    /// order given, with where its answer stands in `hits`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<idlist::IdRow>>,
}

/// How a query was understood: its ids, words and phrases, and what its
/// words were translated into.
#[derive(Debug, Clone, Serialize)]
pub struct Explain {
    /// The parsed query.
    pub plan: QueryPlan,
    /// Its translations.
    pub translation: Translation,
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest publication date first.
    Date,
}

/// A search: the query, its filters, the page and the order.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query string.
    pub query: String,
    /// Filters.
    pub filters: Filters,
    /// Page size.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Order.
    pub sort: Sort,
    /// Whether to count facets.
    pub facets: bool,
    /// The query's language, when the caller knows it (else detected).
    pub query_lang: Option<Lang>,
    /// Show each group through its version in this language when it has one.
    pub prefer_lang: Option<Lang>,
    /// Add the words' translations into the other indexed languages.
    pub expand: bool,
    /// Return the plan and its translations.
    pub explain: bool,
}

impl SearchRequest {
    /// The first `limit` hits of `query`, by relevance, unfiltered, without facets.
    pub fn new(query: &str, limit: usize) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            filters: Filters::default(),
            limit,
            offset: 0,
            sort: Sort::Relevance,
            facets: false,
            query_lang: None,
            prefer_lang: None,
            expand: true,
            explain: false,
        }
    }
}

/// Runs a search.
pub fn search(engine: &Engine, req: &SearchRequest) -> Result<SearchResponse> {
    if let Some(ids) = idlist::ids_only(&req.query) {
        return idlist::answer(engine, req, &ids);
    }
    let started = Instant::now();
    let plan = plan(&req.query);
    let searcher = engine.reader.searcher();
    let mut warnings = plan.warnings.clone();
    let translation = translation(engine, &plan, req);
    let words = match &translation.query_lang {
        Some(_) if !engine.lexicon.pairs.is_empty() => {
            Words::Translated(translation.terms.clone(), translation.phrases.clone())
        }
        _ => Words::All,
    };
    let explain = req.explain.then(|| Explain {
        plan: plan.clone(),
        translation: translation.clone(),
    });
    let (base, highlight) = compile(
        engine,
        &searcher,
        &plan,
        (&words, translation.query_lang),
        false,
    );
    let Some(mut base) = base else {
        warnings.push("the query has no searchable words or ids".into());
        return Ok(SearchResponse {
            total: 0,
            query_lang: translation.query_lang,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits: Vec::new(),
            facets: req.facets.then(Facets::default),
            warnings,
            explain,
            ids: None,
        });
    };
    let mut pass = one_pass(
        engine,
        &searcher,
        &*filtered(engine, &*base, &req.filters),
        req,
    )?;
    if pass.records == 0
        && plan.terms.len() + plan.phrases.len() > 1
        && let (Some(any), _) = compile(
            engine,
            &searcher,
            &plan,
            (&words, translation.query_lang),
            true,
        )
    {
        let any_pass = one_pass(
            engine,
            &searcher,
            &*filtered(engine, &*any, &req.filters),
            req,
        )?;
        if any_pass.records > 0 {
            warnings.push("no record has all the words: showing records with any of them".into());
            base = any;
            pass = any_pass;
        }
    }
    let Pass {
        matched,
        groups,
        facets: same_pass,
        ..
    } = pass;
    let mut page: Vec<group::Group> = groups
        .into_iter()
        .skip(req.offset)
        .take(req.limit)
        .collect();
    // Keys from the stored records, kept: the hit shown is mostly that record.
    let mut loaded = std::collections::HashMap::new();
    for g in &mut page {
        if g.key.is_empty() {
            let addr = g.members[0].1;
            let doc: TantivyDocument = searcher.doc(addr)?;
            g.key = stored_str(&doc, engine.fields.group).unwrap_or_default();
            loaded.insert(addr, doc);
        }
    }
    let page: Vec<&group::Group> = page.iter().collect();
    // Unless asked otherwise, show each group in the language of the query.
    let shown_lang = req.prefer_lang.or(translation.query_lang);
    let hits = grouped_hits(
        engine,
        &searcher,
        &page,
        &*highlight,
        req,
        shown_lang,
        &matched,
        loaded,
    )?;
    let total = matched.total;
    let facets = match same_pass {
        Some(f) => Some(f),
        None if req.facets => Some(facet_counts(engine, &searcher, &*base, &req.filters)?),
        None => None,
    };
    Ok(SearchResponse {
        total,
        query_lang: translation.query_lang,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
        facets,
        warnings,
        explain,
        ids: None,
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_day_bound_reads_days_months_and_years() {
        assert_eq!(day_bound("2007-04-03", false), Some(20070403));
        assert_eq!(day_bound("2007-04", false), Some(20070401));
        assert_eq!(day_bound("2007-04", true), Some(20070430));
        assert_eq!(day_bound("2008-02", true), Some(20080229));
        assert_eq!(day_bound("2007", false), Some(20070101));
        assert_eq!(day_bound(" 2007 ", true), Some(20071231));
        for bad in [
            "",
            "07",
            "2007-4",
            "2007-13",
            "2007-02-29",
            "2007-04-03-01",
            "x2007",
            "1850",
        ] {
            assert_eq!(day_bound(bad, false), None, "{bad}");
        }
    }

    use super::*;

    #[test]
    fn every_id_spelling_is_recognised() {
        for (q, expected) in [
            ("925902", IdTerm::Kb("925902".parse().unwrap())),
            ("KB925902", IdTerm::Kb("925902".parse().unwrap())),
            ("kb 925902", IdTerm::Kb("925902".parse().unwrap())),
            ("Q925902", IdTerm::Kb("925902".parse().unwrap())),
            ("MS07-017", IdTerm::Bulletin("MS07-017".parse().unwrap())),
            ("ms07-17", IdTerm::Bulletin("MS07-017".parse().unwrap())),
            ("ms 07-017", IdTerm::Bulletin("MS07-017".parse().unwrap())),
            (
                "CVE-2007-0038",
                IdTerm::Cve("CVE-2007-0038".parse().unwrap()),
            ),
            (
                "cve 2007-0038",
                IdTerm::Cve("CVE-2007-0038".parse().unwrap()),
            ),
            ("MS07-APR", IdTerm::Summary("MS07-APR".into())),
            ("ms13-jun-oob", IdTerm::Summary("MS13-JUN-OOB".into())),
        ] {
            let p = plan(q);
            assert_eq!(p.ids, vec![expected], "{q}");
            assert!(p.terms.is_empty(), "{q}");
        }
        // A month that is no month's abbreviation is words.
        assert_eq!(plan("ms07-apx").terms, ["ms07-apx"]);
    }

    #[test]
    fn words_phrases_and_bad_quotes_are_planned_leniently() {
        let p = plan("sårbarhed \"fjernudførelse af kode\" GDI");
        assert_eq!(p.terms, vec!["sårbarhed", "GDI"]);
        assert_eq!(p.phrases, vec!["fjernudførelse af kode"]);
        let p = plan("\"unbalanced quote");
        assert_eq!(p.terms, vec!["unbalanced", "quote"]);
        assert_eq!(p.warnings.len(), 1);
        let p = plan("925903 (*) &&");
        assert_eq!(p.ids, vec![IdTerm::Kb("925903".parse().unwrap())]);
        assert!(p.terms.is_empty());
    }
}
