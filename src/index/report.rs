//! The index report: what a build saw, indexed, skipped and reconciled.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ingest::Skipped;
use crate::model::{BulletinId, KbNumber};

/// A document whose text is not in the language its locale declares.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Mislabelled {
    /// Where.
    pub path: String,
    /// The language the locale declares.
    pub declared: String,
    /// The language the text is written in.
    pub detected: String,
}

/// One main-KB conflict, as reported.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct ConflictReport {
    /// The bulletin.
    #[schema(value_type = String, example = "MS07-053")]
    pub bulletin_id: BulletinId,
    /// The KB the majority names.
    #[schema(value_type = String, example = "939778")]
    pub chosen: KbNumber,
    /// Each claimed KB with the documents claiming it.
    pub claims: BTreeMap<String, Vec<String>>,
}

/// What one build did.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Report {
    /// Markdown files found.
    pub files_seen: usize,
    /// Files indexed.
    pub documents_indexed: usize,
    /// Index records (files plus summary entries).
    pub records: usize,
    /// Files indexed per declared locale.
    pub per_locale: BTreeMap<String, usize>,
    /// Files indexed per kind.
    pub per_kind: BTreeMap<String, usize>,
    /// Files indexed per detected language.
    pub per_lang: BTreeMap<String, usize>,
    /// Files skipped, with their reasons.
    pub skipped: Vec<Skipped>,
    /// Files indexed although something in them was malformed, with what.
    #[serde(default)]
    pub warnings: Vec<Skipped>,
    /// Distinct bulletin ids described (own file or summary entry).
    pub bulletins: usize,
    /// Distinct KB numbers mentioned.
    pub kb_numbers: usize,
    /// Distinct CVE ids mentioned.
    pub cve_ids: usize,
    /// Acknowledgment lines found.
    pub acknowledgment_lines: usize,
    /// Bulletins whose descriptions disagree about the main KB.
    pub conflicts: Vec<ConflictReport>,
    /// Documents written in another language than their locale's.
    pub mislabelled: Vec<Mislabelled>,
    /// Bytes read.
    pub bytes: u64,
    /// Wall-clock seconds of the build.
    pub elapsed_secs: f64,
    /// Megabytes per second.
    pub mb_per_sec: f64,
    /// The translation lexicon learned from the aligned versions.
    #[serde(default)]
    pub lexicon: crate::lexicon::LexiconSummary,
    /// Credit parties no name can be: repaired from the other locales, or not stored.
    #[serde(default)]
    pub credits: crate::researchers::CreditCheck,
    /// Cross-locale agreement on the products, and the supersedence check.
    #[serde(default)]
    pub products: crate::products::ProductCheck,
    /// Locales whose pages state a release's local date, a day later.
    #[serde(default)]
    pub date_shifts: Vec<crate::reconcile::DateShift>,
    /// Severity words no table knows, learned per locale from the others.
    #[serde(default)]
    pub learned_severity: Vec<crate::reconcile::LearnedSeverity>,
    /// Month words no table knows, learned per locale from the others.
    #[serde(default)]
    pub learned_months: Vec<crate::reconcile::LearnedMonth>,
    /// Where the build's time went: each stage and its seconds, in order.
    #[serde(default)]
    pub stages: Vec<(String, f64)>,
    /// The peak resident memory so far at the end of each stage, and the
    /// anonymous memory held then, in bytes (Linux; empty elsewhere).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub memory: Vec<StageMemory>,
    /// The files and the program were those of the generation in use:
    /// nothing was built, and this is that generation's report.
    #[serde(default)]
    pub unchanged: bool,
    /// The index in use was updated, not rebuilt: what changed (see
    /// [`super::update`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<super::update::UpdateCounts>,
}

/// The metadata file written beside the index.
/// One build stage's memory (see [`Report::memory`]).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StageMemory {
    /// The stage, named as in [`Report::stages`].
    pub stage: String,
    /// The peak resident memory up to its end (data and mapped index files).
    pub peak: u64,
    /// Anonymous memory at its end (what the build holds on to).
    pub anon: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Meta {
    pub schema_version: u32,
    pub report: Report,
}

impl Meta {
    /// Reads the metadata of the generation folder `dir`.
    pub(crate) fn read(dir: &std::path::Path) -> crate::Result<Meta> {
        let path = dir.join(super::META_FILE);
        let raw = std::fs::read_to_string(&path)
            .map_err(crate::error::io(format!("reading {}", path.display())))?;
        serde_json::from_str(&raw).map_err(|e| crate::Error::Meta(path.clone(), e.to_string()))
    }
}

impl Report {
    /// A human-readable summary.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mb = self.bytes as f64 / 1e6;
        if self.unchanged {
            out.push_str(&format!(
                "nothing changed: the {} files ({mb:.1} MB) and the program are those of the index in use, checked in {:.2} s ({:.0} MB/s); `index --force` rebuilds\n",
                self.files_seen, self.elapsed_secs, self.mb_per_sec
            ));
            return out;
        }
        out.push_str(&format!(
            "files seen: {}  indexed: {}  skipped: {}  warnings: {}  records: {}\n",
            self.files_seen,
            self.documents_indexed,
            self.skipped.len(),
            self.warnings.len(),
            self.records
        ));
        let join = |m: &BTreeMap<String, usize>| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!("per locale: {}\n", join(&self.per_locale)));
        out.push_str(&format!("per kind: {}\n", join(&self.per_kind)));
        out.push_str(&format!(
            "per detected language: {}\n",
            join(&self.per_lang)
        ));
        out.push_str(&format!(
            "bulletins: {}  KB numbers: {}  CVE ids: {}  acknowledgment lines: {}\n",
            self.bulletins, self.kb_numbers, self.cve_ids, self.acknowledgment_lines
        ));
        out.push_str(&format!(
            "main-KB conflicts (majority wins): {}\n",
            self.conflicts.len()
        ));
        for c in self.conflicts.iter().take(20) {
            let claims = c
                .claims
                .iter()
                .map(|(kb, paths)| format!("{kb} ×{}", paths.len()))
                .collect::<Vec<_>>()
                .join(", ");
            out.push_str(&format!("  {} → {} ({claims})\n", c.bulletin_id, c.chosen));
        }
        if self.conflicts.len() > 20 {
            out.push_str(&format!(
                "  … {} more (see --json)\n",
                self.conflicts.len() - 20
            ));
        }
        out.push_str(&format!(
            "mislabelled language: {}\n",
            self.mislabelled.len()
        ));
        let lex = &self.lexicon;
        out.push_str(&format!(
            "lexicon: {} languages ({}), {} pairs, {} entries and {} phrase frames ({:.1} MB) from {} bulletins, {} segment pairs, learned in {:.2} s\n",
            lex.langs.len(),
            lex.langs.join(" "),
            lex.pairs,
            lex.entries,
            lex.frames,
            lex.bytes as f64 / 1e6,
            lex.bulletins,
            lex.segments,
            lex.learn_secs
        ));
        for s in &lex.samples {
            out.push_str(&format!("  {s}\n"));
        }
        let c = &self.credits;
        out.push_str(&format!(
            "credits: {} parsed, {} with a party no name can be: {} repaired from the names other locales state, {} parties not stored\n",
            c.parsed, c.malformed, c.repaired, c.failures
        ));
        for s in c.samples.iter().take(10) {
            out.push_str(&format!("  not stored: {s}\n"));
        }
        if c.found_by_agreement > 0 {
            out.push_str(&format!(
                "credits found by the names other locales credit, in documents no rule read: {}\n",
                c.found_by_agreement
            ));
        }
        out.push_str(&self.products.render());
        let frames: Vec<String> = c
            .frame_words
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        out.push_str(&format!(
            "credit lines read by their locale's learned frame: {}; parties trimmed of frame words: {}; frame words learned: {}\n",
            c.read_by_frame,
            c.frame_trimmed,
            frames.join(", ")
        ));
        if c.thanks_headings > 0 {
            out.push_str(&format!(
                "thanks headings learned from the names other locales credit: {}\n",
                c.thanks_headings
            ));
        }
        for s in &self.date_shifts {
            out.push_str(&format!(
                "{} states the local date, a day after the release, for {} of the {} releases it shares with other locales\n",
                s.locale, s.votes.0, s.votes.1
            ));
        }
        out.push_str(&format!(
            "severity words learned from the other locales: {}\n",
            self.learned_severity.len()
        ));
        for l in self.learned_severity.iter().take(12) {
            let place = if l.place.is_empty() {
                "heading".to_string()
            } else {
                format!("{:?}", l.place)
            };
            out.push_str(&format!(
                "  {} {place}: {:?} = {} ({} of {} bulletins)\n",
                l.locale,
                l.word,
                l.severity.code(),
                l.votes.0,
                l.votes.1
            ));
        }
        if !self.learned_months.is_empty() {
            out.push_str(&format!(
                "month words learned from the other locales: {}\n",
                self.learned_months.len()
            ));
        }
        for m in self.learned_months.iter().take(24) {
            out.push_str(&format!(
                "  {} {:?} = month {} ({} of {} releases)\n",
                m.locale, m.word, m.month, m.votes.0, m.votes.1
            ));
        }
        for s in &self.skipped {
            out.push_str(&format!("skipped {}: {}\n", s.path, s.reason));
        }
        for w in &self.warnings {
            out.push_str(&format!("warning {}: {}\n", w.path, w.reason));
        }
        out.push_str(&format!(
            "{:.1} MB in {:.2} s ({:.1} MB/s)\n",
            mb, self.elapsed_secs, self.mb_per_sec
        ));
        if let Some(u) = &self.update {
            out.push_str(&format!(
                "updated the index in use: {} files extracted, the rest read from its cache; {} files kept, {} rewritten, {} added, {} removed ({} records added, {} deleted)\n",
                u.files_extracted,
                u.files_kept,
                u.files_rewritten,
                u.files_added,
                u.files_removed,
                u.records_added,
                u.records_deleted
            ));
        }
        if !self.stages.is_empty() {
            let stages: Vec<String> = self
                .stages
                .iter()
                .map(|(name, secs)| format!("{name} {secs:.2} s"))
                .collect();
            out.push_str(&format!("time: {}\n", stages.join(", ")));
        }
        if !self.memory.is_empty() {
            let stages: Vec<String> = self
                .memory
                .iter()
                .map(|m| format!("{} {} MB", m.stage, m.peak / 1_000_000))
                .collect();
            out.push_str(&format!(
                "peak memory by the end of: {}\n",
                stages.join(", ")
            ));
        }
        out
    }
}
