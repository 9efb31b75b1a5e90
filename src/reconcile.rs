//! In: every extracted `Document`. Out: `Consensus`, the main KB of each
//! bulletin as the majority of its descriptions says, and the conflicts.
//!
//! The same bulletin is described by its own file in each locale and by an
//! entry in each locale's monthly summary. Copy-paste errors (the Norwegian
//! MS07-SEP summary gives MS07-053 the KB of MS07-052) show up as a minority
//! claim and are outvoted; a tie is broken by how often each candidate is
//! mentioned in the bulletin's own files (a wrong title KB is usually
//! mentioned only once, the right one many times).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::extract::{Date, Document, summary};
use crate::model::{BulletinId, DocKind, Impact, KbNumber, Severity};

/// One bulletin whose descriptions disagree about its main KB.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Conflict {
    /// The bulletin.
    pub bulletin_id: BulletinId,
    /// The KB the majority names (what the index uses).
    pub chosen: KbNumber,
    /// Every claimed KB with the documents (paths) claiming it.
    pub claims: Vec<(KbNumber, Vec<String>)>,
}

/// The reconciled main KB of each bulletin, and its severity and impact
/// where its descriptions state them.
#[derive(Debug, Clone, Default)]
pub struct Consensus {
    /// Main KB by bulletin.
    pub main_kb: HashMap<BulletinId, KbNumber>,
    /// Severity by bulletin: the most common one its descriptions state.
    pub severity: HashMap<BulletinId, Severity>,
    /// Impact categories by bulletin: the most common set its descriptions state.
    pub impacts: HashMap<BulletinId, Vec<Impact>>,
    /// Bulletins whose descriptions disagree.
    pub conflicts: Vec<Conflict>,
    /// The release date of each bulletin, summary and advisory (by
    /// [`release_key`]): see [`release_dates`].
    pub released: HashMap<String, Date>,
    /// Locales whose pages state a later local date than the release's.
    pub date_shifts: Vec<DateShift>,
    /// Each bulletin's products reconciled over its locales, and what
    /// replaces what (see [`crate::products`]).
    pub products: crate::products::ProductStore,
}

/// How often a locale's pages state the release's local date, a day
/// later than the release (the Japanese and Chinese pages of a Tuesday
/// release often say Wednesday).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct DateShift {
    /// The locale (`ja-jp`).
    pub locale: String,
    /// Releases it states a day late, of the releases it shares with the others.
    pub votes: (usize, usize),
}

/// Per locale and year, how often the locale states a release a day late:
/// (a day late, on the day).
#[derive(Debug, Clone, Default)]
pub struct DateModel {
    /// (late, on the day) per locale, kind of document and year; per
    /// locale and kind; per locale and year; per locale.
    by_kind_year: HashMap<(String, DocKind, u16), (usize, usize)>,
    by_kind: HashMap<(String, DocKind), (usize, usize)>,
    by_year: HashMap<(String, u16), (usize, usize)>,
    by_locale: BTreeMap<String, (usize, usize)>,
    /// Releases of each kind by weekday and week of the month (the
    /// bulletins come out on the second Tuesday): a prior on the release
    /// day, learned from the releases the locales agree on.
    by_day: HashMap<(DocKind, u8, u8), usize>,
    releases: HashMap<DocKind, usize>,
}

/// Where a day falls in its month: its weekday (Monday 0) and its week
/// (days 1–7 are week 0).
fn day_slot(day: i64) -> (u8, u8) {
    let weekday = (day + 3).rem_euclid(7) as u8; // 1970-01-01 was a Thursday
    (weekday, (Date::from_days(day).day - 1) / 7)
}

impl DateModel {
    /// The chance that `locale` states a release of `kind` in `year` a day
    /// late: its share for that kind in that year where 10 or more
    /// releases tell, else for that kind over all years, else in that year,
    /// else over everything (smoothed towards the day itself, which a
    /// locale never seen states). A locale may date its bulletins by its
    /// local day and its advisories by the release's (zh-tw in 2010–11).
    fn late(&self, locale: &str, kind: DocKind, year: u16) -> f64 {
        // A locale with little evidence is taken to state the day itself.
        let share = |(late, on): (usize, usize)| (late as f64 + 0.1) / ((late + on) as f64 + 1.0);
        let enough = |v: Option<&(usize, usize)>| v.copied().filter(|(l, o)| l + o >= 10);
        let l = locale.to_string();
        enough(self.by_kind_year.get(&(l.clone(), kind, year)))
            .or_else(|| enough(self.by_kind.get(&(l.clone(), kind))))
            .or_else(|| enough(self.by_year.get(&(l, year))))
            .map_or_else(
                || share(self.by_locale.get(locale).copied().unwrap_or((0, 0))),
                share,
            )
            .clamp(0.02, 0.98)
    }

    /// The log chance that a release of `kind` falls on `day`'s weekday and
    /// week of the month (even where nothing was learned).
    fn day_prior(&self, kind: DocKind, day: i64) -> f64 {
        let (weekday, week) = day_slot(day);
        let n = self
            .by_day
            .get(&(kind, weekday, week))
            .copied()
            .unwrap_or(0);
        let total = self.releases.get(&kind).copied().unwrap_or(0);
        ((n as f64 + 1.0) / (total as f64 + 35.0)).ln()
    }

    /// The release day that best explains the days the locales state: each
    /// on the day or a day late, with the chances learned; a day off by
    /// more is a typo (rare in any locale); weighed by how often a release
    /// of `kind` falls on that weekday of the month. The earliest day of a
    /// tie.
    pub fn release(&self, kind: DocKind, stated: &[(&str, i64)]) -> Option<i64> {
        const TYPO: f64 = 0.01;
        let mut candidates: Vec<i64> = stated.iter().flat_map(|(_, d)| [*d - 1, *d]).collect();
        candidates.sort_unstable();
        candidates.dedup();
        let likelihood = |day: i64| -> f64 {
            let year = Date::from_days(day).year;
            let stated: f64 = stated
                .iter()
                .map(|(locale, d)| {
                    let late = self.late(locale, kind, year);
                    match d - day {
                        0 => (1.0 - late).ln(),
                        1 => late.ln(),
                        _ => TYPO.ln(),
                    }
                })
                .sum();
            stated + self.day_prior(kind, day)
        };
        let mut best: Option<(i64, f64)> = None;
        for day in candidates {
            let l = likelihood(day);
            if best.is_none_or(|(_, b)| l > b + 1e-9) {
                best = Some((day, l));
            }
        }
        best.map(|(d, _)| d)
    }

    /// The locales that state a release a day late at least once in twenty.
    pub fn shifts(&self) -> Vec<DateShift> {
        self.by_locale
            .iter()
            .filter(|(_, (late, on))| late * 20 >= late + on && *late > 0)
            .map(|(l, (late, on))| DateShift {
                locale: l.clone(),
                votes: (*late, late + on),
            })
            .collect()
    }

    /// Counts each locale on the day or a day late against `release`.
    fn count(&mut self, kind: DocKind, stated: &BTreeMap<String, i64>, release: i64) {
        let (weekday, week) = day_slot(release);
        *self.by_day.entry((kind, weekday, week)).or_default() += 1;
        *self.releases.entry(kind).or_default() += 1;
        let year = Date::from_days(release).year;
        for (locale, day) in stated {
            let (late, on) = match day - release {
                0 => (0, 1),
                1 => (1, 0),
                _ => continue,
            };
            for slot in [
                self.by_kind_year
                    .entry((locale.clone(), kind, year))
                    .or_default(),
                self.by_kind.entry((locale.clone(), kind)).or_default(),
                self.by_year.entry((locale.clone(), year)).or_default(),
                self.by_locale.entry(locale.clone()).or_default(),
            ] {
                slot.0 += late;
                slot.1 += on;
            }
        }
    }
}

/// What a document's release date is the date of: a bulletin's id, a
/// summary's or advisory's number; `None` for the rest.
pub fn release_key(d: &Document) -> Option<String> {
    match d.kind {
        DocKind::Bulletin => d.bulletin_id.map(|b| b.to_string()),
        DocKind::Summary | DocKind::Advisory => d.doc_id.as_ref().map(|n| n.to_ascii_uppercase()),
        _ => None,
    }
}

/// The release date of everything the locales publish, and how often each
/// locale states a release a day late, learned from the dates alone.
///
/// Every version states its own date, and the versions disagree in a
/// pattern: the eastern locales often state their local date, the day
/// after the release, so a bulletin in two western and two eastern locales
/// has no majority date. Which locales do, and how often in which years
/// (one Chinese locale did for most of 2004 and 2014–17 and for few of
/// 2008–11), is learned: first against the earliest date the locales of a
/// release state, then against the release the first model finds. The
/// release is the day that best explains every locale's date; no
/// per-language rule says which locale is late. Each version keeps the
/// date it states.
pub fn release_dates(docs: &[Document]) -> (HashMap<String, Date>, DateModel) {
    let mut stated: BTreeMap<String, (DocKind, BTreeMap<String, i64>)> = BTreeMap::new();
    for d in docs {
        if let (Some(key), Some(p), Some(locale)) = (release_key(d), d.published, &d.locale) {
            stated
                .entry(key)
                .or_insert_with(|| (d.kind, BTreeMap::new()))
                .1
                .entry(locale.clone())
                .or_insert(p.days());
        }
    }
    let shared = || stated.values().filter(|(_, d)| d.len() > 1);
    let mut first = DateModel::default();
    for (kind, dates) in shared() {
        if let Some(earliest) = dates.values().min() {
            first.count(*kind, dates, *earliest);
        }
    }
    let release = |model: &DateModel, kind: DocKind, dates: &BTreeMap<String, i64>| {
        let v: Vec<(&str, i64)> = dates.iter().map(|(l, d)| (l.as_str(), *d)).collect();
        model.release(kind, &v)
    };
    // Twice more: each model learns against the releases the one before
    // finds, the first against the earliest stated day.
    let mut model = first;
    for _ in 0..2 {
        let mut next = DateModel::default();
        for (kind, dates) in shared() {
            if let Some(r) = release(&model, *kind, dates) {
                next.count(*kind, dates, r);
            }
        }
        model = next;
    }
    let released = stated
        .iter()
        .filter_map(|(key, (kind, dates))| {
            Some((key.clone(), Date::from_days(release(&model, *kind, dates)?)))
        })
        .collect();
    (released, model)
}

/// One month word a locale was found to use, learned from the other
/// locales' dates for the same releases.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct LearnedMonth {
    /// The locale (`is-is`).
    pub locale: String,
    /// The word as the page states it, lower case (`október`).
    pub word: String,
    /// The month the other locales date those releases in, 1–12.
    pub month: u8,
    /// Releases that agree, and releases whose date line states the word.
    pub votes: (usize, usize),
}

/// Learns the month words of locales whose header date lines the shared
/// month tables cannot read, from the other locales' dates, and reads
/// those lines again.
///
/// A page dated `Birt: 9. október 2008` that no table reads is the same
/// release other locales date `2008-10-09`: each word of the header part
/// that states the release's year and day (or the next day: a locale may
/// state its local date) votes for the month the others give. An update
/// stated beside it (`| Uppfært: 3. mars 2009`) states another day and
/// does not vote. A word voted for by at least 2 releases, 80% of them one
/// month, names that month in that locale; a weekday, or the `Birt` label,
/// votes for every month and is not learned. Only the locale that states a
/// word learns it, so two languages' words never mix.
pub fn learn_months(docs: &mut [Document]) -> Vec<LearnedMonth> {
    // The dates each release is stated with, by locale.
    let mut dated: HashMap<String, Vec<(String, Date)>> = HashMap::new();
    for d in docs.iter() {
        if let (Some(key), Some(p), Some(locale)) = (release_key(d), d.published, &d.locale) {
            dated.entry(key).or_default().push((locale.clone(), p));
        }
    }
    // (locale, word) → the month each release whose line states it is in.
    let mut votes: BTreeMap<(String, String), BTreeMap<u8, usize>> = BTreeMap::new();
    for d in docs.iter() {
        let (Some(key), Some(locale)) = (release_key(d), &d.locale) else {
            continue;
        };
        if d.date_lines.is_empty() {
            continue;
        }
        let Some(release) = dated.get(&key).and_then(|others| {
            let mut count: BTreeMap<Date, usize> = BTreeMap::new();
            for (_, date) in others.iter().filter(|(l, _)| l != locale) {
                *count.entry(*date).or_default() += 1;
            }
            count
                .into_iter()
                .max_by_key(|&(date, n)| (n, std::cmp::Reverse(date)))
                .map(|(date, _)| date)
        }) else {
            continue;
        };
        // The line stating the release: its year, and its day or the next
        // (a locale may state its local date).
        let day = i64::from(release.day);
        let states_release = |text: &str| {
            let numbers: Vec<i64> = text
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect();
            numbers.contains(&i64::from(release.year))
                && numbers.iter().any(|&n| n == day || n == day + 1)
        };
        let Some(line) = d
            .date_lines
            .iter()
            .flat_map(|l| l.split(['|', '\n']))
            .find(|part| states_release(part))
        else {
            continue;
        };
        let words: std::collections::BTreeSet<String> = line
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_lowercase)
            .collect();
        for w in words {
            *votes
                .entry((locale.clone(), w))
                .or_default()
                .entry(release.month)
                .or_default() += 1;
        }
    }
    let mut learned = Vec::new();
    let mut table: HashMap<(String, String), u32> = HashMap::new();
    for ((locale, word), months) in votes {
        let total: usize = months.values().sum();
        let Some((&month, &top)) = months
            .iter()
            .max_by_key(|&(m, n)| (n, std::cmp::Reverse(m)))
        else {
            continue;
        };
        if top >= 2 && top * 5 >= total * 4 {
            table.insert((locale.clone(), word.clone()), u32::from(month));
            learned.push(LearnedMonth {
                locale,
                word,
                month,
                votes: (top, total),
            });
        }
    }
    if table.is_empty() {
        return learned;
    }
    for d in docs.iter_mut() {
        let Some(locale) = &d.locale else { continue };
        if d.date_lines.is_empty() {
            continue;
        }
        let months = |w: &str| {
            crate::vocab::month_word(w)
                .or_else(|| table.get(&(locale.clone(), w.to_string())).copied())
        };
        let lines: Vec<&str> = d.date_lines.iter().map(String::as_str).collect();
        let read = crate::extract::dates::header_dates(&lines, &months);
        if read.published.is_some() {
            (d.published, d.updated) = (read.published, read.updated);
        }
        d.date_lines.clear();
    }
    learned
}

/// Votes over all documents.
pub fn reconcile(docs: &[Document]) -> Consensus {
    let mut claims: BTreeMap<BulletinId, BTreeMap<KbNumber, Vec<String>>> = BTreeMap::new();
    let mut mentions: HashMap<(BulletinId, KbNumber), usize> = HashMap::new();
    let mut severities: BTreeMap<BulletinId, BTreeMap<Severity, usize>> = BTreeMap::new();
    let mut impacts: BTreeMap<BulletinId, BTreeMap<Vec<Impact>, usize>> = BTreeMap::new();
    let mut described = |id: BulletinId, severity: Option<Severity>, found: &[Impact]| {
        if let Some(s) = severity {
            *severities.entry(id).or_default().entry(s).or_default() += 1;
        }
        if !found.is_empty() {
            let mut set = found.to_vec();
            set.sort();
            *impacts.entry(id).or_default().entry(set).or_default() += 1;
        }
    };
    for d in docs {
        if let (DocKind::Bulletin, Some(id)) = (d.kind, d.bulletin_id) {
            described(id, d.severity, &d.impacts);
            if let Some(kb) = d.main_kb {
                claims
                    .entry(id)
                    .or_default()
                    .entry(kb)
                    .or_default()
                    .push(d.path.clone());
            }
            let body = d.body.text();
            for &kb in &d.kbs {
                let count = body.matches(&kb.to_string()).count();
                *mentions.entry((id, kb)).or_default() += count;
            }
        }
        for e in &d.entries {
            if let Some(id) = e.bulletin_id {
                described(id, e.severity, &e.impacts);
            }
            if let (Some(id), Some(kb)) = (e.bulletin_id, e.main_kb) {
                let path = format!("{}#{}", d.path, id);
                claims
                    .entry(id)
                    .or_default()
                    .entry(kb)
                    .or_default()
                    .push(path);
            }
        }
    }
    let mut out = Consensus::default();
    let (released, model) = release_dates(docs);
    out.released = released;
    out.date_shifts = model.shifts();
    for (id, counts) in severities {
        if let Some((s, _)) = counts
            .into_iter()
            .max_by_key(|&(s, n)| (n, std::cmp::Reverse(s)))
        {
            out.severity.insert(id, s);
        }
    }
    for (id, counts) in impacts {
        if let Some((set, _)) = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        {
            out.impacts.insert(id, set);
        }
    }
    for (id, by_kb) in claims {
        let chosen = by_kb
            .iter()
            .max_by_key(|(kb, paths)| {
                (
                    paths.len(),
                    mentions.get(&(id, **kb)).copied().unwrap_or(0),
                    std::cmp::Reverse(**kb),
                )
            })
            .map(|(kb, _)| *kb);
        let Some(chosen) = chosen else { continue };
        out.main_kb.insert(id, chosen);
        if by_kb.len() > 1 {
            out.conflicts.push(Conflict {
                bulletin_id: id,
                chosen,
                claims: by_kb.into_iter().collect(),
            });
        }
    }
    out.products = crate::products::reconcile(docs, &out.main_kb);
    out
}

/// One severity word a locale was found to use, learned from the other
/// locales' severity for the same bulletins.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct LearnedSeverity {
    /// The locale (`de-de`).
    pub locale: String,
    /// The label of the lines stating it (`bewertung des maximalen
    /// schweregrads`), or empty for the heading after the bulletin id.
    #[serde(default)]
    pub place: String,
    /// The word as the page states it, lower case (`hoch`).
    pub word: String,
    /// What the other locales say those bulletins are.
    pub severity: Severity,
    /// Bulletins that agree, and bulletins that state the word.
    pub votes: (usize, usize),
}

/// Learns each locale's severity words, and which of its lines rate, from
/// agreement, and applies them.
///
/// A bulletin states its severity in a rating line
/// (`**Bewertung des maximalen Schweregrads:** Hoch`, `**最大深刻度:** 重要`),
/// in a column of its affected-software table (the highest row's), and
/// after the id in its heading (`MS08-067 - Kritisch`). It is read in that
/// order: German 2005-08 headings say `Kritisch` where the rating line and
/// the table say `Hoch`, as every other locale does.
///
/// Where no table knows a word, the other locales' severity for the same
/// bulletins says what it means: a word that at least 3 bulletins state in
/// one line, 80% of them with one majority severity elsewhere, means that
/// severity in that locale. The line must be believed: 80% of what it
/// states agrees, it is on one in 50 of the locale's bulletins (the rating
/// line, not the impact or version line beside it), and a word learned from
/// a labelled line also stands in a heading or a table cell of the locale (a
/// severity scale is shared by all three; an FAQ answer that follows the
/// severity is not). Columns only apply what lines teach. The tables only
/// help: a language without a row reads its severity words, and which line
/// rates, from the corpus.
pub fn learn_severity(docs: &mut [Document]) -> Vec<LearnedSeverity> {
    // What each locale states for each bulletin, by the tables.
    let mut stated: HashMap<BulletinId, BTreeMap<String, Severity>> = HashMap::new();
    for d in docs.iter() {
        let locale = d.locale.clone().unwrap_or_default();
        if let (DocKind::Bulletin, Some(id), Some(s)) = (d.kind, d.bulletin_id, d.severity) {
            stated.entry(id).or_default().insert(locale.clone(), s);
        }
        for e in &d.entries {
            if let (Some(id), Some(s)) = (e.bulletin_id, e.severity) {
                stated
                    .entry(id)
                    .or_default()
                    .entry(locale.clone())
                    .or_insert(s);
            }
        }
    }
    let majority_elsewhere = |id: BulletinId, locale: &str| -> Option<Severity> {
        let mut votes: BTreeMap<Severity, usize> = BTreeMap::new();
        for (l, s) in stated.get(&id)? {
            if l != locale {
                *votes.entry(*s).or_default() += 1;
            }
        }
        let top = *votes.values().max()?;
        let mut best = votes.iter().filter(|(_, n)| **n == top);
        match (best.next(), best.next()) {
            (Some((s, _)), None) => Some(*s),
            _ => None,
        }
    };
    // (locale, line, word) → bulletins stating it, and their severity
    // elsewhere. Lines state one word each; columns only apply what lines
    // teach (a column of product names in critical bulletins is no rating).
    type Evidence = (usize, BTreeMap<Severity, usize>);
    let mut evidence: BTreeMap<(String, String, String), Evidence> = BTreeMap::new();
    for d in docs.iter().filter(|d| d.kind == DocKind::Bulletin) {
        let Some(id) = d.bulletin_id else { continue };
        let locale = d.locale.clone().unwrap_or_default();
        let elsewhere = majority_elsewhere(id, &locale);
        for s in d.severity_stated.iter().filter(|s| !s.is_column()) {
            let [word] = s.words.as_slice() else { continue };
            let slot = evidence
                .entry((locale.clone(), s.place.clone(), word.clone()))
                .or_default();
            slot.0 += 1;
            if let Some(m) = elsewhere {
                *slot.1.entry(m).or_default() += 1;
            }
        }
    }
    // A summary's entries no rule rated: each short value by its place
    // (`entry:` and the label row's label, or `entry:cell`).
    let mut entries: HashMap<String, usize> = HashMap::new();
    for d in docs.iter() {
        let locale = d.locale.clone().unwrap_or_default();
        for e in &d.entries {
            *entries.entry(locale.clone()).or_default() += 1;
            let Some(id) = e.bulletin_id else { continue };
            let elsewhere = majority_elsewhere(id, &locale);
            for s in &e.severity_stated {
                let [word] = s.words.as_slice() else { continue };
                let slot = evidence
                    .entry((locale.clone(), format!("{ENTRY}{}", s.place), word.clone()))
                    .or_default();
                slot.0 += 1;
                if let Some(m) = elsewhere {
                    *slot.1.entry(m).or_default() += 1;
                }
            }
        }
    }
    let mut learned = Vec::new();
    // (locale, line) → bulletins agreeing with what the line states, and voted.
    let mut places: HashMap<(String, String), (usize, usize)> = HashMap::new();
    for ((locale, place, word), (stating, by_severity)) in evidence {
        let voted: usize = by_severity.values().sum();
        let known = summary::severity_of(&word);
        let meaning =
            known.or_else(|| by_severity.iter().max_by_key(|(_, n)| **n).map(|(s, _)| *s));
        let agree = meaning
            .and_then(|m| by_severity.get(&m))
            .copied()
            .unwrap_or(0);
        let p = places.entry((locale.clone(), place.clone())).or_default();
        p.0 += agree;
        p.1 += voted;
        if let (None, Some(severity)) = (known, meaning)
            && agree >= 3
            && agree * 5 >= voted * 4
        {
            learned.push(LearnedSeverity {
                locale,
                place,
                word,
                severity,
                votes: (agree, stating),
            });
        }
    }
    // A line is believed when 80% of what it states agrees: the rating
    // line, not the impact or version line beside it.
    // It must also be found on at least one in 50 of the locale's
    // bulletins, and a line's word must stand in a heading or a table cell
    // of the locale too: a severity scale is shared by the heading, the
    // rating line and the tables, an answer in the FAQ is not.
    let mut bulletins: HashMap<&str, usize> = HashMap::new();
    let mut elsewhere: HashSet<(&str, &str)> = HashSet::new();
    for d in docs.iter().filter(|d| d.kind == DocKind::Bulletin) {
        let locale = d.locale.as_deref().unwrap_or_default();
        *bulletins.entry(locale).or_default() += 1;
        for s in d
            .severity_stated
            .iter()
            .filter(|s| s.is_column() || s.place.is_empty())
        {
            elsewhere.extend(s.words.iter().map(|w| (locale, w.as_str())));
        }
    }
    // A place states a scale: at most four words (critical, important,
    // moderate, low), not a column of impacts or products.
    let mut scale: HashMap<(&str, &str), usize> = HashMap::new();
    for l in &learned {
        *scale
            .entry((l.locale.as_str(), l.place.as_str()))
            .or_default() += 1;
    }
    let scale: HashMap<(String, String), usize> = scale
        .into_iter()
        .map(|((a, b), n)| ((a.to_string(), b.to_string()), n))
        .collect();
    // Each locale's label row that agrees best with the others' ratings.
    let mut best_label: HashMap<&str, String> = HashMap::new();
    let mut best_ratio: HashMap<&str, (f64, usize)> = HashMap::new();
    for ((locale, place), &(agree, voted)) in &places {
        if !place.starts_with(ENTRY) || place == &format!("{ENTRY}cell") || voted == 0 {
            continue;
        }
        let ratio = (agree as f64 / voted as f64, voted);
        let slot = best_ratio.entry(locale.as_str()).or_insert((-1.0, 0));
        // Ties go to more votes, then to the label that sorts first (the
        // map's order is no order).
        let first = best_label.get(locale.as_str()).is_none_or(|b| place < b);
        if ratio.0 > slot.0
            || (ratio.0 == slot.0 && (ratio.1 > slot.1 || (ratio.1 == slot.1 && first)))
        {
            *slot = ratio;
            best_label.insert(locale.as_str(), place.clone());
        }
    }
    learned.retain(|l| {
        let Some(&(agree, voted)) = places.get(&(l.locale.clone(), l.place.clone())) else {
            return false;
        };
        if let Some(place) = l.place.strip_prefix(ENTRY) {
            // A summary's table cell is a table cell: what it must show is
            // that it rates, over one in 50 of the locale's entries, its
            // word nine times in ten as the others rate the bulletin (a word
            // for "several" leans critical, an impact leans its way), and
            // of a label table's rows only the one that agrees best.
            let enough = (entries.get(l.locale.as_str()).copied().unwrap_or(0) / 50).max(3);
            let best_row = place == "cell"
                || best_label.get(l.locale.as_str()).map(String::as_str) == Some(l.place.as_str());
            return agree * 5 >= voted * 4
                && voted >= enough
                && l.votes.0 * 10 >= l.votes.1 * 9
                && best_row
                && scale[&(l.locale.clone(), l.place.clone())] <= 4;
        }
        let enough = (bulletins.get(l.locale.as_str()).copied().unwrap_or(0) / 50).max(3);
        agree * 5 >= voted * 4
            && voted >= enough
            && (l.place.is_empty() || elsewhere.contains(&(l.locale.as_str(), l.word.as_str())))
    });
    // Each locale's severity words, the best-voted meaning where lines differ.
    let mut words: HashMap<(&str, &str), (Severity, usize)> = HashMap::new();
    let mut entry_words: HashMap<(&str, &str), (Severity, usize)> = HashMap::new();
    for l in &learned {
        // A summary's words rate its entries; a page's, the page.
        let words = if l.place.starts_with(ENTRY) {
            &mut entry_words
        } else {
            &mut words
        };
        let slot = words
            .entry((l.locale.as_str(), l.word.as_str()))
            .or_insert((l.severity, 0));
        if l.votes.0 > slot.1 {
            *slot = (l.severity, l.votes.0);
        }
    }
    let mut read_all = Vec::new();
    for d in docs.iter().filter(|d| d.kind == DocKind::Bulletin) {
        let locale = d.locale.as_deref().unwrap_or_default();
        let read_word = |word: &str| {
            summary::severity_of(word).or_else(|| words.get(&(locale, word)).map(|w| w.0))
        };
        // The first place all of whose words are read; a column's highest.
        read_all.push(d.severity_stated.iter().find_map(|s| {
            let all: Option<Vec<Severity>> = s.words.iter().map(|w| read_word(w)).collect();
            all.and_then(|a| a.into_iter().min()) // critical orders first
        }));
    }
    for (d, read) in docs
        .iter_mut()
        .filter(|d| d.kind == DocKind::Bulletin)
        .zip(read_all)
    {
        if read.is_some() {
            d.severity = read;
        }
    }
    // Entries no rule rated: the first value whose place and word are
    // learned.
    let believed: HashSet<(&str, &str, &str)> = learned
        .iter()
        .filter_map(|l| {
            let place = l.place.strip_prefix(ENTRY)?;
            Some((l.locale.as_str(), place, l.word.as_str()))
        })
        .collect();
    for d in docs.iter_mut() {
        let locale = d.locale.clone().unwrap_or_default();
        for e in d.entries.iter_mut().filter(|e| e.severity.is_none()) {
            e.severity = e.severity_stated.iter().find_map(|s| {
                let [word] = s.words.as_slice() else {
                    return None;
                };
                believed
                    .contains(&(locale.as_str(), s.place.as_str(), word.as_str()))
                    .then(|| {
                        entry_words
                            .get(&(locale.as_str(), word.as_str()))
                            .map(|w| w.0)
                    })
                    .flatten()
            });
        }
    }
    learned
}

/// The place of a summary entry's stated value, as evidence is keyed.
const ENTRY: &str = "entry:";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::SourceFile;

    /// A bulletin page of `locale` that states `date` (yyyy-mm-dd).
    fn bulletin(locale: &str, id: &str, date: &str) -> Document {
        let text = format!(
            "---\nms:mtpsurl: 'https://technet.microsoft.com/{locale}/library/{id}(v=Security.10)'\n---\n\n\
             Microsoft Security Bulletin {id}\n=============================\n\n{date}\n"
        );
        let src = SourceFile {
            path: format!("{id}.md").into(),
            display_path: format!("{locale}/security-updates/SecurityBulletins/{id}.md"),
            bytes: text.len() as u64,
            text,
        };
        crate::extract::extract(&src, &crate::parse::parse(&src.text))
    }

    /// A locale that dates its bulletins by its local day (a day late) and
    /// its advisories by the release's is learned so per kind: one of its
    /// advisories alone is not taken a day back.
    #[test]
    fn a_locale_late_on_bulletins_and_on_time_on_advisories_is_learned_per_kind() {
        let mut model = DateModel::default();
        let base: i64 = 14_000; // a day of 2008
        for i in 0..12 {
            let release = base + 7 * i;
            let stated = |late: i64| {
                BTreeMap::from([
                    ("xa-aa".to_string(), release),
                    ("xc-cc".to_string(), release + late),
                ])
            };
            model.count(DocKind::Bulletin, &stated(1), release);
            model.count(DocKind::Advisory, &stated(0), release);
        }
        let year = Date::from_days(base).year;
        assert!(model.late("xc-cc", DocKind::Bulletin, year) > 0.9);
        assert!(model.late("xc-cc", DocKind::Advisory, year) < 0.1);
        assert_eq!(
            model.release(DocKind::Bulletin, &[("xc-cc", base + 1)]),
            Some(base)
        );
        assert_eq!(
            model.release(DocKind::Advisory, &[("xc-cc", base)]),
            Some(base)
        );
    }

    /// Two made-up locales state the release, two others their local date a
    /// day later: the release is the western date everywhere, a bulletin
    /// only an eastern locale has is shifted back, and a typo is outvoted.
    #[test]
    fn a_locale_a_day_ahead_is_learned_and_the_release_is_the_majority_once_shifted() {
        let mut docs = Vec::new();
        for (i, day) in [8, 9, 10, 14].into_iter().enumerate() {
            let id = format!("MS08-0{}", 40 + i);
            let typo = if i == 3 { "2009" } else { "2008" };
            docs.push(bulletin("xa-aa", &id, &format!("2008-07-{day:02}")));
            docs.push(bulletin("xb-bb", &id, &format!("{typo}-07-{day:02}")));
            docs.push(bulletin("xc-cc", &id, &format!("2008-07-{:02}", day + 1)));
            docs.push(bulletin("xd-dd", &id, &format!("2008-07-{:02}", day + 1)));
        }
        docs.push(bulletin("xc-cc", "MS08-050", "2008-08-01"));
        assert_eq!(
            docs[0].published.map(|d| d.to_string()).as_deref(),
            Some("2008-07-08")
        );
        let (released, shifts) = release_dates(&docs);
        assert_eq!(
            shifts.release(DocKind::Bulletin, &[("xc-cc", 100)]),
            Some(99),
            "alone, a day back"
        );
        assert_eq!(
            shifts.release(DocKind::Bulletin, &[("xa-aa", 100)]),
            Some(100)
        );
        assert_eq!(
            shifts.release(DocKind::Bulletin, &[("xz-zz", 100)]),
            Some(100),
            "never seen: the day"
        );
        let locales: Vec<(String, (usize, usize))> = shifts
            .shifts()
            .into_iter()
            .map(|s| (s.locale, s.votes))
            .collect();
        let late = |l: &str| (l.to_string(), (4, 4));
        assert_eq!(locales, [late("xc-cc"), late("xd-dd")]);
        let day = |id: &str| released.get(id).map(ToString::to_string);
        assert_eq!(day("MS08-040").as_deref(), Some("2008-07-08"));
        assert_eq!(
            day("MS08-043").as_deref(),
            Some("2008-07-14"),
            "the typo outvoted"
        );
        assert_eq!(
            day("MS08-050").as_deref(),
            Some("2008-07-31"),
            "a day back, month and all"
        );
    }
}
