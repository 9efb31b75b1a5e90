//! A thanks line cut into tokens: words, punctuation and ids, with their
//! case and whether their script has letter case at all.

use super::fold;
use crate::script::Script;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    Punct,
    /// A bulletin, CVE or KB id, or a number.
    Id,
}

/// One token of a line, by byte range.
#[derive(Debug, Clone)]
pub(super) struct Tok {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) kind: Kind,
    /// Folded text (punctuation: the character itself).
    pub(super) key: String,
    /// Written in a script without letter case (Han, kana, Hangul …).
    pub(super) caseless: bool,
    /// Opens with a capital letter.
    pub(super) capital: bool,
}

pub(super) const PUNCT: &[char] = &[
    ',', ';', ':', '(', ')', '[', ']', '{', '}', '"', '“', '”', '„', '«', '»', '「', '」', '『',
    '』', '（', '）', '、', '，', '；', '：', '。', '!', '?', '！', '？', '/', '|', '–', '—',
];

/// Whether two letters belong to one token: cased scripts together, caseless
/// ones together (a Japanese run mixes kanji and kana).
pub(super) fn same_run(a: Option<Script>, b: Option<Script>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.is_caseless() == b.is_caseless(),
        _ => true,
    }
}

pub(super) fn tokens(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_script: Option<Script> = None;
    let push = |out: &mut Vec<Tok>, s: usize, e: usize| {
        let raw = &text[s..e];
        // `HP's Zero Day Initiative` is the line's `[HP][Zero Day Initiative]`.
        let raw = ["'s", "’s"]
            .iter()
            .find_map(|p| raw.strip_suffix(p).filter(|r| r.chars().count() >= 2))
            .unwrap_or(raw);
        let trimmed = raw.trim_end_matches(['.', '\'', '’']);
        let t = if trimmed.is_empty() { raw } else { trimmed };
        if t == "-" || t == "–" || t == "&" {
            out.push(Tok {
                start: s,
                end: e,
                kind: Kind::Punct,
                key: t.to_string(),
                caseless: false,
                capital: false,
            });
            return;
        }
        let key = fold(t);
        if key.is_empty() {
            return;
        }
        // Plain numbers are words: `Qihoo 360`, `team 509`.
        let is_id = t.bytes().any(|b| b.is_ascii_digit())
            && t.chars().filter(char::is_ascii_alphabetic).count() <= 3
            && (!crate::extract::ids::bulletins(t).is_empty()
                || !crate::extract::ids::cves(t).is_empty()
                || (key.starts_with("kb") && key[2..].chars().all(|c| c.is_ascii_digit())));
        let first = t.chars().find(|c| c.is_alphabetic());
        let caseless = first.is_some_and(|c| !c.is_lowercase() && !c.is_uppercase());
        out.push(Tok {
            start: s,
            end: e,
            kind: if is_id { Kind::Id } else { Kind::Word },
            key,
            caseless,
            capital: first.is_some_and(char::is_uppercase),
        });
    };
    for (i, c) in text.char_indices() {
        let script = Script::of(c);
        if c.is_whitespace() || PUNCT.contains(&c) {
            if let Some(s) = start.take() {
                push(&mut out, s, i);
            }
            if !c.is_whitespace() {
                out.push(Tok {
                    start: i,
                    end: i + c.len_utf8(),
                    kind: Kind::Punct,
                    key: c.to_string(),
                    caseless: false,
                    capital: false,
                });
            }
            last_script = None;
            continue;
        }
        if let Some(s) = start
            && script.is_some()
            && !same_run(last_script, script)
        {
            push(&mut out, s, i);
            start = None;
        }
        if start.is_none() {
            start = Some(i);
        }
        if script.is_some() {
            last_script = script;
        }
    }
    if let Some(s) = start {
        push(&mut out, s, text.len());
    }
    out
}

/// The gap keys a run of frame tokens is known by: all of it, its first
/// word, its last word.
pub(super) fn gap_keys(toks: &[Tok]) -> [String; 3] {
    let all = toks
        .iter()
        .map(|t| t.key.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let word = |t: Option<&Tok>| t.map(|t| t.key.clone()).unwrap_or_default();
    let words: Vec<&Tok> = toks.iter().filter(|t| t.kind == Kind::Word).collect();
    [
        all,
        format!("^{}", word(words.first().copied())),
        format!("${}", word(words.last().copied())),
    ]
}
