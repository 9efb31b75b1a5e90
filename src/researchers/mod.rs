//! In: every extracted `Document`. Out: `CreditStore`, the merged credits
//! (who found what, with which organisation, in which bulletin), saved
//! beside the index and searched by name with prefix and typo tolerance.
//!
//! The same credit appears in every locale's summary and bulletin: credits
//! are merged by (normalised name, bulletin), keeping every locale and
//! source they were seen in, every CVE, and every spelling as an alias.
//!
//! One job per file, in the order a line takes:
//!
//! - `collect`: the stages, in order: every locale's thanks lines read by
//!   the rules, then by the two files below, repaired, grouped by name and
//!   bulletin, merged;
//! - `line`: one thanks line on its way to credits, shared by the stages;
//! - `found`: the lines of a locale without rules, found by the names the
//!   other locales credit;
//! - `contest`: the rules' reading against the learned frame's, the one that
//!   agrees better with the other locales kept;
//! - `frame`: each locale's frame, learned from its lines, and its reader;
//! - `repair`: parties no name can be, mended from the other locales;
//! - `merge`: spellings, scripts and roles of one credit made one;
//! - `store`: the saved store, its name search and the agreement metric;
//! - `profile`: researchers and organisations as the API shows them.

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

mod collect;
mod contest;
mod found;
mod frame;
mod line;
mod merge;
mod profile;
mod repair;
mod store;

pub use collect::collect;
use merge::*;
pub use profile::{Affiliation, Profile, Researcher, group};
use repair::*;
pub use store::Agreement;

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
    #[schema(value_type = Option<String>, example = "MS07-017")]
    pub bulletin_id: Option<BulletinId>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_organisations_fold_to_one_key() {
        assert_eq!(fold("Tavis  Ormandy"), "tavis ormandy");
        assert_eq!(fold("Jérôme Segura"), "jerome segura");
        assert_eq!(org_key("VeriSign iDefense Labs"), "idefense");
        assert_eq!(org_key("iDefense Labs"), "idefense");
        assert_eq!(org_key("iDefense"), "idefense");
        assert_eq!(org_key("McAfee (US-Link)"), "mcafee");
    }
}
