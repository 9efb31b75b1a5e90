//! Hits from the records found: one per translation group, the version
//! shown chosen by language, with highlighted snippets.

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::{Field, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::Engine;
use crate::index::{Result, head, name};
use crate::model::Lang;

use super::*;

pub(super) fn stored_str(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// A stored value read back as its type; `None` where it is absent (or,
/// in an index this build did not write, not a value of the type).
pub(super) fn stored<T: std::str::FromStr>(doc: &TantivyDocument, field: Field) -> Option<T> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse().ok())
}

/// Builds hits, with snippets for the terms of a highlight query.
pub(super) struct HitMaker<'a> {
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

    fn snippet(&mut self, doc: &TantivyDocument, lang: TextLang) -> String {
        let f = &self.engine.fields;
        let body = doc
            .get_first(f.excerpt)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let lang_field = f.lang_fields(lang.0).map(|(_, b)| b);
        let candidates: Vec<Field> = lang_field
            .into_iter()
            .chain([f.body])
            .filter(|field| self.highlighted_fields.contains(field))
            .collect();
        // Around the first literal match when there is one (ids, CJK, exact
        // words); else a short window first (titles, ids and summaries sit at
        // the top), the longer one only when it holds no match.
        let lower = (!self.literals.is_empty()).then(|| body.to_ascii_lowercase());
        let around = self
            .literals
            .iter()
            .filter_map(|t| find_token(lower.as_deref()?, t))
            .min()
            .map(|at| slice_around(body, at));
        let mut windows: Vec<&str> = around.into_iter().collect();
        // Where only the generic field is highlighted by terms that neither
        // case nor folding changes (ids, ASCII words, Han and kana bigrams),
        // the window around the first of them is the one to mark, and a
        // text holding none has nothing to mark: analysing 16 kB to learn so
        // cost most of an id query.
        let literal_only = candidates == [f.body] && self.literals.iter().all(|t| unfolded(t));
        let heads = if literal_only {
            &[][..]
        } else {
            &SNIPPET_WINDOWS[..]
        };
        for &w in heads {
            let window = head(body, w);
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
        let summary = doc
            .get_first(f.summary)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
            .unwrap_or(body);
        escape(&summary.chars().take(220).collect::<String>())
    }

    /// The hit of the record at `addr`, from its stored document `loaded`
    /// where the caller already read it.
    fn hit(
        &mut self,
        score: f32,
        addr: DocAddress,
        loaded: Option<TantivyDocument>,
    ) -> Result<Hit> {
        let f = &self.engine.fields;
        let doc: TantivyDocument = match loaded {
            Some(doc) => doc,
            None => self.searcher.doc(addr)?,
        };
        let lang = stored(&doc, f.lang).unwrap_or(TextLang(None));
        let snippet = self.snippet(&doc, lang);
        let kb = stored(&doc, f.kb_main);
        let claimed = stored(&doc, f.kb_claimed).filter(|&c| kb.is_some_and(|kb| kb != c));
        let kind = stored(&doc, f.kind).unwrap_or(DocKind::Other);
        let bulletin_id = stored(&doc, f.bulletin_id).filter(|_| kind == DocKind::Bulletin);
        let group = stored_str(&doc, f.group).unwrap_or_default();
        let languages = lookup::languages_of(self.engine, &group).to_vec();
        Ok(Hit {
            languages,
            matched_languages: vec![lang],
            group,
            doc_id: stored_str(&doc, f.rec).unwrap_or_default(),
            bulletin_id,
            kb,
            kb_claimed: claimed,
            title: stored_str(&doc, f.title).unwrap_or_default(),
            lang,
            locale: stored_str(&doc, f.locale),
            kind,
            origin: stored(&doc, f.origin).unwrap_or(Origin::File),
            path: stored_str(&doc, f.path).unwrap_or_default(),
            published: stored_str(&doc, f.published),
            released: stored_str(&doc, f.released),
            severity: stored(&doc, f.severity),
            score,
            snippet,
        })
    }
}

/// One hit per record.
pub(super) fn hits(
    engine: &Engine,
    searcher: &Searcher,
    top: &[(f32, DocAddress)],
    highlight: &dyn Query,
) -> Result<Vec<Hit>> {
    let mut maker = HitMaker::new(engine, searcher, highlight);
    top.iter()
        .map(|&(score, addr)| maker.hit(score, addr, None))
        .collect()
}

/// One hit per group, shown through its best-matching version, or through
/// its version in the preferred language: a matching one, else (without a
/// language filter) any, so a reader sees the bulletin in their own language.
/// `loaded` holds stored documents the caller already read, by address
/// (a record is not read twice).
#[allow(clippy::too_many_arguments)]
pub(super) fn grouped_hits(
    engine: &Engine,
    searcher: &Searcher,
    groups: &[&group::Group],
    highlight: &dyn Query,
    req: &SearchRequest,
    prefer: Option<Lang>,
    matched: &group::Matched,
    mut loaded: HashMap<DocAddress, TantivyDocument>,
) -> Result<Vec<Hit>> {
    // Groups whose matching records lack the preferred language but which
    // exist in it: their version in it, found in one search for the page.
    let wanted: Vec<&str> = match prefer {
        Some(p) if req.filters.lang.is_none() => groups
            .iter()
            .filter(|g| !g.members.iter().any(|m| m.2 == p))
            .filter(|g| lookup::languages_of(engine, &g.key).iter().any(|l| *l == p))
            .map(|g| g.key.as_str())
            .collect(),
        _ => Vec::new(),
    };
    let other_versions = match prefer {
        Some(p) if !wanted.is_empty() => versions_in(engine, searcher, &wanted, p.code())?,
        _ => HashMap::new(),
    };
    let mut maker = HitMaker::new(engine, searcher, highlight);
    let mut out = Vec::new();
    for g in groups {
        let best = g.members[0].0;
        let shown = prefer
            .and_then(|p| g.members.iter().find(|m| m.2 == p).map(|m| m.1))
            .or_else(|| other_versions.get(g.key.as_str()).copied())
            .unwrap_or(g.members[0].1);
        let mut hit = maker.hit(best, shown, loaded.remove(&shown))?;
        hit.matched_languages = matched.languages(g.ord.0, g.ord.1);
        out.push(hit);
    }
    Ok(out)
}

/// Each group's version in `lang`, its own file first.
pub(super) fn versions_in<'k>(
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
    let top = top_by_score(searcher, &q, groups.len() * 4)?;
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
pub(super) const SNIPPET_WINDOWS: [usize; 2] = [2_000, crate::index::EXCERPT_BYTES];

/// Where `term` first stands as a token of its own in `text`: `017` in
/// `MS07-017`, not in `2017` (what the analyser would not mark). Han and
/// kana bigrams stand anywhere.
fn find_token(text: &str, term: &str) -> Option<usize> {
    let word =
        |c: char| c.is_alphanumeric() && !crate::script::Script::of(c).is_some_and(|s| s.is_cjk());
    text.match_indices(term).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + term.len()..].chars().next();
        let starts =
            term.chars().next().is_none_or(|c| !word(c)) || before.is_none_or(|c| !word(c));
        let ends =
            term.chars().next_back().is_none_or(|c| !word(c)) || after.is_none_or(|c| !word(c));
        starts && ends
    })
}

/// Whether a term reads the same in the lower-cased text as the
/// analyser's folding makes it: ASCII, or Han, kana and Hangul.
fn unfolded(term: &str) -> bool {
    term.chars().all(|c| {
        use crate::script::Script;
        c.is_ascii()
            || matches!(
                Script::of(c),
                Some(Script::Han | Script::Kana | Script::Hangul)
            )
    })
}

/// A window of `s` from a little before byte `at` to a snippet's length
/// after it (220 characters of Han are 660 bytes): the snippet generator
/// analyses all of it, so no more.
pub(super) fn slice_around(s: &str, at: usize) -> &str {
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
    let mut end = (at + 720).min(s.len());
    while !s.is_char_boundary(end) {
        end += 1;
    }
    &s[start..end]
}

pub(super) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(super) fn mark(fragment: &str, ranges: &[std::ops::Range<usize>]) -> String {
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
    fn a_literal_is_found_where_it_stands_as_a_token() {
        let text = "kb2017 fixes ms07-017 (2017) and 脆弱性";
        assert_eq!(find_token(text, "017"), Some(18));
        assert_eq!(find_token(text, "ms07"), Some(13));
        assert_eq!(find_token(text, "kb2017"), Some(0));
        assert_eq!(find_token(text, "201"), None);
        assert_eq!(find_token(text, "弱性"), Some(text.find("弱性").unwrap()));
    }
}
