//! In: a query string and filters. Out: `SearchResponse` (hits with
//! highlighted snippets).
//!
//! Two steps: [`plan`] turns the string into a `QueryPlan` (ids found with
//! the same parsers extraction uses, words and phrases, warnings), pure and
//! serialisable; `compile` turns the plan into a tantivy query. Ids are
//! matched exactly in keyword fields and never fuzzed; a KB number ranks the
//! bulletin whose main update it is above documents that merely mention it.

use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

pub mod facets;
pub mod group;
pub mod idlist;
pub mod lookup;
pub mod translate;

pub use facets::Facets;
pub use translate::{TermTranslation, Translation};

use crate::Engine;
use crate::analyze;
use crate::index::{Result, head, name};
use crate::ingest::normalize_inline;
use crate::model::{BulletinId, CveId, DocKind, Impact, KbNumber, Lang, Severity};

/// An id recognised in a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum IdTerm {
    /// A KB number (also tried as an advisory number).
    Kb(KbNumber),
    /// A bulletin id.
    Bulletin(BulletinId),
    /// A CVE id.
    Cve(CveId),
}

/// What a query asks for, before it touches the index.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QueryPlan {
    /// Ids, matched exactly.
    pub ids: Vec<IdTerm>,
    /// Words, matched in every language field.
    pub terms: Vec<String>,
    /// Quoted phrases.
    pub phrases: Vec<String>,
    /// What was not understood and how it was handled.
    pub warnings: Vec<String>,
}

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
    pub bulletin_id: Option<String>,
    /// Its main KB (the consensus).
    pub kb: Option<String>,
    /// The main KB the document itself states, where it differs.
    pub kb_claimed: Option<String>,
    /// Title.
    pub title: String,
    /// Language the text is written in.
    pub lang: String,
    /// Declared locale.
    pub locale: Option<String>,
    /// Kind.
    pub kind: String,
    /// `file` or `summary-entry`.
    pub origin: String,
    /// The file.
    pub path: String,
    /// Published date, as this version states it.
    pub published: Option<String>,
    /// Release date, the same in every locale (the locales' majority).
    pub released: Option<String>,
    /// Severity.
    pub severity: Option<String>,
    /// Relevance score.
    pub score: f32,
    /// Snippet, HTML-escaped, matches wrapped in `<mark>`.
    pub snippet: String,
    /// Every language the group exists in.
    pub languages: Vec<String>,
    /// The languages of the group's versions that matched the query.
    pub matched_languages: Vec<String>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    /// Matching groups (a bulletin in six languages counts once).
    pub total: usize,
    /// The language the query was read as, when known.
    pub query_lang: Option<String>,
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

/// Parses a query string leniently: ids in every spelling, quoted phrases, words.
pub fn plan(query: &str) -> QueryPlan {
    let q = normalize_inline(query);
    let mut p = QueryPlan::default();
    let mut q = q.replace(['“', '”', '„', '«', '»', '「', '」'], "\"");
    if q.matches('"').count() % 2 == 1 {
        p.warnings
            .push("unbalanced quote: searched as plain words".into());
        q = q.replace('"', " ");
    }
    let mut rest = String::new();
    for (i, part) in q.split('"').enumerate() {
        if i % 2 == 1 {
            if !part.trim().is_empty() {
                p.phrases.push(part.trim().to_string());
            }
        } else {
            rest.push(' ');
            rest.push_str(part);
        }
    }
    let words: Vec<&str> = rest.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let w =
            words[i].trim_matches(|c: char| matches!(c, ',' | ';' | '(' | ')' | '.' | '?' | '!'));
        let next = words.get(i + 1).copied().unwrap_or("");
        let pair = format!("{w} {next}");
        let lower = w.to_ascii_lowercase();
        if matches!(lower.as_str(), "kb" | "q" | "cve" | "can" | "ms") && !next.is_empty() {
            let id = if lower == "cve" || lower == "can" {
                pair.parse().ok().map(IdTerm::Cve)
            } else if lower == "ms" {
                format!("{w}{next}").parse().ok().map(IdTerm::Bulletin)
            } else {
                pair.parse().ok().map(IdTerm::Kb)
            };
            if let Some(id) = id {
                p.ids.push(id);
                i += 2;
                continue;
            }
        }
        if let Ok(k) = w.parse::<KbNumber>() {
            p.ids.push(IdTerm::Kb(k));
        } else if let Ok(b) = w.parse::<BulletinId>() {
            p.ids.push(IdTerm::Bulletin(b));
        } else if let Ok(c) = w.parse::<CveId>() {
            p.ids.push(IdTerm::Cve(c));
        } else if !w.is_empty() && w.chars().any(char::is_alphanumeric) {
            p.terms.push(w.to_string());
        }
        i += 1;
    }
    p.ids.dedup();
    p
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

/// What one evaluation of a query gives.
struct Pass {
    /// Matching records.
    records: usize,
    /// Matching groups, and the languages each matched in.
    matched: group::Matched,
    /// The groups of the requested page and those before it, best first.
    groups: Vec<group::Group>,
    /// Facets, when they could be counted in the same pass (no filters).
    facets: Option<Facets>,
}

/// Records fetched per group wanted: a bulletin has up to two records per locale.
const RECORDS_PER_GROUP: usize = 8;

/// Evaluates `query`: count, groups and (without filters) facets in one
/// pass; more records are fetched only when the page needs more groups.
fn one_pass(searcher: &Searcher, query: &dyn Query, req: &SearchRequest) -> Result<Pass> {
    let want = req.offset + req.limit.max(1);
    let mut fetch = (want * RECORDS_PER_GROUP).max(64);
    let groups = group::GroupCount {
        multi_segment: searcher.segment_readers().len() > 1,
    };
    let facets = (req.facets && req.filters == Filters::default()).then(|| facets::GroupFacets {
        dims: facets::Dim::ALL.to_vec(),
        multi_segment: searcher.segment_readers().len() > 1,
    });
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
fn top_records(
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

/// How the words of a query are matched.
enum Words {
    /// Every word required, in any field (no lexicon, or the query's language unknown).
    All,
    /// Most words required, each by itself or by one of its translations;
    /// the query language's stop words optional.
    Translated(Vec<TermTranslation>),
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
        Some(_) if !engine.lexicon.pairs.is_empty() => Words::Translated(translation.terms.clone()),
        _ => Words::All,
    };
    let explain = req.explain.then(|| Explain {
        plan: plan.clone(),
        translation: translation.clone(),
    });
    let (base, highlight) = compile(engine, &searcher, &plan, &words, false);
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
    let mut pass = one_pass(&searcher, &*filtered(engine, &*base, &req.filters), req)?;
    if pass.records == 0
        && plan.terms.len() + plan.phrases.len() > 1
        && let (Some(any), _) = compile(engine, &searcher, &plan, &words, true)
    {
        let any_pass = one_pass(&searcher, &*filtered(engine, &*any, &req.filters), req)?;
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
    for g in &mut page {
        if g.key.is_empty() {
            let doc: TantivyDocument = searcher.doc(g.members[0].1)?;
            g.key = stored_str(&doc, engine.fields.group).unwrap_or_default();
        }
    }
    let page: Vec<&group::Group> = page.iter().collect();
    // Unless asked otherwise, show each group in the language of the query.
    let shown_lang = req.prefer_lang.or_else(|| {
        translation
            .query_lang
            .as_deref()
            .and_then(|l| l.parse().ok())
    });
    let hits = grouped_hits(
        engine,
        &searcher,
        &page,
        &*highlight,
        req,
        shown_lang,
        &matched,
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

/// The query's language and its words' translations into the languages
/// searched (every lexicon language, or the one the filter keeps).
fn translation(engine: &Engine, plan: &QueryPlan, req: &SearchRequest) -> Translation {
    let lexicon = &engine.lexicon;
    if plan.terms.is_empty() {
        return Translation {
            query_lang: req.query_lang.map(|l| l.code().to_string()),
            detected_by: if req.query_lang.is_some() {
                "given"
            } else {
                "none"
            }
            .into(),
            ..Translation::default()
        };
    }
    let (from, how) = translate::detect(lexicon, &plan.terms.join(" "), req.query_lang);
    let targets: Vec<Lang> = match (req.expand, req.filters.lang) {
        (false, _) => Vec::new(),
        (true, Some(l)) => vec![l],
        (true, None) => lexicon.langs(),
    };
    let terms = from
        .map(|from| translate::translate(lexicon, from, &plan.terms, &targets))
        .unwrap_or_default();
    Translation {
        query_lang: from.map(|l| l.code().to_string()),
        detected_by: how.into(),
        expanded: terms.iter().any(|t| !t.translations.is_empty()),
        terms,
    }
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

fn constant(q: Box<dyn Query>, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, score))
}

/// How many of `n` content words must match (themselves or translated):
/// all of one or two, then half (measured: requiring two in three or all
/// loses mates whose translation misses a word, and ranks no better).
fn required(n: usize) -> usize {
    if n <= 2 { n } else { n.div_ceil(2) }
}

/// A translation found in a title counts this much, in a body this much
/// (times its weight): translations are learned from titles and summaries,
/// and in long bodies they mostly meet boilerplate (measured on mate
/// retrieval: MRR 0.479 with 3/1, 0.493 with 10/0.1).
const TRANSLATED_TITLE_BOOST: f32 = 10.0;
/// The word as typed, beside its translations: at least as strong, so a
/// query's own language ranks first among equals.
const ORIGINAL_BOOST: f32 = 3.0;
const TRANSLATED_BODY_BOOST: f32 = 0.25;
/// A translation is looked up in bodies only when at most one record in
/// this many holds it (measured: body clauses for every translation cost
/// 9 ms at p99 on whole-title queries, for no gain in mate retrieval).
const BODY_DF_DIVISOR: u64 = 100;

/// The (title, body) fields a token of `lang` is looked up in: the
/// language's stemmed fields, else the generic ones (bigrams).
fn fields_of(engine: &Engine, lang: Lang) -> (Field, Field) {
    let f = &engine.fields;
    f.lang_fields(Some(lang)).unwrap_or((f.title, f.body))
}

/// One query word and its translations: matches when the word or any translation does.
fn translated_term(
    engine: &Engine,
    searcher: &Searcher,
    t: &TermTranslation,
    highlight: &mut Vec<(Occur, Box<dyn Query>)>,
) -> Option<Box<dyn Query>> {
    let body_df_limit = searcher.num_docs() / BODY_DF_DIVISOR;
    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(q) = text_query(engine, &t.term) {
        any.push((Occur::Should, boosted(q, ORIGINAL_BOOST)));
    }
    for (code, translations) in &t.translations {
        let Ok(lang) = code.parse::<Lang>() else {
            continue;
        };
        let (title, body) = fields_of(engine, lang);
        for (token, w) in translations {
            let mut both = vec![boosted(term(title, token), TRANSLATED_TITLE_BOOST * w)];
            // In bodies, a common translation costs a long posting list and
            // adds next to nothing to the score: only rarer ones are looked up there.
            let df = searcher
                .doc_freq(&Term::from_field_text(body, token))
                .unwrap_or(u64::MAX);
            if df <= body_df_limit {
                both.push(boosted(term(body, token), TRANSLATED_BODY_BOOST * w));
            }
            any.push((
                Occur::Should,
                Box::new(DisjunctionMaxQuery::with_tie_breaker(both, 0.1)),
            ));
            highlight.push((Occur::Should, term(body, token)));
        }
    }
    (!any.is_empty()).then(|| Box::new(BooleanQuery::new(any)) as Box<dyn Query>)
}

/// Compiles a plan: (the query, the query used for highlighting).
fn compile(
    engine: &Engine,
    searcher: &Searcher,
    plan: &QueryPlan,
    words: &Words,
    any_word: bool,
) -> (Option<Box<dyn Query>>, Box<dyn Query>) {
    let f = &engine.fields;
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut highlight: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for id in &plan.ids {
        // Each id: the keyword fields it may stand in, with the score a match there gives.
        let (s, tiers): (String, Vec<(Field, f32)>) = match id {
            IdTerm::Kb(kb) => {
                let s = kb.to_string();
                highlight.push((Occur::Should, term(f.body, &format!("kb{s}"))));
                (
                    s,
                    vec![(f.kb_main, 100.0), (f.advisory, 80.0), (f.kb, 10.0)],
                )
            }
            IdTerm::Bulletin(b) => (
                b.to_string(),
                vec![(f.bulletin_id, 100.0), (f.mentions, 10.0)],
            ),
            IdTerm::Cve(c) => (c.to_string(), vec![(f.cve_fix, 60.0), (f.cve, 10.0)]),
        };
        highlight.push((Occur::Should, phrase_or_term(engine, f.body, &s)));
        let any_tier = tiers
            .into_iter()
            .map(|(field, score)| (Occur::Should, constant(term(field, &s), score)))
            .collect();
        must.push((
            Occur::Must,
            Box::new(BooleanQuery::new(any_tier)) as Box<dyn Query>,
        ));
    }
    match words {
        Words::All => {
            let word_occur = if any_word { Occur::Should } else { Occur::Must };
            for text in &plan.terms {
                if let Some(q) = text_query(engine, text) {
                    must.push((word_occur, q));
                }
            }
        }
        Words::Translated(terms) => {
            let mut content: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let mut stop: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for t in terms {
                if let Some(q) = translated_term(engine, searcher, t, &mut highlight) {
                    if t.is_stop_word() {
                        stop.push((Occur::Should, q));
                    } else {
                        content.push((Occur::Should, q));
                    }
                }
            }
            let n = if any_word { 1 } else { required(content.len()) };
            if content.is_empty() {
                must.extend(stop);
            } else if n == content.len() {
                // All required: an intersection, much cheaper than counting matches.
                must.extend(content.into_iter().map(|(_, q)| (Occur::Must, q)));
                must.extend(stop);
            } else {
                let soft = BooleanQuery::with_minimum_required_clauses(content, n);
                must.push((Occur::Must, Box::new(soft)));
                must.extend(stop);
            }
        }
    }
    let phrase_occur = if any_word { Occur::Should } else { Occur::Must };
    for text in &plan.phrases {
        if let Some(q) = text_query(engine, text) {
            must.push((phrase_occur, q));
        }
    }
    for text in plan.terms.iter().chain(&plan.phrases) {
        for (_, _, body) in &f.by_lang {
            highlight.push((Occur::Should, phrase_or_term(engine, *body, text)));
        }
        highlight.push((Occur::Should, phrase_or_term(engine, f.body, text)));
    }
    let highlight: Box<dyn Query> = Box::new(BooleanQuery::new(highlight));
    if must.is_empty() {
        return (None, highlight);
    }
    let mut clauses = vec![(
        Occur::Must,
        Box::new(BooleanQuery::new(must)) as Box<dyn Query>,
    )];
    // The words naming an affected product, in order with at most three
    // words between (`Exchange 2003`, `Microsoft Exchange Server 2003`):
    // the bulletins of that product first, in every language.
    if let Some(q) = product_phrase(engine, &plan.terms.join(" ")) {
        clauses.push((Occur::Should, boosted(q, 2.0)));
    }
    // Among equals, a bulletin's own file first.
    clauses.push((Occur::Should, constant(term(f.origin, "file"), 0.5)));
    clauses.push((Occur::Should, constant(term(f.kind, "bulletin"), 1.0)));
    (Some(Box::new(BooleanQuery::new(clauses))), highlight)
}

/// `base` restricted by the filters.
/// The facet counts of a search, disjunctive as in Algolia and Meilisearch:
/// each facet counts the results under every other active filter, so a
/// count is what a click on it gives, and picking a language leaves the
/// other languages listed with their counts. Facets whose other filters
/// are the same share one pass (all four when no filter is active).
fn facet_counts(
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
    for (f, dims) in passes {
        let mut counted = searcher.search(
            &*filtered(engine, base, &f),
            &facets::GroupFacets {
                dims: dims.clone(),
                multi_segment: searcher.segment_readers().len() > 1,
            },
        )?;
        for dim in dims {
            out.take(dim, &mut counted);
        }
    }
    Ok(out)
}

fn filtered(engine: &Engine, base: &dyn Query, filters: &Filters) -> Box<dyn Query> {
    let f = &engine.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, base.box_clone())];
    if let Some(l) = filters.lang {
        clauses.push((Occur::Must, term(f.lang, l.code())));
    }
    if let Some(k) = filters.kind {
        clauses.push((Occur::Must, term(f.kind, k.code())));
    }
    if let Some(s) = filters.severity {
        clauses.push((Occur::Must, term(f.severity, s.code())));
    }
    if let Some(i) = filters.impact {
        clauses.push((Occur::Must, term(f.impact, i.code())));
    }
    if let Some(p) = filters.product.as_deref() {
        let q = phrase_or_term(engine, f.product, p);
        // Words the analyser drops entirely match nothing, not everything.
        let q: Box<dyn Query> = if is_empty_query(&*q) {
            Box::new(tantivy::query::EmptyQuery)
        } else {
            q
        };
        clauses.push((Occur::Must, q));
    }
    if let Some(y) = filters.year {
        clauses.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_u64(f.year, y),
                IndexRecordOption::Basic,
            )),
        ));
    }
    if clauses.len() == 1 {
        return base.box_clone();
    }
    Box::new(BooleanQuery::new(clauses))
}

/// A word or phrase in every text field, each analysed its own way; the best field counts.
fn text_query(engine: &Engine, text: &str) -> Option<Box<dyn Query>> {
    let f = &engine.fields;
    let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
    let mut fields: Vec<(Field, f32)> = vec![(f.title, 3.0), (f.body, 1.0)];
    for &(_, t, b) in &f.by_lang {
        fields.push((t, 3.0));
        fields.push((b, 1.0));
    }
    for (field, boost) in fields {
        let q = phrase_or_term(engine, field, text);
        if !is_empty_query(&*q) {
            alternatives.push(boosted(q, boost));
        }
    }
    (!alternatives.is_empty()).then(|| {
        Box::new(DisjunctionMaxQuery::with_tie_breaker(alternatives, 0.1)) as Box<dyn Query>
    })
}

/// The words as a product name: one term, or a phrase allowing three
/// words between each.
fn product_phrase(engine: &Engine, text: &str) -> Option<Box<dyn Query>> {
    let field = engine.fields.product;
    let mut analyzer = engine.index.tokenizers().get(analyze::GENERIC)?;
    let tokens = analyze::tokens(&mut analyzer, text);
    match tokens.len() {
        0 => None,
        1 => Some(term(field, &tokens[0])),
        _ => {
            let mut q = PhraseQuery::new(
                tokens
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            );
            q.set_slop(3);
            Some(Box::new(q))
        }
    }
}

fn is_empty_query(q: &dyn Query) -> bool {
    let mut any = false;
    q.query_terms(&mut |_, _| any = true);
    !any
}

/// The text analysed with `field`'s analyser: one term, a phrase, or nothing.
fn phrase_or_term(engine: &Engine, field: Field, text: &str) -> Box<dyn Query> {
    let schema = engine.index.schema();
    let entry = schema.get_field_entry(field);
    let analyzer_name = match entry.field_type() {
        tantivy::schema::FieldType::Str(o) => o
            .get_indexing_options()
            .map(|i| i.tokenizer().to_string())
            .unwrap_or_else(|| analyze::GENERIC.to_string()),
        _ => analyze::GENERIC.to_string(),
    };
    let Some(mut analyzer) = engine.index.tokenizers().get(&analyzer_name) else {
        return Box::new(BooleanQuery::new(Vec::new()));
    };
    let tokens = analyze::tokens(&mut analyzer, text);
    match tokens.len() {
        0 => Box::new(BooleanQuery::new(Vec::new())),
        1 => term(field, &tokens[0]),
        _ => Box::new(PhraseQuery::new(
            tokens
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect(),
        )),
    }
}

fn stored_str(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// Builds hits, with snippets for the terms of a highlight query.
struct HitMaker<'a> {
    engine: &'a Engine,
    searcher: &'a Searcher,
    highlight: &'a dyn Query,
    generators: HashMap<Field, Option<SnippetGenerator>>,
    highlighted_fields: std::collections::HashSet<Field>,
    literals: Vec<String>,
}

impl<'a> HitMaker<'a> {
    fn new(engine: &'a Engine, searcher: &'a Searcher, highlight: &'a dyn Query) -> HitMaker<'a> {
        let f = &engine.fields;
        let mut highlighted_fields = std::collections::HashSet::new();
        let mut literals: Vec<String> = Vec::new();
        highlight.query_terms(&mut |t, _| {
            highlighted_fields.insert(t.field());
            if t.field() == f.body
                && let Some(text) = t.value().as_str()
            {
                literals.push(text.to_string());
            }
        });
        HitMaker {
            engine,
            searcher,
            highlight,
            generators: HashMap::new(),
            highlighted_fields,
            literals,
        }
    }

    fn snippet(&mut self, doc: &TantivyDocument, lang: &str) -> String {
        let f = &self.engine.fields;
        let body = stored_str(doc, f.excerpt).unwrap_or_default();
        let lang_field = lang
            .parse::<Lang>()
            .ok()
            .and_then(|l| f.lang_fields(Some(l)))
            .map(|(_, b)| b);
        let candidates: Vec<Field> = lang_field
            .into_iter()
            .chain([f.body])
            .filter(|field| self.highlighted_fields.contains(field))
            .collect();
        // Around the first literal match when there is one (ids, CJK, exact
        // words); else a short window first (titles, ids and summaries sit at
        // the top), the longer one only when it holds no match.
        let lower = body.to_ascii_lowercase();
        let around = self
            .literals
            .iter()
            .filter_map(|t| lower.find(t.as_str()))
            .min()
            .map(|at| slice_around(&body, at));
        let mut windows: Vec<&str> = around.into_iter().collect();
        for w in SNIPPET_WINDOWS {
            let window = head(&body, w);
            if windows.last() != Some(&window) {
                windows.push(window);
            }
        }
        for window in windows {
            for &field in &candidates {
                let (searcher, highlight) = (self.searcher, self.highlight);
                let generator = self.generators.entry(field).or_insert_with(|| {
                    SnippetGenerator::create(searcher, highlight, field)
                        .ok()
                        .map(|mut g| {
                            g.set_max_num_chars(220);
                            g
                        })
                });
                if let Some(g) = generator {
                    let s = g.snippet(window);
                    if !s.highlighted().is_empty() {
                        return mark(s.fragment(), s.highlighted());
                    }
                }
            }
        }
        let summary = stored_str(doc, f.summary)
            .filter(|s| !s.is_empty())
            .unwrap_or(body);
        escape(&summary.chars().take(220).collect::<String>())
    }

    fn hit(&mut self, score: f32, addr: DocAddress) -> Result<Hit> {
        let f = &self.engine.fields;
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        let lang = stored_str(&doc, f.lang).unwrap_or_default();
        let snippet = self.snippet(&doc, &lang);
        let kb = stored_str(&doc, f.kb_main);
        let claimed =
            stored_str(&doc, f.kb_claimed).filter(|c| Some(c) != kb.as_ref() && kb.is_some());
        let bulletin_id = stored_str(&doc, f.bulletin_id)
            .filter(|_| stored_str(&doc, f.kind).as_deref() == Some("bulletin"));
        let group = stored_str(&doc, f.group).unwrap_or_default();
        let languages = lookup::languages_of(self.engine, &group).to_vec();
        Ok(Hit {
            languages,
            matched_languages: vec![lang.clone()],
            group,
            doc_id: stored_str(&doc, f.rec).unwrap_or_default(),
            bulletin_id,
            kb,
            kb_claimed: claimed,
            title: stored_str(&doc, f.title).unwrap_or_default(),
            lang,
            locale: stored_str(&doc, f.locale),
            kind: stored_str(&doc, f.kind).unwrap_or_default(),
            origin: stored_str(&doc, f.origin).unwrap_or_default(),
            path: stored_str(&doc, f.path).unwrap_or_default(),
            published: stored_str(&doc, f.published),
            released: stored_str(&doc, f.released),
            severity: stored_str(&doc, f.severity),
            score,
            snippet,
        })
    }
}

/// One hit per record.
fn hits(
    engine: &Engine,
    searcher: &Searcher,
    top: &[(f32, DocAddress)],
    highlight: &dyn Query,
) -> Result<Vec<Hit>> {
    let mut maker = HitMaker::new(engine, searcher, highlight);
    top.iter()
        .map(|&(score, addr)| maker.hit(score, addr))
        .collect()
}

/// One hit per group, shown through its best-matching version, or through
/// its version in the preferred language: a matching one, else (without a
/// language filter) any, so a reader sees the bulletin in their own language.
fn grouped_hits(
    engine: &Engine,
    searcher: &Searcher,
    groups: &[&group::Group],
    highlight: &dyn Query,
    req: &SearchRequest,
    prefer: Option<Lang>,
    matched: &group::Matched,
) -> Result<Vec<Hit>> {
    let preferred = prefer.map(Lang::code);
    // Groups whose matching records lack the preferred language but which
    // exist in it: their version in it, found in one search for the page.
    let wanted: Vec<&str> = match preferred {
        Some(p) if req.filters.lang.is_none() => groups
            .iter()
            .filter(|g| !g.members.iter().any(|m| m.2 == p))
            .filter(|g| lookup::languages_of(engine, &g.key).iter().any(|l| l == p))
            .map(|g| g.key.as_str())
            .collect(),
        _ => Vec::new(),
    };
    let other_versions = match preferred {
        Some(p) if !wanted.is_empty() => versions_in(engine, searcher, &wanted, p)?,
        _ => HashMap::new(),
    };
    let mut maker = HitMaker::new(engine, searcher, highlight);
    let mut out = Vec::new();
    for g in groups {
        let best = g.members[0].0;
        let shown = preferred
            .and_then(|p| g.members.iter().find(|m| m.2 == p).map(|m| m.1))
            .or_else(|| other_versions.get(g.key.as_str()).copied())
            .unwrap_or(g.members[0].1);
        let mut hit = maker.hit(best, shown)?;
        hit.matched_languages = matched.languages(g.ord.0, g.ord.1);
        out.push(hit);
    }
    Ok(out)
}

/// Each group's version in `lang`, its own file first.
fn versions_in<'k>(
    engine: &Engine,
    searcher: &Searcher,
    groups: &[&'k str],
    lang: &str,
) -> Result<HashMap<&'k str, DocAddress>> {
    let f = &engine.fields;
    let any_group = groups
        .iter()
        .map(|g| (Occur::Should, term(f.group, g)))
        .collect();
    let q = BooleanQuery::new(vec![
        (
            Occur::Must,
            constant(Box::new(BooleanQuery::new(any_group)), 1.0),
        ),
        (Occur::Must, constant(term(f.lang, lang), 0.0)),
        (Occur::Should, constant(term(f.origin, "file"), 1.0)),
    ]);
    let top = searcher.search(&q, &TopDocs::with_limit(groups.len() * 4).order_by_score())?;
    let mut keys = group::Columns::new(searcher, name::GROUP);
    let mut out = HashMap::new();
    for (_, addr) in top {
        let key = keys.get(addr)?;
        if let Some(g) = groups.iter().find(|g| **g == key) {
            out.entry(*g).or_insert(addr);
        }
    }
    Ok(out)
}

/// How much of a body snippets look at, in two steps: the start of a
/// document holds its title, ids and summary, and analysing a 200 kB
/// bulletin per hit costs more than the whole search.
const SNIPPET_WINDOWS: [usize; 2] = [2_000, crate::index::EXCERPT_BYTES];

/// A window of `s` from a little before byte `at` to some way after it.
fn slice_around(s: &str, at: usize) -> &str {
    let mut start = at.saturating_sub(200);
    while !s.is_char_boundary(start) {
        start -= 1;
    }
    // Start at a word boundary where the text has spaces.
    if start > 0
        && let Some(space) = s[start..at].find([' ', '\n'])
    {
        start += space + 1;
    }
    let mut end = (at + 1800).min(s.len());
    while !s.is_char_boundary(end) {
        end += 1;
    }
    &s[start..end]
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn mark(fragment: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for r in ranges {
        if r.start < pos || r.end > fragment.len() {
            continue;
        }
        out.push_str(&escape(&fragment[pos..r.start]));
        out.push_str("<mark>");
        out.push_str(&escape(&fragment[r.start..r.end]));
        out.push_str("</mark>");
        pos = r.end;
    }
    out.push_str(&escape(&fragment[pos..]));
    out.replace('\n', " ")
}

#[cfg(test)]
mod tests {
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
        ] {
            let p = plan(q);
            assert_eq!(p.ids, vec![expected], "{q}");
            assert!(p.terms.is_empty(), "{q}");
        }
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
