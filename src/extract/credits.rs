//! Acknowledgment lines into credits: researcher, organisation, "working
//! with" partner, anonymous flag. One line can hold several credits
//! (`A og B fra [Org]`, `A van [X], B van [Y] en C van [Z]`).
//!
//! Latin-script lines are cut at the reason ("for at have rapporteret …"),
//! the partner clause is taken off, the rest is split into parties at commas
//! and "and", and each party is read as name + connective + organisation
//! (or organisation + connective + name, `ved`). Japanese puts the credit
//! last (`… を報告してくださった [Org] の Name 氏`), Chinese first
//! (`感謝 [Org] 的 Name 回報 …`). All words come from `vocab::CREDIT_WORDS`;
//! link texts tell organisations from people where a party is a bare name.

use serde::Serialize;

use crate::model::Lang;
use crate::vocab::{CreditWords, credit_words};

/// One credited party.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Credit {
    /// Person, handle or team; empty for an organisation-only or anonymous credit.
    pub researcher: String,
    /// Affiliation.
    pub organisation: String,
    /// The "working with" programme (Zero Day Initiative, iDefense VCP …).
    pub partner: String,
    /// An anonymous researcher.
    pub anonymous: bool,
}

/// Parses one acknowledgment line written in `lang`.
pub fn parse_line(text: &str, links: &[String], lang: Lang) -> Vec<Credit> {
    let text = text.trim().trim_start_matches(['•', '-', '*', '·']).trim();
    let mut credits = match lang {
        // The readers written for Japanese and Chinese are rules for one
        // language each: left out, such a line is read as any other.
        Lang::Ja if !crate::vocab::is_left_out(Lang::Ja) => japanese(text),
        Lang::Zh if !crate::vocab::is_left_out(Lang::Zh) => chinese(text),
        _ => latin(text, links, lang),
    };
    let before_name = all(&rows(lang), |r| r.before_name);
    for c in &mut credits {
        c.researcher = clean_name(&c.researcher, &before_name);
        // "der Zero Day Initiative von HP zusammenarbeitet": the article goes
        // here, the verb in clean_org.
        c.organisation = clean_org(strip_before_name(&c.organisation, &before_name));
        c.partner = clean_org(strip_before_name(&c.partner, &before_name));
    }
    for c in &mut credits {
        if is_prose(&c.researcher) {
            c.researcher.clear();
        }
        // "Pakistan 的 Muhammad Faisal Naqvi": where they are from, not an affiliation.
        if is_place(&c.organisation) {
            c.organisation.clear();
        }
        // A lone party that is one word and the whole text of a link
        // (`[FrSIRT](https://www.frsirt.com/…) for …`) is an organisation's
        // site, not a person's name.
        if c.organisation.is_empty()
            && c.partner.is_empty()
            && !c.researcher.is_empty()
            && !c.researcher.contains(' ')
            && links.iter().any(|l| l.trim() == c.researcher)
        {
            c.organisation = std::mem::take(&mut c.researcher);
        }
        // Working with Microsoft itself is no programme.
        if crate::vocab::VENDOR_NAMES.contains(&c.partner.to_lowercase().as_str()) {
            c.partner.clear();
        }
    }
    credits.retain(|c| !c.researcher.is_empty() || !c.organisation.is_empty() || c.anonymous);
    credits
}

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
fn is_prose(name: &str) -> bool {
    // Japanese names are written in Latin letters or kanji: kana is a sentence.
    if name.chars().any(|c| matches!(c, '\u{3040}'..='\u{30FF}')) {
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

/// Byte position of the first whole-word, case-insensitive occurrence of
/// `needle` in `hay` at or after `from`.
fn find_word(hay: &str, needle: &str, from: usize) -> Option<usize> {
    // A one-letter connective ("i") is never an initial ("Sergey I. Ulasen").
    let lower = if needle.chars().count() == 1 {
        hay.to_string()
    } else {
        hay.to_lowercase()
    };
    if lower.len() != hay.len() {
        return hay.get(from..)?.find(needle).map(|p| p + from);
    }
    let mut start = from;
    while let Some(rel) = lower.get(start..)?.find(needle) {
        let at = start + rel;
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        // Needles that start or end with a space carry their own boundary.
        let starts_word = needle.starts_with(' ') || boundary(before);
        let ends_word = needle.ends_with(' ') || boundary(after);
        if starts_word && ends_word {
            return Some(at);
        }
        start = at + needle.len().max(1);
    }
    None
}

/// The earliest occurrence of any of `needles` (longest first at a tie).
fn earliest(hay: &str, needles: &[&str], from: usize) -> Option<(usize, usize)> {
    needles
        .iter()
        .filter_map(|n| find_word(hay, n, from).map(|at| (at, n.len())))
        .min_by_key(|&(at, len)| (at, std::cmp::Reverse(len)))
}

fn rows(lang: Lang) -> Vec<&'static CreditWords> {
    let mut out = vec![credit_words(lang)];
    if lang != Lang::En {
        out.push(credit_words(Lang::En));
    }
    out
}

fn all<'a>(
    rows: &[&'a CreditWords],
    pick: impl Fn(&'a CreditWords) -> &'a [&'a str],
) -> Vec<&'a str> {
    rows.iter().flat_map(|r| pick(r).iter().copied()).collect()
}

fn latin(text: &str, links: &[String], lang: Lang) -> Vec<Credit> {
    let rows = rows(lang);
    let reason = all(&rows, |r| r.reason);
    let partner_words = all(&rows, |r| r.partner);
    let of = all(&rows, |r| r.of);
    let org_first = all(&rows, |r| r.org_first);
    let and = all(&rows, |r| r.and);
    let anonymous = all(&rows, |r| r.anonymous);

    // The credit is what comes before the reason; a reason word inside a
    // connective ("der arbejder for") is not one.
    let connectives: Vec<&str> = of.iter().chain(&partner_words).copied().collect();
    // A reason phrase of three words or more that runs on past the
    // connective ("onderzoeker voor" + "voor het melden") is a reason all the
    // same; a short one ("die werkt voor" + "voor het") is not.
    let inside_connective = |at: usize, end: usize| {
        connectives.iter().any(|c| {
            (0..=at).rev().take(c.len() + 1).any(|start| {
                start + c.len() > at
                    && start + c.len() >= end
                    && text
                        .get(start..start + c.len())
                        .is_some_and(|w| w.eq_ignore_ascii_case(c))
            })
        })
    };
    let mut clause = text;
    let mut from = 1;
    while let Some((at, len)) = earliest(text, &reason, from) {
        let phrase = text[at..at + len].trim_end();
        let end = if phrase.split_whitespace().count() >= 3 {
            at + phrase.len()
        } else {
            at
        };
        if inside_connective(at, end) {
            from = at + len;
            continue;
        }
        clause = &text[..at];
        break;
    }
    // The partner clause; a comma after it starts further parties
    // ("A, working with [ZDI], and B of [Org]").
    let mut partner = String::new();
    let mut after_partner = "";
    if let Some((at, len)) = earliest(clause, &partner_words, 1) {
        let rest = &clause[at + len..];
        match party_commas(rest).first().copied() {
            Some(comma) => {
                partner = rest[..comma].to_string();
                after_partner = &rest[comma + 2..];
            }
            None => partner = rest.to_string(),
        }
        clause = &clause[..at];
    }
    // "Mila Parkour, working with Anshul Kothari and Nishant Kaushik of
    // Adobe": people to work with are further parties, not a programme.
    let with_people = earliest(&partner, &of, 1).is_some_and(|(at, _)| {
        // Every "and"-part before the connective is a name ("Anshul Kothari
        // og Nishant Kaushik hos …", not "Tipping Point und der Zero Day …").
        let mut head = &partner[..at];
        let mut parts = Vec::new();
        while let Some((at, len)) = earliest(head, &and, 0) {
            parts.push(&head[..at]);
            head = &head[at + len..];
        }
        parts.push(head);
        parts.iter().all(|p| looks_like_person(p.trim()))
    });
    let people;
    if with_people {
        people = [std::mem::take(&mut partner).as_str(), after_partner]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        after_partner = &people;
    }
    let clause = clause.trim().trim_end_matches([',', '.', ';', ':']).trim();
    // Asides in parentheses (roles, acronyms, "(ved Rafael)", "(State of
    // Kansas)") hold no further party and would confuse the connectives.
    let clause = &without_parentheses(clause);
    let after_partner = &without_parentheses(after_partner);
    let before_name = all(&rows, |r| r.before_name);
    let org_words = all(&rows, |r| r.org_words);

    // Parties, split at commas and "and"; whether "and" joined each one on.
    let mut parties: Vec<(&str, bool)> = Vec::new();
    let mut later: Vec<(&str, bool)> = Vec::new();
    for piece in comma_split(after_partner)
        .into_iter()
        .filter(|p| !p.trim().is_empty())
    {
        let (mut rest, mut joined) = (piece, false);
        while let Some((at, len)) = earliest(rest, &and, 0) {
            later.push((&rest[..at], joined));
            (rest, joined) = (&rest[at + len..], true);
        }
        later.push((rest, joined));
    }
    for piece in comma_split(clause) {
        let (mut rest, mut joined) = (piece, false);
        while let Some((at, len)) = earliest(rest, &and, 0) {
            // "Research & Simulation Center" is one organisation.
            if rest[at..].starts_with('&') && looks_like_org(&rest[..at], &org_words) {
                break;
            }
            parties.push((&rest[..at], joined));
            (rest, joined) = (&rest[at + len..], true);
        }
        parties.push((rest, joined));
    }
    let is_link = |s: &str| {
        let s = s.trim();
        links.iter().any(|l| {
            l.trim()
                .trim_end_matches('.')
                .eq_ignore_ascii_case(s.trim_end_matches('.'))
        })
    };
    let mut credits: Vec<Credit> = Vec::new();
    let mut after_partner_clause: Vec<bool> = Vec::new();
    let mut joined_by_and: Vec<bool> = Vec::new();
    // "Org ved A og B": names after an organisation-first party share it.
    let mut leading_org: Option<String> = None;
    let first_later = parties.len();
    parties.extend(later);
    for (n, (party, joined)) in parties
        .iter()
        .map(|&(p, joined)| (p.trim(), joined))
        .enumerate()
        .filter(|(_, (p, _))| !p.is_empty())
    {
        let partner = if n < first_later {
            partner.clone()
        } else {
            String::new()
        };
        let lower = party.to_lowercase();
        // A place after an organisation ("DISC, Kansas, USA") is no party.
        if is_place(party) {
            continue;
        }
        // A party that opens with a connective, or a role and a connective,
        // continues the one before ("…, der arbejder for [Org]", "…, working
        // with [ZDI]", "Ryan Smith, Forscher bei [IBM]").
        if let Some(prev) = credits.last_mut() {
            if let Some((0, len)) = earliest(party, &partner_words, 0) {
                prev.partner = party[len..].to_string();
                continue;
            }
            let role = strip_before_name(party, &before_name);
            if let Some((0, len)) = earliest(role, &of, 0) {
                let party = role;
                if prev.anonymous && prev.partner.is_empty() {
                    prev.partner = party[len..].to_string();
                } else if prev.organisation.is_empty() {
                    prev.organisation = party[len..].to_string();
                }
                continue;
            }
        }
        let mut c = Credit {
            partner,
            ..Default::default()
        };
        if anonymous.iter().any(|a| lower.contains(a)) {
            // "Einem Forscher, der mit [VCP] zusammenarbeitet, aber anonym
            // bleiben möchte": the wish to stay anonymous is no second party.
            if n >= first_later && credits.last().is_some_and(|p| p.anonymous) {
                continue;
            }
            c.anonymous = true;
            // An anonymous researcher "working for" someone works through
            // their programme (iDefense VCP, ZDI): that is the partner.
            if let Some((at, len)) = earliest(party, &of, 0) {
                if c.partner.is_empty() {
                    c.partner = party[at + len..].to_string();
                } else {
                    c.organisation = party[at + len..].to_string();
                }
            }
        } else if let Some((at, len)) = earliest(party, &org_first, 1) {
            c.organisation = party[..at].to_string();
            c.researcher = party[at + len..].to_string();
            leading_org = Some(c.organisation.clone());
        } else if let Some(org) = leading_org.as_ref().filter(|_| !is_link(party)) {
            c.organisation = org.clone();
            c.researcher = party.to_string();
        } else if let Some((at, len)) = earliest(party, &of, 1)
            .filter(|&(at, _)| !is_link(party) && !in_surname(party, at, &org_words))
        {
            if looks_like_org(&party[..at], &org_words) {
                // "Department of Information Security": one organisation.
                c.organisation = party.to_string();
            } else {
                c.researcher = party[..at].to_string();
                c.organisation = party[at + len..].to_string();
            }
        } else if (is_link(party) && !looks_like_person(party)) || looks_like_org(party, &org_words)
        {
            c.organisation = party.to_string();
        } else {
            c.researcher = party.to_string();
        }
        credits.push(c);
        after_partner_clause.push(n >= first_later);
        joined_by_and.push(joined);
    }
    // "A og B fra Org": bare names before a party with an organisation share
    // it, but not across the partner clause. An organisation alone right
    // after a bare name is that name's ("Husheng Zhou, Department of …").
    let mut consumed = vec![false; credits.len()];
    for i in (0..credits.len().saturating_sub(1)).rev() {
        if after_partner_clause[i] != after_partner_clause[i + 1] {
            continue;
        }
        let next = &credits[i + 1];
        let (org, org_only) = (
            next.organisation.clone(),
            next.researcher.is_empty() && !next.anonymous,
        );
        // "Sergey Svinolobov og McAfee" are two parties.
        if org_only && joined_by_and[i + 1] {
            continue;
        }
        let c = &mut credits[i];
        if c.organisation.is_empty() && !c.researcher.is_empty() && !c.anonymous && !org.is_empty()
        {
            c.organisation = org;
            consumed[i + 1] = org_only;
        }
    }
    let mut consumed = consumed.into_iter();
    credits.retain(|_| !consumed.next().unwrap_or(false));
    credits
}

/// Whether the connective at `at` is a surname's particles ("Jeffrey van
/// der Stad"): two particles, then one capitalised word ending the party.
fn in_surname(party: &str, at: usize, org_words: &[&str]) -> bool {
    let before = party[..at].split_whitespace().next_back().unwrap_or("");
    let words: Vec<&str> = party[at..].split_whitespace().collect();
    let particle = |w: &str| crate::vocab::NAME_PARTICLES.contains(&w.to_lowercase().as_str());
    let first = |w: &str| particle(w) && w.len() == 3;
    let article = |w: &str| particle(w);
    // "Stad", not "CERT/CC" or "iDefense".
    let surname = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().skip(1).all(char::is_lowercase)
            && !looks_like_org(w, org_words)
    };
    match words.as_slice() {
        [p, a, name] => first(p) && article(a) && surname(name),
        [a, name] => first(before) && article(a) && surname(name),
        _ => false,
    }
}

/// `s` without the parenthesised asides that hold a list separator.
fn drop_list_asides(s: &str) -> String {
    let mut out = s.to_string();
    while let Some(open) = out.find(['(', '（']) {
        let close = out[open..].find([')', '）']).map(|c| open + c);
        let Some(close) = close else { break };
        let inner = &out[open..close];
        if !inner.contains(['、', ',', '，']) {
            // Keep it ("鵜飼 裕司 (Yuji Ukai)"); look no further.
            break;
        }
        let end = close + out[close..].chars().next().map_or(1, char::len_utf8);
        out.replace_range(open..end, "");
    }
    out
}

/// `s` without its parenthesised asides.
fn without_parentheses(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
}

/// `party` without a parenthesised aside in another writing system, when
/// that is what makes it mix scripts: `eEye Digital Security (英語情報)`
/// ("in English") is eEye Digital Security, and an aside left open by the
/// line (`Minded Security (Criteo 代理`) goes with what follows it.
pub(crate) fn without_foreign_aside(party: &str) -> Option<String> {
    if !crate::script::mixes_scripts(party) {
        return None;
    }
    let open = party.find(['(', '（'])?;
    let closed = party[open..].contains([')', '）']);
    let kept = if closed {
        without_parentheses(party)
    } else {
        party[..open].trim().to_string()
    };
    (!kept.is_empty() && !crate::script::mixes_scripts(&kept)).then_some(kept)
}

/// Whether `s` is only a place name ("Kansas", "State of Kansas", "USA").
pub(crate) fn is_place(s: &str) -> bool {
    let lower = s.trim().trim_end_matches(['.', ',']).to_lowercase();
    let lower = ["state of ", "bundesstaat ", "staten ", "staat "]
        .iter()
        .fold(lower.as_str(), |l, p| l.strip_prefix(p).unwrap_or(l));
    crate::vocab::PLACES.contains(&lower)
}

/// `s` without the honorifics, job titles and articles it starts with.
fn strip_before_name<'a>(s: &'a str, before_name: &[&str]) -> &'a str {
    let mut s = s.trim();
    'strip: loop {
        for word in before_name {
            let Some(head) = s.get(..word.len()) else {
                continue;
            };
            let rest = &s[word.len()..];
            // "Prof. Sihan Qing", "Professor. Sihan Qing", "Herr Liang Yin".
            let rest = rest.strip_prefix('.').unwrap_or(rest);
            if head.eq_ignore_ascii_case(word) && rest.starts_with(' ') && rest.trim().len() > 1 {
                s = rest.trim_start();
                continue 'strip;
            }
        }
        return s;
    }
}

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

fn japanese(text: &str) -> Vec<Credit> {
    let words = credit_words(Lang::Ja);
    // Partner: "HP の Zero Day Initiative と協力して …"
    let mut partner = String::new();
    let reason_at = words
        .reason
        .iter()
        .filter_map(|m| text.rfind(m))
        .max()
        .unwrap_or(text.len());
    for marker in words.partner {
        // "…マイクロソフトと協力してくださった" thanks for working with Microsoft:
        // a reason, not a programme.
        let is_reason = |at: usize| {
            let after = &text[at + marker.len()..];
            after
                .char_indices()
                .take(3)
                .any(|(i, _)| words.reason.iter().any(|r| after[i..].starts_with(r)))
        };
        if let Some(at) = text
            .find(marker)
            .filter(|&at| at < reason_at && !is_reason(at))
        {
            let before = &text[..at];
            let start = before.rfind(['、', '。', ')']).map_or(0, |p| {
                p + before[p..].chars().next().map_or(1, char::len_utf8)
            });
            partner = before[start..].trim().to_string();
            break;
        }
    }
    // The credit is what follows the last "… してくださった".
    let credit = words
        .reason
        .iter()
        .filter_map(|m| text.rfind(m).map(|at| at + m.len()))
        .max()
        .map_or(text, |end| &text[end..]);
    let credit = credit
        .trim()
        .trim_start_matches(['、', ','])
        .trim_end_matches(['。', '.'])
        .trim();
    // Asides holding a list ("(以前は、VeriSign iDefense Labs)") are no parties.
    let credit = &drop_list_asides(credit);
    // Japanese names people with 氏; a party without it is an organisation
    // ("日本 IBM", "Symantec の Security Intelligence Analysis Team", "Arnaud
    // Dovi 氏および TippingPoint") unless it reads as a name ("VulnHunt の Dark Son").
    let credit = credit.replace("氏と", "氏、");
    let mut out = Vec::new();
    for party in split_any(&credit, &["および", "、", " と ", "及び", "ならびに"]) {
        let mut party = party.trim();
        // A role in parentheses after the name ("Husheng Zhou 氏 (大学院生)").
        if party.ends_with([')', '）'])
            && let Some(open) = party.rfind(['(', '（'])
            && !party[open..].chars().any(|c| c.is_ascii_alphabetic())
        {
            party = party[..open].trim();
        }
        let party = party.trim_end_matches([')', '）']).trim();
        let title = crate::vocab::JA_HONORIFICS
            .iter()
            .find(|h| party.ends_with(*h));
        let honorific = title.is_some();
        let mut party = title.map_or(party, |h| party.trim_end_matches(h)).trim();
        let mut partner = partner.clone();
        // "Zero Day Initiative に協力している Name"
        for marker in words.partner {
            if let Some(at) = party.find(marker) {
                partner = party[..at].trim().to_string();
                party = party[at + marker.len()..].trim();
                break;
            }
        }
        if party.is_empty() {
            continue;
        }
        let mut c = Credit {
            partner,
            ..Default::default()
        };
        if party.contains("匿名") {
            c.anonymous = true;
        } else if let Some(at) = party.rfind(" の ").or_else(|| party.rfind('の')) {
            let sep = if party[at..].starts_with(" の ") {
                " の ".len()
            } else {
                'の'.len_utf8()
            };
            let (org, name) = (party[..at].trim(), party[at + sep..].trim());
            if (honorific || looks_like_person(name)) && !looks_like_org(name, &[]) {
                c.organisation = org.trim_end_matches('社').trim().to_string();
                c.researcher = name.to_string();
            } else {
                c.organisation = name.to_string();
            }
        } else if (!honorific && !looks_like_person(party))
            || looks_like_org(party, &[])
            || party.ends_with('社')
        {
            c.organisation = party.trim_end_matches('社').trim().to_string();
        } else {
            // "[Org] の A 氏および B 氏": B shares A's organisation.
            if c.partner.is_empty() {
                c.organisation = out
                    .last()
                    .map(|p: &Credit| p.organisation.clone())
                    .unwrap_or_default();
            }
            c.researcher = party.to_string();
        }
        out.push(c);
    }
    out
}

fn chinese(text: &str) -> Vec<Credit> {
    let words = credit_words(Lang::Zh);
    // "以及" (as well as) separates parties; its "以" is no reason.
    let text = text
        .replace(",以及", "、")
        .replace("，以及", "、")
        .replace("以及", "、");
    let text = text
        .trim_start_matches("感謝")
        .trim_start_matches("感谢")
        .trim();
    let mut clause = text;
    // The credit comes first; the reason names the bulletin, so the clause
    // ends at the first reason word or bulletin id.
    let first_id = crate::extract::ids::first_bulletin_at(clause);
    if let Some(at) = words
        .reason
        .iter()
        .filter_map(|m| clause.find(m))
        .chain(first_id)
        .filter(|&a| a > 0)
        .min()
    {
        clause = &clause[..at];
    }
    let mut partner = String::new();
    if let Some(at) = clause.find("合作的") {
        partner = clause[..at].to_string();
        clause = &clause[at + "合作的".len()..];
    } else if let (Some(with), Some(coop)) = (
        clause.find('與').or_else(|| clause.find('与')),
        clause.rfind("合作"),
    ) && with < coop
    {
        partner = clause[with + '與'.len_utf8()..coop].to_string();
        clause = &clause[..with];
    }
    // "A 和 [HP] 的 [ZDI] 合作": the last party is the partner.
    let trimmed = clause.trim().trim_end_matches([',', '，']).trim();
    // "…(BKIS),合作回報": after a comma, 合作 is "together", not a programme.
    let together = trimmed
        .trim_end_matches("合作")
        .trim_end()
        .ends_with([',', '，']);
    let trimmed = if together {
        trimmed
            .trim_end_matches("合作")
            .trim_end()
            .trim_end_matches([',', '，'])
    } else {
        trimmed
    };
    let mut parties = split_any(trimmed, &["和", "及", "、", "與"]);
    if partner.is_empty() && parties.len() > 1 && trimmed.ends_with("合作") && !together {
        let last = parties.pop().unwrap_or_default();
        partner = last.trim().trim_end_matches("合作").trim().to_string();
    }
    let mut out = Vec::new();
    for party in parties {
        let party = party.trim().trim_end_matches([',', '，', '。']).trim();
        if party.is_empty() {
            continue;
        }
        let mut c = Credit {
            partner: partner.clone(),
            ..Default::default()
        };
        if party.contains("匿名") {
            c.anonymous = true;
        } else if let Some(at) = party.rfind('的') {
            let name = party[at + '的'.len_utf8()..].trim();
            let quoted = name.starts_with(['"', '「', '“']);
            if quoted {
                // "David Lindsay 的 \"thornmaker\"": a person's handle.
                c.researcher = party[..at].trim().to_string();
            } else if looks_like_org(name, &[]) {
                // "賽門鐵克的 Security Intelligence Analysis Team": a team is an organisation.
                c.organisation = name.to_string();
            } else {
                c.organisation = party[..at].trim().to_string();
                c.researcher = name.to_string();
            }
        } else if looks_like_org(party, &[]) || words.org_words.iter().any(|w| party.contains(w)) {
            // "河內技術大學 … 網際網路資訊安全中心": Han words run together.
            c.organisation = party.to_string();
        } else {
            // "[Org] 的 A 和 B": B shares A's organisation.
            c.organisation = out
                .last()
                .map(|p: &Credit| p.organisation.clone())
                .unwrap_or_default();
            c.researcher = party.to_string();
        }
        out.push(c);
    }
    out
}

/// Company suffixes that follow a comma inside one name ("Immunity, Inc.").
const COMPANY_SUFFIXES: &[&str] = &[
    "Inc", "Ltd", "LLC", "Corp", "GmbH", "S.A", "Co.", "AG", "Limited",
];

/// Byte positions of the ", " that separate parties (not those before a company suffix).
fn party_commas(s: &str) -> Vec<usize> {
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
fn comma_split(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for at in party_commas(s) {
        out.push(&s[start..at]);
        start = at + 2;
    }
    out.push(&s[start..]);
    out
}

fn split_any<'a>(s: &'a str, seps: &[&str]) -> Vec<&'a str> {
    let mut parts = vec![s];
    for sep in seps {
        parts = parts.into_iter().flat_map(|p| p.split(sep)).collect();
    }
    parts
}

fn clean_name(s: &str, before_name: &[&str]) -> String {
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
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}')
}

fn clean_org(s: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_aside_in_another_script_is_no_part_of_a_name() {
        assert_eq!(
            without_foreign_aside("eEye Digital Security (英語情報)").as_deref(),
            Some("eEye Digital Security")
        );
        assert_eq!(
            without_foreign_aside("Minded Security (Criteo 代理").as_deref(),
            Some("Minded Security")
        );
        assert_eq!(
            without_foreign_aside("UK NISCC (NISCC)"),
            None,
            "one script"
        );
        assert_eq!(
            without_foreign_aside("Palo Alto Networks 의 Yamata Li"),
            None,
            "no aside to drop"
        );
    }

    #[test]
    fn parties_no_name_can_be_are_told_from_names() {
        let cases = [
            ("Tavis Ormandy", None),
            ("iDefense Labs", None),
            ("eEye Digital Security", None),
            ("van der Stad", None),
            ("cocoruder", None),
            ("team 509", None),
            ("xiaohong shi", None),
            ("n.runs AG", None),
            ("scip AG", None),
            ("株式会社ラック", None),
            ("Лайонела Доненса", None),
            (
                "MS10-026에서 설명한 문제점을 보고해 주신 Palo Alto Networks 의 Yamata Li",
                Some("longer than a name"),
            ),
            (
                "Palo Alto Networks 의 Yamata",
                Some("mixes writing systems"),
            ),
            ("que trabalha com a Zero Day", Some("reads as a phrase")),
            ("seguridad Jorge Moura", Some("reads as a phrase")),
            (
                "Firmie VeriSign iDefense VCP za zgłoszenie luki",
                Some("longer than a name"),
            ),
            ("王宇 (Wang Yu)", None),
        ];
        let salvaged = [
            (
                "HP の Zero Day Initiative",
                true,
                Some("Zero Day Initiative"),
            ),
            ("Palo Alto Networks 의 Yamata Li", false, Some("Yamata Li")),
            (
                "programmet Beyond Security's SecuriTeam Secure Disclosure",
                true,
                Some("Beyond Security's SecuriTeam Secure Disclosure"),
            ),
            (
                "Microsoft Update Web サイトからダウンロードできます",
                true,
                None,
            ),
            (
                "Core Security. The publication of this advisory was coordinated by Joaquín Rodríguez Varela from the Core Advisories Team",
                true,
                None,
            ),
        ];
        for (party, org, kept) in salvaged {
            assert_eq!(salvage(party, org).as_deref(), kept, "{party}");
        }
        for (party, why) in cases {
            assert_eq!(malformed(party), why, "{party}");
        }
        assert_eq!(
            malformed_org("UK National Infrastructure Security Co-ordination Centre (NISCC)"),
            None
        );
        assert_eq!(
            malformed_org("Information Security Office at Carnegie Mellon University"),
            None
        );
        assert_eq!(
            malformed_org("IBM Internet Security Systems x-Force 研究員 Alex Wheeler"),
            Some("mixes writing systems")
        );
    }

    fn c(researcher: &str, organisation: &str, partner: &str, anonymous: bool) -> Credit {
        Credit {
            researcher: researcher.into(),
            organisation: organisation.into(),
            partner: partner.into(),
            anonymous,
        }
    }

    fn links(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| s.to_string()).collect()
    }

    /// A one-word party that is a whole link's text is the organisation
    /// behind the site; a one-word name that is no link stays a person.
    #[test]
    fn a_lone_one_word_link_is_an_organisation() {
        let line = "FrSIRT für die ursprüngliche Meldung der Sicherheitsanfälligkeit in Microsoft Windows MDAC bezüglich ActiveX (CVE-2006-5559).";
        assert_eq!(
            parse_line(line, &links(&["FrSIRT"]), Lang::De),
            [c("", "FrSIRT", "", false)]
        );
        assert_eq!(
            parse_line(line, &[], Lang::De),
            [c("FrSIRT", "", "", false)]
        );
    }

    #[test]
    fn danish_lines() {
        assert_eq!(
            parse_line(
                "Alexander Sotirov fra Determina Security Research for at have rapporteret et problem, der er beskrevet i MS07-017.",
                &links(&["Determina Security Research", "MS07-017"]),
                Lang::Da
            ),
            vec![c(
                "Alexander Sotirov",
                "Determina Security Research",
                "",
                false
            )]
        );
        assert_eq!(
            parse_line(
                "JJ Reyes og Carsten Eiram fra Secunia for at have rapporteret et problem, der er beskrevet i MS07-020.",
                &links(&["Secunia", "MS07-020."]),
                Lang::Da
            ),
            vec![
                c("JJ Reyes", "Secunia", "", false),
                c("Carsten Eiram", "Secunia", "", false)
            ]
        );
        assert_eq!(
            parse_line(
                "McAfee for at arbejde sammen med os om et problem, der er beskrevet i MS07-017.",
                &links(&["McAfee", "MS07-017"]),
                Lang::Da
            ),
            vec![c("", "McAfee", "", false)]
        );
        assert_eq!(
            parse_line(
                "Sergey Svinolobov for at have rapporteret et problem, der er beskrevet i MS07-017.",
                &links(&["MS07-017"]),
                Lang::Da
            ),
            vec![c("Sergey Svinolobov", "", "", false)]
        );
        assert_eq!(
            parse_line(
                "En anonym forsker, der arbejder sammen med TippingPoints Zero Day Initiative, for at have rapporteret et problem",
                &links(&["TippingPoints", "Zero Day Initiative"]),
                Lang::Da
            ),
            vec![c("", "", "TippingPoints Zero Day Initiative", true)]
        );
        assert_eq!(
            parse_line(
                "IBM Internet Security Systems X-Force ved Alex Wheeler og Ryan Smith for at have rapporteret",
                &links(&["IBM Internet Security Systems X-Force"]),
                Lang::Da
            ),
            vec![
                c(
                    "Alex Wheeler",
                    "IBM Internet Security Systems X-Force",
                    "",
                    false
                ),
                c(
                    "Ryan Smith",
                    "IBM Internet Security Systems X-Force",
                    "",
                    false
                )
            ]
        );
    }

    #[test]
    fn sentences_are_not_names() {
        assert!(is_prose("finden Sie auf"));
        assert!(is_prose("This vulnerability was discovered"));
        assert!(!is_prose("Peter van Eeckhoutte"));
        assert!(!is_prose("bilou"));
        assert!(!is_prose("Jose Antonio Vazquez Gonzalez"));
        assert!(is_prose("本セキュリティ情報"));
        assert!(is_prose("両"));
        assert!(is_prose("CAN-2004-0203"));
        assert!(is_prose("ms04-005"));
        assert!(!is_prose("鵜飼裕司"));
    }

    #[test]
    fn a_comma_before_a_company_suffix_does_not_split_parties() {
        assert_eq!(
            parse_line(
                "Takeshi Terada hos Mitsui Bussan Secure Directions, Inc. for rapporten om et sikkerhetsproblem",
                &links(&["Mitsui Bussan Secure Directions, Inc."]),
                Lang::Nb
            ),
            vec![c(
                "Takeshi Terada",
                "Mitsui Bussan Secure Directions, Inc",
                "",
                false
            )]
        );
        assert_eq!(
            comma_split("A van X, B van Immunity, Inc., C"),
            ["A van X", "B van Immunity, Inc.", "C"]
        );
    }

    #[test]
    fn names_lose_what_sticks_to_them() {
        for (raw, name) in [
            ("Cesar Cerrudo 向我們", "Cesar Cerrudo"),
            ("共に仕事をしているPatrick Porlan", "Patrick Porlan"),
            ("Norman Chiong for", "Norman Chiong"),
            ("Jouko Pynnönen Jouko Pynnönen", "Jouko Pynnönen"),
            ("王宇 (Wang Yu)", "Wang Yu"),
            ("Yu Yang (@tombkeeper)", "Yu Yang"),
            ("lordyup", "lordyup"),
            ("windows服務dacl可能允許", ""),
        ] {
            assert_eq!(
                clean_name(raw, &all(&rows(Lang::De), |r| r.before_name)),
                name,
                "{raw}"
            );
        }
    }

    #[test]
    fn anonymous_researchers_working_through_a_programme() {
        assert_eq!(
            parse_line(
                "Een anonieme onderzoeker die werkt voor Verisign iDefense VCP voor het melden van het beveiligingslek",
                &links(&["Verisign iDefense VCP"]),
                Lang::Nl
            ),
            vec![c("", "", "Verisign iDefense VCP", true)]
        );
    }

    #[test]
    fn dutch_line_with_four_parties() {
        assert_eq!(
            parse_line(
                "Jeff Gennari van CERT, Jie Ma van Fortinet Security Research Team, NSFOCUS Security Team en Greg MacManus van IDefense Labs voor het melden van een probleem dat is beschreven in MS07-002.",
                &links(&[
                    "CERT",
                    "Fortinet Security Research Team",
                    "NSFOCUS Security Team",
                    "IDefense Labs",
                    "MS07-002"
                ]),
                Lang::Nl
            ),
            vec![
                c("Jeff Gennari", "CERT", "", false),
                c("Jie Ma", "Fortinet Security Research Team", "", false),
                c("", "NSFOCUS Security Team", "", false),
                c("Greg MacManus", "IDefense Labs", "", false),
            ]
        );
    }

    #[test]
    fn titles_roles_places_and_asides_are_not_names() {
        assert_eq!(
            parse_line(
                "Sicherheitstester Jorge Moura von Primavera BSS für den Hinweis auf ein Problem.",
                &[],
                Lang::De
            ),
            vec![c("Jorge Moura", "Primavera BSS", "", false)]
        );
        // A role after a comma continues the person before it.
        assert_eq!(
            parse_line(
                "Mark Dowd, forsker i IBM Internet Security Systems X-Force, for at have rapporteret et problem",
                &[],
                Lang::Da
            ),
            vec![c(
                "Mark Dowd",
                "IBM Internet Security Systems X-Force",
                "",
                false
            )]
        );
        // Places after an organisation or a person, and asides in parentheses.
        assert_eq!(
            parse_line(
                "John Jones hos DISC, Kansas, USA, for rapporten om et sikkerhetsproblem",
                &[],
                Lang::Nb
            ),
            vec![c("John Jones", "DISC", "", false)]
        );
        assert_eq!(
            parse_line(
                "Muhammad Faisal Naqvi aus Pakistan für den Hinweis auf die Sicherheitsanfälligkeit",
                &[],
                Lang::De
            ),
            vec![c("Muhammad Faisal Naqvi", "", "", false)]
        );
        assert_eq!(
            parse_line(
                "感謝 Pakistan 的 Muhammad Faisal Naqvi 回報 SAMR",
                &[],
                Lang::Zh
            ),
            vec![c("Muhammad Faisal Naqvi", "", "", false)]
        );
        assert_eq!(
            parse_line(
                "Gabi Nakibly fra National EW Research & Simulation Center (ved Rafael) Haifa for at rapportere et problem",
                &[],
                Lang::Da
            ),
            vec![c(
                "Gabi Nakibly",
                "National EW Research & Simulation Center Haifa",
                "",
                false
            )]
        );
        // An organisation alone after bare names is theirs, and an
        // organisation "of" something is one organisation.
        assert_eq!(
            parse_line(
                "Sihan Qing (Professor), Liang Yin en Husheng Zhou (academici), Department of Information Security, Beijing University, voor het melden van een probleem",
                &[],
                Lang::Nl
            ),
            vec![
                c(
                    "Sihan Qing",
                    "Department of Information Security",
                    "",
                    false
                ),
                c("Liang Yin", "Department of Information Security", "", false),
                c(
                    "Husheng Zhou",
                    "Department of Information Security",
                    "",
                    false
                ),
                c("", "Beijing University", "", false),
            ]
        );
        // A German relative clause around the programme; a Dutch reason
        // running on past "onderzoeker voor".
        assert_eq!(
            parse_line(
                "Einem Forscher, der mit der Zero Day Initiative von HP zusammenarbeitet, aber anonym bleiben möchte, für den Hinweis",
                &[],
                Lang::De
            ),
            vec![c("", "", "Zero Day Initiative von HP", true)]
        );
        assert_eq!(
            parse_line(
                "Een anonieme onderzoeker voor het melden van het probleem dat wordt beschreven in MS08-016",
                &[],
                Lang::Nl
            ),
            vec![c("", "", "", true)]
        );
        // Joined by "and", an organisation is a party of its own.
        assert_eq!(
            parse_line(
                "Sergey Svinolobov og McAfee for at have rapporteret et problem",
                &links(&["McAfee"]),
                Lang::Da
            ),
            vec![
                c("Sergey Svinolobov", "", "", false),
                c("", "McAfee", "", false)
            ]
        );
        assert_eq!(
            parse_line(
                "Einem Forscher, der mit iDefense VCP zusammenarbeitet, aber anonym bleiben möchte, für den Hinweis",
                &[],
                Lang::De
            ),
            vec![c("", "", "iDefense VCP", true)]
        );
    }

    #[test]
    fn surname_particles_are_no_connectives() {
        for (line, lang) in [
            (
                "Jeffrey van der Stad voor het melden van een probleem",
                Lang::Nl,
            ),
            (
                "Jeffrey van der Stad für den Hinweis auf ein Problem",
                Lang::De,
            ),
        ] {
            assert_eq!(
                parse_line(line, &[], lang),
                vec![c("Jeffrey van der Stad", "", "", false)],
                "{line}"
            );
        }
        assert_eq!(
            parse_line(
                "Kostya Kortchinsky von Immunity für den Hinweis",
                &[],
                Lang::De
            ),
            vec![c("Kostya Kortchinsky", "Immunity", "", false)]
        );
    }

    #[test]
    fn people_worked_with_are_parties_and_programmes_are_partners() {
        assert_eq!(
            parse_line(
                "Mila Parkour, som arbejder sammen med Anshul Kothari og Nishant Kaushik hos Adobe Systems, Inc. for at rapportere et problem",
                &[],
                Lang::Da
            ),
            vec![
                c("Mila Parkour", "", "", false),
                c("Anshul Kothari", "Adobe Systems, Inc.", "", false),
                c("Nishant Kaushik", "Adobe Systems, Inc.", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "CHkr_D591, die bij TippingPoint en Zero Day Initiative werkt, voor het melden van een probleem",
                &[],
                Lang::Nl
            ),
            vec![c(
                "CHkr_D591",
                "",
                "TippingPoint en Zero Day Initiative",
                false
            )]
        );
        // Per party: with an honorific a person, without one an organisation.
        assert_eq!(
            parse_line(
                "MS06-037 の問題を報告してくださった Zero Day Initiative (ZDI) の Arnaud Dovi 氏および TippingPoint",
                &[],
                Lang::Ja
            ),
            vec![
                c("Arnaud Dovi", "Zero Day Initiative (ZDI)", "", false),
                c("", "TippingPoint", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "CVE-2011-0030 を報告してくださった Peking University の Department of Information Security の Sihan Qing 教授、Husheng Zhou 氏 (大学院生)",
                &[],
                Lang::Ja
            ),
            vec![
                c(
                    "Sihan Qing",
                    "Peking University の Department of Information Security",
                    "",
                    false
                ),
                c(
                    "Husheng Zhou",
                    "Peking University の Department of Information Security",
                    "",
                    false
                ),
            ]
        );
        // Without 氏 a Japanese credit names organisations, teams included.
        assert_eq!(
            parse_line(
                "MS10-069 で説明している問題を報告してくださった 日本 IBM",
                &[],
                Lang::Ja
            ),
            vec![c("", "日本 IBM", "", false)]
        );
        assert_eq!(
            parse_line(
                "MS08-070 で説明している問題について報告してくださった Symantec の Security Intelligence Analysis Team",
                &[],
                Lang::Ja
            ),
            vec![c("", "Security Intelligence Analysis Team", "", false)]
        );
        assert_eq!(
            parse_line(
                "MS12-037 で説明している問題を報告してくださった VulnHunt の Dark Son",
                &[],
                Lang::Ja
            ),
            vec![c("Dark Son", "VulnHunt", "", false)]
        );
        assert_eq!(
            parse_line(
                "hamburgers maccoy via Secunia SVCRP for at have rapporteret et problem",
                &[],
                Lang::Da
            ),
            vec![c("hamburgers maccoy", "", "Secunia SVCRP", false)]
        );
        assert_eq!(
            parse_line(
                "感謝 VeriSign iDefense Labs 的研究人員回報 MS09-010 中描述的問題",
                &[],
                Lang::Zh
            ),
            vec![c("", "VeriSign iDefense Labs", "", false)]
        );
        // "以及" (as well as) and a Han organisation; a quoted handle.
        assert_eq!(
            parse_line(
                "感謝 Nguyen Minh Duc 和 Le Manh Tung 以及 河內技術大學 ( 越南) Bach Khoa 網際網路資訊安全中心 (BKIS),合作回報 MS08-053 中描述的問題",
                &[],
                Lang::Zh
            ),
            vec![
                c("Nguyen Minh Duc", "", "", false),
                c("Le Manh Tung", "", "", false),
                c(
                    "",
                    "河內技術大學 ( 越南) Bach Khoa 網際網路資訊安全中心 (BKIS)",
                    "",
                    false
                ),
            ]
        );
        assert_eq!(
            parse_line(
                "感謝 David Lindsay 的 \"thornmaker\" 及 Eduardo A. Vela Nava 的 \"sirdarckcat\" 回報 XSS",
                &[],
                Lang::Zh
            ),
            vec![
                c("David Lindsay", "", "", false),
                c("Eduardo A. Vela Nava", "", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "David Lindsay \"thornmaker\" og Eduardo A. Vela Nava \"sirdarckcat\" for at rapportere et problem",
                &links(&[
                    "David Lindsay \"thornmaker\"",
                    "Eduardo A. Vela Nava \"sirdarckcat\""
                ]),
                Lang::Da
            ),
            vec![
                c("David Lindsay", "", "", false),
                c("Eduardo A. Vela Nava", "", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "David Lindsay „thornmaker“ und Eduardo A. Vela Nava „sirdarckcat“ für den Hinweis",
                &[],
                Lang::De
            ),
            vec![
                c("David Lindsay", "", "", false),
                c("Eduardo A. Vela Nava", "", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "Mateusz \"j00ru\" Jurczyk of Google Inc for reporting",
                &[],
                Lang::En
            ),
            vec![c("Mateusz \"j00ru\" Jurczyk", "Google Inc", "", false)]
        );
        // "Tipping Point und der Zero Day Initiative" is a programme, not people.
        assert_eq!(
            parse_line(
                "Sebastian Apelt in Zusammenarbeit mit Tipping Point und der Zero Day Initiative für den Hinweis",
                &[],
                Lang::De
            ),
            vec![c(
                "Sebastian Apelt",
                "",
                "Tipping Point und der Zero Day Initiative",
                false
            )]
        );
        // A Chinese credit ends at the reason or the bulletin id; a web
        // address after a name and a surname written small.
        assert_eq!(
            parse_line(
                "感謝 Google Security Team 的 Billy Rios 和 Eduardo Vela Nava 在 MS11-037 的變更上與我們合作。",
                &[],
                Lang::Zh
            ),
            vec![
                c("Billy Rios", "Google Security Team", "", false),
                c("Eduardo Vela Nava", "Google Security Team", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "感謝 Symantec 的 Liam O Murchu MS10-092 中描述的一項問題",
                &[],
                Lang::Zh
            ),
            vec![c("Liam O Murchu", "Symantec", "", false)]
        );
        assert_eq!(
            parse_line(
                "Sam Thomas eshu.co.uk, der arbejder med TippingPoint og Zero Day Initiative, for at have rapporteret et problem",
                &[],
                Lang::Da
            ),
            vec![c(
                "Sam Thomas",
                "",
                "TippingPoint og Zero Day Initiative",
                false
            )]
        );
        assert_eq!(
            parse_line(
                "感謝 Alexander gavrun 與 TippingPoint 的 Zero Day Initiative 合作 回報 Visio DXF",
                &[],
                Lang::Zh
            ),
            vec![c(
                "Alexander gavrun",
                "",
                "TippingPoint 的 Zero Day Initiative",
                false
            )]
        );
        // "i" connects a name and an organisation, "I." is an initial.
        assert_eq!(
            parse_line(
                "Sergey I. Ulasen og Oleg Kupreev i VirusBlokAda for rapporten om et sikkerhetsproblem",
                &[],
                Lang::Nb
            ),
            vec![
                c("Sergey I. Ulasen", "VirusBlokAda", "", false),
                c("Oleg Kupreev", "VirusBlokAda", "", false),
            ]
        );
        // An aside holding a list is no party.
        assert_eq!(
            parse_line(
                "マイクロソフトに協力してくださった IBM ISS X-Force の David Dewey 氏および Accuvant (以前は、VeriSign iDefense Labs) の Ryan Smith 氏",
                &[],
                Lang::Ja
            ),
            vec![
                c("David Dewey", "IBM ISS X-Force", "", false),
                c("Ryan Smith", "Accuvant", "", false),
            ]
        );
        // Working with Microsoft is the reason, not a programme.
        assert_eq!(
            parse_line(
                "MS11-081 に組み込まれている多層防御についてマイクロソフトと協力してくださった Google Inc. の Billy Rios 氏",
                &[],
                Lang::Ja
            ),
            vec![c("Billy Rios", "Google Inc.", "", false)]
        );
    }

    #[test]
    fn norwegian_german_and_english_lines() {
        assert_eq!(
            parse_line(
                "En anonym forsker i samarbeid med iDefense VCP for rapporten om et sikkerhetsproblem",
                &links(&["iDefense VCP"]),
                Lang::Nb
            ),
            vec![c("", "", "iDefense VCP", true)]
        );
        assert_eq!(
            parse_line(
                "Sam Thomas in Zusammenarbeit mit TippingPoint und Zero Day Initiative für den Hinweis auf",
                &links(&["TippingPoint", "Zero Day Initiative"]),
                Lang::De
            ),
            vec![c(
                "Sam Thomas",
                "",
                "TippingPoint und Zero Day Initiative",
                false
            )]
        );
        assert_eq!(
            parse_line(
                "Abdul Aziz Hariri, Matt Molinyawe, and Jasiel Spelman of HP's Zero Day Initiative",
                &links(&["HP's Zero Day Initiative"]),
                Lang::En
            ),
            vec![
                c("Abdul Aziz Hariri", "HP's Zero Day Initiative", "", false),
                c("Matt Molinyawe", "HP's Zero Day Initiative", "", false),
                c("Jasiel Spelman", "HP's Zero Day Initiative", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "Yu Yang (@tombkeeper) of Tencent’s Xuanwu Lab",
                &[],
                Lang::En
            ),
            vec![c("Yu Yang", "Tencent’s Xuanwu Lab", "", false)]
        );
        assert_eq!(
            parse_line(
                "An anonymous researcher, working with HP’s Zero Day Initiative",
                &[],
                Lang::En
            ),
            vec![c("", "", "HP’s Zero Day Initiative", true)]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_line_in_any_language_parses_without_panicking(s in "[a-zA-Zé漏の的, ]{0,80}", i in 0usize..19) {
            let lang = Lang::ALL[i];
            let _ = parse_line(&s, std::slice::from_ref(&s), lang);
        }
    }

    #[test]
    fn japanese_and_chinese_lines() {
        assert_eq!(
            parse_line(
                "GDI+ PNG の整数オーバーフローの脆弱性 - CVE-2009-3126 の 問題を報告してくださった Google Inc. の Tavis Ormandy 氏",
                &[],
                Lang::Ja
            ),
            vec![c("Tavis Ormandy", "Google Inc.", "", false)]
        );
        assert_eq!(
            parse_line(
                "HP の Zero Day Initiative と協力して Internet Explorer のメモリ破損の脆弱性 (CVE-2014-1799) を報告してくださった 4f7df027b11a6a44d72b1fa4da62bae7 氏",
                &[],
                Lang::Ja
            ),
            vec![c(
                "4f7df027b11a6a44d72b1fa4da62bae7",
                "",
                "HP の Zero Day Initiative",
                false
            )]
        );
        assert_eq!(
            parse_line(
                "感謝 Secunia 的 Carsten H. Eiram 和 Dyon Balding 回報 Adobe Flash Player 6 的弱點",
                &[],
                Lang::Zh
            ),
            vec![
                c("Carsten H. Eiram", "Secunia", "", false),
                c("Dyon Balding", "Secunia", "", false)
            ]
        );
        assert_eq!(
            parse_line(
                "感謝 Jason Kratzer 與 HP 的 Zero Day Initiative 合作回報 Internet Explorer 記憶體損毀資訊安全風險 (CVE-2014-0307)",
                &[],
                Lang::Zh
            ),
            vec![c("Jason Kratzer", "", "HP 的 Zero Day Initiative", false)]
        );
        assert_eq!(
            parse_line(
                "感謝匿名的研究人員與 VeriSign iDefense Labs 合作，回報 …",
                &[],
                Lang::Zh
            ),
            vec![c("", "", "VeriSign iDefense Labs", true)]
        );
    }
}
