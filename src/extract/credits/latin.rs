//! Lines in Latin-script languages: cut at the reason, the partner clause
//! taken off, split into parties, each read as name + connective +
//! organisation.

use super::*;

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

pub(super) fn rows(lang: Lang) -> Vec<&'static CreditWords> {
    let mut out = vec![credit_words(lang)];
    if lang != Lang::En {
        out.push(credit_words(Lang::En));
    }
    out
}

pub(super) fn all<'a>(
    rows: &[&'a CreditWords],
    pick: impl Fn(&'a CreditWords) -> &'a [&'a str],
) -> Vec<&'a str> {
    rows.iter().flat_map(|r| pick(r).iter().copied()).collect()
}

pub(super) fn latin(text: &str, links: &[String], lang: Lang) -> Vec<Credit> {
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
pub(super) fn drop_list_asides(s: &str) -> String {
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
pub(super) fn without_parentheses(s: &str) -> String {
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
pub(super) fn strip_before_name<'a>(s: &'a str, before_name: &[&str]) -> &'a str {
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
