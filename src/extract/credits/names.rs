//! The shape of a party: what makes it an organisation or a person, and
//! how names and organisations are cleaned of what sticks to them.

use super::*;

/// Words only organisations have in their names.
const ORG_WORDS: &[&str] = &[
    "team",
    "lab",
    "labs",
    "inc",
    "security",
    "research",
    "networks",
    "systems",
    "software",
    "group",
    "corporation",
    "corp",
    "ltd",
    "gmbh",
    "project",
    "center",
    "centre",
    "initiative",
    "technologies",
    "university",
    "government",
    "agency",
    "cert",
    "co",
    "llc",
    "foundation",
    "institute",
    "consulting",
    "solutions",
    "services",
    "communications",
    "vcp",
    "x-force",
    "idefense",
    "zdi",
    "sec",
    "google",
    "microsoft",
    "mcafee",
    "symantec",
    "secunia",
    "eeye",
    "ngs",
    "laboratory",
    "department",
    "csirt",
    "office",
];

/// A party named like an organisation (`eEye Digital Security`, `Fortinet
/// Inc`), by the shared words and the language's `extra` ones.
pub(crate) fn looks_like_org(party: &str, extra: &[&str]) -> bool {
    party
        .split(|c: char| c.is_whitespace() || c == ',')
        .any(|w| {
            let w = w.to_lowercase();
            let w = w.trim_end_matches(['.', ',']);
            ORG_WORDS.contains(&w) || extra.contains(&w)
        })
}

/// A link whose text is a person (`[Andreas Sandblad](mailto:…)`) rather
/// than an organisation: two or three capitalised words and no org word.
pub(crate) fn looks_like_person(party: &str) -> bool {
    // A nickname in quotes is no word of the name ("David Lindsay \"thornmaker\"").
    let quoted = |w: &&str| w.starts_with(['"', '„', '“', '「', '\'']);
    let words: Vec<&str> = party.split_whitespace().filter(|w| !quoted(w)).collect();
    (2..=4).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !words
            .iter()
            .any(|w| ORG_WORDS.contains(&w.to_lowercase().trim_end_matches(['.', ','])))
}

/// Company suffixes that follow a comma inside one name ("Immunity, Inc.").
pub(super) const COMPANY_SUFFIXES: &[&str] = &[
    "Inc", "Ltd", "LLC", "Corp", "GmbH", "S.A", "Co.", "AG", "Limited",
];

/// Byte positions of the ", " that separate parties (not those before a company suffix).
pub(super) fn party_commas(s: &str) -> Vec<usize> {
    s.match_indices(", ")
        .map(|(at, _)| at)
        .filter(|&at| {
            let next = &s[at + 2..];
            !COMPANY_SUFFIXES.iter().any(|suffix| {
                next.starts_with(suffix)
                    && next[suffix.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric())
            })
        })
        .collect()
}

/// `s` split at the commas that separate parties.
pub(super) fn comma_split(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for at in party_commas(s) {
        out.push(&s[start..at]);
        start = at + 2;
    }
    out.push(&s[start..]);
    out
}

pub(super) fn split_any<'a>(s: &'a str, seps: &[&str]) -> Vec<&'a str> {
    let mut parts = vec![s];
    for sep in seps {
        parts = parts.into_iter().flat_map(|p| p.split(sep)).collect();
    }
    parts
}

pub(super) fn clean_name(s: &str, before_name: &[&str]) -> String {
    let s = s
        .trim()
        .trim_matches([',', '.', ';', ':', '"', '“', '”', '„'])
        .trim();
    let s = s.trim_end_matches("先生").trim_end_matches('氏').trim();
    // A bare role ("研究人員", a researcher) names nobody.
    if before_name.iter().any(|w| {
        s.trim_end_matches('.')
            .eq_ignore_ascii_case(w.trim_end_matches('.'))
    }) {
        return String::new();
    }
    let s = strip_before_name(s, before_name);
    let mut s = s.to_string();
    // A name in another script with its Latin form in parentheses: the Latin form.
    if let Some(open) = s
        .find(" (")
        .or_else(|| s.find(" （"))
        .or_else(|| s.find('（'))
        && !s[..open].chars().any(|c| c.is_ascii_alphabetic())
    {
        let inner = s[open..]
            .trim_start_matches([' ', '(', '（'])
            .trim_end_matches([')', '）', ' ']);
        if inner.chars().any(|c| c.is_ascii_alphabetic()) && !inner.contains(['(', '（']) {
            s = inner.to_string();
        }
    }
    // Handles, sites and aliases in parentheses or quotes: "Yu Yang
    // (@tombkeeper)", "Sam Thomas (https://eshu.co.uk/", "David Lindsay
    // „thornmaker“".
    // A nickname inside the name stays ("Mateusz \"j00ru\" Jurczyk").
    let ends_quoted = |open: usize| {
        let rest = s[open..].trim_start();
        let inner = rest.trim_start_matches(['"', '„', '“', '「']);
        inner
            .find(['"', '“', '”', '」'])
            .is_none_or(|close| inner[close..].chars().skip(1).all(char::is_whitespace))
    };
    if let Some(open) = [" (", " （"]
        .iter()
        .filter_map(|q| s.find(q))
        .chain(
            [" \"", " „", " “", "「"]
                .iter()
                .filter_map(|q| s.find(q))
                .filter(|&open| ends_quoted(open)),
        )
        .min()
        .filter(|&open| open > 0)
    {
        s.truncate(open);
    }
    // A Latin name with words of the page's script stuck to it
    // ("Cesar Cerrudo 向我們", "共に仕事をしているPatrick Porlan"): the Latin name;
    // script mixed into its middle is a sentence, not a name.
    if s.chars().any(|c| c.is_ascii_alphabetic()) && s.chars().any(is_cjk) {
        s = s
            .trim_matches(|c: char| is_cjk(c) || c.is_whitespace() || matches!(c, ',' | '.'))
            .to_string();
        if s.chars().any(is_cjk) {
            s.clear();
        }
    }
    let mut words: Vec<&str> = s.split_whitespace().collect();
    // Connectives left at the end of a name ("Norman Chiong for"), when the
    // name is capitalised; a longer lower-case word is a surname written
    // small ("Alexander gavrun").
    while words.len() > 1
        && words[0].chars().next().is_some_and(char::is_uppercase)
        && words
            .last()
            .is_some_and(|w| w.chars().count() <= 3 && w.chars().all(char::is_lowercase))
    {
        words.pop();
    }
    // A web address after the name ("Sam Thomas eshu.co.uk") is where they are from.
    while words.len() > 1
        && words.last().is_some_and(|w| {
            let parts: Vec<&str> = w.split('.').collect();
            parts.len() >= 2
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(char::is_alphanumeric))
        })
    {
        words.pop();
    }
    // Where the person is from ("Muhammad Faisal Naqvi aus Pakistan").
    if let Some(at) = (1..words.len())
        .find(|&i| words[i].chars().all(char::is_lowercase) && is_place(&words[i + 1..].join(" ")))
    {
        words.truncate(at);
    }
    // The same name twice ("Jouko Pynnönen Jouko Pynnönen", text and link).
    let half = words.len() / 2;
    if words.len() >= 2 && words.len().is_multiple_of(2) && words[..half] == words[half..] {
        words.truncate(half);
    }
    words.join(" ")
}

/// Han, kana, CJK punctuation and full-width forms.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}')
}

pub(super) fn clean_org(s: &str) -> String {
    let s = s.trim().trim_matches([',', ';', ':']).trim();
    // A final full stop ends the sentence, unless it ends "Inc." and the like.
    let abbreviation = ["Inc.", "Ltd.", "Co.", "Corp.", "Bhd.", "S.A.", "Ltda."]
        .iter()
        .any(|a| s.ends_with(a));
    let mut s = if abbreviation {
        s
    } else {
        s.trim_end_matches('.')
    }
    .trim()
    .to_string();
    for suffix in [
        "(US-Link)",
        "(英文)",
        "(英語)",
        "(en anglais)",
        "(engelsk)",
        "(Engels)",
        "(englisch)",
    ] {
        if let Some(stripped) = s.strip_suffix(suffix) {
            s = stripped.trim().to_string();
        }
    }
    let lower = s.to_lowercase();
    for prefix in ["the ", "het ", "de "] {
        if lower.starts_with(prefix) && s.len() > prefix.len() + 2 {
            s = s[prefix.len()..].to_string();
            break;
        }
    }
    // A verb left at the end ("[Zero Day Initiative] werkt"): lower-case
    // words after a capitalised name.
    let mut words: Vec<&str> = s.split_whitespace().collect();
    while words.len() > 1
        && words[0].chars().any(char::is_uppercase)
        && words
            .last()
            .is_some_and(|w| w.chars().all(char::is_lowercase))
    {
        words.pop();
    }
    words.join(" ")
}
