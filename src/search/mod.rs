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
pub mod lookup;

pub use facets::Facets;

use crate::analyze;
use crate::index::{Engine, Result, head};
use crate::ingest::normalize_inline;
use crate::model::{BulletinId, CveId, DocKind, KbNumber, Lang, Severity};

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
}

/// One search hit.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Hit {
    /// Unique record key (`path` or `path#MS07-017`).
    pub doc_id: String,
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
    /// Published date.
    pub published: Option<String>,
    /// Severity.
    pub severity: Option<String>,
    /// Relevance score.
    pub score: f32,
    /// Snippet, HTML-escaped, matches wrapped in `<mark>`.
    pub snippet: String,
    /// Every language the bulletin exists in (bulletin records only).
    pub languages: Vec<String>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    /// Matching records.
    pub total: usize,
    /// Milliseconds spent.
    pub took_ms: f64,
    /// The hits of the requested page.
    pub hits: Vec<Hit>,
    /// Counts per language, kind, severity and year over the unfiltered
    /// query (so every option stays visible), when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    /// Warnings from planning.
    pub warnings: Vec<String>,
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
        }
    }
}

/// What one evaluation of a query gives.
struct Pass {
    total: usize,
    top: Vec<(f32, DocAddress)>,
    /// Facets, when they could be counted in the same pass (no filters).
    facets: Option<Facets>,
}

/// Evaluates `query` once: count, page and (without filters) facets together.
fn one_pass(searcher: &Searcher, query: &dyn Query, req: &SearchRequest) -> Result<Pass> {
    let limit = req.limit.max(1);
    let facet_collector = (req.facets && req.filters == Filters::default()).then(facets::collector);
    let (total, top, aggs) = match req.sort {
        Sort::Relevance => searcher.search(
            query,
            &(
                Count,
                TopDocs::with_limit(limit)
                    .and_offset(req.offset)
                    .order_by_score(),
                facet_collector,
            ),
        )?,
        Sort::Date => {
            let (total, top, aggs) = searcher.search(
                query,
                &(
                    Count,
                    TopDocs::with_limit(limit)
                        .and_offset(req.offset)
                        .order_by_fast_field::<u64>("date", Order::Desc),
                    facet_collector,
                ),
            )?;
            (
                total,
                top.into_iter().map(|(_, addr)| (0.0, addr)).collect(),
                aggs,
            )
        }
    };
    Ok(Pass {
        total,
        top,
        facets: aggs.map(facets::read),
    })
}

/// Runs a search.
pub fn search(engine: &Engine, req: &SearchRequest) -> Result<SearchResponse> {
    let started = Instant::now();
    let plan = plan(&req.query);
    let searcher = engine.reader.searcher();
    let mut warnings = plan.warnings.clone();
    let (base, highlight) = compile(engine, &plan, false);
    let Some(mut base) = base else {
        warnings.push("the query has no searchable words or ids".into());
        return Ok(SearchResponse {
            total: 0,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits: Vec::new(),
            facets: req.facets.then(Facets::default),
            warnings,
        });
    };
    let mut pass = one_pass(&searcher, &*filtered(engine, &*base, &req.filters), req)?;
    if pass.total == 0
        && plan.terms.len() + plan.phrases.len() > 1
        && let (Some(any), _) = compile(engine, &plan, true)
    {
        let any_pass = one_pass(&searcher, &*filtered(engine, &*any, &req.filters), req)?;
        if any_pass.total > 0 {
            warnings.push("no record has all the words: showing records with any of them".into());
            base = any;
            pass = any_pass;
        }
    }
    let Pass {
        total,
        top,
        facets: same_pass,
    } = pass;
    let hits = hits(engine, &searcher, &top, &*highlight)?;
    let facets = match same_pass {
        Some(f) => Some(f),
        None if req.facets => Some(facets::count(&searcher, &*base)?),
        None => None,
    };
    Ok(SearchResponse {
        total,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
        facets,
        warnings,
    })
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

/// Compiles a plan: (the query, the query used for highlighting).
fn compile(
    engine: &Engine,
    plan: &QueryPlan,
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
    let word_occur = if any_word { Occur::Should } else { Occur::Must };
    for text in plan.terms.iter().chain(&plan.phrases) {
        if let Some(q) = text_query(engine, text) {
            must.push((word_occur, q));
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
    // Among equals, a bulletin's own file first.
    clauses.push((Occur::Should, constant(term(f.origin, "file"), 0.5)));
    clauses.push((Occur::Should, constant(term(f.kind, "bulletin"), 1.0)));
    (Some(Box::new(BooleanQuery::new(clauses))), highlight)
}

/// `base` restricted by the filters.
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

fn hits(
    engine: &Engine,
    searcher: &Searcher,
    top: &[(f32, DocAddress)],
    highlight: &dyn Query,
) -> Result<Vec<Hit>> {
    let f = &engine.fields;
    let mut generators: HashMap<Field, Option<SnippetGenerator>> = HashMap::new();
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
    let mut out = Vec::new();
    for &(score, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let lang = stored_str(&doc, f.lang).unwrap_or_default();
        let body = stored_str(&doc, f.excerpt).unwrap_or_default();
        let lang_field = lang
            .parse::<Lang>()
            .ok()
            .and_then(|l| f.lang_fields(Some(l)))
            .map(|(_, b)| b);
        let mut snippet = String::new();
        let candidates: Vec<Field> = lang_field
            .into_iter()
            .chain([f.body])
            .filter(|field| highlighted_fields.contains(field))
            .collect();
        // Around the first literal match when there is one (ids, CJK, exact
        // words); else a short window first (titles, ids and summaries sit at
        // the top), the longer one only when it holds no match.
        let lower = body.to_ascii_lowercase();
        let around = literals
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
        'windows: for window in windows {
            for &field in &candidates {
                let generator = generators.entry(field).or_insert_with(|| {
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
                        snippet = mark(s.fragment(), s.highlighted());
                        break 'windows;
                    }
                }
            }
        }
        if snippet.is_empty() {
            let summary = stored_str(&doc, f.summary)
                .filter(|s| !s.is_empty())
                .unwrap_or(body);
            snippet = escape(&summary.chars().take(220).collect::<String>());
        }
        let kb = stored_str(&doc, f.kb_main);
        let claimed =
            stored_str(&doc, f.kb_claimed).filter(|c| Some(c) != kb.as_ref() && kb.is_some());
        let bulletin_id = stored_str(&doc, f.bulletin_id)
            .filter(|_| stored_str(&doc, f.kind).as_deref() == Some("bulletin"));
        let languages = bulletin_id
            .as_deref()
            .map(|id| lookup::languages_of(engine, id).to_vec())
            .unwrap_or_default();
        out.push(Hit {
            languages,
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
            severity: stored_str(&doc, f.severity),
            score,
            snippet,
        });
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
