//! Query translation: which language a query is written in, and what each
//! of its words is in the other indexed languages, from the `Lexicon`.
//!
//! The language comes from, in order: the caller (`qlang`), the script
//! (kana, Hangul, Han), the lexicon's word counts (a naive Bayes over the
//! indexed languages' own vocabulary, which short queries need: whatlang
//! alone often confuses Danish and Norwegian), and whatlang restricted to
//! the indexed languages when no word is known.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::analyze;
use crate::extract::lang::{script_of, whatlang_among};
use crate::lexicon::{self, Lexicon};
use crate::model::Lang;

/// How a query's words translate, as the plan shows it (`explain`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Translation {
    /// The language the query was read as.
    #[schema(value_type = Option<String>, example = "da")]
    pub query_lang: Option<Lang>,
    /// How it was decided: `given`, `script`, `lexicon`, `whatlang` or `none`.
    pub detected_by: String,
    /// Whether translations were added to the query.
    pub expanded: bool,
    /// One entry per query word.
    pub terms: Vec<TermTranslation>,
    /// The query's phrase translations: per target language, the learned
    /// frame it holds and what that translates into (see `FrameTable`).
    pub phrases: Vec<PhraseTranslation>,
}

/// A frame of the query (several of its words taken together) and its
/// translations into one language.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PhraseTranslation {
    /// The target language.
    #[schema(value_type = String, example = "nl")]
    pub to: Lang,
    /// The frame's tokens in the query language.
    pub tokens: Vec<String>,
    /// Target frames (their tokens) with their weights, best first.
    #[schema(value_type = Vec<Object>)]
    pub translations: Vec<(Vec<String>, f32)>,
    /// The query's other words that the target language writes the same
    /// (product names: `Explorer`, `URL`), as its analyser reads them.
    pub anchors: Vec<String>,
}

/// One query word and its translations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TermTranslation {
    /// The word as typed.
    pub term: String,
    /// Its tokens in the query language (stems, or bigrams); none for a stop word.
    pub tokens: Vec<String>,
    /// Per target language, its tokens with their weights, best first.
    #[schema(value_type = Object)]
    pub translations: BTreeMap<Lang, Vec<(String, f32)>>,
}

impl TermTranslation {
    /// A stop word of the query language: scored, never required.
    pub fn is_stop_word(&self) -> bool {
        self.tokens.is_empty()
    }
}

/// A translation is kept when its weight is at least this share of the best one's.
const MIN_RELATIVE_WEIGHT: f32 = 0.3;

/// Translations per target language and source word: more for a long CJK
/// run (one whitespace word can be a whole sentence), a few for a word.
fn cap(tokens: usize) -> usize {
    (tokens / 2).clamp(4, 16)
}

/// Detects `text`'s language among the lexicon's (unless `given`).
pub fn detect(lexicon: &Lexicon, text: &str, given: Option<Lang>) -> (Option<Lang>, &'static str) {
    if given.is_some() {
        return (given, "given");
    }
    let langs = lexicon.langs();
    if langs.is_empty() {
        return (None, "none");
    }
    let han_only = match script_of(text) {
        // Han alone is Chinese or Japanese (脆弱性): the words decide.
        Some(Lang::Zh) if langs.contains(&Lang::Zh) && langs.contains(&Lang::Ja) => true,
        Some(script) => {
            let found = match script {
                Lang::Zh if !langs.contains(&Lang::Zh) => Some(Lang::Ja),
                l => Some(l),
            }
            .filter(|l| langs.contains(l));
            return (found, if found.is_some() { "script" } else { "none" });
        }
        None => false,
    };
    let latin: Vec<Lang> = if han_only {
        vec![Lang::Ja, Lang::Zh]
    } else {
        langs.iter().copied().filter(|l| !l.is_cjk()).collect()
    };
    let words: Vec<String> = analyze::analyse_generic(text)
        .into_iter()
        .filter(|w| w.chars().all(char::is_alphabetic))
        .collect();
    let mut scored: Vec<(f64, Lang)> = Vec::new();
    let mut known_anywhere = false;
    for &l in &latin {
        let Some(counts) = lexicon.words.get(&l) else {
            continue;
        };
        let total = lexicon.word_totals.get(&l).copied().unwrap_or(1) as f64;
        let vocab = counts.len() as f64;
        let mut score = 0.0;
        for w in &words {
            let c = counts.get(w).copied().unwrap_or(0);
            known_anywhere |= c > 0;
            score += ((c as f64 + 0.5) / (total + 0.5 * vocab)).ln();
        }
        scored.push((score, l));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let whatlang = whatlang_among(text, &latin).map(|(l, _)| l);
    match scored.as_slice() {
        _ if han_only && !known_anywhere => (Some(Lang::Zh), "script"),
        _ if !known_anywhere => match whatlang {
            Some(l) => (Some(l), "whatlang"),
            None => (None, "none"),
        },
        // Too close to call: whatlang decides between the two best.
        [a, b, ..] if a.0 - b.0 < 0.5 && whatlang == Some(b.1) => (Some(b.1), "whatlang"),
        [a, ..] => (Some(a.1), "lexicon"),
        [] => (None, "none"),
    }
}

/// The units a query's words are translated in: words split at hyphens and
/// punctuation (`OLE-dialogboks` is two words to translate), CJK runs at
/// their punctuation (`、`).
pub fn units(terms: &[String]) -> Vec<String> {
    terms
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .collect()
}

/// Translates each of `terms` from `from` into `targets`.
pub fn translate(
    lexicon: &Lexicon,
    from: Lang,
    terms: &[String],
    targets: &[Lang],
) -> Vec<TermTranslation> {
    units(terms)
        .iter()
        .map(|term| {
            let analysed = analyze::analyse(from, term);
            let tokens = lexicon::tokens(from, term);
            let mut translations = BTreeMap::new();
            for &to in targets.iter().filter(|&&t| t != from) {
                // What the word itself already matches in `to` needs no translation.
                let itself = analyze::analyse(to, term);
                let mut sum: HashMap<&str, f32> = HashMap::new();
                for s in &tokens {
                    for (t, w) in lexicon.translate(from, to, s) {
                        *sum.entry(t.as_str()).or_default() += w / tokens.len() as f32;
                    }
                }
                let mut best: Vec<(String, f32)> = sum
                    .into_iter()
                    .filter(|(t, _)| !itself.iter().any(|i| i == t))
                    .map(|(t, w)| (t.to_string(), w))
                    .collect();
                best.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                best.truncate(cap(tokens.len()));
                // Weak translations are mostly words that merely co-occur
                // (measured: dropping those under 0.3× the best loses no
                // mate-retrieval MRR and saves lookups).
                if let Some(top) = best.first().map(|b| b.1) {
                    best.retain(|b| b.1 >= MIN_RELATIVE_WEIGHT * top);
                }
                if !best.is_empty() {
                    translations.insert(to, best);
                }
            }
            TermTranslation {
                term: term.clone(),
                tokens: analysed,
                translations,
            }
        })
        .collect()
}

/// The query's learned frames in each of `targets` (see
/// `Lexicon::frames`): several words translated together.
pub fn phrases(
    lexicon: &Lexicon,
    from: Lang,
    terms: &[String],
    targets: &[Lang],
) -> Vec<PhraseTranslation> {
    if targets.iter().all(|&t| t == from) {
        return Vec::new();
    }
    let text = terms.join(" ");
    let tokens = lexicon::tokens(from, &text);
    // Each word with its tokens in the query language (none: a stop word).
    let words: Vec<(String, Vec<String>)> = analyze::analyse_generic(&text)
        .into_iter()
        .map(|w| {
            let own = lexicon::tokens(from, &w);
            (w, own)
        })
        .collect();
    lexicon
        .frames(from, &tokens, targets)
        .into_iter()
        .map(|f| {
            // A word outside the frame that the target's own segments use as is.
            let known = lexicon.words.get(&f.to);
            let mut anchors: Vec<String> = words
                .iter()
                .filter(|(_, own)| !own.is_empty() && !own.iter().any(|t| f.tokens.contains(t)))
                .filter(|(w, _)| known.is_some_and(|k| k.contains_key(w.as_str())))
                .flat_map(|(w, _)| lexicon::tokens(f.to, w))
                .collect();
            anchors.sort();
            anchors.dedup();
            PhraseTranslation {
                to: f.to,
                tokens: f.tokens,
                translations: f.translations.to_vec(),
                anchors,
            }
        })
        .collect()
}
