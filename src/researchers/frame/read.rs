//! Reading a line by a learned frame: the anchors marked, every other run
//! of non-frame tokens a party, each given the role its gap predicts.

use std::collections::{HashMap, HashSet};

use super::fold;
use super::tokens::*;
use super::*;
use crate::extract::credits::{Credit, looks_like_org, looks_like_person};

/// A token range of a line taken by an anchor.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span<'a> {
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) role: Role,
    pub(super) credit: Option<&'a Credit>,
}

/// The anchors standing verbatim in `toks`, longest first, without overlap.
/// An organisation or programme also stands by its first or last words
/// (two or more): `Zero Day Initiative` of `HP's Zero Day Initiative`.
pub(super) fn mark<'a>(toks: &[Tok], anchors: &[&Anchor<'a>]) -> Vec<Span<'a>> {
    let words: Vec<(usize, &str)> = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind != Kind::Punct)
        .map(|(i, t)| (i, t.key.as_str()))
        .collect();
    let mut at_word: HashMap<&str, Vec<usize>> = HashMap::new();
    for (w, (_, k)) in words.iter().enumerate() {
        at_word.entry(k).or_default().push(w);
    }
    // The role most of the other locales give a name is its role.
    let mut votes: HashMap<&[String], [usize; 3]> = HashMap::new();
    for a in anchors {
        votes.entry(a.keys.as_slice()).or_default()[a.role as usize] += a.weight as usize;
    }
    let majority = |a: &Anchor| {
        let v = votes[a.keys.as_slice()];
        let person = v[Role::Person as usize];
        if a.role == Role::Person {
            person > v[1] + v[2]
        } else {
            v[1] + v[2] >= person
        }
    };
    let mut wanted: Vec<(&[String], &Anchor, bool)> = Vec::new();
    for a in anchors.iter().filter(|a| majority(a)) {
        let keys = a.keys.as_slice();
        // A one-token anchor must be distinctive: four letters or more.
        if keys.is_empty() || (keys.len() == 1 && keys[0].chars().count() < 4) {
            continue;
        }
        // Only where the line holds its first word at all.
        if !keys.iter().any(|k| at_word.contains_key(k.as_str())) {
            continue;
        }
        if a.role != Role::Person && keys.len() >= 3 {
            for n in 2..keys.len() {
                wanted.push((&keys[..n], a, false));
                wanted.push((&keys[keys.len() - n..], a, false));
            }
        }
        wanted.push((keys, a, true));
    }
    // Longest first, whole names before parts, a person before an
    // organisation of the same text.
    wanted
        .sort_by_key(|(k, a, whole)| (std::cmp::Reverse(k.len()), !whole, a.role != Role::Person));
    let mut taken = vec![false; toks.len()];
    let mut spans = Vec::new();
    for (keys, a, whole) in &wanted {
        let Some(starts) = at_word.get(keys[0].as_str()) else {
            continue;
        };
        for &w in starts {
            let Some(window) = words.get(w..w + keys.len()) else {
                continue;
            };
            let here = window
                .iter()
                .map(|(_, k)| *k)
                .eq(keys.iter().map(String::as_str));
            let (from, to) = (window[0].0, window[keys.len() - 1].0 + 1);
            // Part of a name only where the name's neighbours are no part of
            // it: a capitalised word next to it (`Beyond Security's
            // SecuriTeam Secure Disclosure`) says the name runs on.
            let runs_on = |t: Option<&Tok>| {
                t.is_some_and(|t| t.kind != Kind::Punct && !t.caseless && t.capital)
            };
            let bounded = *whole
                || !(runs_on(from.checked_sub(1).and_then(|p| toks.get(p)))
                    || runs_on(toks.get(to)));
            if here && bounded && !taken[from..to].iter().any(|t| *t) {
                taken[from..to].iter_mut().for_each(|t| *t = true);
                spans.push(Span {
                    from,
                    to,
                    role: a.role,
                    credit: Some(a.credit),
                });
            }
        }
    }
    spans.sort_by_key(|s| s.from);
    spans
}

impl Frames {
    /// Reads `text` by the frame of `key`, with the other locales' anchors
    /// for the line's bulletins; `None` when no frame is learned for `key`.
    pub fn read(
        &self,
        key: &str,
        text: &str,
        links: &[String],
        anchors: &[&Anchor],
    ) -> Option<Vec<Credit>> {
        let f = self.frames.get(key).filter(|f| !f.words.is_empty())?;
        let toks = tokens(text);
        let mut spans = mark(&toks, anchors);
        // Every other run of non-frame tokens is a party of unknown role.
        let mut taken = vec![false; toks.len()];
        for sp in &spans {
            taken[sp.from..sp.to].iter_mut().for_each(|t| *t = true);
        }
        let mut i = 0;
        while i < toks.len() {
            if taken[i] || f.is_frame(&toks[i]) || toks[i].kind == Kind::Id {
                i += 1;
                continue;
            }
            let from = i;
            while i < toks.len() && !taken[i] && !f.is_frame(&toks[i]) && toks[i].kind == Kind::Word
            {
                i += 1;
            }
            spans.push(Span {
                from,
                to: i,
                role: Role::Person,
                credit: None,
            });
        }
        spans.sort_by_key(|s| s.from);
        // `三井物産…株式会社 の Takeshi Terada 氏`: where the frame says an
        // organisation comes before its person, a caseless word standing
        // there is that organisation.
        let mut slots = Vec::new();
        for sp in spans.iter().filter(|s| s.role == Role::Person) {
            let mut from = sp.from;
            while from > 0 && f.is_frame(&toks[from - 1]) && toks[from - 1].kind == Kind::Punct {
                from -= 1;
            }
            let Some(gap_from) = from.checked_sub(1) else {
                continue;
            };
            let connector = &toks[gap_from..sp.from];
            let before = gap_from.checked_sub(1).map(|i| &toks[i]);
            let first_case = gap_keys(connector)
                .iter()
                .find_map(|k| f.stats(k).and_then(GapStats::relation))
                == Some(Relation::AffiliationFirst);
            if let Some(b) = before.filter(|b| {
                first_case && b.caseless && b.kind == Kind::Word && !f.words.contains(&b.key)
            }) {
                let at = gap_from - 1;
                if !taken[at] && !f.gaps.contains_key(&b.key) {
                    slots.push(Span {
                        from: at,
                        to: at + 1,
                        role: Role::Organisation,
                        credit: None,
                    });
                }
            }
        }
        spans.extend(slots);
        spans.sort_by_key(|s| s.from);
        // A lower-case word or two between two names the other locales
        // state (`Fabrice Desclaux from EADS`) is frame the learning missed.
        let glue = |k: usize, spans: &[Span]| {
            let s = spans[k];
            s.credit.is_none()
                && k > 0
                && spans.get(k + 1).is_some_and(|n| n.credit.is_some())
                && spans[k - 1].credit.is_some()
                && s.to - s.from <= 2
                && text[toks[s.from].start..toks[s.to - 1].end]
                    .chars()
                    .all(|c| c.is_lowercase() || c.is_whitespace())
        };
        let keep: Vec<bool> = (0..spans.len()).map(|k| !glue(k, &spans)).collect();
        let mut keep = keep.into_iter();
        spans.retain(|_| keep.next().unwrap_or(true));
        merge_legal_suffixes(&toks, &mut spans);
        let gap = |from: usize, to: usize| &toks[from..to];
        let first_anchor = spans
            .iter()
            .position(|s| s.credit.is_some())
            .unwrap_or(spans.len());
        let is = |keys: [String; 3], pick: fn(&GapStats) -> usize| {
            let [all, first, last] = keys;
            // Clearly more often at the edge than between names: a name
            // the other locales spell otherwise makes an inner gap look
            // like an edge now and then.
            let judge = |k: &str| {
                f.stats(k).and_then(|g| {
                    let n = pick(g);
                    (n >= 3 || g.inner >= 3).then_some(n >= 3 && n >= 3 * g.inner)
                })
            };
            // The whole gap, seen at all, decides; its first or last word
            // only with more evidence.
            let whole = f.stats(&all).and_then(|g| {
                let n = pick(g);
                (n + g.inner > 0).then_some(n > g.inner)
            });
            whole
                .or_else(|| judge(&first))
                .or_else(|| judge(&last))
                .unwrap_or(false)
        };
        // Start after the last opener before the first anchor.
        let mut start = 0;
        for k in 0..=first_anchor.min(spans.len()) {
            let from = if k == 0 { 0 } else { spans[k - 1].to };
            let Some(to) = spans.get(k).map(|s| s.from) else {
                break;
            };
            let g = gap(from, to);
            let tail = g.iter().rposition(|t| !f.is_frame(t)).map_or(0, |p| p + 1);
            if k > 0 && !g[tail..].is_empty() && is(gap_keys(&g[tail..]), |s| s.opener) {
                start = k;
            }
            // An id before a party ends what came before (`MS10-026에서 …`).
            if k > 0 && g.iter().any(|t| t.kind == Kind::Id) && first_anchor > k {
                start = k;
            }
        }
        // Stop at the first closer (or id) after a party.
        let mut end = spans.len();
        for k in start + 1..spans.len() {
            let g = gap(spans[k - 1].to, spans[k].from);
            let head = g.iter().position(|t| !f.is_frame(t)).unwrap_or(g.len());
            let closes = !g[..head].is_empty() && is(gap_keys(&g[..head]), |s| s.closer);
            // Words never seen between two names, before a name no other
            // locale states: the reason has begun (`… 協助我們並回報 URI …`).
            let unlearned = spans[k].credit.is_none()
                && g.iter().any(|t| t.kind == Kind::Word)
                && gap_keys(g)
                    .iter()
                    .all(|key| f.stats(key).is_none_or(|s| s.inner == 0));
            if closes || unlearned || g.iter().any(|t| t.kind == Kind::Id) {
                end = k;
                break;
            }
        }
        let parties = &spans[start..end];
        Some(assemble(f, &toks, text, links, parties, anchors))
    }
}

/// How two anchored parties of a line relate.
pub(super) fn relate(a: &Span, b: &Span) -> Option<Relation> {
    let same_credit = match (a.credit, b.credit) {
        (Some(x), Some(y)) => std::ptr::eq(x, y) || x == y,
        _ => false,
    };
    Some(match (a.role, b.role) {
        (_, Role::Partner) => Relation::Partner,
        (Role::Person, Role::Organisation) if same_credit => Relation::Affiliation,
        (Role::Organisation, Role::Person) if same_credit => Relation::AffiliationFirst,
        (Role::Partner, Role::Person) if same_credit => Relation::PartnerFirst,
        (Role::Person, Role::Person) => Relation::List,
        (Role::Partner, Role::Person) => Relation::List,
        (Role::Organisation, Role::Organisation) => Relation::List,
        _ => return None,
    })
}

/// `Immunity, Inc.`: a legal form after a comma belongs to the party before.
pub(super) fn merge_legal_suffixes(toks: &[Tok], spans: &mut Vec<Span>) {
    const LEGAL: &[&str] = &[
        "inc", "ltd", "llc", "gmbh", "ag", "co", "corp", "sa", "ab", "as", "oy", "bv", "nv", "srl",
        "spa", "kk", "plc", "pty", "sarl", "sl", "kft", "sro", "oü", "aps", "asa",
    ];
    let mut k = 1;
    while k < spans.len() {
        let (a, b) = (spans[k - 1], spans[k]);
        let gap = &toks[a.to..b.from];
        let suffix = b.credit.is_none()
            && b.to - b.from <= 2
            && toks[b.from..b.to]
                .iter()
                .all(|t| LEGAL.contains(&t.key.as_str()));
        if suffix && gap.iter().all(|t| t.key == ",") {
            spans[k - 1].to = b.to;
            spans.remove(k);
        } else {
            k += 1;
        }
    }
}

/// The credits of a line's parties, in order.
pub(super) fn assemble(
    f: &Frame,
    toks: &[Tok],
    text: &str,
    links: &[String],
    parties: &[Span],
    anchors: &[&Anchor],
) -> Vec<Credit> {
    let text_of = |from: usize, to: usize| {
        text[toks[from].start..toks[to - 1].end]
            .trim_matches(|c: char| c.is_whitespace() || PUNCT.contains(&c))
            .to_string()
    };
    let linked: HashSet<String> = links.iter().map(|l| fold(l)).collect();
    let mut credits: Vec<Credit> = Vec::new();
    // Whether each credit's person is one the other locales name.
    let mut known: Vec<bool> = Vec::new();
    // Credits still waiting for an organisation.
    let mut pending: Vec<usize> = Vec::new();
    let mut last_org_only: Option<usize> = None;
    // The previous party: its span, role, and where its text began (a party
    // extended by the next one keeps its start).
    let mut prev: Option<(Span, Role, usize)> = None;
    // The relation of each party to the one before it.
    let relations: Vec<Option<Relation>> = (0..parties.len())
        .map(|k| {
            let p = parties[k.checked_sub(1)?];
            gap_keys(&toks[p.to..parties[k].from])
                .iter()
                .find_map(|key| f.stats(key).and_then(GapStats::relation))
        })
        .collect();
    // A programme waiting for the person after it.
    let mut partner_first: Option<String> = None;
    // The organisation named before a person, for the list that follows.
    let mut shared_org: Option<String> = None;
    for (k, s) in parties.iter().enumerate() {
        let name = text_of(s.from, s.to);
        if name.is_empty() {
            continue;
        }
        let relation = relations[k];
        let next = relations.get(k + 1).copied().flatten();
        let prev_role = prev.map(|(_, r, _)| r);
        let role = if s.credit.is_some() {
            s.role
        } else {
            match (relation, next) {
                (_, Some(Relation::AffiliationFirst)) => Role::Organisation,
                (_, Some(Relation::PartnerFirst)) => Role::Partner,
                (Some(Relation::Partner), _) => Role::Partner,
                (Some(Relation::Affiliation), _) => Role::Organisation,
                (Some(Relation::AffiliationFirst | Relation::PartnerFirst), _) => Role::Person,
                (Some(Relation::List), _) => prev_role.unwrap_or(Role::Person),
                _ if linked.contains(&fold(&name)) => Role::Organisation,
                _ if looks_like_org(&name, &[]) => Role::Organisation,
                _ if looks_like_person(&name) => Role::Person,
                _ if prev_role == Some(Role::Person) => Role::Organisation,
                _ => Role::Person,
            }
        };
        // `與 [TippingPoint] 和 [Zero Day Initiative] 合作`: a name listed
        // with a programme the other locales state is of that programme.
        // So is an organisation another locale credits alone where this
        // line's gap says it is the programme worked with.
        let alone = s
            .credit
            .is_some_and(|c| c.researcher.is_empty() && !c.anonymous);
        let in_partner_slot = alone && relation == Some(Relation::Partner);
        let listed_with_partner = s.credit.is_none()
            && next == Some(Relation::List)
            && parties
                .get(k + 1)
                .is_some_and(|n| n.credit.is_some() && n.role == Role::Partner);
        let role = if role == Role::Organisation && (in_partner_slot || listed_with_partner) {
            Role::Partner
        } else {
            role
        };
        // Two programmes of a list are one partner, joined by the line's
        // own word where it is written like the names (`TippingPoint og Zero
        // Day Initiative`); across a word in another script the first stands
        // (a party in two scripts is a misreading).
        if role == Role::Partner
            && relation == Some(Relation::List)
            && let Some((p, Role::Partner, start)) = prev
        {
            if toks[p.to..s.from].iter().any(|t| t.caseless) {
                prev = Some((*s, Role::Partner, start));
                continue;
            }
            let (was, whole) = (fold(&text_of(start, p.to)), text_of(start, s.to));
            for c in credits.iter_mut().filter(|c| fold(&c.partner) == was) {
                c.partner = whole.clone();
            }
            prev = Some((*s, Role::Partner, start));
            continue;
        }
        // `Zero Day Initiative van TippingPoint`, `Information Security
        // Office at Carnegie Mellon University`: an organisation after a
        // programme or after an organisation alone is whose it is.
        if role == Role::Organisation
            && relation == Some(Relation::Affiliation)
            && let Some((p, prev_role, start)) = prev
            && (prev_role == Role::Partner || last_org_only == credits.len().checked_sub(1))
            && !credits.is_empty()
        {
            let whole = text_of(start, s.to);
            let c = credits.last_mut().expect("a credit");
            if prev_role == Role::Partner {
                for c in credits
                    .iter_mut()
                    .filter(|c| fold(&c.partner) == fold(&text_of(start, p.to)))
                {
                    c.partner = whole.clone();
                }
            } else {
                c.organisation = whole;
            }
            prev = Some((*s, prev_role, start));
            continue;
        }
        match role {
            Role::Person => {
                let org_first = relation == Some(Relation::AffiliationFirst)
                    && last_org_only.is_some()
                    && last_org_only == credits.len().checked_sub(1);
                if let Some(c) = credits.last_mut().filter(|_| org_first) {
                    c.researcher = name;
                    shared_org = Some(c.organisation.clone());
                    *known.last_mut().expect("a credit") = s.credit.is_some();
                    pending.clear();
                } else {
                    // `[Avast] の A 氏および B 氏`: B is of Avast too.
                    let organisation = shared_org
                        .clone()
                        .filter(|_| relation == Some(Relation::List))
                        .unwrap_or_default();
                    credits.push(Credit {
                        researcher: name,
                        organisation,
                        partner: partner_first.clone().unwrap_or_default(),
                        ..Credit::default()
                    });
                    known.push(s.credit.is_some());
                    pending.push(credits.len() - 1);
                }
                last_org_only = None;
            }
            Role::Organisation => {
                shared_org = None;
                let waiting: Vec<usize> = pending
                    .iter()
                    .copied()
                    .filter(|&i| credits[i].organisation.is_empty())
                    .collect();
                // An organisation after "working with [ZDI]" worked with it.
                let partner = partner_first
                    .take()
                    .filter(|_| relation == Some(Relation::PartnerFirst))
                    .unwrap_or_default();
                if waiting.is_empty() {
                    credits.push(Credit {
                        organisation: name,
                        partner,
                        ..Credit::default()
                    });
                    known.push(false);
                    last_org_only = Some(credits.len() - 1);
                } else {
                    for i in waiting {
                        credits[i].organisation = name.clone();
                    }
                    last_org_only = None;
                }
                pending.clear();
            }
            Role::Partner if next == Some(Relation::PartnerFirst) => {
                partner_first = Some(name);
                pending.clear();
                last_org_only = None;
            }
            Role::Partner => {
                // A programme the other locales credit an anonymous
                // researcher with: the one-word "names" before it
                // (`Een anonieme onderzoeker`) are that researcher.
                let anonymous = s.credit.is_some_and(|c| c.anonymous)
                    || anchors
                        .iter()
                        .any(|a| a.credit.anonymous && fold(a.text) == fold(&name));
                if anonymous {
                    let mut found = false;
                    for (c, known) in credits.iter_mut().zip(&known) {
                        if !known && c.partner.is_empty() && !c.researcher.contains(' ') {
                            c.researcher.clear();
                            c.anonymous = true;
                            found = true;
                        }
                    }
                    if !found && credits.is_empty() {
                        credits.push(Credit {
                            anonymous: true,
                            ..Credit::default()
                        });
                        known.push(false);
                    }
                }
                for c in credits.iter_mut().filter(|c| c.partner.is_empty()) {
                    c.partner = name.clone();
                }
                pending.clear();
                last_org_only = None;
            }
        }
        prev = Some((*s, role, s.from));
    }
    credits
}
