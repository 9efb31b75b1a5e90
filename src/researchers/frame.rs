//! A locale's credit frame, learned from its own thanks lines, and the
//! reader that uses it: no word list is needed for a language.
//!
//! Every thanks line is a frame around names: `Tavis Ormandy van [Google
//! Inc.] voor het melden van …`, `感謝 [Google Inc.] 的 Tavis Ormandy 回報 …`,
//! `… を報告してくださった [Google Inc.] の Tavis Ormandy 氏`. The names are
//! the same in every locale; the frame is what recurs across one locale's
//! lines with different names. Learning takes the names the other locales
//! credit for the same bulletin (the anchors), finds them verbatim in the
//! line, and counts what is left:
//!
//! - **frame words**: tokens that recur outside the anchors in many lines;
//! - **gaps**: the frame between two anchors, with how the two relate (a
//!   person and the organisation after it, an organisation and the person
//!   after it, two of a list, a person and the programme they worked with);
//! - **openers and closers**: the frame just before the first anchor and
//!   just after the last one, where the reason is (`voor het melden …`
//!   after the names; `… を報告してくださった` before them).
//!
//! Reading a line marks the anchors, calls every other run of non-frame
//! tokens a party, starts after the last opener and stops at the first
//! closer, and gives each party the role its gap predicts (else the role its
//! shape suggests: a link text is an organisation, two to four capitalised
//! words a person). A caseless script (Han, kana, Hangul) is never a name
//! unless an anchor says so: those names are transliterated, not copied.

use std::collections::{HashMap, HashSet};

use super::fold;
use crate::extract::credits::{Credit, looks_like_org, looks_like_person};
use crate::script::Script;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Punct,
    /// A bulletin, CVE or KB id, or a number.
    Id,
}

/// One token of a line, by byte range.
#[derive(Debug, Clone)]
struct Tok {
    start: usize,
    end: usize,
    kind: Kind,
    /// Folded text (punctuation: the character itself).
    key: String,
    /// Written in a script without letter case (Han, kana, Hangul …).
    caseless: bool,
    /// Opens with a capital letter.
    capital: bool,
}

const PUNCT: &[char] = &[
    ',', ';', ':', '(', ')', '[', ']', '{', '}', '"', '“', '”', '„', '«', '»', '「', '」', '『',
    '』', '（', '）', '、', '，', '；', '：', '。', '!', '?', '！', '？', '/', '|', '–', '—',
];

/// Whether two letters belong to one token: cased scripts together, caseless
/// ones together (a Japanese run mixes kanji and kana).
fn same_run(a: Option<Script>, b: Option<Script>) -> bool {
    let caseless = |s: Option<Script>| {
        s.is_some_and(|s| {
            matches!(
                s,
                Script::Han | Script::Kana | Script::Hangul | Script::Other
            )
        })
    };
    match (a, b) {
        (Some(_), Some(_)) => caseless(a) == caseless(b),
        _ => true,
    }
}

fn tokens(text: &str) -> Vec<Tok> {
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

/// A party's role in a credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Person,
    Organisation,
    Partner,
}

/// How two neighbouring parties relate, as the gap between them says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relation {
    /// A person, then their organisation (`A van X`).
    Affiliation,
    /// An organisation, then its person (`X 的 A`, `X の A 氏`).
    AffiliationFirst,
    /// Two of a list (`A en B`, `A 氏、B 氏`).
    List,
    /// A party, then the programme it worked with.
    Partner,
    /// A programme, then the person who worked with it (`[ZDI] に協力
    /// している Ivan Fratric 氏`).
    PartnerFirst,
}

/// Where a gap stood in a learned line.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// Before the first name.
    Opener,
    /// After the last name.
    Closer,
    /// Between two names.
    Inner,
}

/// How often a gap stood where, and how the names it stood between related.
#[derive(Debug, Default, Clone)]
struct GapStats {
    opener: usize,
    closer: usize,
    inner: usize,
    relations: [usize; 5],
}

impl GapStats {
    fn relation(&self) -> Option<Relation> {
        let total: usize = self.relations.iter().sum();
        let (i, &n) = self.relations.iter().enumerate().max_by_key(|(_, n)| **n)?;
        (total >= 2 && n * 2 > total).then_some(
            [
                Relation::Affiliation,
                Relation::AffiliationFirst,
                Relation::List,
                Relation::Partner,
                Relation::PartnerFirst,
            ][i],
        )
    }
}

/// One locale's frame.
#[derive(Debug, Default)]
struct Frame {
    lines: usize,
    outside: HashMap<String, usize>,
    inside: HashMap<String, usize>,
    words: HashSet<String>,
    gaps: HashMap<String, GapStats>,
}

/// A name the other locales credit, to find in a line.
pub(super) struct Anchor<'a> {
    pub role: Role,
    pub text: &'a str,
    pub credit: &'a Credit,
    /// The folded words of `text`, the way a line's are compared.
    keys: Vec<String>,
    /// `text` folded.
    pub folded: String,
}

/// The anchors of a credit: its person, organisation and programme.
pub(super) fn anchors_of(c: &Credit) -> impl Iterator<Item = Anchor<'_>> {
    [
        (Role::Person, c.researcher.as_str()),
        (Role::Organisation, c.organisation.as_str()),
        (Role::Partner, c.partner.as_str()),
    ]
    .into_iter()
    .filter(|(_, t)| !t.is_empty())
    .map(move |(role, text)| Anchor {
        role,
        text,
        credit: c,
        folded: fold(text),
        keys: tokens(text)
            .into_iter()
            .filter(|t| t.kind != Kind::Punct)
            .map(|t| t.key)
            .collect(),
    })
}

/// A token range of a line taken by an anchor.
#[derive(Debug, Clone, Copy)]
struct Span<'a> {
    from: usize,
    to: usize,
    role: Role,
    credit: Option<&'a Credit>,
}

/// The anchors standing verbatim in `toks`, longest first, without overlap.
/// An organisation or programme also stands by its first or last words
/// (two or more): `Zero Day Initiative` of `HP's Zero Day Initiative`.
fn mark<'a>(toks: &[Tok], anchors: &[&Anchor<'a>]) -> Vec<Span<'a>> {
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
        votes.entry(a.keys.as_slice()).or_default()[a.role as usize] += 1;
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

/// The frames of every locale, learned from their lines.
#[derive(Debug, Default)]
pub(super) struct Frames {
    frames: HashMap<String, Frame>,
}

/// A line to learn from: its locale key, text and the other locales' anchors.
pub(super) struct Sample<'a> {
    pub key: &'a str,
    pub text: &'a str,
    pub anchors: Vec<&'a Anchor<'a>>,
}

/// The gap keys a run of frame tokens is known by: all of it, its first
/// word, its last word.
fn gap_keys(toks: &[Tok]) -> [String; 3] {
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

impl Frame {
    fn is_frame(&self, t: &Tok) -> bool {
        match t.kind {
            Kind::Punct => true,
            Kind::Id => false,
            Kind::Word => t.caseless || self.words.contains(&t.key),
        }
    }

    fn stats(&self, key: &str) -> Option<&GapStats> {
        self.gaps.get(key)
    }
}

impl Frames {
    /// Learns each locale's frame from `samples`.
    pub fn learn(samples: &[Sample]) -> Frames {
        let mut frames: HashMap<String, Frame> = HashMap::new();
        let mut marked: Vec<(Vec<Tok>, Vec<Span>)> = Vec::with_capacity(samples.len());
        // A line repeated word for word (one credit on every row of a
        // yearly table) counts once: frame words recur with different names.
        let mut texts: HashSet<(&str, &str)> = HashSet::new();
        for s in samples {
            let toks = tokens(s.text);
            let spans = mark(&toks, &s.anchors);
            let f = frames.entry(s.key.to_string()).or_default();
            if !texts.insert((s.key, s.text)) {
                marked.push((toks, spans));
                continue;
            }
            f.lines += 1;
            let mut inside = vec![false; toks.len()];
            for sp in &spans {
                inside[sp.from..sp.to].iter_mut().for_each(|t| *t = true);
            }
            let mut seen: HashSet<(&str, bool)> = HashSet::new();
            for (t, inside) in toks.iter().zip(&inside) {
                if t.kind == Kind::Word && seen.insert((t.key.as_str(), *inside)) {
                    let counts = if *inside {
                        &mut f.inside
                    } else {
                        &mut f.outside
                    };
                    *counts.entry(t.key.clone()).or_default() += 1;
                }
            }
            marked.push((toks, spans));
        }
        for f in frames.values_mut() {
            let floor = (f.lines / 100).max(3);
            f.words = f
                .outside
                .iter()
                .filter(|(w, n)| **n >= floor && **n > 3 * f.inside.get(*w).copied().unwrap_or(0))
                .map(|(w, _)| w.clone())
                .collect();
        }
        for (s, (toks, spans)) in samples.iter().zip(&marked) {
            let Some(f) = frames.get_mut(s.key) else {
                continue;
            };
            let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
                continue;
            };
            let frame_run_back = |end: usize| {
                let mut from = end;
                while from > 0 && f.is_frame(&toks[from - 1]) {
                    from -= 1;
                }
                from
            };
            // Frame words after a line's opening words, none of them frame,
            // join a party the other locales spell otherwise (`Тэвису
            // Орманди из Google`) to the first anchor: they open nothing.
            let opens = frame_run_back(first.from);
            let unknown_first = opens > 0
                && toks[..opens]
                    .iter()
                    .all(|t| t.kind == Kind::Word && !f.is_frame(t));
            let before = if unknown_first {
                &toks[first.from..first.from]
            } else {
                &toks[opens..first.from]
            };
            let mut after_end = last.to;
            while after_end < toks.len() && f.is_frame(&toks[after_end]) {
                after_end += 1;
            }
            let after = &toks[last.to..after_end];
            let mut updates: Vec<(String, Place, Option<Relation>)> = Vec::new();
            if !before.is_empty() {
                for k in gap_keys(before) {
                    updates.push((k, Place::Opener, None));
                }
            }
            if !after.is_empty() {
                for k in gap_keys(after) {
                    updates.push((k, Place::Closer, None));
                }
            }
            for pair in spans.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let gap = &toks[a.to..b.from];
                if !gap.iter().all(|t| f.is_frame(t)) {
                    continue;
                }
                let relation = relate(&a, &b);
                for k in gap_keys(gap) {
                    updates.push((k, Place::Inner, relation));
                }
            }
            for (k, place, relation) in updates {
                let g = f.gaps.entry(k).or_default();
                match place {
                    Place::Opener => g.opener += 1,
                    Place::Closer => g.closer += 1,
                    Place::Inner => g.inner += 1,
                }
                if let Some(r) = relation {
                    g.relations[r as usize] += 1;
                }
            }
        }
        Frames { frames }
    }

    /// `party` without the frame words of `key`'s locale at its edges, when
    /// it has any: a name neither opens nor ends with the words that frame
    /// names (`die`, a trailing `og`). Only lower-case words count, as the
    /// line writes them; one inside a name is a connective of it (`Zero Day
    /// Initiative von HP`, `Jeffrey van der Stad`) and stays.
    pub fn trim_edges(&self, key: &str, party: &str) -> Option<String> {
        let f = self.frames.get(key)?;
        let toks = tokens(party);
        let framing = |t: &Tok| {
            t.kind != Kind::Id
                && (t.kind == Kind::Punct
                    || (!t.caseless
                        && !t.capital
                        && t.key.chars().any(char::is_alphabetic)
                        && f.words.contains(&t.key)))
        };
        let from = toks.iter().position(|t| !framing(t)).unwrap_or(toks.len());
        let to = toks
            .iter()
            .rposition(|t| !framing(t))
            .map_or(from, |i| i + 1);
        let words = |r: &[Tok]| r.iter().any(|t| t.kind == Kind::Word);
        if !words(&toks[..from]) && !words(&toks[to..]) {
            return None;
        }
        if from >= to {
            return Some(String::new());
        }
        Some(party[toks[from].start..toks[to - 1].end].to_string())
    }

    /// How many frame words each locale's frame has.
    pub fn sizes(&self) -> std::collections::BTreeMap<String, usize> {
        self.frames
            .iter()
            .map(|(k, f)| (k.clone(), f.words.len()))
            .collect()
    }

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
fn relate(a: &Span, b: &Span) -> Option<Relation> {
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
fn merge_legal_suffixes(toks: &[Tok], spans: &mut Vec<Span>) {
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
fn assemble(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn credit(r: &str, o: &str, p: &str) -> Credit {
        Credit {
            researcher: r.into(),
            organisation: o.into(),
            partner: p.into(),
            anonymous: false,
        }
    }

    #[test]
    fn tokens_split_at_spaces_punctuation_and_between_cased_and_caseless_scripts() {
        let keys: Vec<String> = tokens("感謝 [Google, Inc.] 的 Tavis Ormandy 回報 (CVE-2010-0233)")
            .into_iter()
            .map(|t| t.key)
            .collect();
        assert_eq!(
            keys,
            [
                "感謝",
                "[",
                "google",
                ",",
                "inc",
                "]",
                "的",
                "tavis",
                "ormandy",
                "回報",
                "(",
                "cve 2010 0233",
                ")"
            ]
        );
        let keys: Vec<String> = tokens("MS10-026에서 설명한 Palo Alto Networks의 Yamata Li")
            .into_iter()
            .map(|t| t.key)
            .collect();
        // Folding decomposes Hangul syllables, on both sides of a comparison.
        let want = [
            "MS10-026",
            "에서",
            "설명한",
            "Palo",
            "Alto",
            "Networks",
            "의",
            "Yamata",
            "Li",
        ];
        assert_eq!(keys, want.map(fold));
    }

    /// A made-up language: the frame is learned from lines whose names the
    /// other locales state, then reads a line with names it has not seen.
    #[test]
    fn a_frame_learned_from_anchored_lines_reads_a_line_with_new_names() {
        let people = [
            ("Ann Lee", "Acme Labs"),
            ("Bo Kim", "Zeta Corp"),
            ("Cy Roe", "Nova Security"),
            ("Di Fox", "Orbit Group"),
        ];
        let anchors: Vec<Credit> = people.iter().map(|(r, o)| credit(r, o, "")).collect();
        let reasons = ["Word", "Excel", "Outlook", "Paint"];
        let lines: Vec<String> = people
            .iter()
            .zip(reasons)
            .map(|((r, o), why)| format!("{r} zil {o} wor blen {why} sorn"))
            .collect();
        let marks: Vec<Vec<Anchor>> = anchors.iter().map(|c| anchors_of(c).collect()).collect();
        let samples: Vec<Sample> = lines
            .iter()
            .zip(&marks)
            .map(|(text, m)| Sample {
                key: "xx",
                text,
                anchors: m.iter().collect(),
            })
            .collect();
        let frames = Frames::learn(&samples);
        assert_eq!(
            frames.sizes()["xx"],
            4,
            "zil, wor, blen, sorn; not the reasons"
        );
        let read = frames
            .read(
                "xx",
                "Eve Park zil Helix Works wor blen Win32k sorn",
                &[],
                &[],
            )
            .expect("a frame");
        assert_eq!(read, vec![credit("Eve Park", "Helix Works", "")]);
    }

    /// The made-up language's frame, from four lines with different names
    /// and, for `repeated`, one more line copied that many times (a credit on
    /// every row of a yearly table) whose organisation no other locale names.
    fn made_up_frames(repeated: usize) -> Frames {
        let people = [
            ("Ann Lee", "Acme Labs"),
            ("Bo Kim", "Zeta Corp"),
            ("Cy Roe", "Nova Security"),
            ("Di Fox", "Orbit Group"),
        ];
        let mut lines: Vec<(String, Credit)> = people
            .iter()
            .zip(["Word", "Excel", "Outlook", "Paint"])
            .map(|((r, o), why)| (format!("{r} zil {o} wor blen {why} sorn"), credit(r, o, "")))
            .collect();
        for _ in 0..repeated {
            lines.push((
                "Nils Sommer zil bytegeist wor blen Word sorn".to_string(),
                credit("Nils Sommer", "", ""),
            ));
        }
        learned("xx", &lines)
    }

    /// The frame of `key` learned from lines, each anchored by its credit.
    fn learned(key: &str, lines: &[(String, Credit)]) -> Frames {
        let marks: Vec<Vec<Anchor>> = lines.iter().map(|(_, c)| anchors_of(c).collect()).collect();
        let samples: Vec<Sample> = lines
            .iter()
            .zip(&marks)
            .map(|((text, _), m)| Sample {
                key,
                text,
                anchors: m.iter().collect(),
            })
            .collect();
        Frames::learn(&samples)
    }

    /// A line repeated word for word counts once: its unanchored handle
    /// recurs in it, not across names, and is no frame word.
    #[test]
    fn a_repeated_line_teaches_no_frame_words() {
        let frames = made_up_frames(6);
        assert_eq!(
            frames.sizes()["xx"],
            4,
            "zil, wor, blen, sorn; not bytegeist"
        );
        assert_eq!(frames.trim_edges("xx", "bytegeist"), None);
    }

    /// A party is trimmed of the frame words at its edges, in lower case
    /// only; one inside a name stays, and a party of frame words alone is none.
    #[test]
    fn frame_words_at_a_partys_edges_are_trimmed() {
        let frames = made_up_frames(0);
        let trim = |p: &str| frames.trim_edges("xx", p);
        assert_eq!(trim("zil Helix Works"), Some("Helix Works".to_string()));
        assert_eq!(trim("Helix Works wor,"), Some("Helix Works".to_string()));
        assert_eq!(trim("sorn"), Some(String::new()));
        assert_eq!(trim("Helix zil Works"), None);
        assert_eq!(trim("Zil Works"), None, "a capital opens a name");
        assert_eq!(trim("Qihoo 360"), None, "a number is no frame word");
        assert_eq!(
            frames.trim_edges("yy", "zil Helix"),
            None,
            "no frame for yy"
        );
    }

    /// Organisation first, reason first, in a caseless script: the frame
    /// learned from anchored lines reads a caseless organisation in the
    /// organisation's slot, and the list after the person shares it.
    #[test]
    fn an_organisation_first_frame_reads_the_slot_before_its_person() {
        let lines: Vec<(String, Vec<Credit>)> = [
            ("甲", "Acme Labs", "Ann Lee", "Al Ng"),
            ("乙", "Zeta Corp", "Bo Kim", "Bea Hu"),
            ("丙", "Nova Security", "Cy Roe", "Cal Wu"),
            ("丁", "Orbit Group", "Di Fox", "Dee Yu"),
        ]
        .into_iter()
        .flat_map(|(why, o, a, b)| {
            [
                (
                    format!("{why}の問題 を報告した {o} の {a} 氏"),
                    vec![credit(a, o, "")],
                ),
                (
                    format!("{why}の件 を報告した {o} の {a} 氏 、 {b} 氏"),
                    vec![credit(a, o, ""), credit(b, o, "")],
                ),
            ]
        })
        .collect();
        let marks: Vec<Vec<Anchor>> = lines
            .iter()
            .map(|(_, cs)| cs.iter().flat_map(anchors_of).collect())
            .collect();
        let samples: Vec<Sample> = lines
            .iter()
            .zip(&marks)
            .map(|((text, _), m)| Sample {
                key: "yy",
                text,
                anchors: m.iter().collect(),
            })
            .collect();
        let frames = Frames::learn(&samples);
        let read = frames
            .read(
                "yy",
                "戊の問題 を報告した 三井 の Eve Park 氏 、 Fay Ray 氏",
                &[],
                &[],
            )
            .expect("a frame");
        assert_eq!(
            read,
            vec![
                credit("Eve Park", "三井", ""),
                credit("Fay Ray", "三井", "")
            ]
        );
    }

    /// `感謝 [Corelan] 的 Peter 與 [HP][Zero Day Initiative] 合作`: a
    /// programme the others spell `HP's Zero Day Initiative` stands as two
    /// links, and an organisation the others credit alone, in the slot of
    /// the programme worked with, is that programme; across a caseless list
    /// word the first programme of two stands.
    #[test]
    fn a_programme_stands_by_its_possessive_and_in_the_partner_slot() {
        let lines: Vec<(String, Credit)> = [
            ("Ann Lee", "Acme Labs", "Zeta Corp"),
            ("Bo Kim", "Nova Security", "Orbit Group"),
            ("Cy Roe", "Helix Works", "Zeta Corp"),
            ("Di Fox", "Acme Labs", "Orbit Group"),
        ]
        .into_iter()
        .map(|(r, o, p)| (format!("感謝 {o} 的 {r} 與 {p} 合作回報"), credit(r, o, p)))
        .collect();
        let frames = learned("zz", &lines);
        assert_eq!(tokens("HP's")[0].key, "hp");
        let theirs = [
            credit("Eve Park", "Corelan", "HP's Zero Day Initiative"),
            credit("", "TippingPoint", ""),
        ];
        let anchors: Vec<Anchor> = theirs.iter().flat_map(anchors_of).collect();
        let anchors: Vec<&Anchor> = anchors.iter().collect();
        let read = |line: &str| frames.read("zz", line, &[], &anchors).expect("a frame");
        assert_eq!(
            read("感謝 Corelan 的 Eve Park 與 HP Zero Day Initiative 合作回報"),
            vec![credit("Eve Park", "Corelan", "HP Zero Day Initiative")]
        );
        assert_eq!(
            read("感謝 Corelan 的 Eve Park 與 TippingPoint 和 Zero Day Initiative 合作回報"),
            vec![credit("Eve Park", "Corelan", "TippingPoint")]
        );
    }
}
