//! The pure first step: a query string read into a `QueryPlan` (ids found
//! with the same parsers extraction uses, quoted phrases, words, warnings).

use serde::Serialize;

use crate::ingest::normalize_inline;
use crate::model::{BulletinId, CveId, KbNumber};

/// An id recognised in a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum IdTerm {
    /// A KB number (also tried as an advisory number).
    Kb(KbNumber),
    /// A bulletin id.
    Bulletin(BulletinId),
    /// A CVE id.
    Cve(CveId),
    /// A monthly summary's id, as its file is named in every locale
    /// (`MS07-APR`, `MS13-JUN-OOB`), upper case.
    Summary(String),
}

/// A monthly summary's id (`ms07-apr`, `MS13-jun-oob`), upper case.
fn summary_id(w: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    let up = w.to_ascii_uppercase();
    let rest = up.strip_prefix("MS")?;
    let (year, rest) = rest.split_at_checked(2)?;
    let month = rest.strip_prefix('-')?;
    let month = month.strip_suffix("-OOB").unwrap_or(month);
    (year.bytes().all(|b| b.is_ascii_digit()) && MONTHS.contains(&month)).then_some(up)
}

/// What a query asks for, before it touches the index.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QueryPlan {
    /// Ids, matched exactly.
    pub ids: Vec<IdTerm>,
    /// Words, matched in every language field.
    pub terms: Vec<String>,
    /// Quoted phrases.
    pub phrases: Vec<String>,
    /// What was not understood and how it was handled.
    pub warnings: Vec<String>,
}

/// Parses a query string leniently: ids in every spelling, quoted phrases, words.
pub fn plan(query: &str) -> QueryPlan {
    let q = normalize_inline(query);
    let mut p = QueryPlan::default();
    let mut q = q.replace(['“', '”', '„', '«', '»', '「', '」'], "\"");
    if q.matches('"').count() % 2 == 1 {
        p.warnings
            .push("unbalanced quote: searched as plain words".into());
        q = q.replace('"', " ");
    }
    let mut rest = String::new();
    for (i, part) in q.split('"').enumerate() {
        if i % 2 == 1 {
            if !part.trim().is_empty() {
                p.phrases.push(part.trim().to_string());
            }
        } else {
            rest.push(' ');
            rest.push_str(part);
        }
    }
    let words: Vec<&str> = rest.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let w =
            words[i].trim_matches(|c: char| matches!(c, ',' | ';' | '(' | ')' | '.' | '?' | '!'));
        let next = words.get(i + 1).copied().unwrap_or("");
        let pair = format!("{w} {next}");
        let lower = w.to_ascii_lowercase();
        if matches!(lower.as_str(), "kb" | "q" | "cve" | "can" | "ms") && !next.is_empty() {
            let id = if lower == "cve" || lower == "can" {
                pair.parse().ok().map(IdTerm::Cve)
            } else if lower == "ms" {
                format!("{w}{next}").parse().ok().map(IdTerm::Bulletin)
            } else {
                pair.parse().ok().map(IdTerm::Kb)
            };
            if let Some(id) = id {
                p.ids.push(id);
                i += 2;
                continue;
            }
        }
        if let Ok(k) = w.parse::<KbNumber>() {
            p.ids.push(IdTerm::Kb(k));
        } else if let Ok(b) = w.parse::<BulletinId>() {
            p.ids.push(IdTerm::Bulletin(b));
        } else if let Ok(c) = w.parse::<CveId>() {
            p.ids.push(IdTerm::Cve(c));
        } else if let Some(s) = summary_id(w) {
            p.ids.push(IdTerm::Summary(s));
        } else if !w.is_empty() && w.chars().any(char::is_alphanumeric) {
            p.terms.push(w.to_string());
        }
        i += 1;
    }
    p.ids.dedup();
    p
}
