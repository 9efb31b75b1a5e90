//! Parties no name can be: too long, in two scripts, or a phrase; and
//! what of such a party can be salvaged by its shape.

use super::*;

/// Why a parsed party (researcher, organisation or programme) cannot be a
/// name, or `None` when it can: longer than any name (over six words), in
/// two writing systems at once (`MS10-026에서 … Palo Alto Networks 의 Yamata
/// Li`), or a phrase that opens with a lower-case word (`que trabalha com a
/// Zero Day Initiative da HP`; one lower-case word alone is a handle, a
/// camel-case one a brand: `iDefense`, `eEye`). Such a party is a line the
/// rules did not read; it is never stored as a credit.
pub fn malformed(party: &str) -> Option<&'static str> {
    malformed_as(party, 6)
}

/// [`malformed`] for an organisation or programme, whose names run longer
/// (`Information Security Office at Carnegie Mellon University`).
pub fn malformed_org(party: &str) -> Option<&'static str> {
    malformed_as(party, 10)
}

/// What can be kept of a malformed party without help from other locales:
/// of one in two writing systems, its last run of Latin letters (the names
/// stay Latin in the other scripts' lines, and the head comes last after a
/// possessive: `Fortinet の FortiGuard Labs`, `Palo Alto Networks 의 Yamata
/// Li`); of a phrase, what follows its lower-case opening words
/// (`programmet Beyond Security's SecuriTeam Secure Disclosure`). Nothing
/// of a party longer than a name, and nothing that is still no name.
pub fn salvage(party: &str, organisation: bool) -> Option<String> {
    let why = if organisation {
        malformed_org(party)
    } else {
        malformed(party)
    }?;
    let kept = match why {
        "mixes writing systems" => without_parentheses(party)
            .split(|c: char| {
                crate::script::Script::of(c).is_some_and(|s| s != crate::script::Script::Latin)
            })
            .map(|run| run.trim_matches(|c: char| !c.is_alphanumeric()))
            .rfind(|run| run.chars().filter(|c| c.is_alphabetic()).count() >= 2)?
            .to_string(),
        "reads as a phrase" => party
            .split_whitespace()
            .skip_while(|w| !w.chars().any(char::is_uppercase))
            .collect::<Vec<_>>()
            .join(" "),
        _ => return None,
    };
    let still_bad = if organisation {
        malformed_org(&kept)
    } else {
        malformed(&kept)
    };
    let vendor = kept
        .split_whitespace()
        .any(|w| crate::vocab::VENDOR_NAMES.contains(&w.to_lowercase().as_str()));
    let is_id = !crate::extract::ids::cves(&kept).is_empty()
        || crate::extract::ids::first_bulletin(&kept).is_some();
    (!kept.is_empty() && still_bad.is_none() && !vendor && !is_id).then_some(kept)
}

fn malformed_as(party: &str, max_words: usize) -> Option<&'static str> {
    // A parenthesised aside (`(NISCC)`, `(Wang Yu)`) is no words of the name.
    let bare = without_parentheses(party);
    let words: Vec<&str> = bare.split_whitespace().collect();
    if words.len() > max_words {
        return Some("longer than a name");
    }
    if crate::script::mixes_scripts(&bare) {
        return Some("mixes writing systems");
    }
    let first = words.first().copied().unwrap_or("");
    // A lower-case opening word that is no particle, brand (`iDefense`) or
    // domain (`n.runs`, `salesforce.com`) …
    let phrase_opening = first.chars().any(char::is_lowercase)
        && !first.chars().any(char::is_uppercase)
        && !first.contains(['.', '@'])
        && !first.chars().any(|c| c.is_ascii_digit())
        && !crate::vocab::NAME_PARTICLES.contains(&first);
    // … followed by capitalised words makes a phrase (`seguridad Jorge
    // Moura`), unless they end in a company form (`scip AG`). Lower case
    // throughout is a name written so (`xiaohong shi`, `team 509`).
    let capitalised_after = words
        .iter()
        .skip(1)
        .any(|w| w.chars().next().is_some_and(char::is_uppercase));
    let company = words
        .last()
        .is_some_and(|w| COMPANY_SUFFIXES.contains(&w.trim_end_matches('.')));
    if phrase_opening && capitalised_after && !company {
        return Some("reads as a phrase");
    }
    None
}

/// Text that reads like a sentence, not a name: more than six words, or
/// three or more words most of which start lower case ("finden Sie auf").
pub(super) fn is_prose(name: &str) -> bool {
    // Japanese names are written in Latin letters or kanji: kana is a sentence.
    if name
        .chars()
        .any(|c| crate::script::Script::of(c) == Some(crate::script::Script::Kana))
    {
        return true;
    }
    // One Han character is a word ("両" both, "他" others), not a name.
    if name.chars().count() == 1 && name.chars().all(is_cjk) {
        return true;
    }
    // Nor is a CVE or CAN id.
    if !crate::extract::ids::cves(name).is_empty() {
        return true;
    }
    // A bulletin id is never a name.
    let bare = name.to_ascii_lowercase().replace('-', "");
    if crate::extract::ids::first_bulletin(name).is_some()
        || (bare.len() == 7
            && bare.starts_with("ms")
            && bare[2..].bytes().all(|b| b.is_ascii_digit()))
    {
        return true;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let lower = words
        .iter()
        .filter(|w| {
            w.chars().next().is_some_and(char::is_lowercase)
                && !crate::vocab::NAME_PARTICLES.contains(w)
        })
        .count();
    words.len() > 6 || (words.len() >= 3 && lower * 2 >= words.len())
}
