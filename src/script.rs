//! Which writing system a character belongs to: one classification for the
//! whole crate (credits, language detection, analysers).

/// A writing system, as far as this crate tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Script {
    /// Latin letters, with their accents and extensions.
    Latin,
    /// Greek.
    Greek,
    /// Cyrillic.
    Cyrillic,
    /// Hiragana and katakana (Japanese).
    Kana,
    /// Han ideographs (Chinese characters, Japanese kanji).
    Han,
    /// Hangul (Korean).
    Hangul,
    /// Arabic, Hebrew, Thai and every other script.
    Other,
}

impl Script {
    /// The script of a letter; `None` for digits, punctuation, spaces and symbols.
    pub fn of(c: char) -> Option<Script> {
        if !c.is_alphabetic() {
            return None;
        }
        Some(match c {
            'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => {
                Script::Latin
            }
            '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => Script::Greek,
            '\u{0400}'..='\u{052F}' => Script::Cyrillic,
            '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}' => {
                Script::Kana
            }
            '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' => {
                Script::Han
            }
            '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}' => {
                Script::Hangul
            }
            _ => Script::Other,
        })
    }

    /// Whether the script has no letter case (Han, kana, Hangul, and the
    /// scripts this crate does not tell apart): its names are transliterated,
    /// never copied, and a capital letter says nothing in it.
    pub fn is_caseless(self) -> bool {
        matches!(
            self,
            Script::Han | Script::Kana | Script::Hangul | Script::Other
        )
    }

    /// Whether the script is written without spaces between words (Han, kana).
    pub fn is_cjk(self) -> bool {
        matches!(self, Script::Han | Script::Kana)
    }
}

/// The scripts of the letters in `s`, each once, in order of the enum.
pub fn scripts(s: &str) -> Vec<Script> {
    let mut found: Vec<Script> = s.chars().filter_map(Script::of).collect();
    found.sort();
    found.dedup();
    found
}

/// Whether `s` mixes writing systems, Han and kana counting as one
/// (Japanese writes one name in both): `MS10-026에서 … Palo Alto Networks`.
pub fn mixes_scripts(s: &str) -> bool {
    let mut kinds = scripts(s)
        .into_iter()
        .map(|k| if k.is_cjk() { Script::Han } else { k })
        .collect::<Vec<_>>();
    kinds.dedup();
    kinds.len() > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_are_classified_by_script_and_the_rest_is_none() {
        let cases = [
            ('a', Some(Script::Latin)),
            ('ø', Some(Script::Latin)),
            ('Ž', Some(Script::Latin)),
            ('λ', Some(Script::Greek)),
            ('Д', Some(Script::Cyrillic)),
            ('の', Some(Script::Kana)),
            ('ラ', Some(Script::Kana)),
            ('漏', Some(Script::Han)),
            ('취', Some(Script::Hangul)),
            ('ש', Some(Script::Other)),
            ('7', None),
            ('-', None),
            (' ', None),
        ];
        for (c, script) in cases {
            assert_eq!(Script::of(c), script, "{c}");
        }
    }

    #[test]
    fn mixed_scripts_are_told_from_one_script_with_han_and_kana_together() {
        assert!(mixes_scripts(
            "MS10-026에서 설명한 문제점을 보고해 주신 Palo Alto Networks 의 Yamata Li"
        ));
        assert!(mixes_scripts("Лайонела Donnes"));
        assert!(!mixes_scripts("株式会社ラック"));
        assert!(!mixes_scripts("Tavis Ormandy (Google)"));
        assert!(!mixes_scripts("Лайонела Доненса"));
        assert!(!mixes_scripts("2007"));
    }
}
