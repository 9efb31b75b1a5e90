//! The affected-software rows of a bulletin, read from the page's structure
//! rather than its words, so that a language no table knows reads the same.
//!
//! Every era states them differently:
//! - 2007 on: a table (HTML with colspan group rows, or pipe) whose rows hold
//!   a download link or a KB number, one column of bulletin ids (what the
//!   row's update replaces), short columns of impact and severity words;
//! - 2003–07: list items `Product – [Download the update](…)`;
//! - before 2003: list items under the affected-software heading (the only
//!   place a vocabulary table is needed, and only as a prior).
//!
//! What a bulletin replaces is also stated bulletin-wide: a FAQ table whose
//! rows start with the replaced bulletins' ids, one column per product
//! (2005–07), and a header label line naming them (`**Security Update
//! Replacement:** This bulletin replaces MS05-002`).
//!
//! Column roles come from content: the download links and KBs say which
//! column is the update's, bulletin ids which one replaces, and the short
//! cells left over are the impact and severity words, read through the
//! vocabulary where it knows them and learned from the other locales' rows
//! of the same bulletin where it does not (see [`crate::products`]).

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::ids;
use crate::model::{BulletinId, Impact, KbNumber, Severity};
use crate::parse::{Block, Cell, Inline, ParsedDoc, Table};
use crate::vocab::impacts_in;

/// A replaced bulletin, with the KB of its update where the row states it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
pub struct Replaced {
    /// The replaced bulletin.
    #[schema(value_type = String, example = "MS06-040")]
    pub bulletin: BulletinId,
    /// Its update's KB, where stated (`MS06-040 (KB921883)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "921883")]
    pub kb: Option<KbNumber>,
}

/// One row of an affected-software table or list, as this page states it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ProductRow {
    /// The product as written (`Microsoft Office XP Service Pack 3`).
    pub product: String,
    /// The component the update is for, where the table has a column for
    /// it (`Microsoft Word 2002 Service Pack 3`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// The group row above it (`Microsoft Office Suites und Komponenten`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The KBs the row states (its download link's text or a `(KB…)`).
    pub kbs: Vec<KbNumber>,
    /// Whether the row links a download.
    pub download: bool,
    /// The maximum security impact, where read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
    /// The aggregate severity, where read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// What this row's update replaces; `None` where the table has no such
    /// column (a stated "None" is `Some(vec![])`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<Vec<Replaced>>,
    /// The short cells besides the product, update and replaced columns,
    /// lower case, by their column counted from the table's end (`[(3,
    /// "remotecodeausführung"), (2, "kritisch")]`): where impact and
    /// severity words are learned from the other locales' reading of the
    /// same row when the vocabulary does not know them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<(u8, String)>,
    /// The updates its download links name (the `familyid` of
    /// `microsoft.com/download/details.aspx?familyid=…`, lower case): the
    /// same in every locale's page, so a row that states no KB takes the
    /// one other rows state beside the same link.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub updates: Vec<String>,
}

/// A FAQ table of replaced bulletins (2005–07): one row per replaced
/// bulletin, one column per product, each cell a word saying whether the
/// product's update replaces it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ReplacesMatrix {
    /// The product columns' headings.
    pub products: Vec<String>,
    /// Per replaced bulletin, its cells (lower case).
    pub rows: Vec<(BulletinId, Vec<String>)>,
}

/// What a bulletin page states about its products and what it replaces.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct ProductInfo {
    /// The affected rows, in page order.
    pub rows: Vec<ProductRow>,
    /// The non-affected software named in a table after the affected ones.
    pub not_affected: Vec<String>,
    /// The FAQ tables of replaced bulletins.
    pub matrices: Vec<ReplacesMatrix>,
    /// Bulletins a header label line says this one replaces.
    pub header_replaces: Vec<BulletinId>,
}

impl ProductInfo {
    /// Every bulletin the page says it replaces: its rows', its FAQ
    /// tables' and its header's.
    pub fn replaced(&self) -> std::collections::BTreeSet<BulletinId> {
        let mut out: std::collections::BTreeSet<BulletinId> = self
            .rows
            .iter()
            .flat_map(|r| r.replaces.iter().flatten().map(|x| x.bulletin))
            .collect();
        out.extend(
            self.matrices
                .iter()
                .flat_map(|m| m.rows.iter().map(|(b, _)| *b)),
        );
        out.extend(self.header_replaces.iter().copied());
        out
    }

    /// Whether the page states nothing of it.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
            && self.not_affected.is_empty()
            && self.matrices.is_empty()
            && self.header_replaces.is_empty()
    }
}

/// The first block at or after which no affected-software row is looked
/// for: the first table that states CVE ids, in its heading row or its data
/// (the severity table comes after the affected software in every era), and
/// never past block 200.
fn product_zone(doc: &ParsedDoc) -> usize {
    doc.blocks
        .iter()
        .take(200)
        .position(|b| match b {
            Block::Table(t) => t
                .rows
                .iter()
                .any(|r| r.iter().any(|c| !ids::cves(&c.content.text).is_empty())),
            _ => false,
        })
        .unwrap_or(doc.blocks.len().min(200))
}

/// Whether a link is an update's download (`microsoft.com/download…`,
/// `familyid=`, the update catalog).
fn is_download(href: &str) -> bool {
    let h = href.to_ascii_lowercase();
    h.contains("/download") || h.contains("familyid=") || h.contains("catalog.update.microsoft")
}

/// The update a download link names: its `familyid`, lower case.
fn update_of(href: &str) -> Option<String> {
    let h = href.to_ascii_lowercase();
    let at = h.find("familyid=")? + "familyid=".len();
    let id: String = h[at..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
        .collect();
    (id.len() >= 32).then_some(id)
}

/// The updates a cell's download links name, in order, once each.
fn updates_in(c: &Inline, out: &mut Vec<String>) {
    for u in c.links.iter().filter_map(|l| update_of(&l.href)) {
        if !out.contains(&u) {
            out.push(u);
        }
    }
}

/// The KBs a cell states: marked (`KB958644`), or a bare number of six or
/// seven digits standing alone or in brackets (`(3011780)`, `3148198 in
/// MS16-037`), as the 2013+ tables write them.
fn kbs_in(text: &str) -> Vec<KbNumber> {
    let mut kbs: Vec<KbNumber> = ids::kbs(text, &[]).into_iter().collect();
    for c in BARE_KB.captures_iter(text) {
        if let Ok(k) = c[1].parse::<KbNumber>()
            && !kbs.contains(&k)
        {
            kbs.push(k);
        }
    }
    kbs
}

static BARE_KB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\s(（\[])([0-9]{6,7})(?:$|[\s)）\],.;])").expect("regex"));

fn cell_kbs(c: &Inline) -> Vec<KbNumber> {
    let mut kbs: Vec<KbNumber> = kbs_in(&c.text);
    for l in &c.links {
        for k in kbs_in(&l.text) {
            if !kbs.contains(&k) {
                kbs.push(k);
            }
        }
    }
    kbs
}

fn holds_update(c: &Inline) -> bool {
    c.links.iter().any(|l| is_download(&l.href)) || !cell_kbs(c).is_empty()
}

/// A cell's text on one line, without the KB marks, footnote marks and
/// trailing dashes a product name is written with.
pub fn clean_name(text: &str) -> String {
    let s = KB_MARK.replace_all(text, " ");
    let s: String = s
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    s.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '*' | '-' | '–' | '—' | ':' | '：' | ',' | '、')
    })
    .to_string()
}

/// A KB mark (`(KB2621440)`, `(3011780)`) or a footnote mark (`[1]`, `※1`, `¹`).
static KB_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[(（]\s*(?:KB\s?)?[0-9]{6,7}\s*[)）]|\[[0-9]{1,2}\]|※\s*[0-9]{0,2}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+",
    )
    .expect("regex")
});

/// A product cell's name. A cell that links the same product twice (once
/// per language, `[Windows XP Service Pack 3 (英文下載更新程式)](…)
/// [Windows XP Service Pack 3 (中文下載更新程式)](…)`, or once per update)
/// is named by what its links' texts share; one that writes the same name on
/// each of its lines, by that name.
fn product_name(c: &Inline) -> String {
    // The same name on each line, once per update (`Windows XP Service
    // Pack 3 (KB2491683)` / `Windows XP Service Pack 3 (KB2506212)`).
    let mut lines: Vec<String> = c
        .text
        .split('\n')
        .map(clean_name)
        .filter(|l| !l.is_empty())
        .collect();
    lines.dedup();
    if lines.len() > 1 && lines.iter().all(|l| *l == lines[0]) {
        return lines.swap_remove(0);
    }
    let whole = clean_name(&c.text);
    let words: Vec<&str> = whole.split(' ').collect();
    for k in 2..=4 {
        let n = words.len() / k;
        if n >= 2
            && words.len().is_multiple_of(k)
            && (1..k).all(|i| words[i * n..(i + 1) * n] == words[..n])
        {
            return words[..n].join(" ");
        }
    }
    let links: Vec<&str> = c
        .links
        .iter()
        .map(|l| l.text.trim())
        .filter(|t| t.chars().count() >= 3)
        .collect();
    if let [first, rest @ ..] = links.as_slice()
        && !rest.is_empty()
    {
        let mut shared = first.len();
        for other in rest {
            shared = first
                .char_indices()
                .zip(other.chars())
                .find(|((_, a), b)| a != b)
                .map_or(shared.min(other.len()), |((i, _), _)| i.min(shared));
        }
        let name = clean_name(first[..shared].trim_end_matches([' ', '(', '（']));
        if name.chars().count() >= 3 {
            return name;
        }
    }
    clean_name(&c.text)
}

/// The columns of a row, colspans expanded (a spanning cell fills its columns).
fn expand(row: &[Cell]) -> Vec<&Cell> {
    let mut out = Vec::new();
    for c in row {
        for _ in 0..c.colspan.max(1) {
            out.push(c);
        }
    }
    out
}

fn is_group_row(row: &[Cell], width: usize) -> bool {
    if width < 2 {
        return false;
    }
    let filled: Vec<&Cell> = row
        .iter()
        .filter(|c| !c.content.text.trim().is_empty())
        .collect();
    match filled.as_slice() {
        [only] => {
            !holds_update(&only.content)
                && (only.colspan as usize >= width.min(2)
                    || row.len() == 1
                    || only.content.is_all_strong())
                && std::ptr::eq(*only, &row[0])
        }
        _ => false,
    }
}

/// Reads the replaced bulletins of a cell, each with the KB its line
/// states (`MS06-040 (KB921883)` or one per `<br>` line).
fn replaced_in(c: &Inline, own: Option<BulletinId>) -> Vec<Replaced> {
    let mut out: Vec<Replaced> = Vec::new();
    for line in c.text.split('\n') {
        let found: Vec<BulletinId> = ids::bulletins(line)
            .into_iter()
            .filter(|b| Some(*b) != own)
            .collect();
        let kbs = kbs_in(line);
        let kb = match (found.len(), kbs.as_slice()) {
            (1, [k]) => Some(*k),
            _ => None,
        };
        for b in found {
            if !out.iter().any(|r| r.bulletin == b) {
                out.push(Replaced { bulletin: b, kb });
            }
        }
    }
    out
}

/// The rows of an affected-software table: one whose data rows mostly hold
/// an update (a download link or a KB). `None` for any other table.
fn table_rows(t: &Table, own: Option<BulletinId>) -> Option<Vec<ProductRow>> {
    let width = t.rows.iter().map(|r| expand(r).len()).max()?;
    let mut data: Vec<(Option<String>, Vec<&Cell>)> = Vec::new();
    let mut group: Option<String> = None;
    // The first row is the headings unless it links a download (a table
    // without headings).
    let header_has_update = t.rows.first().is_some_and(|r| {
        r.iter()
            .any(|c| c.content.links.iter().any(|l| is_download(&l.href)))
    });
    // A title row spanning the table (`Severity ratings by affected
    // software`) may stand above the headings.
    let titles = t
        .rows
        .iter()
        .take_while(|r| r.len() == 1 && r[0].colspan as usize >= width.max(2))
        .count();
    let skip = if header_has_update { 0 } else { titles + 1 };
    for row in t.rows.iter().skip(skip) {
        if is_group_row(row, width) {
            group = Some(clean_name(&row[0].content.text));
            continue;
        }
        data.push((group.clone(), expand(row)));
    }
    let with_update = data
        .iter()
        .filter(|(_, cells)| cells.iter().any(|c| holds_update(&c.content)))
        .count();
    if with_update == 0 || with_update * 2 < data.len() {
        return None;
    }
    let count = |f: &dyn Fn(&Cell) -> bool, col: usize| {
        data.iter()
            .filter(|(_, cells)| cells.get(col).is_some_and(|c| f(c)))
            .count()
    };
    // The replaced bulletins' column: the one (not the first) holding the
    // most ids of other bulletins; then the update's: the one holding the
    // most downloads and KBs (a replaced column states KBs too: `3148198
    // in MS16-037`).
    let replaces_col = (1..width)
        .map(|c| {
            (
                c,
                count(&|x: &Cell| !replaced_in(&x.content, own).is_empty(), c),
            )
        })
        .filter(|&(_, n)| n > 0)
        .max_by_key(|&(c, n)| (n, c))
        .map(|(c, _)| c);
    let update_col = (0..width)
        .filter(|&c| Some(c) != replaces_col)
        .max_by_key(|&c| {
            (
                count(&|x: &Cell| holds_update(&x.content), c),
                usize::MAX - c,
            )
        })
        .unwrap_or(0);
    let mut out = Vec::new();
    let mut last_product = String::new();
    for (group, cells) in &data {
        let name_cell = cells
            .first()
            .map(|c| product_name(&c.content))
            .unwrap_or_default();
        let product = if name_cell.is_empty() {
            last_product.clone()
        } else {
            name_cell
        };
        if product.is_empty() || product.chars().count() > 300 {
            continue;
        }
        last_product = product.clone();
        let update = cells.get(update_col).map(|c| &c.content);
        // The component is the update cell's download link where it has one
        // (a cell may link the same update once per language).
        let component = (update_col > 0)
            .then(|| {
                update.map(|u| match u.links.iter().find(|l| is_download(&l.href)) {
                    Some(l) => clean_name(&l.text),
                    None => clean_name(&u.text),
                })
            })
            .flatten()
            .filter(|c| !c.is_empty() && *c != product);
        let mut kbs: Vec<KbNumber> = Vec::new();
        let mut download = false;
        let mut updates = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            if Some(i) == replaces_col {
                continue;
            }
            if i > 0 && std::ptr::eq(*c, cells[i - 1]) {
                continue; // the same spanning cell
            }
            for k in cell_kbs(&c.content) {
                if !kbs.contains(&k) {
                    kbs.push(k);
                }
            }
            download |= c.content.links.iter().any(|l| is_download(&l.href));
            updates_in(&c.content, &mut updates);
        }
        let replaces = replaces_col.map(|c| {
            cells
                .get(c)
                .map(|x| replaced_in(&x.content, own))
                .unwrap_or_default()
        });
        let mut severity = None;
        let mut impact = None;
        let mut words = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            if i == 0 || i == update_col || Some(i) == replaces_col {
                continue;
            }
            if std::ptr::eq(*c, cells[i - 1]) {
                continue; // the same spanning cell
            }
            let text = clean_name(&c.content.text);
            if text.is_empty() || text.chars().count() > 60 {
                continue;
            }
            match super::summary::severity_of(&text) {
                Some(s) => severity = severity.or(Some(s)),
                None if impact.is_none() => impact = impacts_in(&text).first().copied(),
                None => {}
            }
            let from_end = (width - i).min(u8::MAX as usize) as u8;
            words.push((from_end, text.to_lowercase()));
        }
        out.push(ProductRow {
            product,
            component,
            group: group.clone(),
            kbs,
            download,
            impact,
            severity,
            replaces,
            words,
            updates,
        });
    }
    (!out.is_empty()).then_some(out)
}

/// The rows of a 2003–07 list item `Product – [Download the update](…)`:
/// the text before its download link.
fn item_row(inline: &Inline) -> Option<ProductRow> {
    let link = inline.links.iter().find(|l| is_download(&l.href))?;
    let text = inline.text.replace('\n', " ");
    let name = match text.find(link.text.as_str()).filter(|&p| p > 0) {
        Some(p) => &text[..p],
        None => &text,
    };
    let mut row = ProductRow::named(name)?;
    row.kbs = cell_kbs(inline);
    row.download = true;
    updates_in(inline, &mut row.updates);
    Some(row)
}

/// An item with no download link in a list of items that link theirs: the
/// product is the text before its dash (`Microsoft Windows 98 … – see the
/// FAQ section`); an item with no dash is no product.
fn item_without_download(inline: &Inline) -> Option<ProductRow> {
    let text = inline.text.replace('\n', " ");
    let (name, _) = [" – ", " - ", " — "]
        .iter()
        .filter_map(|d| text.split_once(d))
        .min_by_key(|(n, _)| n.len())?;
    ProductRow::named(name)
}

impl ProductRow {
    /// A row of a list: its name, cleaned, and nothing else yet; `None` for
    /// an empty name or one too long to be a product.
    fn named(text: &str) -> Option<ProductRow> {
        let product = clean_name(text);
        (!product.is_empty() && product.chars().count() <= 300).then(|| ProductRow {
            product,
            component: None,
            group: None,
            kbs: Vec::new(),
            download: false,
            impact: None,
            severity: None,
            replaces: None,
            words: Vec::new(),
            updates: Vec::new(),
        })
    }
}

/// A FAQ table of replaced bulletins: two columns or more, every data row's
/// first cell a bulletin id other than this one, every other cell short.
fn matrix(t: &Table, own: Option<BulletinId>) -> Option<ReplacesMatrix> {
    let header = t.rows.first()?;
    if header.len() < 2 || t.rows.len() < 2 {
        return None;
    }
    let mut rows = Vec::new();
    for r in t.rows.iter().skip(1) {
        let first = r.first()?;
        let text = first.content.text.trim();
        let id = ids::first_bulletin(text).filter(|b| Some(*b) != own && text.len() <= 40)?;
        let cells: Vec<String> = r
            .iter()
            .skip(1)
            .map(|c| clean_name(&c.content.text).to_lowercase())
            .collect();
        if cells.iter().any(|c| c.chars().count() > 40) {
            return None;
        }
        rows.push((id, cells));
    }
    Some(ReplacesMatrix {
        products: header
            .iter()
            .skip(1)
            .map(|c| clean_name(&c.content.text))
            .collect(),
        rows,
    })
}

/// Reads a bulletin page's products and what it replaces. `listed` are the
/// items of its affected-software section where a vocabulary table found
/// it (the pre-2003 lists, which link no download).
pub fn read(doc: &ParsedDoc, own: Option<BulletinId>, listed: &[String]) -> ProductInfo {
    let zone = product_zone(doc);
    let mut info = ProductInfo::default();
    let mut last_table: Option<usize> = None;
    let mut last_item_row: Option<usize> = None;
    let mut in_header = true;
    let (mut summary_seen, mut list_seen) = (false, false);
    // The first block that gave rows: the header's label lines stand above it.
    let mut first_row: Option<usize> = None;
    for (i, b) in doc.blocks.iter().enumerate().take(zone) {
        match b {
            Block::Table(t) => {
                if let Some(rows) = table_rows(t, own) {
                    info.rows.extend(rows);
                    last_table = Some(i);
                    first_row.get_or_insert(i);
                } else if let Some(at) = last_table.filter(|&at| i <= at + 3) {
                    // The non-affected table right after the affected ones:
                    // product names only, no update.
                    let narrow = t.rows.iter().all(|r| r.len() <= 2);
                    let no_update = !t.rows.iter().flatten().any(|c| holds_update(&c.content));
                    if narrow && no_update {
                        info.not_affected.extend(
                            t.rows
                                .iter()
                                .skip(1)
                                .filter_map(|r| r.first())
                                .map(|c| clean_name(&c.content.text))
                                .filter(|n| !n.is_empty()),
                        );
                        last_table = Some(at);
                    }
                }
            }
            // The list era states its affected software at the top: items
            // after the first section heading (`### General Information`)
            // are deployment notes and language downloads. So are those
            // after a level-2 heading that follows the summary's list when
            // that list linked no download (`詳細技術資料` after the affected
            // software); a level-2 heading among download items is a group
            // of them (`Microsoft .NET Framework 1.0`), and the title's
            // second line comes before the summary (`#### 摘要`).
            Block::Heading(3, _) => in_header = false,
            Block::Heading(2, _) if list_seen && last_item_row.is_none() => in_header = false,
            Block::Heading(level, _) if *level >= 4 => summary_seen = true,
            Block::Item(inline) if last_table.is_none() && in_header => {
                list_seen |= summary_seen;
                if let Some(row) = item_row(inline) {
                    info.rows.push(row);
                    last_item_row = Some(i);
                    first_row.get_or_insert(i);
                } else if last_item_row == Some(i.wrapping_sub(1))
                    && let Some(row) = item_without_download(inline)
                {
                    // An item of the same list that links no download
                    // (`Windows 98 … – see the FAQ`) is affected all the same.
                    info.rows.push(row);
                    last_item_row = Some(i);
                }
            }
            _ => {}
        }
    }
    // With no table before it, the table that ends the zone is the
    // affected one itself: from 2015 one table gives the products and each
    // CVE's rating.
    if info.rows.is_empty()
        && let Some(Block::Table(t)) = doc.blocks.get(zone)
        && let Some(rows) = table_rows(t, own)
    {
        info.rows = rows;
    }
    if info.rows.is_empty() {
        info.rows = listed.iter().filter_map(|l| ProductRow::named(l)).collect();
    }
    for b in &doc.blocks {
        if let Block::Table(t) = b
            && let Some(m) = matrix(t, own)
        {
            info.matrices.push(m);
        }
    }
    // A header label line (`**Ersetzung von Sicherheitsupdates:** Dieses
    // Bulletin ersetzt MS05-002.`) among the first blocks.
    // Only above the affected software: a note below it (`**注:** … the
    // cumulative update for Internet Explorer (MS15-018)`) names a related
    // bulletin, not a replaced one.
    let header_end = first_row
        .unwrap_or(usize::MAX)
        .min(60)
        .min(zone.max(1) + 20);
    for b in doc.blocks.iter().take(header_end) {
        let Block::Para(inline) = b else { continue };
        let Some(label) = inline.strong.first() else {
            continue;
        };
        let text = inline.text.replace('\n', " ");
        if !text.starts_with(label.as_str()) || text.chars().count() > 400 {
            continue;
        }
        // A label line (`**Label:** value`), not a FAQ question in bold.
        let value = &text[label.len()..];
        let is_label = [
            label.trim_end_matches('*').trim_end(),
            value.trim_start_matches('*').trim_start(),
        ]
        .iter()
        .enumerate()
        .any(|(i, s)| {
            if i == 0 {
                s.ends_with([':', '：'])
            } else {
                s.starts_with([':', '：'])
            }
        });
        if !is_label {
            continue;
        }
        // Only earlier bulletins: a label line also names related and
        // later ones (`**Caveats:** … MS05-014`), which it cannot replace.
        let earlier =
            |id: BulletinId| own.is_none_or(|o| (id.year(), id.number()) < (o.year(), o.number()));
        for id in ids::bulletins(value) {
            if earlier(id) && !info.header_replaces.contains(&id) {
                info.header_replaces.push(id);
            }
        }
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn id(s: &str) -> BulletinId {
        s.parse().unwrap()
    }
    fn kb(n: u32) -> KbNumber {
        KbNumber::from_number(n).unwrap()
    }

    #[test]
    fn a_pipe_table_gives_update_impact_severity_and_replaced_per_row() {
        let doc = parse(
            "| Betriebssystem | Maximale Sicherheitsauswirkung | Bewertung des Gesamtschweregrads | Bulletins, die durch dieses Update ersetzt werden |\n\
             |---|---|---|---|\n\
             | [Microsoft Windows 2000 Service Pack 4](https://www.microsoft.com/download/details.aspx?familyid=e22e) (KB958644) | Remotecodeausführung | Kritisch | [MS06-040](https://go.microsoft.com/fwlink/?linkid=70299) (KB921883) |\n\
             | [Windows XP Service Pack 3](https://www.microsoft.com/download/details.aspx?familyid=0d5f) | Remotecodeausführung | Kritisch | Keine |\n",
        );
        let info = read(&doc, Some(id("MS08-067")), &[]);
        assert_eq!(info.rows.len(), 2);
        let first = &info.rows[0];
        assert_eq!(first.product, "Microsoft Windows 2000 Service Pack 4");
        assert_eq!(first.kbs, vec![kb(958644)]);
        assert!(first.download);
        assert_eq!(first.impact, Some(Impact::RemoteCodeExecution));
        assert_eq!(first.severity, Some(Severity::Critical));
        assert_eq!(
            first.replaces,
            Some(vec![Replaced {
                bulletin: id("MS06-040"),
                kb: Some(kb(921883))
            }])
        );
        assert_eq!(info.rows[1].replaces, Some(vec![]));
        assert_eq!(info.rows[1].product, "Windows XP Service Pack 3");
    }

    #[test]
    fn a_component_column_and_a_group_row_are_kept_apart_from_the_product() {
        let doc = parse(
            "<table><tr><th>Office Suite</th><th>Komponente</th><th>Auswirkung</th><th>Schweregrad</th><th>Ersetzt</th></tr>\
             <tr><th colspan=\"5\">Microsoft Office Suites und Komponenten</th></tr>\
             <tr><td>Microsoft Office XP Service Pack 3</td><td><a href=\"https://www.microsoft.com/download/details.aspx?familyid=c7\">Microsoft Word 2002 Service Pack 3</a> (KB954463)</td><td>Remotecodeausführung</td><td>Hoch</td><td>MS08-026</td></tr>\
             </table>",
        );
        let info = read(&doc, Some(id("MS08-042")), &[]);
        assert_eq!(info.rows.len(), 1);
        let r = &info.rows[0];
        assert_eq!(r.product, "Microsoft Office XP Service Pack 3");
        assert_eq!(
            r.component.as_deref(),
            Some("Microsoft Word 2002 Service Pack 3")
        );
        assert_eq!(
            r.group.as_deref(),
            Some("Microsoft Office Suites und Komponenten")
        );
        assert_eq!(r.kbs, vec![kb(954463)]);
        assert_eq!(r.severity, Some(Severity::Important));
        assert_eq!(
            r.replaces,
            Some(vec![Replaced {
                bulletin: id("MS08-026"),
                kb: None
            }])
        );
    }

    #[test]
    fn words_no_table_knows_are_kept_by_their_column_from_the_end() {
        let doc = parse(
            "| OS | Impact | Rating | Replaced |\n|---|---|---|---|\n\
             | [Windows Vista](https://www.microsoft.com/download/details.aspx?familyid=1) | Zzyzx wortu | Qwerk | None |\n",
        );
        let info = read(&doc, None, &[]);
        assert_eq!(info.rows[0].severity, None);
        assert_eq!(
            info.rows[0].words,
            vec![
                (3, "zzyzx wortu".to_string()),
                (2, "qwerk".to_string()),
                (1, "none".to_string())
            ]
        );
    }

    #[test]
    fn list_items_with_a_download_link_are_rows_and_a_faq_table_names_the_replaced() {
        let doc = parse(
            "**Ersetzung von Sicherheitsupdates:** Dieses Bulletin ersetzt MS05-002.\n\n\
             - Microsoft Windows 2000 Service Pack 4 – [Update herunterladen](https://www.microsoft.com/download/details.aspx?familyid=92f2)\n\
             - Windows Vista – [Update herunterladen](https://www.microsoft.com/download/details.aspx?familyid=d8b0)\n\n\
             | Kennung des Bulletins | Windows 2000 Service Pack 4 | Windows Vista |\n|---|---|---|\n\
             | **MS06-001** | Ersetzt | Nicht anwendbar |\n| **MS05-002** | Ersetzt | Nicht ersetzt |\n",
        );
        let info = read(&doc, Some(id("MS07-017")), &[]);
        let names: Vec<&str> = info.rows.iter().map(|r| r.product.as_str()).collect();
        assert_eq!(
            names,
            vec!["Microsoft Windows 2000 Service Pack 4", "Windows Vista"]
        );
        assert_eq!(info.header_replaces, vec![id("MS05-002")]);
        assert_eq!(info.matrices.len(), 1);
        assert_eq!(
            info.matrices[0].products,
            vec!["Windows 2000 Service Pack 4", "Windows Vista"]
        );
        assert_eq!(
            info.matrices[0].rows,
            vec![
                (
                    id("MS06-001"),
                    vec!["ersetzt".to_string(), "nicht anwendbar".to_string()]
                ),
                (
                    id("MS05-002"),
                    vec!["ersetzt".to_string(), "nicht ersetzt".to_string()]
                ),
            ]
        );
    }

    #[test]
    fn a_summary_list_without_downloads_ends_at_the_next_level_two_heading() {
        // MS02-061 zh-tw: the affected list links nothing; the language
        // downloads under the technical details are no products.
        let doc = parse(
            "Microsoft Security Bulletin MS02-061\n===\n\nSQL Server Web 工作的權限提昇\n---\n\n\
             #### 摘要\n\n**受影響的軟體：**\n\n- Microsoft SQL Server 7.0\n- Microsoft SQL Server 2000\n\n\
             詳細技術資料\n---\n\n\
             - 英文[https://www.microsoft.com/download/details.aspx?FamilyID=75672496-AF8E-40DC-853E-AD2C9FE96882](https://www.microsoft.com/download/details.aspx?familyid=75672496-af8e-40dc-853e-ad2c9fe96882)\n",
        );
        let listed = ["Microsoft SQL Server 7.0".to_string()];
        let info = read(&doc, Some(id("MS02-061")), &listed);
        let names: Vec<&str> = info.rows.iter().map(|r| r.product.as_str()).collect();
        assert_eq!(names, vec!["Microsoft SQL Server 7.0"]);
        // A level-2 heading among download items groups them (MS05-004 de-de).
        let doc = parse(
            "#### Zusammenfassung\n\n**Betroffene Software:**\n\n\
             Microsoft .NET Framework 1.0\n---\n\n\
             - Windows 2000 – [Update herunterladen (886906)](https://www.microsoft.com/download/details.aspx?familyid=aaaaaaaa-1111-2222-3333-444444444444)\n\n\
             Microsoft .NET Framework 1.1\n---\n\n\
             - Windows XP – [Update herunterladen (886903)](https://www.microsoft.com/download/details.aspx?familyid=bbbbbbbb-1111-2222-3333-444444444444)\n",
        );
        let info = read(&doc, Some(id("MS05-004")), &[]);
        let rows: Vec<(&str, Vec<KbNumber>, Vec<String>)> = info
            .rows
            .iter()
            .map(|r| (r.product.as_str(), r.kbs.clone(), r.updates.clone()))
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    "Windows 2000",
                    vec![kb(886906)],
                    vec!["aaaaaaaa-1111-2222-3333-444444444444".to_string()]
                ),
                (
                    "Windows XP",
                    vec![kb(886903)],
                    vec!["bbbbbbbb-1111-2222-3333-444444444444".to_string()]
                ),
            ]
        );
    }

    #[test]
    fn a_note_below_the_affected_software_names_no_replaced_bulletin() {
        // MS15-019 ja-jp: `**注:**` after the table names the cumulative
        // Internet Explorer update, which it does not replace.
        let doc = parse(
            "**置き換えられる更新:** MS14-084\n\n\
             | OS | 置き換えられる更新 |\n|---|---|\n\
             | [Windows Vista Service Pack 2](https://www.microsoft.com/download/details.aspx?familyid=1) (3030398) | MS14-084 |\n\n\
             **注:** Internet Explorer の累積的な更新プログラム (MS15-018) も参照してください。\n",
        );
        let info = read(&doc, Some(id("MS15-019")), &[]);
        assert_eq!(info.header_replaces, vec![id("MS14-084")]);
    }

    #[test]
    fn names_lose_their_kb_marks_and_trailing_dashes() {
        assert_eq!(clean_name("Windows 7 (KB2621440)\n"), "Windows 7");
        assert_eq!(
            clean_name("Microsoft Windows XP Service Pack 2 – "),
            "Microsoft Windows XP Service Pack 2"
        );
        assert_eq!(clean_name("Windows 7（KB2621440）"), "Windows 7");
        assert_eq!(
            clean_name("Windows 10 für 32-Bit-Systeme[3] (3156387)"),
            "Windows 10 für 32-Bit-Systeme"
        );
        assert_eq!(kbs_in("3148198 in MS16-037"), vec![kb(3148198)]);
        assert_eq!(kbs_in("Windows Server 2012 (3011780)"), vec![kb(3011780)]);
        assert!(kbs_in("Windows Server 2008 R2").is_empty());
        assert_eq!(clean_name("Windows Vista ※1"), "Windows Vista");
        let doubled = crate::parse::parse(
            "<table><tr><th>a</th><th>b</th></tr><tr><td>Windows XP Service Pack 3<br />(KB2491683)<br /><br />Windows XP Service Pack 3<br />(KB2506212)</td><td><a href=\"https://www.microsoft.com/download/x\">x</a></td></tr></table>",
        );
        let info = read(&doubled, None, &[]);
        assert_eq!(info.rows[0].product, "Windows XP Service Pack 3");
        assert_eq!(info.rows[0].kbs, vec![kb(2491683), kb(2506212)]);
    }
}
