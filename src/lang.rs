//! The languages the documentation was published in: one row each, the only
//! place a language is declared. The row gives its code, its own name (the
//! page's language menu and facet), its writing system, the Snowball stemmer
//! tantivy indexes it with and whatlang's code for detecting it; everything
//! else about a language (credit words, severity words, month names) is an
//! optional vocabulary row in `vocab`, a prior the corpus can do without.
//!
//! Adding a language is one row here: the `Lang` variant, its analyser and
//! stemmed field, its detection and its name on the page all follow from it
//! (`every_language_has_what_the_index_needs` walks the tables).

use tantivy::tokenizer::Language as Stemmer;
use whatlang::Lang as Whatlang;

use crate::closed::{IdError, closed_set};
use crate::script::Script;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What the crate knows about one language.
#[derive(Debug, Clone, Copy)]
pub struct LangRow {
    /// The language.
    pub lang: Lang,
    /// The language's name for itself (`Dansk`, `日本語`).
    pub name: &'static str,
    /// The script its words are written in (Japanese: kana with Han).
    pub script: Script,
    /// The Snowball stemmer of its stemmed field; `None`: searched through
    /// the generic field alone (bigrams for Han, kana and Hangul).
    pub stemmer: Option<Stemmer>,
    /// whatlang's code, for telling it from the others written alike.
    pub whatlang: Option<Whatlang>,
    /// Other primary subtags of its locales (`no-no`, `nn-no` for Bokmål).
    pub locale_aliases: &'static [&'static str],
}

macro_rules! languages {
    ($($(#[$meta:meta])* $variant:ident = $code:literal, $name:literal, $script:ident,
        $stemmer:expr, $whatlang:expr, [$($alias:literal),*];)+) => {
        closed_set! {
            /// A language the documentation was published in. The code is the
            /// language part of the locale, except `nb` (Norwegian Bokmål).
            Lang {
                $($(#[$meta])* $variant = $code),+
            }
        }

        /// Every language, one row each, in the order of [`Lang::ALL`].
        pub const LANGS: &[LangRow] = &[$(LangRow {
            lang: Lang::$variant,
            name: $name,
            script: Script::$script,
            stemmer: $stemmer,
            whatlang: $whatlang,
            locale_aliases: &[$($alias),*],
        }),+];
    };
}

languages! {
    /// Czech.
    Cs = "cs", "Čeština", Latin, None, Some(Whatlang::Ces), [];
    /// Danish.
    Da = "da", "Dansk", Latin, Some(Stemmer::Danish), Some(Whatlang::Dan), [];
    /// German.
    De = "de", "Deutsch", Latin, Some(Stemmer::German), Some(Whatlang::Deu), [];
    /// Greek.
    El = "el", "Ελληνικά", Greek, Some(Stemmer::Greek), Some(Whatlang::Ell), [];
    /// English (en-us pages, and English pages under other locales).
    En = "en", "English", Latin, Some(Stemmer::English), Some(Whatlang::Eng), [];
    /// Spanish.
    Es = "es", "Español", Latin, Some(Stemmer::Spanish), Some(Whatlang::Spa), [];
    /// Finnish.
    Fi = "fi", "Suomi", Latin, Some(Stemmer::Finnish), Some(Whatlang::Fin), [];
    /// French.
    Fr = "fr", "Français", Latin, Some(Stemmer::French), Some(Whatlang::Fra), [];
    /// Hungarian.
    Hu = "hu", "Magyar", Latin, Some(Stemmer::Hungarian), Some(Whatlang::Hun), [];
    /// Italian.
    It = "it", "Italiano", Latin, Some(Stemmer::Italian), Some(Whatlang::Ita), [];
    /// Japanese.
    Ja = "ja", "日本語", Kana, None, None, [];
    /// Korean.
    Ko = "ko", "한국어", Hangul, None, None, [];
    /// Norwegian Bokmål.
    Nb = "nb", "Norsk", Latin, Some(Stemmer::Norwegian), Some(Whatlang::Nob), ["no", "nn"];
    /// Dutch.
    Nl = "nl", "Nederlands", Latin, Some(Stemmer::Dutch), Some(Whatlang::Nld), [];
    /// Polish.
    Pl = "pl", "Polski", Latin, None, Some(Whatlang::Pol), [];
    /// Portuguese (pt-br and pt-pt).
    Pt = "pt", "Português", Latin, Some(Stemmer::Portuguese), Some(Whatlang::Por), [];
    /// Russian.
    Ru = "ru", "Русский", Cyrillic, Some(Stemmer::Russian), Some(Whatlang::Rus), [];
    /// Swedish.
    Sv = "sv", "Svenska", Latin, Some(Stemmer::Swedish), Some(Whatlang::Swe), [];
    /// Turkish.
    Tr = "tr", "Türkçe", Latin, Some(Stemmer::Turkish), Some(Whatlang::Tur), [];
    /// Chinese (zh-cn and zh-tw).
    Zh = "zh", "中文", Han, None, None, [];
}

impl Lang {
    /// This language's row.
    pub fn row(self) -> &'static LangRow {
        // LANGS is in the order of ALL: the test below holds it there.
        &LANGS[self as usize]
    }

    /// The language's name for itself.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The language of a locale such as `da-DK`, `nb-no` or `zh-TW`.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let lower = locale.to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next()?;
        primary.parse().ok().or_else(|| {
            LANGS
                .iter()
                .find(|r| r.locale_aliases.contains(&primary))
                .map(|r| r.lang)
        })
    }

    /// Whether the language is written without spaces between words
    /// (Chinese, Japanese) or in Hangul: these are tokenised as bigrams.
    pub fn is_cjk(self) -> bool {
        matches!(
            self.row().script,
            Script::Han | Script::Kana | Script::Hangul
        )
    }
}

/// The language a record is analysed as: one of [`Lang`], or `und`
/// (undetermined) where neither its locale nor detection named one. This is
/// what the index stores and what hits carry, serialised as the code, and
/// ordered by it as the index's dictionaries are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub struct TextLang(pub Option<Lang>);

impl TextLang {
    /// The code stored in the index: the language's, or `und`.
    pub fn code(self) -> &'static str {
        self.0.map_or("und", Lang::code)
    }
}

impl Ord for TextLang {
    fn cmp(&self, other: &TextLang) -> std::cmp::Ordering {
        self.code().cmp(other.code())
    }
}

impl PartialOrd for TextLang {
    fn partial_cmp(&self, other: &TextLang) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl From<Lang> for TextLang {
    fn from(l: Lang) -> TextLang {
        TextLang(Some(l))
    }
}

impl From<Option<Lang>> for TextLang {
    fn from(l: Option<Lang>) -> TextLang {
        TextLang(l)
    }
}

impl PartialEq<Lang> for TextLang {
    fn eq(&self, other: &Lang) -> bool {
        self.0 == Some(*other)
    }
}

/// Compared with a code, as the index and the JSON write it (`"da"`, `"und"`).
impl PartialEq<&str> for TextLang {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

impl FromStr for TextLang {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        match s.trim() {
            "und" => Ok(TextLang(None)),
            s => s.parse().map(|l| TextLang(Some(l))),
        }
    }
}

impl fmt::Display for TextLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl From<TextLang> for &'static str {
    fn from(l: TextLang) -> &'static str {
        l.code()
    }
}

impl TryFrom<String> for TextLang {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        s.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A language added with a row has everything the index, detection and
    /// page need, and the rows stay in the order `Lang::row` relies on.
    #[test]
    fn every_language_has_what_the_index_needs() {
        assert_eq!(LANGS.len(), Lang::ALL.len());
        for (i, (row, &lang)) in LANGS.iter().zip(Lang::ALL).enumerate() {
            assert_eq!(row.lang, lang, "row {i} is out of order");
            assert_eq!(lang as usize, i);
            assert!(!row.name.is_empty(), "{lang}: no name");
            // A language is told apart by its script or by whatlang.
            let alone_in_script = LANGS.iter().filter(|r| r.script == row.script).count() == 1;
            assert!(
                row.whatlang.is_some() || alone_in_script || row.script.is_cjk(),
                "{lang}: neither whatlang nor a script of its own tells it apart"
            );
            assert_eq!(
                Lang::from_locale(&format!("{}-xx", lang.code())),
                Some(lang)
            );
            for alias in row.locale_aliases {
                assert_eq!(Lang::from_locale(&format!("{alias}-xx")), Some(lang));
            }
        }
        let named: std::collections::BTreeSet<&str> = LANGS.iter().map(|r| r.name).collect();
        assert_eq!(named.len(), LANGS.len(), "two languages share a name");
    }

    /// A record's language reads back from the code the index stores.
    #[test]
    fn text_lang_round_trips_through_its_code() {
        for l in Lang::ALL
            .iter()
            .map(|&l| TextLang::from(l))
            .chain([TextLang(None)])
        {
            assert_eq!(l.code().parse::<TextLang>(), Ok(l));
            assert_eq!(serde_json::to_string(&l).unwrap(), format!("\"{l}\""));
        }
        assert_eq!(TextLang(None).code(), "und");
        assert_eq!(TextLang::from(Lang::Da), Lang::Da);
        assert_eq!(TextLang::from(Lang::Da), "da");
        assert_ne!(TextLang(None), "da");
        assert!("xx".parse::<TextLang>().is_err());
        // Ordered as the index's dictionaries are: by code.
        assert!(TextLang(None) > Lang::Tr.into() && TextLang(None) < Lang::Zh.into());
    }
}
