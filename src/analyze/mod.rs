//! In: a `Lang`. Out: the tantivy analyser its text is indexed with.
//!
//! One table maps each language to its analyser: a Snowball stemmer and a
//! stop-word list wherever tantivy has them, after lower-casing and before
//! ASCII folding (so `blåbærsyltetøj` and `blabaersyltetoj` both match). Every
//! text also goes into an unstemmed generic field whose tokenizer turns runs
//! of Han, kana and Hangul into overlapping bigrams, so Japanese, Chinese and
//! Korean need no dictionary (none can be downloaded here) and a two-character
//! word query (`漏洞`, `脆弱性`, `취약점`) matches.

mod cjk;

use std::collections::HashMap;
use std::sync::LazyLock;

pub use cjk::{CjkBigramTokenizer, is_cjk};

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TokenizerManager,
};

use crate::model::Lang;

/// The generic analyser's name: no stemming, CJK bigrams, folding.
pub const GENERIC: &str = "generic";

/// Languages with a stemmer, and the tantivy language used for them (the
/// `stemmer` column of [`crate::lang::LANGS`]). The others (Czech, Polish,
/// Japanese, Korean, Chinese) are searched through the generic field alone.
pub fn stemmed_languages() -> impl Iterator<Item = (Lang, Language)> {
    crate::lang::LANGS
        .iter()
        .filter_map(|r| r.stemmer.map(|s| (r.lang, s)))
}

/// The analyser name of a stemmed language (`lang_da`), if it has one.
pub fn analyzer_name(lang: Lang) -> Option<String> {
    lang.row()
        .stemmer
        .is_some()
        .then(|| format!("lang_{}", lang.code()))
}

fn stemmed(language: Language) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .dynamic();
    let builder = match StopWordFilter::new(language) {
        Some(stop) => builder.filter_dynamic(stop),
        None => builder,
    };
    builder
        .filter_dynamic(Stemmer::new(language))
        .filter_dynamic(AsciiFoldingFilter)
        .build()
}

/// The generic analyser: CJK bigrams and words, lower-cased and folded.
pub fn generic() -> TextAnalyzer {
    TextAnalyzer::builder(CjkBigramTokenizer)
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers every analyser under its name.
pub fn register(manager: &TokenizerManager) {
    manager.register(GENERIC, generic());
    for (lang, language) in stemmed_languages() {
        if let Some(name) = analyzer_name(lang) {
            manager.register(&name, stemmed(language));
        }
    }
}

/// The name of the analyser a text in `lang` is indexed with beside the
/// generic one: its stemmed analyser, else the generic one itself.
pub fn analyzer_name_or_generic(lang: Lang) -> String {
    analyzer_name(lang).unwrap_or_else(|| GENERIC.to_string())
}

static ANALYZERS: LazyLock<HashMap<String, TextAnalyzer>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    m.insert(GENERIC.to_string(), generic());
    for (lang, language) in stemmed_languages() {
        if let Some(name) = analyzer_name(lang) {
            m.insert(name, stemmed(language));
        }
    }
    m
});

/// `text` analysed as the index analyses text in `lang` (stems, or bigrams
/// for languages without a stemmer).
pub fn analyse(lang: Lang, text: &str) -> Vec<String> {
    let mut analyzer = ANALYZERS[&analyzer_name_or_generic(lang)].clone();
    tokens(&mut analyzer, text)
}

/// `text` analysed with the generic analyser (no stemming, stop words kept).
pub fn analyse_generic(text: &str) -> Vec<String> {
    let mut analyzer = ANALYZERS[GENERIC].clone();
    tokens(&mut analyzer, text)
}

/// Runs `analyzer` over `text` and returns the token texts.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyse(lang: Lang, text: &str) -> Vec<String> {
        let manager = TokenizerManager::default();
        register(&manager);
        let name = analyzer_name(lang).unwrap_or_else(|| GENERIC.to_string());
        tokens(&mut manager.get(&name).unwrap(), text)
    }

    #[test]
    fn each_language_stems_and_folds() {
        for (lang, text, expected) in [
            (Lang::Da, "sårbarheder", vec!["sarbar"]),
            (Lang::Da, "sårbarhed", vec!["sarbar"]),
            (
                Lang::De,
                "Sicherheitsanfälligkeiten",
                vec!["sicherheitsanfall"],
            ),
            (Lang::Nl, "beveiligingslekken", vec!["beveiligingslek"]),
            (Lang::Nb, "sikkerhetsproblemer", vec!["sikkerhetsproblem"]),
            (Lang::En, "the vulnerabilities", vec!["vulner"]),
            (Lang::Ja, "脆弱性", vec!["脆弱", "弱性"]),
            (Lang::Zh, "漏洞", vec!["漏洞"]),
            (Lang::Ko, "취약점", vec!["취약", "약점"]),
            (
                Lang::Pl,
                "Luka w zabezpieczeniach",
                vec!["luka", "w", "zabezpieczeniach"],
            ),
        ] {
            assert_eq!(analyse(lang, text), expected, "{lang} {text}");
        }
    }
}
