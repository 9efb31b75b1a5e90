//! Bulletin entries of a monthly summary, read by table structure, never by
//! label wording, so every language works alike:
//! - 2003–2008: one two-column table per bulletin, the id in the header row,
//!   then title, summary, severity, impact, …, affected software by position;
//! - 2009–2017: one row per bulletin, id | title<br>summary | severity<br>impact | … | software;
//! - Exploitability Index rows (id | title | CVE) and colspan group rows
//!   (`MS16-001: title (KB)`) add CVEs and titles.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ids;
use crate::model::{BulletinId, CveId, Impact, KbNumber, Severity};
use crate::parse::{Block, Cell, Table};
use crate::vocab::{impacts_in, severity_word};

/// A cell's value lower case, without markup and punctuation around words.
fn cleaned(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '*' | '_' | '[' | ']' | '(' | ')' | '!' | ':' | '.'))
        .collect::<String>()
        .trim()
        .to_lowercase()
}

/// A value short enough to be a severity word (`Kritisk`, `Mycket viktigt`),
/// lower case and without markup; `None` for longer text, or text with
/// digits or ids in it.
fn short_value(text: &str) -> Option<String> {
    let cleaned = cleaned(text);
    let words = cleaned.split_whitespace().count();
    ((1..=2).contains(&words)
        && cleaned.chars().count() <= 24
        && !cleaned.chars().any(|c| c.is_ascii_digit()))
    .then_some(cleaned)
}

/// What one document says about one bulletin.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct BulletinEntry {
    /// The bulletin.
    pub bulletin_id: Option<BulletinId>,
    /// Its title, as written (KB parenthesis included).
    pub title: String,
    /// The main KB the title names.
    pub main_kb: Option<KbNumber>,
    /// Further KBs the title names (`(941569 und 944275)`).
    pub title_kbs: Vec<KbNumber>,
    /// The short description.
    pub summary: String,
    /// The maximum severity.
    pub severity: Option<Severity>,
    /// Impact categories.
    pub impacts: Vec<Impact>,
    /// Affected software, as written.
    pub affected: Vec<String>,
    /// CVE ids the document ties to the bulletin.
    pub cves: Vec<CveId>,
    /// Where no severity word was known: the short values the entry states
    /// and where (a label row's label, or `cell`), for the locale's severity
    /// words to be learned from the other locales (`reconcile::learn_severity`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity_stated: Vec<super::StatedSeverity>,
}

impl BulletinEntry {
    fn set_title(&mut self, title: &str) {
        if self.title.is_empty() && !title.trim().is_empty() {
            self.title = title.trim().to_string();
            let kbs = ids::title_kbs(title);
            self.main_kb = kbs.first().copied();
            self.title_kbs = kbs;
        }
    }

    fn set_severity_and_impact(&mut self, text: &str) {
        if self.severity.is_none() {
            self.severity = text.lines().find_map(severity_of);
        }
        if self.impacts.is_empty() {
            self.impacts = impacts_in(text);
        }
    }
}

/// The severity a short cell or label value states (`Kritisk`, `**Kritiek**`,
/// `Belangrijk:`, `緊***急`); `None` for longer text.
pub fn severity_of(text: &str) -> Option<Severity> {
    let cleaned = cleaned(text);
    severity_word(&cleaned).or_else(|| {
        // "Kritisk [5]", "Viktig (3)": a severity word and a count.
        let mut words = cleaned.split_whitespace();
        let first = words.next()?;
        let rest: String = words.collect();
        (rest.chars().all(|c| c.is_ascii_digit()) && !rest.is_empty())
            .then(|| severity_word(first))
            .flatten()
    })
}

/// Reads every bulletin entry of a summary's blocks, in order of first appearance.
pub fn entries(blocks: &[Block]) -> Vec<BulletinEntry> {
    let mut found: BTreeMap<BulletinId, BulletinEntry> = BTreeMap::new();
    let mut order = Vec::new();
    fn entry<'a>(
        found: &'a mut BTreeMap<BulletinId, BulletinEntry>,
        order: &mut Vec<BulletinId>,
        id: BulletinId,
    ) -> &'a mut BulletinEntry {
        if !order.contains(&id) {
            order.push(id);
        }
        found.entry(id).or_insert_with(|| BulletinEntry {
            bulletin_id: Some(id),
            ..Default::default()
        })
    }
    for block in blocks {
        let Block::Table(table) = block else { continue };
        if let Some(id) = per_bulletin_table_id(table) {
            let e = entry(&mut found, &mut order, id);
            read_label_rows(e, table);
            continue;
        }
        let mut group: Option<BulletinId> = None;
        for row in &table.rows {
            if let Some((id, title)) = group_row(row) {
                entry(&mut found, &mut order, id).set_title(title);
                group = Some(id);
                continue;
            }
            let first = row.first().map(|c| c.content.text.as_str()).unwrap_or("");
            if let Some(id) = whole_cell_id(first) {
                if row.len() >= 3 {
                    let e = entry(&mut found, &mut order, id);
                    read_row(e, row);
                }
                group = None;
                continue;
            }
            if let Some(id) = group {
                let text: String = row
                    .iter()
                    .map(|c| c.content.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let e = entry(&mut found, &mut order, id);
                for c in ids::cves(&text) {
                    if !e.cves.contains(&c) {
                        e.cves.push(c);
                    }
                }
            }
        }
    }
    order.sort();
    order
        .into_iter()
        .filter_map(|id| found.remove(&id))
        .filter(|e| !e.title.is_empty() || e.severity.is_some() || !e.cves.is_empty())
        .collect()
}

/// The id of a 2003–2008 per-bulletin table: two columns, the id in the header row.
fn per_bulletin_table_id(table: &Table) -> Option<BulletinId> {
    let header = table.rows.first()?;
    if header.len() != 2 || table.rows.len() < 3 {
        return None;
    }
    if table.rows.iter().any(|r| r.len() > 2) {
        return None;
    }
    ids::first_bulletin(&header[1].content.text)
}

fn read_label_rows(e: &mut BulletinEntry, table: &Table) {
    let values: Vec<&Cell> = table.rows[1..].iter().filter_map(|r| r.last()).collect();
    if let Some(title) = values.first() {
        let t = title
            .content
            .strong
            .first()
            .map(String::as_str)
            .unwrap_or(&title.content.text);
        e.set_title(t);
    }
    if let Some(summary) = values.get(1)
        && e.summary.is_empty()
        && severity_of(&summary.content.text).is_none()
    {
        e.summary = summary.content.text.replace('\n', " ");
    }
    let severity_at = values
        .iter()
        .position(|v| severity_of(&v.content.text).is_some());
    if let Some(i) = severity_at {
        e.severity = severity_of(&values[i].content.text);
        if let Some(next) = values.get(i + 1) {
            e.impacts = impacts_in(&next.content.text);
        }
    } else {
        // No word a rule knows: each label row's short value, by its label.
        for row in &table.rows[1..] {
            let (Some(label), Some(value)) = (row.first(), row.last()) else {
                continue;
            };
            if row.len() < 2 {
                continue;
            }
            if let Some(word) = short_value(&value.content.text) {
                e.severity_stated.push(super::StatedSeverity {
                    place: label
                        .content
                        .text
                        .trim()
                        .trim_end_matches(':')
                        .to_lowercase(),
                    words: vec![word],
                });
            }
        }
    }
    if e.impacts.is_empty() {
        for v in &values[1.min(values.len())..] {
            e.impacts = impacts_in(&v.content.text);
            if !e.impacts.is_empty() {
                break;
            }
        }
    }
    if let Some(last) = values.last().filter(|_| values.len() >= 4) {
        let text = last
            .content
            .strong
            .first()
            .cloned()
            .unwrap_or_else(|| last.content.text.clone());
        let text = text.trim_end_matches('.').trim().to_string();
        if !text.is_empty() {
            e.affected = vec![text];
        }
    }
}

fn read_row(e: &mut BulletinEntry, row: &[Cell]) {
    let second = &row[1].content;
    let third = &row[2].content.text;
    let first_line = third.lines().next().unwrap_or("");
    let known = severity_of(first_line).is_some();
    // In a language no rule knows the severity words of, the same row: a
    // short word where the Exploitability Index has its CVE ids. The word
    // is kept to be learned from the other locales.
    let unknown = (!known && ids::cves(third).is_empty() && !second.text.trim().is_empty())
        .then(|| short_value(first_line))
        .flatten();
    if !known && unknown.is_none() {
        // Exploitability Index: id | vulnerability title | CVE | …
        for c in ids::cves(third) {
            if !e.cves.contains(&c) {
                e.cves.push(c);
            }
        }
        return;
    }
    // id | title<br>summary | severity<br>impact | restart | software
    // The title is the first line; bold may split it into pieces.
    let title = second.text.lines().next().unwrap_or("");
    e.set_title(title);
    if e.summary.is_empty() {
        let rest: Vec<&str> = second
            .text
            .lines()
            .filter(|l| !title.contains(l.trim()))
            .collect();
        e.summary = rest.join(" ").trim().to_string();
    }
    e.set_severity_and_impact(third);
    if let Some(word) = unknown {
        e.severity_stated.push(super::StatedSeverity {
            place: "cell".to_string(),
            words: vec![word],
        });
    }
    if e.affected.is_empty() && row.len() >= 5 {
        e.affected = row[row.len() - 1]
            .content
            .text
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
    }
}

/// A cell that holds nothing but a bulletin id (`MS07-017`, `[MS07-017](…)`).
fn whole_cell_id(text: &str) -> Option<BulletinId> {
    let t = text.trim().trim_end_matches(['.', ':']);
    if t.len() > 12 {
        return None;
    }
    t.parse().ok()
}

/// A group row: one cell (usually colspan) reading `MS16-001: title (KB)`.
fn group_row(row: &[Cell]) -> Option<(BulletinId, &str)> {
    let cell = match row {
        [only] => only,
        [first, rest @ ..] if rest.iter().all(|c| c.content.text.is_empty()) => first,
        _ => return None,
    };
    let text = cell.content.text.trim();
    let (head, title) = text.split_once(':')?;
    let id = whole_cell_id(head)?;
    Some((id, title.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[test]
    fn short_cells_state_severities() {
        assert_eq!(severity_of("Kritisk [5]"), Some(Severity::Critical));
        assert_eq!(severity_of("**Belangrijk:**"), Some(Severity::Important));
        assert_eq!(severity_of("緊***急"), Some(Severity::Critical));
        assert_eq!(severity_of("Viktig (3)"), Some(Severity::Important));
        assert_eq!(severity_of("Kritisk sikkerhedsopdatering"), None);
    }

    #[test]
    fn one_row_per_bulletin_tables_give_title_severity_and_impact() {
        let doc = parse(
            "<table>\n<tr><th>Bulletin-id</th><th>Titel</th><th>Klassifikation</th><th>Genstart</th><th>Programmer</th></tr>\n<tr>\n<td><a href=\"x\">MS10-019</a></td>\n<td><strong>Sårbarheder i Windows kan give mulighed for fjernudførelse af kode (981210)</strong><br />\n<br />\nDenne opdatering løser to sårbarheder.</td>\n<td><a href=\"y\">Kritisk</a><br />\nFjernudførelse af kode</td>\n<td>Kræver genstart</td>\n<td>Microsoft Windows</td>\n</tr>\n</table>\n",
        );
        let entries = entries(&doc.blocks);
        assert_eq!(entries.len(), 1);
        let e = &entries[0];
        assert_eq!(e.bulletin_id.unwrap().to_string(), "MS10-019");
        assert_eq!(e.main_kb.unwrap().get(), 981210);
        assert_eq!(e.summary, "Denne opdatering løser to sårbarheder.");
        assert_eq!(e.severity, Some(Severity::Critical));
        assert_eq!(e.impacts, vec![Impact::RemoteCodeExecution]);
        assert_eq!(e.affected, vec!["Microsoft Windows"]);
    }

    #[test]
    fn group_rows_carry_ids_titles_and_cves() {
        let doc = parse(
            "<table>\n<tr><td colspan=\"4\"><a href=\"x\"><strong>MS16-001: Kumulatives Sicherheitsupdate für Internet Explorer (3124903)</strong></a></td></tr>\n<tr><td>CVE-2016-0002</td><td>Sicherheitsanfälligkeit</td><td>1</td><td>x</td></tr>\n</table>\n",
        );
        let entries = entries(&doc.blocks);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].main_kb.unwrap().get(), 3124903);
        assert_eq!(
            entries[0]
                .cves
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>(),
            vec!["CVE-2016-0002"]
        );
    }
}
