//! In: every extracted `Document`. Out: `CreditStore`, the merged credits
//! (who found what, with which organisation, in which bulletin), saved
//! beside the index and searched by name with prefix and typo tolerance.
//!
//! The same credit appears in every locale's summary and bulletin: credits
//! are merged by (normalised name, bulletin), keeping every locale and
//! source they were seen in, every CVE, and every spelling as an alias.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Result, load_json, save_json};
use crate::extract::credits::{
    Credit, is_place, malformed, malformed_org, parse_line, salvage, without_foreign_aside,
};
use crate::extract::{AckLine, Document};
use crate::model::{BulletinId, DocKind, Lang};

mod frame;

/// The file beside the index that holds the credits.
pub const CREDITS_FILE: &str = "credits.json";

/// One credit, merged over every document and locale that states it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct MergedCredit {
    /// Person, handle or team ("" for organisation-only and anonymous credits).
    pub researcher: String,
    /// Affiliation, in its most common spelling.
    pub organisation: String,
    /// "Working with" programme.
    pub partner: String,
    /// Anonymous researcher.
    pub anonymous: bool,
    /// The bulletin credited.
    pub bulletin_id: Option<String>,
    /// The security advisory credited, when no bulletin is (`953818`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory: Option<String>,
    /// CVE ids named with the credit.
    pub cves: Vec<String>,
    /// Year of the bulletin.
    pub year: Option<u16>,
    /// Title of the bulletin (one language version).
    pub title: String,
    /// Locales the credit was seen in.
    pub locales: Vec<String>,
    /// Documents that state it.
    pub sources: Vec<String>,
    /// Other spellings of the researcher's name seen.
    pub aliases: Vec<String>,
}

/// Every merged credit.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CreditStore {
    /// The credits, sorted by researcher then bulletin.
    pub credits: Vec<MergedCredit>,
    /// What reading the lines found that no name can be.
    #[serde(default)]
    pub check: CreditCheck,
    /// What each thanks line was read as, in the end (not saved: for
    /// measuring the reading against hand-verified lines).
    #[serde(skip)]
    pub readings: Vec<Reading>,
}

/// The credits one thanks line gave.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The document.
    pub path: String,
    /// The line, markup removed.
    pub text: String,
    /// Its credits, after repair.
    pub credits: Vec<Credit>,
}

/// Parties the rules read that no name can be (see
/// [`crate::extract::credits::malformed`]), and what became of them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct CreditCheck {
    /// Credits parsed from the lines, before merging.
    pub parsed: usize,
    /// Credits with a malformed party.
    pub malformed: usize,
    /// Of those, repaired with the names the other locales state for the
    /// same bulletin, found verbatim inside the malformed party.
    pub repaired: usize,
    /// Malformed parties nothing anchored: not stored (the rest of their
    /// credit is kept when it reads).
    pub failures: usize,
    /// Failures per locale.
    pub failures_per_locale: BTreeMap<String, usize>,
    /// Failures per reason.
    #[serde(default)]
    pub failures_per_reason: BTreeMap<String, usize>,
    /// Some failures, as `locale: party (why)`.
    pub samples: Vec<String>,
    /// Credits found in documents whose rules found no thanks line, by the
    /// names the other locales credit for the same bulletins.
    #[serde(default)]
    pub found_by_agreement: usize,
    /// Lines read by their locale's learned frame rather than by the rules,
    /// because the frame's reading agrees better with the other locales.
    #[serde(default)]
    pub read_by_frame: usize,
    /// Parties that opened or ended with their locale's frame words, trimmed.
    #[serde(default)]
    pub frame_trimmed: usize,
    /// Thanks headings learned, per locale, where no table knows them.
    #[serde(default)]
    pub thanks_headings: usize,
    /// The learned frame of each locale and line language: how many words.
    #[serde(default)]
    pub frame_words: BTreeMap<String, usize>,
}

/// A name folded for comparison: lower case, no diacritics, letters and
/// digits only, single spaces.
pub fn fold(s: &str) -> String {
    let stripped: String = s
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An organisation's key: folded, without the words that vary between
/// spellings (`VeriSign iDefense Labs` → `idefense`).
pub fn org_key(s: &str) -> String {
    const NOISE: &[&str] = &[
        "inc",
        "ltd",
        "llc",
        "co",
        "corp",
        "corporation",
        "labs",
        "lab",
        "the",
        "verisign",
        "s",
        "us",
        "link",
        "team",
        "gmbh",
    ];
    fold(s)
        .split(' ')
        .filter(|w| !NOISE.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Default)]
/// The statements of one credit being merged.
struct Group {
    names: BTreeMap<String, usize>,
    orgs: BTreeMap<String, usize>,
    partners: BTreeMap<String, usize>,
    anonymous: bool,
    cves: BTreeSet<String>,
    locales: BTreeSet<String>,
    sources: BTreeSet<String>,
    /// Spellings in another script, searchable but never shown as the name.
    aliases: BTreeSet<String>,
}

impl Group {
    fn absorb(&mut self, other: Group) {
        for (mine, theirs) in [
            (&mut self.names, other.names),
            (&mut self.orgs, other.orgs),
            (&mut self.partners, other.partners),
        ] {
            for (k, n) in theirs {
                *mine.entry(k).or_default() += n;
            }
        }
        self.anonymous |= other.anonymous;
        self.cves.extend(other.cves);
        self.locales.extend(other.locales);
        self.sources.extend(other.sources);
        self.aliases.extend(other.aliases);
    }
}

/// What a credit is for: a bulletin, else the security advisory whose page
/// states it (credits of different advisories are different credits).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Credited {
    Bulletin(BulletinId),
    /// An advisory's number (`953818`, `MSVR12-007`).
    Advisory(String),
    Unknown,
}

impl Credited {
    fn bulletin(&self) -> Option<BulletinId> {
        match self {
            Credited::Bulletin(b) => Some(*b),
            _ => None,
        }
    }
}

type Groups = BTreeMap<(String, Credited), Group>;

/// Two spellings of one name in one bulletin: the same words in another
/// order (`Minaev Andrey`), or, for longer names, one or two letters apart
/// (`Carsten Eiram` / `Carsten H. Eiram`, `Will Dorman` / `Will Dormann`).
fn same_person(a: &str, b: &str) -> bool {
    let mut wa: Vec<&str> = a.split(' ').collect();
    let mut wb: Vec<&str> = b.split(' ').collect();
    wa.sort_unstable();
    wb.sort_unstable();
    if wa == wb {
        return true;
    }
    let (short, long) = letters_short_long(a, b);
    // A word glued to the end ("Norman Chiongfor") is a slip of the translator.
    let glued = long.starts_with(&short) && long.len() - short.len() <= 3;
    short.len() >= 8 && (glued || edit_distance(&short, &long) <= 2)
}

/// The most frequent of the counted spellings (the first in order at a tie).
fn most_common(counts: &BTreeMap<String, usize>) -> String {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(k, _)| k.clone())
        .unwrap_or_default()
}

/// The letters of two names without spaces, the shorter first.
fn letters_short_long(a: &str, b: &str) -> (Vec<char>, Vec<char>) {
    let (ca, cb): (Vec<char>, Vec<char>) = (
        a.chars().filter(|c| *c != ' ').collect(),
        b.chars().filter(|c| *c != ' ').collect(),
    );
    if ca.len() <= cb.len() {
        (ca, cb)
    } else {
        (cb, ca)
    }
}

/// Two groups credited with the same organisation (by key).
fn shares_org(a: &Group, b: &Group) -> bool {
    a.orgs.keys().any(|x| {
        let x = org_key(x);
        !x.is_empty() && b.orgs.keys().any(|y| org_key(y) == x)
    })
}

/// Spellings close enough to be one name when the organisation is the same
/// too: a name cut short (`jie m`, `h d moor`), a first name left out
/// (`nunez di croce`), or one letter apart.
fn close_names(a: &str, b: &str) -> bool {
    let (short, long) = letters_short_long(a, b);
    if short.len() < 3 {
        return false;
    }
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let (fewer, more) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    long.starts_with(&short)
        || (fewer.len() >= 2 && more.ends_with(fewer))
        || (short.len() >= 4 && edit_distance(&short, &long) <= 1)
}

/// A name written wholly in another script in some locales (`鵜飼裕司`,
/// `Тэвису Орманди`, `타비스 오르만디`) and in Latin letters in the others:
/// never stated together, and credited for the same CVE of the bulletin
/// where both name one (a transliteration is no spelling to compare).
fn same_credit_in_another_script(foreign: &str, gf: &Group, latin: &str, gl: &Group) -> bool {
    in_another_script(foreign)
        && latin.chars().all(|c| c == ' ' || c.is_ascii_alphanumeric())
        && gf.locales.is_disjoint(&gl.locales)
        && (gf.cves.is_empty() || gl.cves.is_empty() || !gf.cves.is_disjoint(&gl.cves))
}

/// A name in one script that is not Latin (Han, kana, Cyrillic, Hangul …).
fn in_another_script(s: &str) -> bool {
    matches!(crate::script::scripts(s)[..], [one] if one != crate::script::Script::Latin)
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// Cleans up the groups, in order: a "programme" the corpus mostly names as
/// a researcher is credited as one; a "researcher" that the corpus mostly
/// names as an organisation or programme (`TippingPoint`, `NSFOCUS`) is an
/// organisation-only credit; per bulletin, a party stated as a person in some
/// locales and as an organisation in others is what most locales say, a Han
/// name joins the Latin name credited for the same CVE elsewhere, and
/// spellings of one name merge into the most widely seen one.
fn merge_variants(
    mut groups: Groups,
    as_person: &HashMap<String, usize>,
    as_org: &HashMap<String, usize>,
) -> Groups {
    let mut out: Groups = BTreeMap::new();
    // A "programme" the corpus mostly names as a researcher is one worked
    // with ("Pedram Amini in Zusammenarbeit mit H. D. Moore"): a credit too.
    let mut worked_with: Vec<((String, Credited), Group)> = Vec::new();
    for ((_, bulletin), g) in groups.iter_mut() {
        let people: Vec<String> = g
            .partners
            .keys()
            .filter(|p| {
                let key = org_key(p);
                as_person.get(&key).copied().unwrap_or(0) > as_org.get(&key).copied().unwrap_or(0)
            })
            .cloned()
            .collect();
        for p in people {
            let n = g.partners.remove(&p).unwrap_or(1);
            let person = Group {
                names: BTreeMap::from([(p.clone(), n)]),
                cves: g.cves.clone(),
                locales: g.locales.clone(),
                sources: g.sources.clone(),
                ..Group::default()
            };
            worked_with.push(((fold(&p), bulletin.clone()), person));
        }
    }
    for (key, g) in worked_with {
        groups.entry(key).or_default().absorb(g);
    }
    for ((who, bulletin), mut g) in groups {
        let key = org_key(&who);
        let is_person = !who.starts_with("org ") && !who.starts_with("anonymous ");
        let who = if is_person
            && g.orgs.is_empty()
            && as_org.get(&key).copied().unwrap_or(0) > as_person.get(&key).copied().unwrap_or(0)
        {
            g.orgs = std::mem::take(&mut g.names);
            format!("org {key}")
        } else {
            who
        };
        match out.entry((who, bulletin)) {
            std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().absorb(g),
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(g);
            }
        }
    }
    // Per bulletin, a party some locales state as a person and others as an
    // organisation ("GWSlabs") is what most of its locales say.
    let persons: Vec<(String, Credited)> = out
        .keys()
        .filter(|(who, b)| {
            b.bulletin().is_some() && !who.starts_with("org ") && !who.starts_with("anonymous ")
        })
        .cloned()
        .collect();
    for (who, b) in persons {
        let org = (format!("org {}", org_key(&who)), b.clone());
        let (Some(as_org), Some(as_person)) = (out.get(&org), out.get(&(who.clone(), b.clone())))
        else {
            continue;
        };
        if as_org.locales.len() > as_person.locales.len() {
            if let Some(mut g) = out.remove(&(who, b.clone())) {
                g.orgs.extend(std::mem::take(&mut g.names));
                if let Some(target) = out.get_mut(&org) {
                    target.absorb(g);
                }
            }
        } else if let Some(mut g) = out.remove(&org) {
            g.names.extend(std::mem::take(&mut g.orgs));
            if let Some(target) = out.get_mut(&(who, b.clone())) {
                target.absorb(g);
            }
        }
    }
    // Per bulletin, fold each name into a more widely seen spelling of it.
    let keys: Vec<(String, Credited)> = out.keys().cloned().collect();
    let mut by_bulletin: BTreeMap<Credited, Vec<String>> = BTreeMap::new();
    for (who, b) in &keys {
        if !who.starts_with("org ") && !who.starts_with("anonymous ") {
            by_bulletin.entry(b.clone()).or_default().push(who.clone());
        }
    }
    for (b, mut names) in by_bulletin {
        if b.bulletin().is_none() || names.len() < 2 {
            continue;
        }
        // A name in another script joins the one Latin name it can be, as
        // an alias: the locale's spelling is searchable, never the name shown.
        for foreign in names.iter().filter(|n| in_another_script(n)) {
            let Some(g) = out.get(&(foreign.clone(), b.clone())) else {
                continue;
            };
            let mut candidates = names.iter().filter(|n| {
                out.get(&((*n).clone(), b.clone()))
                    .is_some_and(|other| same_credit_in_another_script(foreign, g, n, other))
            });
            if let (Some(latin), None) = (candidates.next(), candidates.next())
                && let Some(mut g) = out.remove(&(foreign.clone(), b.clone()))
                && let Some(target) = out.get_mut(&(latin.clone(), b.clone()))
            {
                g.aliases.extend(std::mem::take(&mut g.names).into_keys());
                target.absorb(g);
            }
        }
        let seen = |n: &String, out: &Groups| {
            out.get(&(n.clone(), b.clone()))
                .map_or(0, |g| g.locales.len())
        };
        names.sort_by_key(|n| std::cmp::Reverse(seen(n, &out)));
        for i in 0..names.len() {
            for j in 0..i {
                let (Some(gi), Some(gj)) = (
                    out.get(&(names[i].clone(), b.clone())),
                    out.get(&(names[j].clone(), b.clone())),
                ) else {
                    continue;
                };
                if same_person(&names[i], &names[j])
                    || (shares_org(gi, gj) && close_names(&names[i], &names[j]))
                {
                    if let Some(g) = out.remove(&(names[i].clone(), b.clone()))
                        && let Some(target) = out.get_mut(&(names[j].clone(), b.clone()))
                    {
                        target.absorb(g);
                    }
                    break;
                }
            }
        }
    }
    out
}

/// Words the documents' titles and summaries use at least three times,
/// folded: the documentation's ordinary vocabulary, in every language indexed.
fn common_words(docs: &[Document]) -> HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut add = |text: &str| {
        for w in fold(text).split(' ').filter(|w| w.chars().count() > 1) {
            *counts.entry(w.to_string()).or_default() += 1;
        }
    };
    for d in docs {
        add(&d.title);
        add(&d.summary);
        for e in &d.entries {
            add(&e.title);
            add(&e.summary);
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n >= 3)
        .map(|(w, _)| w)
        .collect()
}

/// The organisations one organisation or partner field names, split at
/// "and" in every language the credit words know.
fn organisations_in(field: &str) -> Vec<&str> {
    // Every language's "and": padded with spaces where it is a word.
    static SEPARATORS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        crate::vocab::rows(crate::vocab::CREDIT_WORDS, |r| r.0)
            .flat_map(|(_, words)| words.and.iter())
            .map(|and| {
                if and.chars().all(char::is_alphabetic) && and.is_ascii() {
                    format!(" {and} ")
                } else {
                    (*and).to_string()
                }
            })
            .collect()
    });
    let mut parts = vec![field];
    for sep in SEPARATORS.iter() {
        parts = parts
            .into_iter()
            .flat_map(|p| p.split(sep.as_str()))
            .collect();
    }
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// One thanks line on its way to credits.
struct Line<'a> {
    doc: &'a Document,
    line: Cow<'a, AckLine>,
    credited: Vec<Credited>,
    /// The language the line is written in.
    lang: Lang,
    credits: Vec<Credit>,
}

impl Line<'_> {
    /// The frame a line is learned into and read by: its locale and language
    /// (English lines in a Japanese page have a frame of their own).
    fn frame_key(&self) -> String {
        format!(
            "{}/{}",
            self.doc.locale.as_deref().unwrap_or_default(),
            self.lang.code()
        )
    }
}

/// A line's language: its script decides where the page's does not
/// (English lines sit in Japanese pages, and the other way round).
fn line_lang(text: &str, page: Lang) -> Lang {
    use crate::script::{Script, scripts};
    let found = scripts(text);
    if found.contains(&Script::Kana) {
        Lang::Ja
    } else if found.contains(&Script::Han) {
        Lang::Zh
    } else if page.is_cjk() && !found.contains(&Script::Hangul) {
        Lang::En
    } else {
        page
    }
}

/// How well a reading of a line agrees with what the other locales credit
/// for its bulletins: each party they name too counts for it, a party no
/// name can be counts three times against it; a party only this locale
/// names counts neither way. Without `orgs_count`, only people count for it
/// (a line read by names alone states its organisations in its own words).
fn agreement(credits: &[Credit], theirs: &[&frame::Anchor], orgs_count: bool) -> i64 {
    // How often the other locales state each name as a person, and as an
    // organisation or programme: a name counts in the role most give it.
    let mut roles: HashMap<&str, (i64, i64)> = HashMap::new();
    for a in theirs {
        let r = roles.entry(a.folded.as_str()).or_default();
        if a.role == frame::Role::Person {
            r.0 += 1;
        } else {
            r.1 += 1;
        }
    }
    let mut score = 0;
    for c in credits {
        for (party, person, weight) in [
            (&c.researcher, true, 2),
            (&c.organisation, false, i64::from(orgs_count)),
            (&c.partner, false, i64::from(orgs_count)),
        ] {
            if party.is_empty() {
                continue;
            }
            let (as_person, as_org) = roles.get(fold(party).as_str()).copied().unwrap_or_default();
            let agreed = if person {
                as_person > as_org
            } else {
                as_org > 0 && as_org >= as_person
            };
            score += if agreed {
                weight
            } else if malformed(party).is_some() {
                -3
            } else {
                0
            };
        }
        if c.anonymous && theirs.iter().any(|a| a.credit.anonymous) {
            score += 2;
        }
    }
    score
}

/// How many parties of `credits` no other locale names.
fn unknown_parties(credits: &[Credit], theirs: &[&frame::Anchor]) -> usize {
    credits
        .iter()
        .flat_map(|c| [&c.researcher, &c.organisation, &c.partner])
        .filter(|p| {
            !p.is_empty() && {
                let p = fold(p);
                !theirs.iter().any(|a| a.folded == p)
            }
        })
        .count()
}

/// Builds the merged credits of `docs`.
pub fn collect(docs: &[Document]) -> CreditStore {
    let mut titles: HashMap<BulletinId, (usize, String)> = HashMap::new();
    const TITLE_PREFERENCE: &[Lang] = &[
        Lang::En,
        Lang::De,
        Lang::Nl,
        Lang::Da,
        Lang::Nb,
        Lang::Zh,
        Lang::Ja,
    ];
    let rank = |l: Option<Lang>| {
        l.and_then(|l| TITLE_PREFERENCE.iter().position(|p| *p == l))
            .unwrap_or(99)
    };
    let mut offer = |id: BulletinId, lang: Option<Lang>, title: &str| {
        let r = rank(lang);
        let slot = titles.entry(id).or_insert((usize::MAX, String::new()));
        if r < slot.0 && !title.is_empty() {
            *slot = (r, title.to_string());
        }
    };
    // Advisories by number: their year and title in the preferred language.
    let mut advisories: HashMap<String, (usize, Option<u16>, String)> = HashMap::new();
    for d in docs.iter().filter(|d| d.kind == DocKind::Advisory) {
        if let Some(n) = d.doc_id.clone() {
            let r = rank(d.lang);
            let slot = advisories
                .entry(n)
                .or_insert((usize::MAX, None, String::new()));
            if r < slot.0 && !d.title.is_empty() {
                *slot = (r, d.published.map(|p| p.year), d.title.clone());
            }
        }
    }
    for d in docs {
        if let Some(id) = d.bulletin_id {
            offer(id, d.lang, &d.title);
        }
        for e in &d.entries {
            if let Some(id) = e.bulletin_id {
                offer(id, d.lang, &e.title);
            }
        }
    }

    let mut groups: Groups = BTreeMap::new();
    // How often a folded name is stated as a person, and as an organisation or programme.
    let mut as_person: HashMap<String, usize> = HashMap::new();
    let mut as_org: HashMap<String, usize> = HashMap::new();
    let common = common_words(docs);
    let mut check = CreditCheck::default();
    // Every line parsed once by the rules, with what it credits.
    let mut parsed: Vec<Line> = Vec::new();
    for d in docs {
        if !matches!(
            d.kind,
            DocKind::Bulletin | DocKind::Summary | DocKind::Advisory | DocKind::Acknowledgments
        ) {
            continue;
        }
        let lang = d.lang.unwrap_or(Lang::En);
        let advisory = d
            .doc_id
            .clone()
            .filter(|_| d.kind == DocKind::Advisory)
            .map_or(Credited::Unknown, Credited::Advisory);
        for line in &d.acks {
            let line_lang = line_lang(&line.text, lang);
            let credited = credited_by(line, || vec![advisory.clone()]);
            parsed.push(Line {
                doc: d,
                credits: parse_line(&line.text, &line.links, line_lang),
                line: Cow::Borrowed(line),
                credited,
                lang: line_lang,
            });
        }
    }
    // What each bulletin's cleanly read credits name, in every locale: the
    // anchors a malformed party is read against.
    let mut anchors: BTreeMap<Credited, Vec<(&str, Credit)>> = BTreeMap::new();
    for l in &parsed {
        let locale = l.doc.locale.as_deref().unwrap_or_default();
        for c in l.credits.iter().filter(|c| is_clean(c)) {
            for b in &l.credited {
                anchors
                    .entry(b.clone())
                    .or_default()
                    .push((locale, c.clone()));
            }
        }
    }
    // A document whose rules found no thanks line (a language without
    // rules, a heading no table knows) is read by what the other locales
    // credit for its bulletins: a line of it naming such a person, verbatim,
    // is a thanks line, and credits that person here too.
    let with_acks: BTreeSet<&str> = parsed.iter().map(|l| l.doc.path.as_str()).collect();
    let without: Vec<&Document> = docs
        .iter()
        .filter(|d| {
            matches!(d.kind, DocKind::Bulletin | DocKind::Summary)
                && !with_acks.contains(d.path.as_str())
        })
        .collect();
    let sought: Vec<Sought> = without
        .iter()
        .map(|d| {
            let own: Vec<BulletinId> = d
                .bulletin_id
                .into_iter()
                .chain(d.entries.iter().filter_map(|e| e.bulletin_id))
                .collect();
            Sought::new(d, &own, &anchors, &common)
        })
        .collect();
    // Where the locale's thanks heading is learned, its sections are the
    // thanks lines, links and unnamed lines too (`Einer Person, die anonym
    // bleiben möchte …`); elsewhere the page's lines naming the credits.
    let headings = thanks_headings(&without, &sought);
    check.thanks_headings = headings.len();
    let mut found_lines = Vec::new();
    for (d, sought) in without.iter().copied().zip(&sought) {
        let locale = d.locale.clone().unwrap_or_default();
        let lang = d.lang.unwrap_or(Lang::En);
        let listed: Vec<&AckLine> = d
            .listings
            .iter()
            .filter(|s| headings.contains(&(locale.clone(), heading_key(&s.heading))))
            .flat_map(|s| &s.lines)
            .collect();
        if listed.is_empty() {
            for (line, credited, credits) in lines_naming_anchors(d, sought) {
                found_lines.push(Line {
                    doc: d,
                    lang: line_lang(&line.text, lang),
                    line: Cow::Owned(line),
                    credited,
                    credits,
                });
            }
            continue;
        }
        // Anonymous credits the other locales state, per bulletin, each
        // given to one line of the page that names nobody: as many as the
        // locale stating most of them has (two unnamed finders of MS08-019).
        let mut unnamed: Vec<(BulletinId, &Credit)> = Vec::new();
        let bulletins: BTreeSet<BulletinId> = listed
            .iter()
            .flat_map(|l| l.bulletin_ids.iter().copied())
            .collect();
        for b in bulletins {
            let mut per: BTreeMap<(&str, String), (usize, &Credit)> = BTreeMap::new();
            for (l, c) in anchors.get(&Credited::Bulletin(b)).into_iter().flatten() {
                if c.anonymous && *l != locale {
                    per.entry((*l, fold(&c.partner))).or_insert((0, c)).0 += 1;
                }
            }
            let mut most: BTreeMap<String, (usize, &Credit)> = BTreeMap::new();
            for ((_, partner), (n, c)) in per {
                let slot = most.entry(partner).or_insert((0, c));
                if n > slot.0 {
                    *slot = (n, c);
                }
            }
            for (n, c) in most.into_values() {
                unnamed.extend(std::iter::repeat_n((b, c), n));
            }
        }
        for line in listed {
            let named: BTreeSet<BulletinId> = line.bulletin_ids.iter().copied().collect();
            let (found, mut credits) = sought.in_line(&line.text, &named);
            if credits.is_empty() {
                // A line naming nobody the others credit is the anonymous
                // credit they state for its bulletin (`En anonym person …`),
                // else no thanks line this reading can vouch for.
                let folded = fold(&line.text);
                let said = |c: &Credit| {
                    fold(&c.partner)
                        .split_whitespace()
                        .filter(|w| folded.contains(w))
                        .count()
                };
                let Some(at) = (0..unnamed.len())
                    .filter(|&i| named.contains(&unnamed[i].0))
                    .max_by_key(|&i| (said(unnamed[i].1), std::cmp::Reverse(i)))
                else {
                    continue;
                };
                let mut c = unnamed.remove(at).1.clone();
                // The programme as this line spells it: its link sharing
                // most of the others' words (`Zero Day Initiative van
                // TippingPoint`, not `TippingPoint's Zero Day Initiative`).
                let words: Vec<String> = fold(&c.partner)
                    .split_whitespace()
                    .filter(|w| w.chars().count() >= 4)
                    .map(String::from)
                    .collect();
                let shared = |link: &String| {
                    let link = fold(link);
                    words.iter().filter(|w| link.contains(w.as_str())).count()
                };
                if let Some(link) = line
                    .links
                    .iter()
                    .filter(|l| shared(l) > 0)
                    .max_by_key(|l| shared(l))
                {
                    c.partner = link.clone();
                }
                credits.push(c);
            }
            let credited = credited_by(line, || found);
            found_lines.push(Line {
                doc: d,
                lang: line_lang(&line.text, lang),
                line: Cow::Borrowed(line),
                credited,
                credits,
            });
        }
    }
    let found_from = parsed.len();
    parsed.extend(found_lines);
    // Each locale's frame, learned from its lines against the names the
    // other locales credit for the same bulletins; every line is read by it
    // too, and the reading that agrees better with the other locales wins.
    let keys: Vec<String> = parsed.iter().map(Line::frame_key).collect();
    // The names to find, tokenised once per credit.
    let marks: BTreeMap<&Credited, Vec<(&str, frame::Anchor)>> = anchors
        .iter()
        .map(|(b, v)| {
            let named = v
                .iter()
                .flat_map(|(locale, c)| frame::anchors_of(c).map(move |a| (*locale, a)))
                .collect();
            (b, named)
        })
        .collect();
    let foreign = |l: &Line| -> Vec<&frame::Anchor> {
        let locale = l.doc.locale.as_deref().unwrap_or_default();
        // Lines of unknown bulletins share no key across locales.
        l.credited
            .iter()
            .filter(|b| **b != Credited::Unknown)
            .flat_map(|b| marks.get(b).into_iter().flatten())
            .filter(|(other, _)| *other != locale)
            .map(|(_, a)| a)
            .collect()
    };
    let foreign_by_line: Vec<Vec<&frame::Anchor>> = parsed.iter().map(foreign).collect();
    let samples: Vec<frame::Sample> = parsed
        .iter()
        .zip(&keys)
        .zip(&foreign_by_line)
        .map(|((l, key), theirs)| frame::Sample {
            key,
            text: &l.line.text,
            anchors: theirs.clone(),
        })
        .collect();
    let frames = frame::Frames::learn(&samples);
    drop(samples);
    check.frame_words = frames.sizes();
    for (i, l) in parsed.iter_mut().enumerate() {
        let marks = &foreign_by_line[i];
        if let Some(read) = frames.read(&keys[i], &l.line.text, &l.line.links, marks) {
            let theirs = marks;
            // A line found by the names in it has only their copies to beat.
            let by_rules = i < found_from;
            let (by_frame, by_rules_score) = (
                agreement(&read, theirs, by_rules),
                agreement(&l.credits, theirs, by_rules),
            );
            let has_rules = !crate::vocab::credit_words(l.lang).reason.is_empty() && by_rules;
            // Nor may the frame's reading bring in more names no other locale
            // states than the rules' reading has: that is reason text misread.
            let unknown = |cs: &[Credit]| unknown_parties(cs, theirs);
            // The rules keep a line they read cleanly unless the frame finds
            // more of the people the other locales credit and no more names
            // that no other locale states (reason text misread); a line they
            // misread, or a language they have no words for, goes to the
            // reading that agrees better.
            let people = |cs: &[Credit]| agreement(cs, theirs, false);
            let misread = l.credits.iter().any(|c| !is_clean(c));
            let better = if has_rules && !misread {
                people(&read) > people(&l.credits) && unknown(&read) <= unknown(&l.credits)
            } else {
                // A tie goes to the frame, unless the line is the anonymous
                // credit the others state (the frame would call `person` a name).
                let anonymous = !l.credits.is_empty()
                    && l.credits
                        .iter()
                        .all(|c| c.anonymous && c.researcher.is_empty());
                by_frame > by_rules_score
                    || (by_frame == by_rules_score && !has_rules && !read.is_empty() && !anonymous)
            };
            if better {
                check.read_by_frame += 1;
                l.credits = read;
            }
        }
        // A party that opens or ends with the locale's own frame words
        // is read too wide (`die`, `… University og`); the other locales'
        // names are kept as they stand. An aside in another script is no
        // part of a name.
        for c in &mut l.credits {
            for p in [&mut c.researcher, &mut c.organisation, &mut c.partner] {
                if let Some(kept) = without_foreign_aside(p) {
                    *p = kept;
                }
                if marks.iter().any(|a| a.folded == fold(p)) {
                    continue;
                }
                if let Some(trimmed) = frames.trim_edges(&keys[i], p) {
                    check.frame_trimmed += 1;
                    *p = trimmed;
                }
            }
            // Where they are from is no affiliation, however the line was read.
            if is_place(&c.organisation) {
                c.organisation.clear();
            }
        }
        l.credits
            .retain(|c| !c.researcher.is_empty() || !c.organisation.is_empty() || c.anonymous);
    }
    let here_anchors: BTreeMap<&Credited, Vec<&Credit>> = anchors
        .iter()
        .map(|(b, v)| (b, v.iter().map(|(_, c)| c).collect()))
        .collect();
    let mut repaired_lines = Vec::new();
    for (i, l) in parsed.into_iter().enumerate() {
        let here: Vec<&Credit> = l
            .credited
            .iter()
            .flat_map(|b| here_anchors.get(b).into_iter().flatten().copied())
            .collect();
        let locale = l.doc.locale.clone().unwrap_or_default();
        let mut out = Vec::new();
        if i >= found_from {
            check.found_by_agreement += l.credits.len();
        }
        for c in &l.credits {
            check.parsed += 1;
            repair(c, &here, &locale, &mut check, &mut out);
        }
        repaired_lines.push((l.doc, l.line, l.credited, out));
    }
    let mut readings = Vec::new();
    for (d, line, credited, credits) in repaired_lines {
        let bulletins = credited;
        let mut kept = Vec::new();
        {
            for mut credit in credits {
                // A one-word "name" that the bulletins' own titles and summaries
                // use as an ordinary word ("Kunden", "technische") is prose.
                if !credit.researcher.contains(' ') && common.contains(&fold(&credit.researcher)) {
                    credit.researcher.clear();
                    if credit.organisation.is_empty() && !credit.anonymous {
                        continue;
                    }
                }
                if !credit.researcher.is_empty() {
                    *as_person.entry(org_key(&credit.researcher)).or_default() += 1;
                }
                // "TippingPoint en Zero Day Initiative" names two organisations.
                for o in [&credit.organisation, &credit.partner] {
                    for part in organisations_in(o) {
                        *as_org.entry(org_key(part)).or_default() += 1;
                    }
                }
                kept.push(credit.clone());
                let who = if credit.anonymous {
                    format!("anonymous {}", org_key(&credit.partner))
                } else if credit.researcher.is_empty() {
                    format!("org {}", org_key(&credit.organisation))
                } else {
                    fold(&credit.researcher)
                };
                for b in bulletins.iter().cloned() {
                    let g = groups.entry((who.clone(), b)).or_insert_with(|| Group {
                        anonymous: credit.anonymous,
                        ..Group::default()
                    });
                    if !credit.researcher.is_empty() {
                        *g.names.entry(credit.researcher.clone()).or_default() += 1;
                    }
                    if !credit.organisation.is_empty() {
                        *g.orgs.entry(credit.organisation.clone()).or_default() += 1;
                    }
                    if !credit.partner.is_empty() {
                        *g.partners.entry(credit.partner.clone()).or_default() += 1;
                    }
                    g.cves.extend(line.cves.iter().map(ToString::to_string));
                    if let Some(l) = &d.locale {
                        g.locales.insert(l.clone());
                    }
                    g.sources.insert(d.path.clone());
                }
            }
        }
        readings.push(Reading {
            path: d.path.clone(),
            text: line.text.clone(),
            credits: kept,
        });
    }
    let groups = merge_variants(groups, &as_person, &as_org);
    let mut credits: Vec<MergedCredit> = groups
        .into_iter()
        .map(|((_, credited), g)| {
            let researcher = most_common(&g.names);
            let bulletin = credited.bulletin();
            let advisory = match &credited {
                Credited::Advisory(n) => advisories.get(n).map(|a| (n, a)),
                _ => None,
            };
            MergedCredit {
                aliases: g
                    .names
                    .keys()
                    .filter(|n| **n != researcher)
                    .chain(&g.aliases)
                    .cloned()
                    .collect(),
                researcher,
                organisation: most_common(&g.orgs),
                partner: most_common(&g.partners),
                anonymous: g.anonymous,
                bulletin_id: bulletin.map(|b| b.to_string()),
                advisory: advisory.map(|(n, _)| n.clone()),
                cves: g.cves.into_iter().collect(),
                year: bulletin
                    .map(|b| b.year())
                    .or(advisory.and_then(|(_, a)| a.1)),
                title: bulletin
                    .and_then(|b| titles.get(&b))
                    .map(|(_, t)| t.clone())
                    .or(advisory.map(|(_, a)| a.2.clone()))
                    .unwrap_or_default(),
                locales: g.locales.into_iter().collect(),
                sources: g.sources.into_iter().collect(),
            }
        })
        .collect();
    credits.sort_by(|a, b| {
        (fold(&a.researcher), &a.bulletin_id).cmp(&(fold(&b.researcher), &b.bulletin_id))
    });
    CreditStore {
        credits,
        check,
        readings,
    }
}

/// The names a page's lines may state: what the other locales credit for
/// the page's own bulletins.
struct Sought<'a> {
    kind: DocKind,
    /// Bulletin, credit, folded name, whether the name is an organisation's.
    names: Vec<(BulletinId, &'a Credit, String, bool)>,
}

impl<'a> Sought<'a> {
    fn new(
        d: &Document,
        own: &[BulletinId],
        anchors: &'a BTreeMap<Credited, Vec<(&str, Credit)>>,
        common: &HashSet<String>,
    ) -> Sought<'a> {
        // A full name, or a handle distinctive enough to find in a line: five
        // letters or more and no word the corpus's titles and summaries use.
        let distinctive = |name: &str| {
            name.split_whitespace().count() >= 2
                || (name.chars().count() >= 5 && !common.contains(&fold(name)))
        };
        // Who to look for: people by their name; organisation-only credits by
        // the organisation, which counts only where the line names its bulletin
        // too (a summary's thanks list): elsewhere an organisation is also
        // product text ("Google Chrome").
        let mut names: Vec<(BulletinId, &Credit, String, bool)> = own
            .iter()
            .flat_map(|&b| {
                anchors
                    .get(&Credited::Bulletin(b))
                    .into_iter()
                    .flatten()
                    .map(move |(_, a)| (b, a))
            })
            .filter_map(|(b, a)| {
                if !a.researcher.is_empty() {
                    distinctive(&a.researcher).then(|| (b, a, fold(&a.researcher), false))
                } else if !a.anonymous && !a.organisation.is_empty() {
                    Some((b, a, fold(&a.organisation), true))
                } else if a.anonymous && !a.partner.is_empty() {
                    Some((b, a, fold(&a.partner), true))
                } else {
                    None
                }
            })
            .collect();
        // People first, in order; organisations after them.
        names.sort_by_key(|s| s.3);
        Sought {
            kind: d.kind,
            names,
        }
    }

    /// The credits `text` states verbatim, and the bulletins they are
    /// credited for; `named` are the bulletins the line names (or its group).
    fn in_line(&self, text: &str, named: &BTreeSet<BulletinId>) -> (Vec<Credited>, Vec<Credit>) {
        let folded = format!(" {} ", fold(text));
        let has_cve = !crate::extract::ids::cves(text).is_empty();
        let mut credits: Vec<Credit> = Vec::new();
        let mut credited: Vec<Credited> = Vec::new();
        for (b, a, name, org_only) in &self.names {
            // A bulletin's own thanks lines name their CVE.
            let credits_b = (self.kind == DocKind::Bulletin
                && (!org_only || (has_cve && a.anonymous)))
                || named.contains(b);
            let already = credits.iter().any(|c| {
                fold(&c.researcher) == *name
                    || (*org_only
                        && c.researcher.is_empty()
                        && (fold(&c.organisation) == *name || fold(&c.partner) == *name))
            });
            if credits_b && !already && folded.contains(&format!(" {name} ")) {
                credits.push(Credit {
                    researcher: a.researcher.clone(),
                    organisation: a.organisation.clone(),
                    partner: a.partner.clone(),
                    anonymous: a.anonymous,
                });
                if !credited.contains(&Credited::Bulletin(*b)) {
                    credited.push(Credited::Bulletin(*b));
                }
            }
        }
        // An organisation or programme the others credit alone (or with an
        // anonymous finder), in a line crediting a person with it, is that
        // person's (`Damian Put i samarbeid med VeriSign iDefense VCP`,
        // `Jose Antonio Vazquez Gonzalez i samarbeid med TippingPoints Zero
        // Day Initiative`).
        let theirs: Vec<String> = credits
            .iter()
            .filter(|c| !c.researcher.is_empty())
            .flat_map(|c| [c.organisation.clone(), c.partner.clone()])
            .filter(|o| !o.is_empty())
            .collect();
        let people: Vec<String> = credits
            .iter()
            .map(|c| fold(&c.researcher))
            .filter(|r| !r.is_empty())
            .collect();
        let times = |name: &str| folded.matches(&format!(" {name} ")).count();
        credits.retain(|c| {
            let party = if c.anonymous {
                &c.partner
            } else {
                &c.organisation
            };
            // `TippingPoints`, `TippingPoint's` and `TippingPoint` are one
            // name: words compare without a final s.
            let words = |s: &str| -> BTreeSet<String> {
                fold(s)
                    .split(' ')
                    .map(|w| w.trim_end_matches('s').to_string())
                    .filter(|w| !w.is_empty())
                    .collect()
            };
            let theirs_too = c.researcher.is_empty()
                && !party.is_empty()
                && theirs.iter().any(|o| words(party).is_subset(&words(o)));
            // A name that stands only inside a longer one found here is part
            // of it (another locale split `Jose Antonio` from `Vazquez
            // Gonzalez`).
            let r = fold(&c.researcher);
            let inside = !r.is_empty()
                && people
                    .iter()
                    .filter(|p| **p != r && contains_words(p, &r))
                    .map(|p| times(p))
                    .sum::<usize>()
                    >= times(&r);
            !theirs_too && !inside
        });
        (credited, credits)
    }
}

/// The lines of a page with no thanks section that name, verbatim, what
/// the other locales credit for its bulletins, with those credits.
fn lines_naming_anchors(
    d: &Document,
    sought: &Sought,
) -> Vec<(AckLine, Vec<Credited>, Vec<Credit>)> {
    if sought.names.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    // A summary's thanks list groups its lines under a line that is only
    // the bulletin's id (`**MS13-022**`); they name their CVEs, not it.
    let mut group: Option<BulletinId> = None;
    for text in d.body.lines().filter(|l| l.len() <= 600) {
        let bare = text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | ':' | '#'));
        if let Ok(id) = bare.parse::<BulletinId>() {
            group = Some(id);
            continue;
        }
        let mut named = crate::extract::ids::bulletins(text);
        if d.kind == DocKind::Summary
            && named.is_empty()
            && let Some(g) = group
        {
            named.insert(g);
        }
        let (credited, credits) = sought.in_line(text, &named);
        if credits.is_empty() {
            continue;
        }
        let line = AckLine {
            bulletin_ids: credited.iter().filter_map(Credited::bulletin).collect(),
            cves: crate::extract::ids::cves(text).into_iter().collect(),
            text: text.to_string(),
            links: Vec::new(),
        };
        out.push((line, credited, credits));
    }
    out
}

/// What a thanks line credits: the bulletins it names (or its group or
/// page does), else `otherwise`.
fn credited_by(line: &AckLine, otherwise: impl FnOnce() -> Vec<Credited>) -> Vec<Credited> {
    if line.bulletin_ids.is_empty() {
        otherwise()
    } else {
        line.bulletin_ids
            .iter()
            .copied()
            .map(Credited::Bulletin)
            .collect()
    }
}

/// A section heading as compared across pages: folded, without ids and
/// numbers (`Danksagung`, `感謝`).
fn heading_key(heading: &str) -> String {
    fold(heading)
        .split_whitespace()
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each locale's thanks headings, learned where no table knows them: the
/// listing sections (see [`crate::extract::Document::listings`]) whose lines
/// name what the other locales credit, on at least 3 pages and on one in
/// five of the pages that have that heading. An FAQ or a list of affected
/// software names no researcher.
fn thanks_headings(docs: &[&Document], sought: &[Sought]) -> HashSet<(String, String)> {
    // (locale, heading) → pages with it, pages where it names a credit.
    let mut seen: HashMap<(String, String), (usize, usize)> = HashMap::new();
    for (d, sought) in docs.iter().zip(sought) {
        let locale = d.locale.clone().unwrap_or_default();
        let mut keys: BTreeMap<String, bool> = BTreeMap::new();
        for s in &d.listings {
            let names = s.lines.iter().any(|l| {
                let named: BTreeSet<BulletinId> = l.bulletin_ids.iter().copied().collect();
                !sought.in_line(&l.text, &named).1.is_empty()
            });
            *keys.entry(heading_key(&s.heading)).or_default() |= names;
        }
        for (k, names) in keys {
            let slot = seen.entry((locale.clone(), k)).or_default();
            slot.0 += 1;
            slot.1 += usize::from(names);
        }
    }
    seen.into_iter()
        .filter(|(_, (pages, naming))| *naming >= 3 && naming * 5 >= *pages)
        .map(|(k, _)| k)
        .collect()
}

/// Replaces a malformed organisation or programme: the next organisation
/// the anchors name inside it, else what its shape keeps, else nothing
/// (counted). Returns whether something was kept.
fn mend_org<'a>(
    field: &mut String,
    why: &str,
    anchored: &mut impl Iterator<Item = &'a str>,
    check: &mut CreditCheck,
    locale: &str,
) -> bool {
    match anchored
        .next()
        .map(str::to_string)
        .or_else(|| salvage(field, true))
    {
        Some(o) => {
            *field = o;
            true
        }
        None => {
            check.fail(locale, field, why);
            field.clear();
            false
        }
    }
}

impl CreditCheck {
    /// Counts a party nothing could repair.
    fn fail(&mut self, locale: &str, party: &str, why: &str) {
        self.failures += 1;
        *self
            .failures_per_locale
            .entry(locale.to_string())
            .or_default() += 1;
        *self.failures_per_reason.entry(why.to_string()).or_default() += 1;
        if self.samples.len() < 400 {
            self.samples.push(format!("{locale}: {party:?} ({why})"));
        }
    }
}

/// Whether every party of a credit can be a name.
fn is_clean(c: &Credit) -> bool {
    malformed(&c.researcher).is_none()
        && malformed_org(&c.organisation).is_none()
        && malformed_org(&c.partner).is_none()
}

/// Whether `needle`'s folded words stand, whole, in `hay`'s.
fn contains_words(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (fold(hay), fold(needle));
    !needle.is_empty() && format!(" {hay} ").contains(&format!(" {needle} "))
}

/// A credit as read, or, when a party of it is malformed, repaired from
/// `anchors` (the clean credits of the same bulletin in every locale) whose
/// names stand verbatim inside the malformed party: `ISS X-Force で
/// リサーチを実施している Mark Dowd` is Mark Dowd of ISS X-Force where
/// another locale says so. What no anchor explains is salvaged by shape
/// (see [`salvage`]), else counted and dropped.
fn repair(
    c: &Credit,
    anchors: &[&Credit],
    locale: &str,
    check: &mut CreditCheck,
    out: &mut Vec<Credit>,
) {
    // A person the other locales credit for this bulletin, standing inside an
    // organisation-only credit's organisation, is that person
    // (`Tavis Ormandy hosi Google Security Team`): the party is misread.
    let absorbs_a_name = c.researcher.is_empty()
        && anchors.iter().any(|a| {
            !a.researcher.is_empty()
                && fold(&a.researcher) != fold(&c.organisation)
                && contains_words(&c.organisation, &a.researcher)
        });
    let bad_name = malformed(&c.researcher);
    let bad_org = malformed_org(&c.organisation).or(absorbs_a_name.then_some("holds a name"));
    let bad_partner = malformed_org(&c.partner);
    if bad_name.is_none() && bad_org.is_none() && bad_partner.is_none() {
        out.push(c.clone());
        return;
    }
    check.malformed += 1;
    let bad: String = [
        (bad_name, &c.researcher),
        (bad_org, &c.organisation),
        (bad_partner, &c.partner),
    ]
    .iter()
    .filter(|(why, _)| why.is_some())
    .map(|(_, p)| p.as_str())
    .collect::<Vec<_>>()
    .join(" ");
    let mut people: Vec<&Credit> = Vec::new();
    for a in anchors {
        if !a.researcher.is_empty()
            && contains_words(&bad, &a.researcher)
            && !people
                .iter()
                .any(|p| fold(&p.researcher) == fold(&a.researcher))
        {
            people.push(a);
        }
    }
    // Organisations named inside, the longest first; one inside another is one.
    let mut orgs: Vec<&str> = anchors
        .iter()
        .flat_map(|a| [a.organisation.as_str(), a.partner.as_str()])
        .filter(|o| !o.is_empty() && contains_words(&bad, o))
        .collect();
    orgs.sort_by_key(|o| std::cmp::Reverse(o.len()));
    orgs.dedup();
    let mut distinct: Vec<&str> = Vec::new();
    for o in orgs {
        if !distinct.iter().any(|d| contains_words(d, o)) {
            distinct.push(o);
        }
    }
    if bad_name.is_some() || (c.researcher.is_empty() && !people.is_empty()) {
        if people.is_empty() {
            match salvage(&c.researcher, false) {
                Some(name) => {
                    check.repaired += 1;
                    let mut kept = c.clone();
                    kept.researcher = name;
                    kept.organisation = salvage(&c.organisation, true)
                        .or_else(|| bad_org.is_none().then(|| c.organisation.clone()))
                        .unwrap_or_default();
                    kept.partner = salvage(&c.partner, true)
                        .or_else(|| bad_partner.is_none().then(|| c.partner.clone()))
                        .unwrap_or_default();
                    out.push(kept);
                }
                None => check.fail(
                    locale,
                    &c.researcher,
                    bad_name.unwrap_or("reads as a phrase"),
                ),
            }
            return;
        }
        check.repaired += 1;
        for p in people {
            out.push(Credit {
                researcher: p.researcher.clone(),
                organisation: p.organisation.clone(),
                partner: if bad_partner.is_some() {
                    p.partner.clone()
                } else {
                    c.partner.clone()
                },
                anonymous: false,
            });
        }
        return;
    }
    let mut repaired = c.clone();
    let mut anchored = distinct.into_iter();
    let mut kept = true;
    if let Some(why) = bad_org {
        kept &= mend_org(
            &mut repaired.organisation,
            why,
            &mut anchored,
            check,
            locale,
        );
    }
    if let Some(why) = bad_partner {
        kept &= mend_org(&mut repaired.partner, why, &mut anchored, check, locale);
    }
    if kept {
        check.repaired += 1;
    }
    if !repaired.researcher.is_empty() || !repaired.organisation.is_empty() || repaired.anonymous {
        out.push(repaired);
    }
}

impl CreditStore {
    /// Writes the store into an index directory.
    pub fn save(&self, dir: &Path) -> Result<()> {
        save_json(dir, CREDITS_FILE, self).map(|_| ())
    }

    /// Reads the store of an index directory (empty when there is none).
    pub fn load(dir: &Path) -> Result<CreditStore> {
        load_json(dir, CREDITS_FILE)
    }

    /// Credits matching a query: names and organisations by word prefix
    /// (one typo allowed in words of five letters or more), bulletin and
    /// CVE ids exactly; optionally one organisation and one year.
    pub fn search(&self, query: &str, org: Option<&str>, year: Option<u16>) -> Vec<&MergedCredit> {
        let mut ids = Vec::new();
        let mut words = Vec::new();
        for w in query.split_whitespace() {
            if let Ok(b) = w.parse::<BulletinId>() {
                ids.push(b.to_string());
            } else if let Ok(c) = w.parse::<crate::model::CveId>() {
                ids.push(c.to_string());
            } else if w.len() >= 6 && w.chars().all(|c| c.is_ascii_digit()) {
                // An advisory number, matched exactly like every id.
                ids.push(w.to_string());
            } else {
                words.extend(
                    fold(w)
                        .split(' ')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                );
            }
        }
        let org_words: Vec<String> = org
            .map(|o| fold(o).split(' ').map(str::to_string).collect())
            .unwrap_or_default();
        self.credits
            .iter()
            .filter(|c| year.is_none_or(|y| c.year == Some(y)))
            .filter(|c| {
                ids.iter().all(|id| {
                    c.bulletin_id.as_deref() == Some(id.as_str())
                        || c.advisory.as_deref() == Some(id.as_str())
                        || c.cves.contains(id)
                })
            })
            .filter(|c| {
                let mut hay: Vec<String> =
                    vec![fold(&c.researcher), fold(&c.organisation), fold(&c.partner)];
                hay.extend(c.aliases.iter().map(|a| fold(a)));
                let hay_words: Vec<&str> = hay.iter().flat_map(|h| h.split(' ')).collect();
                words
                    .iter()
                    .all(|w| hay_words.iter().any(|h| word_matches(w, h)))
            })
            .filter(|c| {
                let org = fold(&c.organisation);
                let org_words_here: Vec<&str> = org.split(' ').collect();
                org_words
                    .iter()
                    .all(|w| org_words_here.iter().any(|h| word_matches(w, h)))
            })
            .collect()
    }
}

/// How far the locales agree on who is credited: per bulletin that at least
/// two locales credit named researchers for, the set of names each states
/// (folded, spaces dropped: names are rarely translated).
#[derive(Debug, Clone, Default)]
pub struct Agreement {
    /// Bulletins with named researchers in two or more locales.
    pub bulletins: usize,
    /// Those where every locale states the same set.
    pub agreeing: usize,
    /// Mean Jaccard similarity over every pair of locales of those bulletins.
    pub jaccard: f64,
    /// The others: bulletin → locale → names.
    pub disagreements: Vec<(String, BTreeMap<String, BTreeSet<String>>)>,
}

impl Agreement {
    /// The share of bulletins where every locale agrees.
    pub fn rate(&self) -> f64 {
        self.agreeing as f64 / self.bulletins.max(1) as f64
    }
}

impl CreditStore {
    /// The cross-locale agreement of the named researchers.
    pub fn agreement(&self) -> Agreement {
        let key = |n: &str| fold(n).replace(' ', "");
        let mut by: BTreeMap<&str, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
        for credit in self.credits.iter().filter(|c| !c.researcher.is_empty()) {
            let Some(b) = credit.bulletin_id.as_deref() else {
                continue;
            };
            for l in &credit.locales {
                by.entry(b)
                    .or_default()
                    .entry(l.clone())
                    .or_default()
                    .insert(key(&credit.researcher));
            }
        }
        let mut out = Agreement::default();
        let (mut jaccard_sum, mut pairs) = (0.0, 0usize);
        for (b, locales) in by.into_iter().filter(|(_, l)| l.len() >= 2) {
            out.bulletins += 1;
            let sets: Vec<&BTreeSet<String>> = locales.values().collect();
            for i in 0..sets.len() {
                for j in i + 1..sets.len() {
                    let inter = sets[i].intersection(sets[j]).count() as f64;
                    let union = sets[i].union(sets[j]).count() as f64;
                    jaccard_sum += inter / union;
                    pairs += 1;
                }
            }
            if sets.windows(2).all(|w| w[0] == w[1]) {
                out.agreeing += 1;
            } else {
                out.disagreements.push((b.to_string(), locales));
            }
        }
        out.jaccard = jaccard_sum / pairs.max(1) as f64;
        out
    }
}

/// The credits of one researcher (or organisation-only or anonymous party).
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Researcher {
    /// The name ("" for organisation-only credits, "anonymous" for anonymous ones).
    pub researcher: String,
    /// Organisations credited with them, most frequent first.
    pub organisations: Vec<String>,
    /// How many credits.
    pub count: usize,
    /// The credits, oldest bulletin first.
    pub credits: Vec<MergedCredit>,
}

/// Groups credits by researcher, the most credited first.
pub fn group(found: &[&MergedCredit]) -> Vec<Researcher> {
    let mut by: BTreeMap<String, Vec<MergedCredit>> = BTreeMap::new();
    for c in found {
        let key = if c.anonymous {
            "anonymous".to_string()
        } else if c.researcher.is_empty() {
            format!("org {}", org_key(&c.organisation))
        } else {
            fold(&c.researcher)
        };
        by.entry(key).or_default().push((*c).clone());
    }
    let mut out: Vec<Researcher> = by
        .into_values()
        .map(|mut credits| {
            credits.sort_by(|a, b| (a.year, &a.bulletin_id).cmp(&(b.year, &b.bulletin_id)));
            // Spellings of one organisation count as one, under its most
            // frequent spelling ("Finjan", "finjan").
            let mut orgs: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
            for c in &credits {
                if !c.organisation.is_empty() {
                    *orgs
                        .entry(org_key(&c.organisation))
                        .or_default()
                        .entry(c.organisation.clone())
                        .or_default() += 1;
                }
            }
            let mut organisations: Vec<(String, usize)> = orgs
                .into_values()
                .map(|spellings| (most_common(&spellings), spellings.values().sum()))
                .collect();
            organisations.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let first = &credits[0];
            let researcher = if first.anonymous {
                "anonymous".to_string()
            } else {
                first.researcher.clone()
            };
            Researcher {
                researcher,
                organisations: organisations.into_iter().map(|(o, _)| o).collect(),
                count: credits.len(),
                credits,
            }
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.researcher.cmp(&b.researcher)));
    out
}

/// One researcher's profile: every credit, by year, and their organisations over time.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Profile {
    /// The name (or organisation, for an organisation profile).
    pub name: String,
    /// Other spellings seen.
    pub aliases: Vec<String>,
    /// Organisations (or, for an organisation, its researchers) with the years they appear.
    pub affiliations: Vec<Affiliation>,
    /// Credits per year.
    pub by_year: BTreeMap<String, usize>,
    /// Every credit, oldest first.
    pub credits: Vec<MergedCredit>,
}

/// A name seen with the profile's subject, with first and last year and count.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Affiliation {
    /// Organisation or researcher name.
    pub name: String,
    /// First year seen.
    pub first_year: Option<u16>,
    /// Last year seen.
    pub last_year: Option<u16>,
    /// Credits together.
    pub count: usize,
}

impl CreditStore {
    /// The profile of the researcher whose name (or alias) folds to `name`'s.
    pub fn researcher(&self, name: &str) -> Option<Profile> {
        let key = fold(name);
        let credits: Vec<&MergedCredit> = self
            .credits
            .iter()
            .filter(|c| fold(&c.researcher) == key || c.aliases.iter().any(|a| fold(a) == key))
            .collect();
        profile(credits, |c| c.organisation.clone())
    }

    /// The profile of an organisation, every spelling of it together.
    pub fn organisation(&self, name: &str) -> Option<Profile> {
        let key = org_key(name);
        if key.is_empty() {
            return None;
        }
        let credits: Vec<&MergedCredit> = self
            .credits
            .iter()
            .filter(|c| org_key(&c.organisation) == key)
            .collect();
        profile(credits, |c| c.researcher.clone())
    }
}

fn profile(
    credits: Vec<&MergedCredit>,
    other: impl Fn(&MergedCredit) -> String,
) -> Option<Profile> {
    if credits.is_empty() {
        return None;
    }
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_year: BTreeMap<String, usize> = BTreeMap::new();
    let mut affiliations: BTreeMap<String, Affiliation> = BTreeMap::new();
    let mut spellings: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for c in &credits {
        let subject = if other(c) == c.organisation {
            &c.researcher
        } else {
            &c.organisation
        };
        *names.entry(subject.clone()).or_default() += 1;
        if let Some(y) = c.year {
            *by_year.entry(y.to_string()).or_default() += 1;
        }
        let name = other(c);
        if name.is_empty() {
            continue;
        }
        // Spellings of one organisation (or name) are one affiliation.
        let key = if name == c.organisation {
            org_key(&name)
        } else {
            fold(&name)
        };
        *spellings
            .entry(key.clone())
            .or_default()
            .entry(name.clone())
            .or_default() += 1;
        let a = affiliations.entry(key).or_insert(Affiliation {
            name,
            first_year: c.year,
            last_year: c.year,
            count: 0,
        });
        a.count += 1;
        a.first_year = a.first_year.min(c.year).or(c.year);
        a.last_year = a.last_year.max(c.year);
    }
    for (key, a) in &mut affiliations {
        if let Some(s) = spellings.get(key) {
            a.name = most_common(s);
        }
    }
    let mut ranked: Vec<(String, usize)> =
        names.into_iter().filter(|(n, _)| !n.is_empty()).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let name = ranked.first().map(|(n, _)| n.clone()).unwrap_or_default();
    let mut affiliations: Vec<Affiliation> = affiliations.into_values().collect();
    affiliations.sort_by(|a, b| {
        (a.first_year, std::cmp::Reverse(a.count)).cmp(&(b.first_year, std::cmp::Reverse(b.count)))
    });
    let mut credits: Vec<MergedCredit> = credits.into_iter().cloned().collect();
    credits.sort_by(|a, b| (a.year, &a.bulletin_id).cmp(&(b.year, &b.bulletin_id)));
    Some(Profile {
        aliases: ranked.iter().skip(1).map(|(n, _)| n.clone()).collect(),
        name,
        affiliations,
        by_year,
        credits,
    })
}

/// Whether a query word matches a name word: a prefix, or one edit away
/// for words of six letters or more.
fn word_matches(query: &str, word: &str) -> bool {
    if word.starts_with(query) {
        return true;
    }
    // The typo is never the first letter: "idefense" is not "defense".
    query.chars().count() >= 6
        && query.chars().next() == word.chars().next()
        && within_one_edit(query, word)
}

fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_name_are_one_person() {
        assert!(same_person("minaev andrey", "andrey minaev"));
        assert!(same_person("carsten eiram", "carsten h eiram"));
        assert!(same_person("will dorman", "will dormann"));
        assert!(same_person("nicolas pouvesle", "nicolas de pouvesle"));
        assert!(same_person("norman chiong", "norman chiongfor"));
        assert!(!same_person("mark dowd", "ben layer"));
        // Short names need more than a letter's difference to be apart.
        assert!(!same_person("jun mao", "jun xu"));
    }

    #[test]
    fn with_the_same_organisation_closer_spellings_are_one_person() {
        assert!(close_names("jie m", "jie ma"));
        assert!(close_names("h d moor", "h d moore"));
        assert!(close_names("nunez di croce", "mariano nunez di croce"));
        assert!(!close_names("jie ma", "jun mao"));
        assert!(!close_names("li", "lin"));
    }

    #[test]
    fn a_name_in_another_script_is_the_latin_name_credited_for_the_same_cve_elsewhere() {
        let group = |locales: &[&str], cves: &[&str]| Group {
            locales: locales.iter().map(ToString::to_string).collect(),
            cves: cves.iter().map(ToString::to_string).collect(),
            ..Group::default()
        };
        let ja = group(&["ja-jp"], &["CVE-2009-1533"]);
        let others = group(&["de-de", "zh-tw"], &["CVE-2009-1533"]);
        assert!(same_credit_in_another_script(
            "鵜飼裕司",
            &ja,
            "yuji ukai",
            &others
        ));
        // Stated together in one locale, they are two people.
        let with_ja = group(&["de-de", "ja-jp"], &["CVE-2009-1533"]);
        assert!(!same_credit_in_another_script(
            "鵜飼裕司",
            &ja,
            "shaun colley",
            &with_ja
        ));
        // Credited for another CVE, no telling.
        let other_cve = group(&["de-de"], &["CVE-2009-1534"]);
        assert!(!same_credit_in_another_script(
            "鵜飼裕司",
            &ja,
            "yuji ukai",
            &other_cve
        ));
        // Cyrillic (an inflected transliteration) and Hangul as well, and a
        // line that names no CVE may be any of the bulletin's.
        let ru = group(&["ru-ru"], &[]);
        assert!(same_credit_in_another_script(
            "тэвису орманди",
            &ru,
            "tavis ormandy",
            &others
        ));
        let ko = group(&["ko-kr"], &["CVE-2009-1533"]);
        assert!(same_credit_in_another_script(
            "타비스 오르만디",
            &ko,
            "tavis ormandy",
            &others
        ));
        // Mixed scripts are a misread line, not a spelling.
        assert!(!same_credit_in_another_script(
            "ms10 026에서 yamata li",
            &ko,
            "yamata li",
            &others
        ));
    }

    /// What the other locales credit for MS11-050, found in a line of a
    /// locale without rules: the whole name, not the parts another locale
    /// split it into, and not the anonymous finder of the same programme.
    #[test]
    fn a_line_found_by_names_credits_the_longest_name_and_no_copy_of_its_programme() {
        let credit = |r: &str, p: &str, anonymous: bool| Credit {
            researcher: r.into(),
            partner: p.into(),
            anonymous,
            ..Credit::default()
        };
        let theirs = [
            credit(
                "Jose Antonio Vazquez Gonzalez",
                "TippingPoint's Zero Day Initiative",
                false,
            ),
            credit("Jose Antonio", "TippingPoint Zero Day Initiative", false),
            credit("Vazquez Gonzalez", "", false),
            credit("", "TippingPoints Zero Day Initiative", true),
        ];
        let ms11_050: BulletinId = "MS11-050".parse().unwrap();
        let sought = Sought {
            kind: DocKind::Summary,
            names: theirs
                .iter()
                .map(|c| {
                    let name = if c.anonymous {
                        &c.partner
                    } else {
                        &c.researcher
                    };
                    (ms11_050, c, fold(name), c.anonymous)
                })
                .collect(),
        };
        let named = BTreeSet::from([ms11_050]);
        let (credited, found) = sought.in_line(
            "Jose Antonio Vazquez Gonzalez i samarbeid med TippingPoints Zero Day Initiative \
             for rapporten om et sikkerhetsproblem som beskrives i MS11-050",
            &named,
        );
        assert_eq!(credited, vec![Credited::Bulletin(ms11_050)]);
        assert_eq!(found, vec![theirs[0].clone()]);
        // Where the line names the parts apart, they stand.
        let (_, found) = sought.in_line(
            "Jose Antonio og Vazquez Gonzalez i samarbeid med TippingPoints Zero Day Initiative",
            &named,
        );
        assert_eq!(found, vec![theirs[1].clone(), theirs[2].clone()]);
    }

    #[test]
    fn a_profile_counts_spellings_of_one_organisation_once() {
        let credit = |org: &str, bulletin: &str, year: u16| MergedCredit {
            researcher: "Aviv Raff".into(),
            organisation: org.into(),
            partner: String::new(),
            anonymous: false,
            bulletin_id: Some(bulletin.into()),
            advisory: None,
            cves: Vec::new(),
            year: Some(year),
            title: String::new(),
            locales: vec!["de-de".into()],
            sources: Vec::new(),
            aliases: Vec::new(),
        };
        let store = CreditStore {
            readings: Vec::new(),
            credits: vec![
                credit("Finjan", "MS07-048", 2007),
                credit("finjan", "MS07-061", 2007),
                credit("Finjan", "MS09-014", 2009),
            ],
            check: CreditCheck::default(),
        };
        let p = store.researcher("aviv raff").expect("profile");
        assert_eq!(
            p.affiliations,
            [Affiliation {
                name: "Finjan".into(),
                first_year: Some(2007),
                last_year: Some(2009),
                count: 3
            }]
        );
        let groups = group(&store.credits.iter().collect::<Vec<_>>());
        assert_eq!(groups[0].organisations, ["Finjan"]);
    }

    #[test]
    fn names_and_organisations_fold_to_one_key() {
        assert_eq!(fold("Tavis  Ormandy"), "tavis ormandy");
        assert_eq!(fold("Jérôme Segura"), "jerome segura");
        assert_eq!(org_key("VeriSign iDefense Labs"), "idefense");
        assert_eq!(org_key("iDefense Labs"), "idefense");
        assert_eq!(org_key("iDefense"), "idefense");
        assert_eq!(org_key("McAfee (US-Link)"), "mcafee");
    }

    #[test]
    fn name_words_match_by_prefix_and_one_typo() {
        assert!(word_matches("sotir", "sotirov"));
        assert!(word_matches("ormady", "ormandy"));
        assert!(!word_matches("tavis", "davis"));
        assert!(word_matches("macmanus", "macmanus"));
        assert!(!word_matches("mac", "mcmanus"));
        assert!(!word_matches("sotrov", "ormandy"));
        assert!(!word_matches("idefense", "defense"));
    }
}
