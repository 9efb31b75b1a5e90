//! In: extracted `Document`s. Out: `Lexicon`, term translation
//! probabilities between every pair of indexed languages, learned from the
//! corpus itself, and the query-side use of it: detecting a query's
//! language and expanding its words into their translations.
//!
//! Every bulletin exists in several languages with the same skeleton, so its
//! title in one language is a translation of its title in another, and
//! likewise its summary. Those aligned segments, keyed by bulletin id (a
//! language-independent anchor), train IBM Model 1 in both directions for
//! every language pair; a translation is kept when both directions agree.
//! Tokens are what the index holds: stems for stemmed languages, bigrams for
//! Chinese and Japanese, so a translation is directly a term to look up.
//! Nothing here names a language: whatever locales were indexed are learned.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analyze;
use crate::error::{Result, load_json, save_json};
use crate::extract::Document;
use crate::model::{BulletinId, CveId, DocKind, Lang};

/// The file beside the index holding the lexicon.
pub const LEXICON_FILE: &str = "lexicon.json";

/// How translation probabilities are estimated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// IBM Model 1, EM in both directions, kept where both agree.
    #[default]
    Model1,
    /// Dice coefficient of co-occurrence in aligned segments.
    Dice,
}

/// How to learn.
#[derive(Debug, Clone, Copy)]
pub struct LearnOptions {
    /// The estimator.
    pub method: Method,
    /// EM iterations (Model 1).
    pub iterations: usize,
    /// A language needs this many aligned bulletins with another to be paired.
    pub min_bulletins: usize,
    /// Whether the vulnerability names of a bulletin's pages, aligned by
    /// CVE id, are segments too (titles and summaries only without).
    pub vulnerabilities: bool,
    /// Whether phrase translations ([`FrameTable`]) are learned.
    pub frames: bool,
}

impl Default for LearnOptions {
    fn default() -> Self {
        LearnOptions {
            method: Method::Model1,
            iterations: 5,
            min_bulletins: 20,
            vulnerabilities: true,
            frames: true,
        }
    }
}

/// Translations of one language's tokens into another's.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PairTable {
    /// Source language.
    pub from: Lang,
    /// Target language.
    pub to: Lang,
    /// Aligned segment pairs it was learned from.
    pub segments: usize,
    /// Source token → (target token, weight), best first; weights sum to 1.
    pub entries: HashMap<String, Vec<(String, f32)>>,
}

/// What the index report shows of the lexicon.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LexiconSummary {
    /// Languages learned.
    pub langs: Vec<String>,
    /// Ordered language pairs with a table.
    pub pairs: usize,
    /// Source tokens with translations, over every pair.
    pub entries: usize,
    /// Bulletins with versions in at least two languages.
    pub bulletins: usize,
    /// Aligned segment pairs, over every pair.
    pub segments: usize,
    /// Source frames with translations (phrase translations), over every pair.
    #[serde(default)]
    pub frames: usize,
    /// Seconds spent learning.
    pub learn_secs: f64,
    /// Size of the stored lexicon in bytes (0 for an index kept in memory).
    #[serde(default)]
    pub bytes: usize,
    /// A few entries, for people to judge.
    pub samples: Vec<String>,
}

/// The learned lexicon, stored beside the index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Lexicon {
    /// The estimator used.
    pub method: Method,
    /// Per language, how often each word (generic analyser: not stemmed,
    /// stop words kept) occurs in its segments: the evidence for a query's language.
    pub words: BTreeMap<Lang, HashMap<String, u32>>,
    /// Per language, the sum of its word counts.
    pub word_totals: BTreeMap<Lang, u64>,
    /// One table per ordered language pair.
    pub pairs: Vec<PairTable>,
    /// Phrase translations per ordered language pair (see [`FrameTable`]);
    /// none in a lexicon written before they were learned.
    #[serde(default)]
    pub frames: Vec<FrameTable>,
    /// The report's view.
    pub summary: LexiconSummary,
    /// The frames by their first token, built on first use.
    #[serde(skip)]
    frame_index: std::sync::OnceLock<FrameIndex>,
}

/// Per (from, to) pair: the first token of each source frame → the frames.
type FrameIndex = HashMap<(Lang, Lang), HashMap<String, Vec<(Vec<String>, usize)>>>;

/// Phrase translations of one language pair, learned from aligned titles
/// and vulnerability names: what is left of a segment once the words it
/// shares with its translation (product names, ids, numbers) are taken out
/// is its *frame*, as the index's tokens (`sicherheitsanfall speicherbeschad`
/// from `Sicherheitsanfälligkeit durch Speicherbeschädigung in GDI`), and
/// a frame seen in several segments translates as a whole into the frames
/// its translations have (`betrek beveiligingslek heug ontregeld`).
/// Word-by-word translation loses such phrases; a frame keeps them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FrameTable {
    /// Source language.
    pub from: Lang,
    /// Target language.
    pub to: Lang,
    /// Source frame (its tokens sorted, joined by a space) → target frames
    /// (tokens sorted) with their share of the source's segments, best first.
    pub frames: HashMap<String, Vec<(Vec<String>, f32)>>,
}

/// A frame found in a query, and what it translates into in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundFrame<'a> {
    /// The target language.
    pub to: Lang,
    /// The source frame's tokens, sorted.
    pub tokens: Vec<String>,
    /// Its target frames (tokens sorted) with their weights, best first.
    pub translations: &'a [(Vec<String>, f32)],
}

/// A bulletin's text in one language: (title, summary) by origin.
#[derive(Default)]
struct Texts<'a> {
    file: Option<(&'a str, &'a str)>,
    entry: Option<(&'a str, &'a str)>,
    /// The vulnerabilities its page names, by CVE id.
    vulns: &'a [(CveId, String)],
}

/// Every bulletin's texts per language, from its own files and summary entries.
fn aligned(docs: &[Document]) -> BTreeMap<BulletinId, BTreeMap<Lang, Texts<'_>>> {
    let mut out: BTreeMap<BulletinId, BTreeMap<Lang, Texts>> = BTreeMap::new();
    for d in docs {
        let Some(lang) = d.lang else { continue };
        match d.kind {
            DocKind::Bulletin => {
                if let Some(id) = d.bulletin_id {
                    let t = out.entry(id).or_default().entry(lang).or_default();
                    if t.file.is_none() {
                        t.file = Some((d.title.as_str(), d.summary.as_str()));
                        t.vulns = &d.vulnerabilities;
                    }
                }
            }
            DocKind::Summary => {
                for e in &d.entries {
                    if let Some(id) = e.bulletin_id {
                        let t = out.entry(id).or_default().entry(lang).or_default();
                        t.entry
                            .get_or_insert((e.title.as_str(), e.summary.as_str()));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// How many tokens of a summary are used: the first sentences carry the
/// translation; long ones only add cost.
const SUMMARY_TOKENS: usize = 48;

/// The lexicon tokens of `text` in `lang`: the index's analyser, ids and
/// numbers dropped (they are shared across languages already).
pub fn tokens(lang: Lang, text: &str) -> Vec<String> {
    analyze::analyse(lang, text)
        .into_iter()
        .filter(|t| !t.bytes().any(|b| b.is_ascii_digit()))
        .collect()
}

/// One language's token ids.
#[derive(Default)]
struct Vocab {
    ids: HashMap<String, u32>,
    names: Vec<String>,
    freq: Vec<u32>,
}

impl Vocab {
    fn id(&mut self, t: String) -> u32 {
        if let Some(&i) = self.ids.get(&t) {
            self.freq[i as usize] += 1;
            return i;
        }
        let i = self.names.len() as u32;
        self.ids.insert(t.clone(), i);
        self.names.push(t);
        self.freq.push(1);
        i
    }
}

/// One language's tokens: its vocabulary, its texts per bulletin, its word counts.
type LangData = (Lang, Vocab, Vec<Option<TokTexts>>, HashMap<String, u32>);

/// Tokenised segments: per bulletin and language, (title, summary) per origin.
type Seg = Vec<u32>;
#[derive(Default, Clone)]
struct TokTexts {
    file: Option<(Seg, Seg)>,
    entry: Option<(Seg, Seg)>,
    vulns: Vec<(CveId, Seg)>,
}

impl Lexicon {
    /// Learns a lexicon from `docs`, leaving out the bulletins `exclude`
    /// names (held out for evaluation).
    pub fn learn(
        docs: &[Document],
        options: &LearnOptions,
        exclude: &(dyn Fn(BulletinId) -> bool + Sync),
    ) -> Lexicon {
        let started = Instant::now();
        let texts = aligned(docs);
        let bulletins: Vec<(BulletinId, &BTreeMap<Lang, Texts>)> = texts
            .iter()
            .filter(|(id, v)| v.len() >= 2 && !exclude(**id))
            .map(|(id, v)| (*id, v))
            .collect();
        // Tokenise once, per language, in parallel.
        let mut langs: Vec<Lang> = bulletins
            .iter()
            .flat_map(|(_, v)| v.keys().copied())
            .collect();
        langs.sort();
        langs.dedup();
        let per_lang: Vec<LangData> = langs
            .par_iter()
            .map(|&lang| {
                let mut vocab = Vocab::default();
                let mut words: HashMap<String, u32> = HashMap::new();
                let mut seg = |text: &str, cap: usize, vocab: &mut Vocab| -> Seg {
                    for w in analyze::analyse_generic(text) {
                        if !w.bytes().any(|b| b.is_ascii_digit()) {
                            *words.entry(w).or_default() += 1;
                        }
                    }
                    tokens(lang, text)
                        .into_iter()
                        .take(cap)
                        .map(|t| vocab.id(t))
                        .collect()
                };
                let rows = bulletins
                    .iter()
                    .map(|(_, v)| {
                        v.get(&lang).map(|t| TokTexts {
                            file: t.file.map(|(a, b)| {
                                (seg(a, 64, &mut vocab), seg(b, SUMMARY_TOKENS, &mut vocab))
                            }),
                            entry: t.entry.map(|(a, b)| {
                                (seg(a, 64, &mut vocab), seg(b, SUMMARY_TOKENS, &mut vocab))
                            }),
                            vulns: t
                                .vulns
                                .iter()
                                .map(|(c, n)| (*c, seg(n, 64, &mut vocab)))
                                .collect(),
                        })
                    })
                    .collect();
                words.retain(|_, n| *n >= 2);
                (lang, vocab, rows, words)
            })
            .collect();
        // Pair every two languages with enough bulletins in common.
        let mut jobs = Vec::new();
        for a in 0..per_lang.len() {
            for b in a + 1..per_lang.len() {
                let segs = segment_pairs(&per_lang[a].2, &per_lang[b].2, options.vulnerabilities);
                if segs.bulletins >= options.min_bulletins {
                    jobs.push((a, b, segs));
                }
            }
        }
        let tables: Vec<(PairTable, PairTable)> = jobs
            .par_iter()
            .map(|(a, b, segs)| {
                let (va, vb) = (&per_lang[*a].1, &per_lang[*b].1);
                let (ab, ba) = learn_pair(&segs.pairs, va, vb, options);
                let n = segs.pairs.len();
                (
                    PairTable {
                        from: per_lang[*a].0,
                        to: per_lang[*b].0,
                        segments: n,
                        entries: ab,
                    },
                    PairTable {
                        from: per_lang[*b].0,
                        to: per_lang[*a].0,
                        segments: n,
                        entries: ba,
                    },
                )
            })
            .collect();
        let mut pairs = Vec::new();
        for (x, y) in tables {
            pairs.push(x);
            pairs.push(y);
        }
        let paired: Vec<Lang> = {
            let mut l: Vec<Lang> = pairs.iter().map(|p| p.from).collect();
            l.sort();
            l.dedup();
            l
        };
        let words: BTreeMap<Lang, HashMap<String, u32>> = per_lang
            .into_iter()
            .filter(|(l, ..)| paired.contains(l))
            .map(|(l, _, _, w)| (l, w))
            .collect();
        let word_totals = words_totals(&words);
        let frames = match options.frames {
            true => learn_frames(&bulletins, &paired, options.vulnerabilities),
            false => Vec::new(),
        };
        let mut lexicon = Lexicon {
            method: options.method,
            word_totals,
            words,
            pairs,
            frames,
            summary: LexiconSummary::default(),
            frame_index: Default::default(),
        };
        lexicon.summary = LexiconSummary {
            langs: paired.iter().map(|l| l.code().to_string()).collect(),
            pairs: lexicon.pairs.len(),
            entries: lexicon.pairs.iter().map(|p| p.entries.len()).sum(),
            bulletins: bulletins.len(),
            segments: lexicon.pairs.iter().map(|p| p.segments).sum(),
            frames: lexicon.frames.iter().map(|t| t.frames.len()).sum(),
            learn_secs: started.elapsed().as_secs_f64(),
            samples: lexicon.samples(),
            bytes: 0,
        };
        lexicon
    }

    /// The languages the lexicon translates between.
    pub fn langs(&self) -> Vec<Lang> {
        self.words.keys().copied().collect()
    }

    /// The table from `from` to `to`.
    pub fn table(&self, from: Lang, to: Lang) -> Option<&PairTable> {
        self.pairs.iter().find(|p| p.from == from && p.to == to)
    }

    /// The translations of one token.
    pub fn translate(&self, from: Lang, to: Lang, token: &str) -> &[(String, f32)] {
        self.table(from, to)
            .and_then(|t| t.entries.get(token))
            .map_or(&[], Vec::as_slice)
    }

    /// Per target language of `targets`, the largest learned frame of
    /// `from` whose tokens all stand among `tokens` (a query's), with its
    /// translations; a language without a fitting frame of two tokens or
    /// more has none.
    pub fn frames(&self, from: Lang, tokens: &[String], targets: &[Lang]) -> Vec<FoundFrame<'_>> {
        let index = self.frame_index.get_or_init(|| {
            let mut index: FrameIndex = HashMap::new();
            for (t, table) in self.frames.iter().enumerate() {
                let by_first = index.entry((table.from, table.to)).or_default();
                for key in table.frames.keys() {
                    let words: Vec<String> = key.split(' ').map(str::to_string).collect();
                    by_first
                        .entry(words[0].clone())
                        .or_default()
                        .push((words, t));
                }
            }
            index
        });
        let have: std::collections::HashSet<&str> = tokens.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        for &to in targets.iter().filter(|&&t| t != from) {
            let Some(by_first) = index.get(&(from, to)) else {
                continue;
            };
            let mut best: Option<&(Vec<String>, usize)> = None;
            for t in &have {
                for found in by_first.get(*t).into_iter().flatten() {
                    let words = &found.0;
                    let fits = words.iter().all(|w| have.contains(w.as_str()));
                    let better = best.is_none_or(|(b, _)| {
                        words.len() > b.len() || (words.len() == b.len() && words < b)
                    });
                    if fits && better {
                        best = Some(found);
                    }
                }
            }
            if let Some((words, t)) = best
                && let Some(translations) = self.frames[*t].frames.get(&words.join(" "))
            {
                out.push(FoundFrame {
                    to,
                    tokens: words.clone(),
                    translations,
                });
            }
        }
        out
    }

    /// Each language's most frequent token with a confident translation
    /// other than itself, shown with its translations.
    fn samples(&self) -> Vec<String> {
        let langs = self.langs();
        let mut out = Vec::new();
        for (i, &from) in langs.iter().enumerate() {
            let to = langs[(i + 1) % langs.len()];
            let (Some(table), Some(words)) = (self.table(from, to), self.words.get(&from)) else {
                continue;
            };
            let best = table
                .entries
                .iter()
                .filter(|(s, t)| {
                    // A real translation, not the same word stemmed another way.
                    let head: String = s.chars().take(4).collect();
                    s.chars().count() > 3
                        && t.first()
                            .is_some_and(|(w, p)| !w.starts_with(&head) && *p >= 0.5)
                })
                .max_by_key(|(s, _)| (words.get(*s).copied().unwrap_or(0), (*s).clone()));
            if let Some((s, t)) = best {
                let shown: Vec<String> = t
                    .iter()
                    .take(3)
                    .map(|(w, p)| format!("{w} {p:.2}"))
                    .collect();
                out.push(format!("{from}→{to} {s} → {}", shown.join(", ")));
            }
        }
        out
    }

    /// Writes the lexicon into the index directory; returns its size in bytes.
    pub fn save(&self, dir: &Path) -> Result<usize> {
        save_json(dir, LEXICON_FILE, self)
    }

    /// Reads the lexicon of the index in `dir`; an index without one has an empty lexicon.
    pub fn load(dir: &Path) -> Result<Lexicon> {
        load_json(dir, LEXICON_FILE)
    }
}

fn words_totals(words: &BTreeMap<Lang, HashMap<String, u32>>) -> BTreeMap<Lang, u64> {
    words
        .iter()
        .map(|(l, w)| (*l, w.values().map(|&n| u64::from(n)).sum()))
        .collect()
}

/// A source frame needs this many segments to be kept, and a target frame
/// this many of them.
const MIN_FRAME_SEGMENTS: u32 = 2;
/// A target frame is kept when it has at least this share of its source's segments.
const MIN_FRAME_SHARE: f32 = 0.2;
/// At most this many target frames per source frame.
const MAX_FRAME_TRANSLATIONS: usize = 2;
/// Frames are two to this many tokens long (a longer one is a whole
/// sentence, seen once).
const MAX_FRAME_TOKENS: usize = 16;

/// The words of `text`: runs of letters and digits, split where CJK meets
/// other scripts (`Explorerのメモリ破損` is `Explorer` and `のメモリ破損`).
fn words(text: &str) -> Vec<&str> {
    let cjk = |c: char| crate::script::Script::of(c).is_some_and(|s| s.is_cjk());
    let mut out = Vec::new();
    let mut start: Option<(usize, bool)> = None;
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric();
        match start {
            Some((s, kind)) if !word || cjk(c) != kind => {
                out.push(&text[s..i]);
                start = word.then_some((i, cjk(c)));
            }
            None if word => start = Some((i, cjk(c))),
            _ => {}
        }
    }
    if let Some((s, _)) = start {
        out.push(&text[s..]);
    }
    out
}

/// The frame of `text` (in `lang`) against its translation `other`: its
/// tokens, sorted, from the words `other` does not hold as well (product
/// names, ids, numbers stay the same across languages).
fn frame_of(lang: Lang, text: &str, other: &str) -> Vec<String> {
    let shared: std::collections::HashSet<String> =
        words(other).iter().map(|w| w.to_lowercase()).collect();
    let kept: Vec<&str> = words(text)
        .into_iter()
        .filter(|w| !shared.contains(&w.to_lowercase()))
        .collect();
    let mut t = tokens(lang, &kept.join(" "));
    t.sort();
    t.dedup();
    t
}

/// Learns the frames of every pair of `langs` from the bulletins' titles
/// (file and summary entry) and, with `vulnerabilities`, their names by CVE id.
fn learn_frames(
    bulletins: &[(BulletinId, &BTreeMap<Lang, Texts>)],
    langs: &[Lang],
    vulnerabilities: bool,
) -> Vec<FrameTable> {
    let pairs: Vec<(Lang, Lang)> = langs
        .iter()
        .flat_map(|&a| langs.iter().filter(move |&&b| b > a).map(move |&b| (a, b)))
        .collect();
    pairs
        .par_iter()
        .flat_map_iter(|&(a, b)| {
            type Counts = HashMap<Vec<String>, HashMap<Vec<String>, u32>>;
            let (mut ab, mut ba): (Counts, Counts) = Default::default();
            for (_, v) in bulletins {
                let (Some(x), Some(y)) = (v.get(&a), v.get(&b)) else {
                    continue;
                };
                let mut segments: Vec<(&str, &str)> = Vec::new();
                for (p, q) in [(x.file, y.file), (x.entry, y.entry)] {
                    if let (Some(p), Some(q)) = (p, q) {
                        segments.push((p.0, q.0));
                    }
                }
                for (cve, p) in x.vulns.iter().filter(|_| vulnerabilities) {
                    if let Some((_, q)) = y.vulns.iter().find(|(c, _)| c == cve) {
                        segments.push((p, q));
                    }
                }
                for (p, q) in segments {
                    let (fp, fq) = (frame_of(a, p, q), frame_of(b, q, p));
                    let size = |f: &Vec<String>| (2..=MAX_FRAME_TOKENS).contains(&f.len());
                    if size(&fp) && size(&fq) {
                        *ab.entry(fp.clone())
                            .or_default()
                            .entry(fq.clone())
                            .or_default() += 1;
                        *ba.entry(fq).or_default().entry(fp).or_default() += 1;
                    }
                }
            }
            let table = |from: Lang, to: Lang, counts: Counts| {
                let frames = counts
                    .into_iter()
                    .filter_map(|(source, targets)| {
                        let total: u32 = targets.values().sum();
                        let mut kept: Vec<(Vec<String>, u32)> = targets
                            .into_iter()
                            .filter(|(_, n)| {
                                *n >= MIN_FRAME_SEGMENTS
                                    && *n as f32 >= MIN_FRAME_SHARE * total as f32
                            })
                            .collect();
                        kept.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
                        kept.truncate(MAX_FRAME_TRANSLATIONS);
                        let sum: u32 = kept.iter().map(|k| k.1).sum();
                        (!kept.is_empty()).then(|| {
                            let out = kept
                                .into_iter()
                                .map(|(t, n)| (t, n as f32 / sum as f32))
                                .collect();
                            (source.join(" "), out)
                        })
                    })
                    .collect();
                FrameTable { from, to, frames }
            };
            [table(a, b, ab), table(b, a, ba)]
        })
        .collect()
}

struct SegmentPairs {
    bulletins: usize,
    pairs: Vec<(Seg, Seg)>,
}

/// The aligned segments of two languages: titles with titles and summaries
/// with summaries of the same origin (a bulletin file's executive summary is
/// longer than its summary entry's), titles across origins, and the names
/// of the same vulnerability (by CVE id) in the two pages of a bulletin.
fn segment_pairs(
    a: &[Option<TokTexts>],
    b: &[Option<TokTexts>],
    vulnerabilities: bool,
) -> SegmentPairs {
    let mut out = SegmentPairs {
        bulletins: 0,
        pairs: Vec::new(),
    };
    for (x, y) in a.iter().zip(b) {
        let (Some(x), Some(y)) = (x, y) else { continue };
        out.bulletins += 1;
        let mut same_origin = false;
        for (p, q) in [(&x.file, &y.file), (&x.entry, &y.entry)] {
            if let (Some(p), Some(q)) = (p, q) {
                same_origin = true;
                out.pairs.push((p.0.clone(), q.0.clone()));
                out.pairs.push((p.1.clone(), q.1.clone()));
            }
        }
        if !same_origin {
            let p = x.file.as_ref().or(x.entry.as_ref());
            let q = y.file.as_ref().or(y.entry.as_ref());
            if let (Some(p), Some(q)) = (p, q) {
                out.pairs.push((p.0.clone(), q.0.clone()));
            }
        }
        for (cve, p) in x.vulns.iter().filter(|_| vulnerabilities) {
            if let Some((_, q)) = y.vulns.iter().find(|(c, _)| c == cve) {
                out.pairs.push((p.clone(), q.clone()));
            }
        }
    }
    out.pairs.retain(|(p, q)| !p.is_empty() && !q.is_empty());
    out
}

/// A translation is kept when its weight reaches this (before renormalising).
const MIN_PROB: f32 = 0.05;
/// At most this many translations per token.
const MAX_TRANSLATIONS: usize = 4;
/// A source token needs this many occurrences to get translations.
const MIN_FREQ: u32 = 2;

type Table = HashMap<String, Vec<(String, f32)>>;

/// Learns both directions of one language pair.
fn learn_pair(
    pairs: &[(Seg, Seg)],
    va: &Vocab,
    vb: &Vocab,
    options: &LearnOptions,
) -> (Table, Table) {
    match options.method {
        Method::Model1 => {
            let ab = Model1::train(pairs.iter().map(|(p, q)| (p, q)), options.iterations);
            let ba = Model1::train(pairs.iter().map(|(p, q)| (q, p)), options.iterations);
            // Geometric mean of both directions: a translation both agree on.
            let score = |s: u32, t: u32| -> f32 { (ab.prob(s, t) * ba.prob(t, s)).sqrt() };
            let back = |s: u32, t: u32| -> f32 { (ba.prob(s, t) * ab.prob(t, s)).sqrt() };
            (
                table(&ab.candidates(), va, vb, &score),
                table(&ba.candidates(), vb, va, &back),
            )
        }
        Method::Dice => {
            let d = Dice::count(pairs);
            let ab = |s: u32, t: u32| d.score(s, t);
            let ba = |s: u32, t: u32| d.score(t, s);
            let forward: Vec<(u32, u32)> = d.joint.keys().map(|&k| split(k)).collect();
            let backward: Vec<(u32, u32)> = forward.iter().map(|&(s, t)| (t, s)).collect();
            (table(&forward, va, vb, &ab), table(&backward, vb, va, &ba))
        }
    }
}

/// Keeps each source token's best translations, weights summing to 1.
fn table(
    candidates: &[(u32, u32)],
    from: &Vocab,
    to: &Vocab,
    score: &dyn Fn(u32, u32) -> f32,
) -> Table {
    let mut by_source: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
    for &(s, t) in candidates {
        if from.freq[s as usize] < MIN_FREQ || to.freq[t as usize] < MIN_FREQ {
            continue;
        }
        let p = score(s, t);
        if p >= MIN_PROB {
            by_source.entry(s).or_default().push((t, p));
        }
    }
    by_source
        .into_iter()
        .map(|(s, mut ts)| {
            ts.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            ts.truncate(MAX_TRANSLATIONS);
            let sum: f32 = ts.iter().map(|t| t.1).sum();
            let out = ts
                .into_iter()
                .map(|(t, p)| (to.names[t as usize].clone(), p / sum))
                .collect();
            (from.names[s as usize].clone(), out)
        })
        .collect()
}

fn key(s: u32, t: u32) -> u64 {
    (u64::from(s) << 32) | u64::from(t)
}

fn split(k: u64) -> (u32, u32) {
    ((k >> 32) as u32, k as u32)
}

/// The empty word of Model 1: target words without a counterpart align to it.
const NULL: u32 = u32::MAX;

/// IBM Model 1: t(target | source) by expectation maximisation.
struct Model1 {
    /// Link index of every (source, target) pair that co-occurs.
    links: HashMap<u64, u32>,
    /// t per link.
    t: Vec<f32>,
}

impl Model1 {
    fn train<'a>(pairs: impl Iterator<Item = (&'a Seg, &'a Seg)>, iterations: usize) -> Model1 {
        let mut links: HashMap<u64, u32> = HashMap::new();
        let mut source_of: Vec<u32> = Vec::new();
        // Per segment pair: target count, then per target the link of each source (NULL first).
        let mut shapes: Vec<(usize, usize)> = Vec::new();
        let mut flat: Vec<u32> = Vec::new();
        for (src, tgt) in pairs {
            shapes.push((src.len() + 1, tgt.len()));
            for &t in tgt {
                for &s in std::iter::once(&NULL).chain(src) {
                    let next = links.len() as u32;
                    let l = *links.entry(key(s, t)).or_insert_with(|| {
                        source_of.push(s);
                        next
                    });
                    flat.push(l);
                }
            }
        }
        let mut t = vec![1.0f32; links.len()];
        // Sources get dense slots for the normalisation.
        let mut slot: HashMap<u32, usize> = HashMap::new();
        let source_slot: Vec<usize> = source_of
            .iter()
            .map(|s| {
                let n = slot.len();
                *slot.entry(*s).or_insert(n)
            })
            .collect();
        let mut counts = vec![0.0f32; links.len()];
        let mut totals = vec![0.0f32; slot.len()];
        for _ in 0..iterations {
            counts.iter_mut().for_each(|c| *c = 0.0);
            totals.iter_mut().for_each(|c| *c = 0.0);
            let mut at = 0;
            for &(m, n) in &shapes {
                for _ in 0..n {
                    let row = &flat[at..at + m];
                    let den: f32 = row.iter().map(|&l| t[l as usize]).sum();
                    if den > 0.0 {
                        for &l in row {
                            counts[l as usize] += t[l as usize] / den;
                        }
                    }
                    at += m;
                }
            }
            for (l, c) in counts.iter().enumerate() {
                totals[source_slot[l]] += c;
            }
            for (l, p) in t.iter_mut().enumerate() {
                let total = totals[source_slot[l]];
                *p = if total > 0.0 { counts[l] / total } else { 0.0 };
            }
        }
        Model1 { links, t }
    }

    fn prob(&self, s: u32, t: u32) -> f32 {
        self.links
            .get(&key(s, t))
            .map_or(0.0, |&l| self.t[l as usize])
    }

    fn candidates(&self) -> Vec<(u32, u32)> {
        self.links
            .iter()
            .filter(|&(&k, &l)| split(k).0 != NULL && self.t[l as usize] >= MIN_PROB)
            .map(|(&k, _)| split(k))
            .collect()
    }
}

/// Dice coefficients of co-occurrence in aligned segments.
struct Dice {
    source: HashMap<u32, u32>,
    target: HashMap<u32, u32>,
    joint: HashMap<u64, u32>,
}

impl Dice {
    fn count(pairs: &[(Seg, Seg)]) -> Dice {
        let mut d = Dice {
            source: HashMap::new(),
            target: HashMap::new(),
            joint: HashMap::new(),
        };
        for (p, q) in pairs {
            let mut p = p.clone();
            p.sort_unstable();
            p.dedup();
            let mut q = q.clone();
            q.sort_unstable();
            q.dedup();
            for &s in &p {
                *d.source.entry(s).or_default() += 1;
                for &t in &q {
                    *d.joint.entry(key(s, t)).or_default() += 1;
                }
            }
            for &t in &q {
                *d.target.entry(t).or_default() += 1;
            }
        }
        d
    }

    fn score(&self, s: u32, t: u32) -> f32 {
        let joint = self.joint.get(&key(s, t)).copied().unwrap_or(0) as f32;
        let a = self.source.get(&s).copied().unwrap_or(0) as f32;
        let b = self.target.get(&t).copied().unwrap_or(0) as f32;
        if a + b == 0.0 {
            0.0
        } else {
            2.0 * joint / (a + b)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(words: &[&str]) -> Vocab {
        let mut v = Vocab::default();
        for w in words {
            v.id((*w).to_string());
            v.id((*w).to_string());
        }
        v
    }

    /// The textbook example: three sentence pairs suffice for EM to pair
    /// each word with its translation.
    #[test]
    fn model1_learns_the_textbook_example() {
        let de = vocab(&["das", "haus", "buch", "ein"]);
        let en = vocab(&["the", "house", "book", "a"]);
        let pairs: Vec<(Seg, Seg)> = vec![
            (vec![0, 1], vec![0, 1]),
            (vec![0, 2], vec![0, 2]),
            (vec![3, 2], vec![3, 2]),
        ];
        let options = LearnOptions {
            iterations: 10,
            ..LearnOptions::default()
        };
        let (de_en, en_de) = learn_pair(&pairs, &de, &en, &options);
        let best = |t: &Table, w: &str| t.get(w).map(|v| v[0].0.clone());
        assert_eq!(best(&de_en, "das").as_deref(), Some("the"));
        assert_eq!(best(&de_en, "haus").as_deref(), Some("house"));
        assert_eq!(best(&de_en, "buch").as_deref(), Some("book"));
        assert_eq!(best(&en_de, "a").as_deref(), Some("ein"));
        let das = &de_en["das"];
        assert!(das[0].1 > 0.7, "{das:?}");
        let sum: f32 = das.iter().map(|t| t.1).sum();
        assert!((sum - 1.0).abs() < 1e-5);
    }

    #[test]
    fn the_names_of_one_vulnerability_are_a_segment_pair() {
        let cve = |s: &str| s.parse::<CveId>().unwrap();
        let texts = |title: Seg, vulns: Vec<(CveId, Seg)>| {
            Some(TokTexts {
                file: Some((title, vec![9])),
                entry: None,
                vulns,
            })
        };
        let a = [texts(
            vec![1, 2],
            vec![
                (cve("CVE-2006-5758"), vec![3, 4]),
                (cve("CVE-2007-1211"), vec![5]),
            ],
        )];
        let b = [texts(vec![11, 12], vec![(cve("CVE-2007-1211"), vec![15])])];
        let with = segment_pairs(&a, &b, true);
        assert_eq!(
            with.pairs,
            vec![
                (vec![1, 2], vec![11, 12]),
                (vec![9], vec![9]),
                (vec![5], vec![15])
            ]
        );
        assert_eq!(segment_pairs(&a, &b, false).pairs.len(), 2);
    }

    #[test]
    fn dice_pairs_words_that_always_co_occur() {
        let de = vocab(&["das", "haus", "buch"]);
        let en = vocab(&["the", "house", "book"]);
        let pairs: Vec<(Seg, Seg)> = vec![(vec![0, 1], vec![0, 1]), (vec![0, 2], vec![0, 2])];
        let options = LearnOptions {
            method: Method::Dice,
            ..LearnOptions::default()
        };
        let (de_en, _) = learn_pair(&pairs, &de, &en, &options);
        assert_eq!(de_en["das"][0].0, "the");
        assert_eq!(de_en["haus"][0].0, "house");
        // house co-occurs with das once of twice: Dice 2·1/(2+1).
        let d = Dice::count(&pairs);
        assert!((d.score(0, 1) - 2.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn words_split_where_cjk_meets_latin() {
        assert_eq!(
            words("Internet Explorerのメモリ破損の脆弱性 - CVE-2006-5758"),
            [
                "Internet",
                "Explorer",
                "のメモリ破損の脆弱性",
                "CVE",
                "2006",
                "5758"
            ]
        );
        // The words the translation shares are not the frame.
        assert_eq!(
            frame_of(
                Lang::De,
                "Sicherheitsanfälligkeit durch Speicherbeschädigung in GDI",
                "Beveiligingslek door geheugenbeschadiging in GDI"
            ),
            ["sicherheitsanfall", "speicherbeschad"]
        );
    }

    #[test]
    fn a_phrase_seen_with_several_products_is_learned_and_found_whole() {
        let cve = |s: &str| s.parse::<CveId>().unwrap();
        let (de, nl) = (
            "Sicherheitsanfälligkeit durch Speicherbeschädigung in ",
            "Beveiligingslek door geheugenbeschadiging in ",
        );
        let names: Vec<[(CveId, String); 1]> = ["GDI", "Excel", "Word"]
            .iter()
            .enumerate()
            .map(|(i, product)| [(cve(&format!("CVE-2007-100{i}")), format!("{de}{product}"))])
            .collect();
        let nl_names: Vec<[(CveId, String); 1]> = ["GDI", "Excel", "Word"]
            .iter()
            .enumerate()
            .map(|(i, product)| [(cve(&format!("CVE-2007-100{i}")), format!("{nl}{product}"))])
            .collect();
        // A fourth phrase, seen once, is no frame.
        let once_de = [(
            cve("CVE-2007-0009"),
            "Sicherheitsanfälligkeit beim Drucken in Paint".to_string(),
        )];
        let once_nl = [(
            cve("CVE-2007-0009"),
            "Beveiligingslek bij afdrukken in Paint".to_string(),
        )];
        let mut texts: Vec<BTreeMap<Lang, Texts>> = Vec::new();
        for (a, b) in names.iter().zip(&nl_names) {
            texts.push(BTreeMap::from([
                (
                    Lang::De,
                    Texts {
                        vulns: a,
                        ..Texts::default()
                    },
                ),
                (
                    Lang::Nl,
                    Texts {
                        vulns: b,
                        ..Texts::default()
                    },
                ),
            ]));
        }
        texts.push(BTreeMap::from([
            (
                Lang::De,
                Texts {
                    vulns: &once_de,
                    ..Texts::default()
                },
            ),
            (
                Lang::Nl,
                Texts {
                    vulns: &once_nl,
                    ..Texts::default()
                },
            ),
        ]));
        let ids = ["MS07-001", "MS07-002", "MS07-003", "MS07-004"];
        let bulletins: Vec<(BulletinId, &BTreeMap<Lang, Texts>)> =
            ids.iter().map(|b| b.parse().unwrap()).zip(&texts).collect();
        let frames = learn_frames(&bulletins, &[Lang::De, Lang::Nl], true);
        let de_nl = frames.iter().find(|t| t.from == Lang::De).unwrap();
        assert_eq!(de_nl.to, Lang::Nl);
        let expected_nl = tokens(Lang::Nl, "beveiligingslek geheugenbeschadiging");
        assert_eq!(expected_nl, ["beveiligingslek", "heunbeschaad"]);
        assert_eq!(
            de_nl.frames,
            HashMap::from([(
                "sicherheitsanfall speicherbeschad".to_string(),
                vec![(expected_nl.clone(), 1.0)]
            )])
        );
        // Without the names, nothing is learned from these bulletins.
        assert!(
            learn_frames(&bulletins, &[Lang::De, Lang::Nl], false)
                .iter()
                .all(|t| t.frames.is_empty())
        );
        // A query holding the frame, whatever product it names, finds it.
        let lexicon = Lexicon {
            frames,
            ..Lexicon::default()
        };
        let query = tokens(
            Lang::De,
            "Speicherbeschädigung in Outlook Sicherheitsanfälligkeit",
        );
        let found = lexicon.frames(Lang::De, &query, &[Lang::De, Lang::Nl, Lang::Ja]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].to, Lang::Nl);
        assert_eq!(found[0].tokens, ["sicherheitsanfall", "speicherbeschad"]);
        assert_eq!(found[0].translations, [(expected_nl, 1.0)]);
        // A query holding only part of it finds none.
        let part = tokens(Lang::De, "Speicherbeschädigung in Outlook");
        assert!(lexicon.frames(Lang::De, &part, &[Lang::Nl]).is_empty());
    }
}
