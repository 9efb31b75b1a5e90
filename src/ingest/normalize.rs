//! Text normalisation shared by ingest and query parsing.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Normalises a whole document: `\r\n` and lone `\r` become `\n`, and each
/// line goes through [`normalize_inline`].
pub fn normalize(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    normalize_inline(&unified)
}

/// NFKC (full-width digits and punctuation, NBSP, ideographic space), the
/// remaining space characters mapped to a plain space, and invisible
/// characters (zero-width, direction marks, soft hyphen, BOM, C1 controls)
/// dropped. Newlines and tabs are kept.
pub fn normalize_inline(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.is_ascii() {
            out.push_str(line);
        } else if is_nfkc_quick(line.chars()) == IsNormalized::Yes {
            out.extend(line.chars().filter_map(clean));
        } else {
            out.extend(line.nfkc().filter_map(clean));
        }
    }
    out
}

fn clean(c: char) -> Option<char> {
    match c {
        '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => None,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => None,
        '\u{0080}'..='\u{009F}' => None,
        c if c != '\n' && c != '\t' && c.is_whitespace() => Some(' '),
        c => Some(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_spaces_and_invisibles_are_unified() {
        for (input, expected) in [
            ("a\r\nb\rc\nd", "a\nb\nc\nd"),
            ("8.\u{a0}Mai\u{a0}2018", "8. Mai 2018"),
            ("Service Pack １", "Service Pack 1"),
            ("MS02-0１5", "MS02-015"),
            ("（825119）", "(825119)"),
            ("公開日：2013", "公開日:2013"),
            ("a\u{3000}b\u{2009}c\u{202f}d", "a b c d"),
            ("zero\u{200b}width\u{200e}\u{ad}x", "zerowidthx"),
            ("c1\u{0085}ctl", "c1ctl"),
            ("重\u{FFFD}", "重\u{FFFD}"),
        ] {
            assert_eq!(normalize(input), expected, "{input:?}");
        }
    }
}
