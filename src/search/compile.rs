//! The second step: a `QueryPlan` and its translations compiled into a
//! tantivy query (ids exact in keyword fields, words in the generic and
//! language fields with their translations, filters, boosts).

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::Engine;
use crate::analyze;
use crate::model::Lang;

use super::*;

/// How the words of a query are matched.
pub(super) enum Words {
    /// Every word required, in any field (no lexicon, or the query's language unknown).
    All,
    /// Most words required, each by itself or by one of its translations;
    /// the query language's stop words optional. The phrase translations
    /// rank what holds them higher.
    Translated(Vec<TermTranslation>, Vec<PhraseTranslation>),
}

/// The query's language and its words' translations into every language
/// of the lexicon.
pub(super) fn translation(engine: &Engine, plan: &QueryPlan, req: &SearchRequest) -> Translation {
    let lexicon = &engine.lexicon;
    if plan.terms.is_empty() {
        return Translation {
            query_lang: req.query_lang,
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
    // Into every language, with a language filter too: a Danish word's
    // Chinese translation also matches Japanese pages (they share the Han
    // bigram field), and the filtered search must find what the language's
    // facet counted.
    let targets: Vec<Lang> = if req.expand {
        lexicon.langs()
    } else {
        Vec::new()
    };
    let terms = from
        .map(|from| translate::translate(lexicon, from, &plan.terms, &targets))
        .unwrap_or_default();
    let phrases = from
        .map(|from| translate::phrases(lexicon, from, &plan.terms, &targets))
        .unwrap_or_default();
    Translation {
        query_lang: from,
        detected_by: how.into(),
        expanded: terms.iter().any(|t| !t.translations.is_empty()) || !phrases.is_empty(),
        terms,
        phrases,
    }
}

pub(super) fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

pub(super) fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

pub(super) fn constant(q: Box<dyn Query>, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, score))
}

/// How many of `n` content words must match (themselves or translated):
/// all of one or two, then half (measured: requiring two in three or all
/// loses mates whose translation misses a word, and ranks no better).
pub(super) fn required(n: usize) -> usize {
    if n <= 2 { n } else { n.div_ceil(2) }
}

/// A translation found in a title counts this much, in a body this much
/// (times its weight): translations are learned from titles and summaries,
/// and in long bodies they mostly meet boilerplate (measured on mate
/// retrieval: MRR 0.479 with 3/1, 0.493 with 10/0.1).
pub(super) const TRANSLATED_TITLE_BOOST: f32 = 10.0;
/// The word as typed, beside its translations: at least as strong, so a
/// query's own language ranks first among equals.
pub(super) const ORIGINAL_BOOST: f32 = 3.0;
pub(super) const TRANSLATED_BODY_BOOST: f32 = 0.25;
/// A word as typed found in a bulletin's vulnerability names counts as in
/// its body, a translation half as much as in its title (measured on the
/// crosslang bench: names as strong as titles, 3 and 10, took vulnerability
/// names' R@1 from 0.198 to 0.278 but title mate retrieval's MRR from 0.482
/// to 0.442, since a title's words stand in many bulletins' names; 1 and 5
/// keep titles at 0.484 and take names to 0.244, R@10 0.567 to 0.684).
pub(super) const NAMES_BOOST: f32 = 1.0;
pub(super) const TRANSLATED_NAMES_BOOST: f32 = 5.0;
/// The whole query as a phrase in a vulnerability name (measured: a name
/// searched in its own language found its bulletin first 53% of the time
/// without it, 65% with 2, 80% with 8; title mate retrieval unchanged).
pub(super) const NAME_PHRASE_BOOST: f32 = 8.0;
/// A query's frame translated whole, with its anchors, found in one title
/// or in a bulletin's names: this score (times the translation's weight),
/// a constant (measured on the crosslang bench, names / titles MRR: none
/// 0.381 / 0.483; scored by BM25 0.375 / 0.454, as it favours short names
/// fields; constant 4, 8, 16: 0.394 / 0.490, 0.402 / 0.492, 0.407 /
/// 0.493; 8 with the anchors 0.405 / 0.492, titles' worst pair R@10 0.681
/// → 0.708).
pub(super) const FRAME_BOOST: f32 = 8.0;
/// A translation is looked up in bodies only when at most one record in
/// this many holds it (measured: body clauses for every translation cost
/// 9 ms at p99 on whole-title queries, for no gain in mate retrieval).
pub(super) const BODY_DF_DIVISOR: u64 = 100;

/// The (title, body) fields a token of `lang` is looked up in: the
/// language's stemmed fields, else the generic ones (bigrams).
pub(super) fn fields_of(engine: &Engine, lang: Lang) -> (Field, Field) {
    let f = &engine.fields;
    f.lang_fields(Some(lang)).unwrap_or((f.title, f.body))
}

/// One query word and its translations: matches when the word or any translation does.
pub(super) fn translated_term(
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
    for (&lang, translations) in &t.translations {
        let (title, body) = fields_of(engine, lang);
        let names = engine.fields.names_of(Some(lang));
        for (token, w) in translations {
            let mut both = vec![
                boosted(term(title, token), TRANSLATED_TITLE_BOOST * w),
                boosted(term(names, token), TRANSLATED_NAMES_BOOST * w),
            ];
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
pub(super) fn compile(
    engine: &Engine,
    searcher: &Searcher,
    plan: &QueryPlan,
    (words, query_lang): (&Words, Option<Lang>),
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
            IdTerm::Summary(s) => (s.clone(), vec![(f.doc_id, 100.0)]),
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
        Words::Translated(terms, _) => {
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
    let frames = match words {
        Words::Translated(_, phrases) => frames_query(engine, phrases, &mut highlight),
        Words::All => None,
    };
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
    // The words, in order, as one of a bulletin's vulnerability names
    // (unstemmed, or stemmed in the query's language): that bulletin first
    // (a name pasted from an advisory).
    if let Some(q) = names_phrase(engine, query_lang, &plan.terms.join(" ")) {
        clauses.push((Occur::Should, boosted(q, NAME_PHRASE_BOOST)));
    }
    // The query's frames translated whole, in a title or a name.
    if let Some(q) = frames {
        clauses.push((Occur::Should, q));
    }
    // Among equals, a bulletin's own file first.
    clauses.push((Occur::Should, constant(term(f.origin, "file"), 0.5)));
    clauses.push((Occur::Should, constant(term(f.kind, "bulletin"), 1.0)));
    (Some(Box::new(BooleanQuery::new(clauses))), highlight)
}

/// `base` restricted by the filters.
pub(super) fn filtered(engine: &Engine, base: &dyn Query, filters: &Filters) -> Box<dyn Query> {
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
    if filters.from.is_some() || filters.to.is_some() {
        use std::ops::Bound;
        let day = |d: Option<u64>| {
            d.map_or(Bound::Unbounded, |d| {
                Bound::Included(Term::from_field_u64(f.date, d))
            })
        };
        clauses.push((
            Occur::Must,
            Box::new(tantivy::query::RangeQuery::new(
                day(filters.from),
                day(filters.to),
            )),
        ));
    }
    if clauses.len() == 1 {
        return base.box_clone();
    }
    Box::new(BooleanQuery::new(clauses))
}

/// A word or phrase in every text field, each analysed its own way; the best field counts.
pub(super) fn text_query(engine: &Engine, text: &str) -> Option<Box<dyn Query>> {
    let f = &engine.fields;
    let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
    let mut fields: Vec<(Field, f32)> = vec![(f.title, 3.0), (f.names, NAMES_BOOST), (f.body, 1.0)];
    for &(_, t, b) in &f.by_lang {
        fields.push((t, 3.0));
        fields.push((b, 1.0));
    }
    for &(_, n) in &f.names_by_lang {
        fields.push((n, NAMES_BOOST));
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
pub(super) fn product_phrase(engine: &Engine, text: &str) -> Option<Box<dyn Query>> {
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

pub(super) fn is_empty_query(q: &dyn Query) -> bool {
    let mut any = false;
    q.query_terms(&mut |_, _| any = true);
    !any
}

/// The text analysed with `field`'s analyser: one term, a phrase, or nothing.
pub(super) fn phrase_or_term(engine: &Engine, field: Field, text: &str) -> Box<dyn Query> {
    let tokens = field_tokens(engine, field, text);
    match tokens.len() {
        0 => Box::new(BooleanQuery::new(Vec::new())),
        1 => term(field, &tokens[0]),
        _ => phrase(field, &tokens),
    }
}

/// The tokens, in order, in `field`.
fn phrase(field: Field, tokens: &[String]) -> Box<dyn Query> {
    Box::new(PhraseQuery::new(
        tokens
            .iter()
            .map(|t| Term::from_field_text(field, t))
            .collect(),
    ))
}

/// `text` as `field`'s analyser reads it.
fn field_tokens(engine: &Engine, field: Field, text: &str) -> Vec<String> {
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
        return Vec::new();
    };
    analyze::tokens(&mut analyzer, text)
}

/// The words as a phrase in the generic vulnerability names field, or in
/// that of `lang`, the query's language, where its analyser reads two words
/// or more. Not in the other languages' fields: their analysers may read a
/// query of another script as two words that many names hold (`windows
/// server`).
pub(super) fn names_phrase(
    engine: &Engine,
    lang: Option<Lang>,
    text: &str,
) -> Option<Box<dyn Query>> {
    let f = &engine.fields;
    let mut fields = vec![f.names];
    if f.names_of(lang) != f.names {
        fields.push(f.names_of(lang));
    }
    let alternatives: Vec<Box<dyn Query>> = fields
        .into_iter()
        .filter_map(|field| {
            let tokens = field_tokens(engine, field, text);
            (tokens.len() >= 2).then(|| phrase(field, &tokens))
        })
        .collect();
    (!alternatives.is_empty())
        .then(|| Box::new(DisjunctionMaxQuery::new(alternatives)) as Box<dyn Query>)
}

/// Each phrase translation as all of its target frame's tokens in a title
/// or in a vulnerability name of its language, weighted.
fn frames_query(
    engine: &Engine,
    phrases: &[PhraseTranslation],
    highlight: &mut Vec<(Occur, Box<dyn Query>)>,
) -> Option<Box<dyn Query>> {
    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for p in phrases {
        let (title, body) = fields_of(engine, p.to);
        let names = engine.fields.names_of(Some(p.to));
        for (tokens, w) in &p.translations {
            // The frame and the query's anchors, all in one title or in one
            // bulletin's names.
            let all = |field: Field| -> Box<dyn Query> {
                Box::new(BooleanQuery::new(
                    tokens
                        .iter()
                        .chain(&p.anchors)
                        .map(|t| (Occur::Must, term(field, t)))
                        .collect(),
                ))
            };
            // A constant: scored, a frame would favour short names fields.
            let either = DisjunctionMaxQuery::new(vec![all(title), all(names)]);
            any.push((Occur::Should, constant(Box::new(either), FRAME_BOOST * w)));
            highlight.extend(tokens.iter().map(|t| (Occur::Should, term(body, t))));
        }
    }
    (!any.is_empty()).then(|| Box::new(BooleanQuery::new(any)) as Box<dyn Query>)
}
