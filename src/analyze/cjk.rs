//! A script-aware tokenizer: runs of Han, kana and Hangul become overlapping
//! bigrams (a lone character becomes a unigram); every other run of
//! alphanumeric characters becomes one word. Positions advance per token,
//! so phrase queries over bigrams work, and offsets point into the source
//! text, so snippets highlight the right characters.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// See the module documentation.
#[derive(Clone, Copy, Debug, Default)]
pub struct CjkBigramTokenizer;

/// Whether `c` is written without spaces between words (or is Hangul, whose
/// particles glue to words): Han, Hiragana, Katakana, Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{31F0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}' // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified
        | '\u{F900}'..='\u{FAFF}'
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{1100}'..='\u{11FF}'
        | '\u{3130}'..='\u{318F}'
        | '\u{20000}'..='\u{2FFFF}')
}

impl Tokenizer for CjkBigramTokenizer {
    type TokenStream<'a> = CjkBigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkBigramStream<'a> {
        CjkBigramStream {
            text,
            tokens: split(text),
            next: 0,
            token: Token::default(),
        }
    }
}

/// The tokens of one text, computed up front.
pub struct CjkBigramStream<'a> {
    text: &'a str,
    tokens: Vec<(usize, usize)>,
    next: usize,
    token: Token,
}

fn split(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |&(o, _)| o);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i].1) {
                i += 1;
            }
            if i - start == 1 {
                out.push((chars[start].0, end_of(start + 1)));
            } else {
                for (k, &(offset, _)) in chars.iter().enumerate().take(i - 1).skip(start) {
                    out.push((offset, end_of(k + 2)));
                }
            }
        } else if c.is_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].1.is_alphanumeric() && !is_cjk(chars[i].1) {
                i += 1;
            }
            out.push((chars[start].0, end_of(i)));
        } else {
            i += 1;
        }
    }
    out
}

impl TokenStream for CjkBigramStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(&(from, to)) = self.tokens.get(self.next) else {
            return false;
        };
        self.token.position = self.next;
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        self.next += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::TextAnalyzer;

    use super::*;

    #[test]
    fn cjk_runs_become_bigrams_and_other_runs_words() {
        let mut a = TextAnalyzer::builder(CjkBigramTokenizer).build();
        let mut stream = a.token_stream("GDI の脆弱性 MS07-017 (925902) 漏 x");
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push((t.text.clone(), t.position));
        }
        assert_eq!(
            seen,
            vec![
                ("GDI".to_string(), 0),
                ("の脆".to_string(), 1),
                ("脆弱".to_string(), 2),
                ("弱性".to_string(), 3),
                ("MS07".to_string(), 4),
                ("017".to_string(), 5),
                ("925902".to_string(), 6),
                ("漏".to_string(), 7),
                ("x".to_string(), 8),
            ]
        );
    }
}
