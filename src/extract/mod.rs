//! In: `SourceFile` + `ParsedDoc`. Out: `Document`, the typed record of one
//! file (kind, ids, languages, title, dates, severity, impact, KBs, CVEs,
//! bulletin entries, acknowledgment lines, plain text).
//!
//! The kind and the id come from the file name (titles and front matter are
//! sometimes wrong), confirmed by content; everything else is anchored on
//! ids, links and table structure, with words looked up in `vocab` tables.

pub mod credits;
pub mod dates;
pub mod ids;
pub mod lang;
pub mod products;
pub mod summary;

mod acks;
mod body;

use acks::*;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

pub use body::{Body, Spill};
pub use dates::Date;
pub use summary::BulletinEntry;

use crate::ingest::SourceFile;
use crate::model::{BulletinId, CveId, DocKind, Impact, KbNumber, Lang, Severity};
use crate::parse::{Block, ParsedDoc};
use crate::vocab::{Section, impacts_in, section_of};

/// One acknowledgment line with the bulletins and CVEs it credits.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AckLine {
    /// The bulletins the line credits (from the line itself, its group, or the document).
    pub bulletin_ids: Vec<BulletinId>,
    /// CVE ids named in the line.
    pub cves: Vec<CveId>,
    /// The raw text, markup removed.
    pub text: String,
    /// The texts of the line's links (organisations are usually links).
    pub links: Vec<String>,
}

/// A section of a page read as thanks lines, under its heading.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AckSection {
    /// The heading, as written.
    pub heading: String,
    /// Its lines.
    pub lines: Vec<AckLine>,
}

/// A severity as a page states it, and where.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StatedSeverity {
    /// The label of the line stating it, lower case (`最大深刻度`); a table
    /// column's header after `column:` (`column:bewertung des
    /// gesamtschweregrads`); empty for the heading after the bulletin id.
    pub place: String,
    /// What it states, lower case (`hoch`): one value for a line, each
    /// distinct value of a column, whose maximum is the bulletin's.
    pub words: Vec<String>,
}

impl StatedSeverity {
    /// Whether a table column states it (else a line or the heading).
    pub fn is_column(&self) -> bool {
        self.place.starts_with("column:")
    }
}

/// The typed record of one file. Its JSON form (`extract` prints it) leaves
/// out `date_lines` and `listings`, which only the build's learning reads;
/// the build's cache of extracted documents keeps them beside it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    /// Path shown to users (`de-de/security-updates/…/ms07-017.md`).
    pub path: String,
    /// What the document is.
    pub kind: DocKind,
    /// The document's own id: `MS07-017`, `MS07-APR`, `2719615`, `MSVR11-001`.
    pub doc_id: Option<String>,
    /// The bulletin id of a bulletin file (from its file name).
    pub bulletin_id: Option<BulletinId>,
    /// The declared locale (`da-dk`), from `ms:mtpsurl`, else from the path.
    pub locale: Option<String>,
    /// The language the locale declares.
    pub declared_lang: Option<Lang>,
    /// The language the text is written in (what it is analysed as).
    pub lang: Option<Lang>,
    /// The title: a bulletin's title heading, else the H1, else front matter.
    pub title: String,
    /// Publication date.
    pub published: Option<Date>,
    /// Last update date.
    pub updated: Option<Date>,
    /// The header lines that hold a year, where one looks like a date that
    /// the shared month words cannot read (`Publisert: 9. desember 2008` in
    /// a language without a month row), for the locale's month words to be learned from the
    /// other locales' dates (see [`crate::reconcile::learn_months`]).
    #[serde(skip)]
    pub date_lines: Vec<String>,
    /// Version (`2.0`).
    pub version: Option<String>,
    /// Maximum severity (bulletins).
    pub severity: Option<Severity>,
    /// Where the page states its severity, as written, in the order it is
    /// believed: rating lines first, the heading after the id last
    /// (bulletins). For learning a locale's severity words, and which of its
    /// lines rate, from the other locales.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity_stated: Vec<StatedSeverity>,
    /// Impact categories (bulletins).
    pub impacts: Vec<Impact>,
    /// The main KB the document's title names (bulletins).
    pub main_kb: Option<KbNumber>,
    /// Every KB number mentioned.
    pub kbs: BTreeSet<KbNumber>,
    /// Every CVE id mentioned.
    pub cves: BTreeSet<CveId>,
    /// Every bulletin id mentioned in the text.
    pub bulletins_mentioned: BTreeSet<BulletinId>,
    /// The executive summary (bulletins).
    pub summary: String,
    /// Affected software (bulletins).
    pub affected: Vec<String>,
    /// The affected-software rows and what the bulletin replaces, as this
    /// page states them (bulletins; see [`products`]).
    #[serde(default, skip_serializing_if = "products::ProductInfo::is_empty")]
    pub products: products::ProductInfo,
    /// Bulletin entries (summaries).
    pub entries: Vec<BulletinEntry>,
    /// Acknowledgment lines.
    pub acks: Vec<AckLine>,
    /// Where no thanks heading is known (no `acks`): each listing section,
    /// read as thanks lines, for the credits to learn which one thanks.
    #[serde(skip)]
    pub listings: Vec<AckSection>,
    /// The vulnerabilities the page names, by CVE id: the first heading
    /// that names one id and nothing else of it (`Sicherheitsanfälligkeit
    /// bei der Pfadüberprüfung`), the id taken out (bulletins). The same
    /// vulnerability in every locale, so the lexicon learns from them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vulnerabilities: Vec<(CveId, String)>,
    /// The whole text, markup removed, one block per line (packed).
    pub body: Body,
    /// What was malformed in the file but read anyway.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

static SUMMARY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ms\d\d-(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(-oob)?$").expect("regex")
});
static ADVISORY_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{6,8})r?$|^(msvr\d\d-\d{3})$").expect("regex"));
static ACK_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^acknowledgments?(\d{4})?$").expect("regex"));
static LOCALE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:^|/)([a-z]{2}-[a-z]{2,4})(?:/|$)").expect("regex"));
static REVISION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^V ?\d+(\.\d+)+\b").expect("regex"));
static VERSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^\d:]{2,20}:\s*(\d{1,2}[.,]\d{1,2})\s*$").expect("regex"));

/// What a file name (lower case, no extension) names: a bulletin, a
/// summary, an advisory or an Acknowledgments page.
fn names_a_document(stem: &str) -> bool {
    (stem.len() == 8 && stem.parse::<BulletinId>().is_ok())
        || SUMMARY_NAME.is_match(stem)
        || ADVISORY_NAME.is_match(stem)
        || ACK_NAME.is_match(stem)
}

/// The name the kind and id are read from: the file name without its
/// extension, or, when that names no document (`000_e266c1616801ebee.txt`),
/// the first of `ms:assetid`, the last segment of `ms:mtpsurl` and
/// `TOCTitle` that does. The file name wins where both name one: front
/// matter is sometimes wrong (zh-tw `ms16-076.md` says `ms16-006`).
fn id_stem(display_path: &str, doc: &ParsedDoc) -> String {
    let name = display_path.rsplit('/').next().unwrap_or("");
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 8 => stem,
        _ => name,
    }
    .to_ascii_lowercase();
    if names_a_document(&stem) {
        return stem;
    }
    let from_url = doc.front("ms:mtpsurl").map(|u| {
        let last = u.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        last.split('(').next().unwrap_or(last)
    });
    [doc.front("ms:assetid"), from_url, doc.front("toctitle")]
        .into_iter()
        .flatten()
        .map(|c| c.trim().to_ascii_lowercase())
        .find(|c| names_a_document(c))
        .unwrap_or(stem)
}

/// Extracts the record of one parsed file.
pub fn extract(src: &SourceFile, doc: &ParsedDoc) -> Document {
    let stem = id_stem(&src.display_path, doc);
    let locale = doc
        .front("ms:mtpsurl")
        .and_then(|u| LOCALE.captures(u))
        .or_else(|| LOCALE.captures(&src.display_path))
        .map(|c| c[1].to_ascii_lowercase());
    let declared_lang = locale.as_deref().and_then(Lang::from_locale);

    let body = doc
        .blocks
        .iter()
        .map(Block::text)
        .collect::<Vec<_>>()
        .join("\n");
    let prose: String = doc
        .blocks
        .iter()
        .filter(|b| !matches!(b, Block::Table(_)))
        .map(Block::text)
        .collect::<Vec<_>>()
        .join("\n");
    let lang = lang::detect(
        if prose.len() > 200 { &prose } else { &body },
        declared_lang,
    );

    let mut kbs = ids::kbs(&body, &[]);
    for block in &doc.blocks {
        let links: Vec<_> = match block {
            Block::Table(t) => t
                .rows
                .iter()
                .flatten()
                .flat_map(|c| c.content.links.clone())
                .collect(),
            b => b.inline().map(|i| i.links.clone()).unwrap_or_default(),
        };
        kbs.extend(ids::kbs("", &links));
    }

    let h1 = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading(1, _)));
    let h1_text = h1.map(|i| doc.blocks[i].text()).unwrap_or_default();

    let mut d = Document {
        path: src.display_path.clone(),
        kind: DocKind::Other,
        doc_id: None,
        bulletin_id: None,
        locale,
        declared_lang,
        lang,
        title: String::new(),
        published: None,
        updated: None,
        date_lines: Vec::new(),
        version: None,
        severity: None,
        severity_stated: Vec::new(),
        impacts: Vec::new(),
        main_kb: None,
        kbs,
        cves: ids::cves(&body),
        bulletins_mentioned: ids::bulletins(&body),
        summary: String::new(),
        affected: Vec::new(),
        products: products::ProductInfo::default(),
        entries: Vec::new(),
        acks: Vec::new(),
        listings: Vec::new(),
        vulnerabilities: Vec::new(),
        body: Body::new(&body),
        warnings: doc.warnings.clone(),
    };

    let front_title = doc.front("title").unwrap_or("").to_string();
    if let Some(id) = stem.parse::<BulletinId>().ok().filter(|_| stem.len() == 8) {
        d.kind = DocKind::Bulletin;
        d.bulletin_id = Some(id);
        d.doc_id = Some(id.to_string());
        bulletin(&mut d, doc, h1, &h1_text);
        d.vulnerabilities = vulnerabilities(doc);
    } else if SUMMARY_NAME.is_match(&stem) {
        d.kind = DocKind::Summary;
        d.doc_id = Some(stem.to_ascii_uppercase());
        d.title = first_non_empty(&[&h1_text, &front_title]);
        d.entries = summary::entries(&doc.blocks);
        let entry_kbs: Vec<KbNumber> = d.entries.iter().flat_map(|e| e.title_kbs.clone()).collect();
        d.kbs.extend(entry_kbs);
    } else if let Some(c) = ADVISORY_NAME.captures(&stem) {
        let number = c
            .get(1)
            .or(c.get(2))
            .map(|m| m.as_str().to_ascii_uppercase())
            .unwrap_or_default();
        let head = format!("{h1_text} {front_title}");
        if head.to_ascii_uppercase().contains(&number) || c.get(2).is_some() {
            d.kind = DocKind::Advisory;
            d.doc_id = Some(number);
            let after = h1.and_then(|i| next_heading(doc, i)).unwrap_or_default();
            d.title = first_non_empty(&[&h1_text, &front_title]);
            if !after.is_empty() && after.chars().count() > 12 {
                d.title = format!("{}: {}", d.title, after);
            }
        } else {
            d.title = first_non_empty(&[&h1_text, &front_title]);
        }
    } else if ACK_NAME.is_match(&stem) {
        d.kind = DocKind::Acknowledgments;
        d.title = first_non_empty(&[&h1_text, &front_title]);
        d.acks = ack_table_lines(doc);
    } else {
        d.title = first_non_empty(&[&h1_text, &front_title]);
    }
    if d.title.is_empty() {
        d.title = stem.clone();
    }
    if d.published.is_none() {
        let start = h1.unwrap_or(0);
        let lines = header_lines(doc, start);
        let shown: Vec<&str> = lines.iter().map(String::as_str).collect();
        let read = dates::header_dates(&shown, &crate::vocab::month_word);
        (d.published, d.updated) = (read.published, read.updated);
        if read.published.is_none() || read.unread {
            d.date_lines = lines;
        }
    }
    if d.version.is_none() {
        d.version = doc.blocks.iter().take(12).find_map(|b| match b {
            Block::Para(i) => VERSION.captures(&i.text).map(|c| c[1].replace(',', ".")),
            _ => None,
        });
    }
    // The Acknowledgments pages are tables; their index page only links them.
    if d.acks.is_empty() && d.kind != DocKind::Acknowledgments {
        d.acks = ack_section_lines(doc, d.bulletin_id);
    }
    if d.acks.is_empty() && matches!(d.kind, DocKind::Bulletin | DocKind::Summary) {
        d.listings = listing_sections(doc, d.bulletin_id);
        for s in &mut d.listings {
            correct_ack_ids(&mut s.lines, &d.entries);
        }
    }
    correct_ack_ids(&mut d.acks, &d.entries);
    d
}

fn first_non_empty(options: &[&str]) -> String {
    options
        .iter()
        .find(|s| !s.trim().is_empty())
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// The name of each vulnerability a page's headings give by its CVE id,
/// the first heading per id: `GDI Local Elevation of Privilege
/// Vulnerability - CVE-2006-5758` is `GDI Local Elevation of Privilege
/// Vulnerability`. Later headings of the same id (its mitigating factors,
/// its FAQ) are not its name. A heading that is the id alone names nothing.
fn vulnerabilities(doc: &ParsedDoc) -> Vec<(CveId, String)> {
    let mut out: Vec<(CveId, String)> = Vec::new();
    for b in &doc.blocks {
        let Block::Heading(level, inline) = b else {
            continue;
        };
        if *level < 2 {
            continue;
        }
        let Some((cve, rest)) = ids::without_one_cve(&inline.text) else {
            continue;
        };
        if out.iter().any(|(c, _)| *c == cve) {
            continue;
        }
        let separators: &[char] = &[
            '-', '–', '—', ':', '：', '.', '。', '(', ')', '（', '）', '「', '」', '"', ',', '、',
        ];
        let name = rest
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .trim_matches(|c: char| c.is_whitespace() || separators.contains(&c))
            .to_string();
        let chars = name.chars().count();
        if (3..=200).contains(&chars) {
            out.push((cve, name));
        }
    }
    out
}

fn next_heading(doc: &ParsedDoc, h1: usize) -> Option<String> {
    doc.blocks[h1 + 1..].iter().take(3).find_map(|b| match b {
        Block::Heading(l, i) if *l >= 2 => Some(i.text.replace('\n', " ")),
        _ => None,
    })
}

fn bulletin(d: &mut Document, doc: &ParsedDoc, h1: Option<usize>, h1_text: &str) {
    let id = d.bulletin_id.expect("bulletin id");
    let head = if h1_text.is_empty() {
        doc.front("title").unwrap_or("")
    } else {
        h1_text
    };
    let from_heading = severity_after_id(head, id);
    let stated_in_heading = stated_after_id(head, id);
    let title = h1.and_then(|i| next_heading(doc, i));
    d.title = match title {
        Some(t) => t,
        None => first_non_empty(&[head, doc.front("title").unwrap_or("")]),
    };
    let kbs = ids::title_kbs(&d.title);
    d.main_kb = kbs.first().copied();
    d.kbs.extend(kbs);

    // Label lines (`**Maximaal prioriteitsniveau:** kritiek`) and sections.
    let mut label_impacts = Vec::new();
    for block in doc.blocks.iter().take(60) {
        let Block::Para(inline) = block else { continue };
        let Some(label) = inline.strong.first() else {
            continue;
        };
        let text = inline.text.replace('\n', " ");
        let Some(value) = text.strip_prefix(label.as_str()) else {
            continue;
        };
        let value = value.trim_start_matches([':', ' ', '*']).trim();
        if value.is_empty() || value.chars().count() > 80 {
            continue;
        }
        // A rating line (`**Bewertung des maximalen Schweregrads:** Hoch`)
        // is believed before the heading, which some locales got wrong
        // (German 2005-08 headings say `Kritisch` where the rating is `Hoch`).
        if d.severity.is_none() {
            d.severity = summary::severity_of(value);
        }
        if is_short(value) {
            d.severity_stated.push(StatedSeverity {
                place: label.trim_end_matches([':', ' ']).trim().to_lowercase(),
                words: vec![value.trim_end_matches('.').to_lowercase()],
            });
        }
        if label_impacts.is_empty() {
            label_impacts = impacts_in(value);
        }
    }
    // Then a table column of severity words (`Bewertung des
    // Gesamtschweregrads`: the highest row's), then the heading.
    let columns = short_columns(doc);
    if d.severity.is_none() {
        d.severity = columns.iter().find_map(|c| {
            let read: Option<Vec<Severity>> =
                c.words.iter().map(|w| summary::severity_of(w)).collect();
            read.and_then(|r| r.into_iter().min()) // critical orders first
        });
    }
    d.severity_stated.extend(columns);
    d.severity = d.severity.or(from_heading);
    d.severity_stated
        .extend(stated_in_heading.map(|word| StatedSeverity {
            place: String::new(),
            words: vec![word],
        }));
    let exec = section_blocks(doc, Section::ExecutiveSummary);
    d.summary = exec
        .iter()
        .filter_map(|b| match b {
            Block::Para(i) if !i.text.trim().is_empty() => Some(i.text.replace('\n', " ")),
            _ => None,
        })
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    d.impacts = if !label_impacts.is_empty() {
        label_impacts
    } else {
        let from_title = impacts_in(&d.title);
        if from_title.is_empty() {
            impacts_in(&d.summary)
        } else {
            from_title
        }
    };
    d.affected = affected_software(doc);
    d.products = products::read(doc, Some(id), &d.affected);
}

/// Whether a value is short enough to be a rating: up to three words and
/// 30 characters (`di livello moderato`, `重要`; no sentence without spaces).
fn is_short(value: &str) -> bool {
    value.split_whitespace().count() <= 3 && value.chars().count() <= 30
}

/// The columns of a page's tables whose cells are all short (see
/// [`is_short`]) and state at most six distinct values, each with them:
/// where a table states a severity per row, among others. The first column
/// (the row's name) is left out.
fn short_columns(doc: &ParsedDoc) -> Vec<StatedSeverity> {
    let mut out: Vec<StatedSeverity> = Vec::new();
    for b in &doc.blocks {
        let Block::Table(t) = b else { continue };
        let Some(header) = t.rows.first() else {
            continue;
        };
        let width = header.len();
        for (col, head) in header.iter().enumerate().skip(1) {
            let place = format!(
                "column:{}",
                head.content
                    .text
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            )
            .to_lowercase();
            let mut words: Vec<String> = Vec::new();
            let mut short = true;
            for row in t.rows.iter().skip(1).filter(|r| r.len() == width) {
                let cell = row[col].content.text.split_whitespace().collect::<Vec<_>>();
                if cell.is_empty() {
                    continue;
                }
                let word = cell.join(" ").to_lowercase();
                if !is_short(&word) {
                    short = false;
                    break;
                }
                if !words.contains(&word) {
                    words.push(word);
                }
            }
            // A severity column states a few words; sizes, dates and file
            // versions state many.
            if short && (1..=6).contains(&words.len()) && !out.iter().any(|o| o.place == place) {
                out.push(StatedSeverity { place, words });
            }
        }
    }
    out
}

/// The severity written after the id in an H1 (`MS08-067 - Kritisch`,
/// `MS16-003 – 重大`, `(Critical)`).
/// The words after the bulletin id in a heading (`MS08-067 - Kritisch`:
/// `kritisch`), lower case, up to three words: where every locale states the
/// severity, whether or not a table knows its word.
fn stated_after_id(head: &str, id: BulletinId) -> Option<String> {
    let upper = head.to_ascii_uppercase();
    let wanted = id.to_string();
    let rest = head.get(upper.find(&wanted)? + wanted.len()..)?;
    let rest = rest
        .trim_matches(|c: char| {
            c.is_whitespace() || matches!(c, '-' | '–' | '—' | ':' | '(' | ')' | '*')
        })
        .to_lowercase();
    (!rest.is_empty() && rest.split_whitespace().count() <= 3).then_some(rest)
}

fn severity_after_id(head: &str, id: BulletinId) -> Option<Severity> {
    let upper = head.to_ascii_uppercase();
    let ids_at = ids::bulletins(&upper);
    let pos = if ids_at.contains(&id) {
        let wanted = id.to_string();
        upper.find(&wanted).map(|p| p + wanted.len())
    } else {
        ids_at
            .iter()
            .next()
            .and_then(|other| upper.find(&other.to_string()).map(|p| p + 8))
    }?;
    let rest = head.get(pos..)?;
    let rest = rest.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '–' | '—' | ':' | '(' | ')' | '*')
    });
    summary::severity_of(rest)
}

/// The header lines a page's dates stand in: the short paragraphs among
/// the first 8 blocks after `start` that hold a year.
fn header_lines(doc: &ParsedDoc, start: usize) -> Vec<String> {
    doc.blocks
        .iter()
        .skip(start)
        .take(8)
        .filter_map(|block| match block {
            Block::Para(i) if i.text.chars().count() <= 240 && dates::holds_date(&i.text) => {
                Some(i.text.clone())
            }
            _ => None,
        })
        .collect()
}

/// The heading level and text of a block that starts a section: a heading,
/// or an all-bold paragraph (level 7).
fn section_start(b: &Block) -> Option<(u8, &str)> {
    match b {
        Block::Heading(l, inline) => Some((*l, &inline.text)),
        Block::Para(inline) if inline.is_all_strong() => Some((7, &inline.text)),
        _ => None,
    }
}

/// Where the section started by block `i` (of `level`) ends: at the next
/// heading of its level or above (`flat`: of any level).
fn section_end(blocks: &[Block], i: usize, level: u8, flat: bool) -> usize {
    blocks[i + 1..]
        .iter()
        .position(|b| match b {
            Block::Heading(l, _) => *l <= level || level == 7 || flat,
            // A bold-paragraph section ends at the next bold paragraph,
            // unless that only names a bulletin (2013–14 thanks groups).
            Block::Para(inline) if level == 7 => {
                let bold_label = inline.strong.first().is_some_and(|s| {
                    inline.text.starts_with(s.as_str()) && s.trim_end().ends_with([':', '：'])
                });
                (inline.is_all_strong() || bold_label)
                    && ids::first_bulletin(&inline.text).is_none()
            }
            _ => false,
        })
        .map_or(blocks.len(), |p| i + 1 + p)
}

/// Where each block's section starts: a heading or an all-bold paragraph whose
/// text is a known section heading. Returns the blocks of the first such section.
fn section_blocks(doc: &ParsedDoc, wanted: Section) -> &[Block] {
    section_with_start(doc, wanted).map_or(&[], |(_, blocks)| blocks)
}

/// The first `wanted` section's starting block and its blocks.
fn section_with_start(doc: &ParsedDoc, wanted: Section) -> Option<(&Block, &[Block])> {
    let blocks = &doc.blocks;
    blocks.iter().enumerate().find_map(|(i, b)| {
        let (level, text) = section_start(b)?;
        (section_of(text) == Some(wanted))
            .then(|| (b, &blocks[i + 1..section_end(blocks, i, level, false)]))
    })
}

fn affected_software(doc: &ParsedDoc) -> Vec<String> {
    let section = section_blocks(doc, Section::AffectedSoftware);
    let mut out: Vec<String> = Vec::new();
    if let Some(Block::Table(t)) = section.iter().find(|b| matches!(b, Block::Table(_))) {
        for row in t.rows.iter().skip(1) {
            if let Some(first) = row.first() {
                let name = first.content.text.replace('\n', " ").trim().to_string();
                if !name.is_empty() && name.chars().count() < 200 && !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    } else {
        for b in section
            .iter()
            .take_while(|b| !matches!(b, Block::Heading(..)))
        {
            if let Block::Item(i) = b {
                out.push(i.text.replace('\n', " "));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vulnerability_is_named_by_its_first_heading_with_its_cve_id_alone() {
        let doc = crate::parse::parse(
            "# MS07-017\n\n### GDI Local Elevation of Privilege Vulnerability – CVE-2006-5758\n\n\
             text\n\n#### Mitigating Factors for GDI Local Elevation of Privilege Vulnerability - CVE-2006-5758:\n\n\
             #### WMF 拒絕服務弱點 - CVE-2007-1211\n\n#### CVE-2007-1212\n\n\
             #### Two at once - CVE-2007-1213 and CVE-2007-1215\n",
        );
        let cve = |s: &str| s.parse::<CveId>().unwrap();
        assert_eq!(
            vulnerabilities(&doc),
            vec![
                (
                    cve("CVE-2006-5758"),
                    "GDI Local Elevation of Privilege Vulnerability".to_string()
                ),
                (cve("CVE-2007-1211"), "WMF 拒絕服務弱點".to_string()),
            ]
        );
    }

    #[test]
    fn a_header_line_in_numbers_with_a_two_digit_year_is_read() {
        let text = "# Microsoft-Sicherheitsbulletin MS16-061 – Hoch\n\n\
             ## Sicherheitsupdate für Microsoft RPC (3155520)\n\n\
             Veröffentlicht: 10.05.16 | Aktualisiert: 11.05.16\n\n**Version:** 1.1\n";
        let path = "de-de/security-updates/SecurityBulletins/2016/ms16-061.md";
        let src = SourceFile {
            path: path.into(),
            display_path: path.into(),
            bytes: text.len() as u64,
            text: text.into(),
        };
        let doc = crate::parse::parse(&src.text);
        let d = extract(&src, &doc);
        assert_eq!(
            (
                d.published.map(|p| p.to_string()),
                d.updated.map(|p| p.to_string())
            ),
            (Some("2016-05-10".into()), Some("2016-05-11".into()))
        );
    }
}
