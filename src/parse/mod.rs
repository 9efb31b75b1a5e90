//! In: `SourceFile` text. Out: `ParsedDoc` (front matter pairs and a flat
//! list of blocks: headings, paragraphs, list items, tables).
//!
//! The Markdown here is a converter's output, not hand-written CommonMark,
//! so the parser is line-based and forgiving: HTML tables are cut out first
//! (whole, from `<table` to its matching `</table>`, so the dash-only
//! placeholder lines inside them can never become setext underlines) and
//! parsed with scraper; pipe tables, ATX and setext headings, list items
//! and paragraphs are read line by line; inline content goes through
//! [`inline::render`].

pub mod frontmatter;
pub mod inline;

pub use inline::{Inline, Link};

use inline::NextByte;

use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

/// One block of a document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// An ATX or setext heading with its level (1–6).
    Heading(u8, Inline),
    /// A paragraph (block quotes and note boxes included).
    Para(Inline),
    /// A list item with its continuation lines.
    Item(Inline),
    /// An HTML or pipe table.
    Table(Table),
}

impl Block {
    /// The block's plain text (a table's cells joined by ` | `).
    pub fn text(&self) -> String {
        match self {
            Block::Heading(_, i) | Block::Para(i) | Block::Item(i) => i.text.clone(),
            Block::Table(t) => t
                .rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| c.content.text.replace('\n', " "))
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// The inline content of a non-table block.
    pub fn inline(&self) -> Option<&Inline> {
        match self {
            Block::Heading(_, i) | Block::Para(i) | Block::Item(i) => Some(i),
            Block::Table(_) => None,
        }
    }
}

/// A table: rows of cells, header rows included.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// The rows in order.
    pub rows: Vec<Vec<Cell>>,
}

/// One table cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// The rendered content; `<br />` separates lines.
    pub content: Inline,
    /// How many columns it spans.
    pub colspan: u32,
}

/// A parsed document.
#[derive(Debug, Clone, Default)]
pub struct ParsedDoc {
    /// Front-matter pairs, keys lower-cased.
    pub front: Vec<(String, String)>,
    /// The body's blocks in order.
    pub blocks: Vec<Block>,
    /// What was malformed but read anyway (an unclosed front matter).
    pub warnings: Vec<String>,
}

impl ParsedDoc {
    /// The value of a front-matter key (lower case).
    pub fn front(&self, key: &str) -> Option<&str> {
        self.front
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

const TABLE_MARK: char = '\u{E000}';

/// Parses normalised text into a document.
pub fn parse(text: &str) -> ParsedDoc {
    let frontmatter::Split {
        pairs: front,
        body,
        unclosed,
    } = frontmatter::split(text);
    let mut warnings = Vec::new();
    if unclosed {
        warnings.push(
            "the front matter is never closed with `---`; its body starts at its first line that is not `key: value`"
                .to_string(),
        );
    }
    let (body, tables) = cut_tables(body);
    let mut tables: Vec<Option<Table>> = tables.into_iter().map(Some).collect();
    let lines: Vec<&str> = body.split('\n').collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if t.is_empty() || is_rule(t) {
            i += 1;
            continue;
        }
        if let Some(n) = table_mark(t) {
            if let Some(table) = tables.get_mut(n).and_then(Option::take) {
                blocks.push(Block::Table(table));
            }
            i += 1;
            continue;
        }
        if let Some((level, text)) = atx_heading(t) {
            push_text(&mut blocks, |x| Block::Heading(level, x), text);
            i += 1;
            continue;
        }
        if t.starts_with('|') && lines.get(i + 1).is_some_and(|l| is_delimiter_row(l)) {
            let start = i;
            i += 2;
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                i += 1;
            }
            blocks.push(Block::Table(pipe_table(&lines[start..i])));
            continue;
        }
        if let Some(rest) = list_item(line) {
            let mut text = rest.to_string();
            i += 1;
            while i < lines.len() {
                let next = lines[i].trim();
                if next.is_empty() || starts_block(lines[i]) || is_setext(next) {
                    break;
                }
                text.push('\n');
                text.push_str(lines[i]);
                i += 1;
            }
            push_text(&mut blocks, Block::Item, &text);
            continue;
        }
        // A paragraph, possibly a setext heading.
        let mut text = strip_quote(line).to_string();
        i += 1;
        let mut level = None;
        while i < lines.len() {
            let next = lines[i].trim();
            if let Some(l) = setext_level(next) {
                level = Some(l);
                i += 1;
                break;
            }
            if next.is_empty() || starts_block(lines[i]) {
                break;
            }
            text.push('\n');
            text.push_str(strip_quote(lines[i]));
            i += 1;
        }
        match level {
            Some(l) => push_text(&mut blocks, |x| Block::Heading(l, x), &text),
            None => push_text(&mut blocks, Block::Para, &text),
        }
    }
    // The build stamp the pages end with is page chrome, not text.
    if blocks
        .last()
        .is_some_and(|b| matches!(b, Block::Para(i) if is_build_stamp(&i.text)))
    {
        blocks.pop();
    }
    ParsedDoc {
        front,
        blocks,
        warnings,
    }
}

/// Whether a paragraph is a build stamp (`*Built at
/// 2014-04-18T01:50:00Z-07:00*`, on 4,701 of the shared corpus's pages): a
/// date-time with at most three words before it, in any language.
fn is_build_stamp(text: &str) -> bool {
    static STAMP: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^\W*(?:\p{L}+\s+){0,3}\d{4}-\d\d-\d\dT\d\d:\d\d\S*\s*$").expect("regex")
    });
    STAMP.is_match(text.trim())
}

fn push_text(blocks: &mut Vec<Block>, make: impl FnOnce(Inline) -> Block, text: &str) {
    let inline = inline::render(text);
    if !inline.text.is_empty() {
        blocks.push(make(inline));
    }
}

fn table_mark(t: &str) -> Option<usize> {
    t.strip_prefix(TABLE_MARK)?.parse().ok()
}

fn is_rule(t: &str) -> bool {
    t.len() >= 3 && {
        let c = t.as_bytes()[0];
        matches!(c, b'-' | b'*' | b'_') && t.bytes().all(|b| b == c || b == b' ')
    }
}

fn is_setext(t: &str) -> bool {
    setext_level(t).is_some()
}

fn setext_level(t: &str) -> Option<u8> {
    if t.len() >= 2 && t.bytes().all(|b| b == b'=') {
        Some(1)
    } else if t.len() >= 2 && t.bytes().all(|b| b == b'-') {
        Some(2)
    } else {
        None
    }
}

fn atx_heading(t: &str) -> Option<(u8, &str)> {
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &t[hashes..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    let text = rest.trim().trim_end_matches('#').trim_end();
    Some((hashes as u8, text))
}

fn list_item(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let t = t.strip_prefix("> ").unwrap_or(t);
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(marker) {
            return Some(rest);
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r);
        }
    }
    None
}

fn starts_block(line: &str) -> bool {
    let t = line.trim();
    table_mark(t).is_some()
        || atx_heading(t).is_some()
        || list_item(line).is_some()
        || (t.starts_with('|') && t.ends_with('|'))
}

fn strip_quote(line: &str) -> &str {
    let t = line.trim();
    let Some(rest) = t.strip_prefix('>') else {
        return line;
    };
    let rest = rest.trim_start();
    // DocFX alert markers: > [!NOTE], > [!important]
    if rest.starts_with("[!")
        && let Some(end) = rest.find(']')
    {
        return rest[end + 1..].trim_start();
    }
    rest
}

fn is_delimiter_row(line: &str) -> bool {
    let t = line.trim();
    t.contains('-') && t.contains('|') && t.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' '))
}

fn pipe_table(lines: &[&str]) -> Table {
    let mut rows = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        if n == 1 {
            continue; // the delimiter row
        }
        let cells = split_pipe_row(line)
            .into_iter()
            .map(|c| Cell {
                content: inline::render(c.trim()),
                colspan: 1,
            })
            .collect();
        rows.push(cells);
    }
    Table { rows }
}

fn split_pipe_row(line: &str) -> Vec<&str> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    let mut cells = Vec::new();
    let mut start = 0;
    let bytes = t.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'|' => {
                cells.push(&t[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    cells.push(&t[start..]);
    cells
}

/// Cuts every top-level `<table …>…</table>` out of `body`, replacing each
/// with a marker line, and parses them.
///
/// One pass over the `<table` and `</table` positions in order: a table that
/// never closes runs to the end of the body, so `<table>` repeated 200,000
/// times is one table, found in linear time (it was a search to the end per
/// tag: 80 s for 1.4 MB).
fn cut_tables(body: &str) -> (String, Vec<Table>) {
    let lower = body.to_ascii_lowercase();
    if !lower.contains("<table") {
        return (body.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(body.len());
    let mut tables = Vec::new();
    let mut pos = 0;
    for (start, end) in table_spans(&lower) {
        out.push_str(&body[pos..start]);
        out.push('\n');
        out.push(TABLE_MARK);
        out.push_str(&tables.len().to_string());
        out.push('\n');
        tables.push(html_table(&body[start..end]));
        pos = end;
    }
    out.push_str(&body[pos..]);
    (out, tables)
}

/// The byte spans of the top-level tables in `lower` (lower-cased HTML): from
/// `<table` to the `>` of its matching `</table`, or to the end.
fn table_spans(lower: &str) -> Vec<(usize, usize)> {
    let mut opens = lower.match_indices("<table").map(|(i, _)| i).peekable();
    let mut closes = lower.match_indices("</table").map(|(i, _)| i).peekable();
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    // Tags starting before `pos` lie inside a tag already read.
    let mut pos = 0;
    let mut gt = NextByte::new(lower.as_bytes(), b'>');
    loop {
        let open = opens.peek().copied();
        let close = closes.peek().copied();
        let (at, is_open) = match (open, close) {
            (Some(o), Some(c)) if o < c => (o, true),
            (_, Some(c)) => (c, false),
            (Some(o), None) => (o, true),
            (None, None) => break,
        };
        if is_open {
            opens.next();
        } else {
            closes.next();
        }
        if at < pos {
            continue;
        }
        if is_open {
            if depth == 0 {
                start = at;
            }
            depth += 1;
            pos = at + 6;
        } else if depth > 0 {
            depth -= 1;
            let end = gt.at_or_after(at).map_or(lower.len(), |e| e + 1);
            if depth == 0 {
                spans.push((start, end));
            }
            pos = end;
        }
    }
    if depth > 0 {
        spans.push((start, lower.len()));
    }
    spans
}

/// How deep elements may nest inside one HTML table before deeper tags are
/// dropped. The corpus nests at most a few levels; html5ever and the
/// per-row ancestor walk cost time in proportion to the depth, so
/// unbounded nesting (100,000 tables in one another) was quadratic.
const MAX_HTML_DEPTH: usize = 64;

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// `html` with every tag deeper than [`MAX_HTML_DEPTH`] replaced by a space;
/// untouched (borrowed) when it nests less deeply, as every real table does.
fn cap_depth(html: &str) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut stack: Vec<&str> = Vec::new();
    let mut dropped = 0usize;
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut gt = NextByte::new(bytes, b'>');
    let mut i = 0;
    while let Some(rel) = bytes[i..].iter().position(|&b| b == b'<') {
        let lt = i + rel;
        let Some(end) = gt.at_or_after(lt) else { break };
        let inner = &html[lt + 1..end];
        i = end + 1;
        let rest = inner.strip_prefix('/');
        let closing = rest.is_some();
        let rest = rest.unwrap_or(inner);
        let name = &rest[..rest.bytes().take_while(u8::is_ascii_alphanumeric).count()];
        if name.is_empty() || VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            continue;
        }
        let drop = if closing {
            match stack.iter().rposition(|s| s.eq_ignore_ascii_case(name)) {
                Some(at) if dropped == 0 => {
                    stack.truncate(at);
                    false
                }
                _ if dropped > 0 => {
                    dropped -= 1;
                    true
                }
                _ => false,
            }
        } else if inner.ends_with('/') {
            false
        } else if stack.len() >= MAX_HTML_DEPTH {
            dropped += 1;
            true
        } else {
            stack.push(name);
            false
        };
        if drop {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..lt]);
            o.push(' ');
            copied = end + 1;
        }
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[copied..]);
            std::borrow::Cow::Owned(o)
        }
    }
}

static TABLE: LazyLock<Selector> = LazyLock::new(|| Selector::parse("table").expect("selector"));
static ROW: LazyLock<Selector> = LazyLock::new(|| Selector::parse("tr").expect("selector"));

fn html_table(html: &str) -> Table {
    let fragment = Html::parse_fragment(&cap_depth(html));
    let Some(table) = fragment.select(&TABLE).next() else {
        return Table::default();
    };
    let mut rows = Vec::new();
    for tr in table.select(&ROW) {
        if !directly_in(tr, table) {
            continue;
        }
        let cells: Vec<Cell> = tr
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| matches!(e.value().name(), "td" | "th"))
            .map(|cell| Cell {
                content: inline::render(&cell_source(cell)),
                colspan: cell
                    .value()
                    .attr("colspan")
                    .and_then(|c| c.trim().parse().ok())
                    .unwrap_or(1),
            })
            .collect();
        if !cells.is_empty() {
            rows.push(cells);
        }
    }
    Table { rows }
}

/// Whether `table` is the nearest table around `e` (rows of nested tables are not ours).
fn directly_in(e: ElementRef, table: ElementRef) -> bool {
    e.ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "table")
        .is_some_and(|a| a.id() == table.id())
}

/// A cell's inner HTML with nested tables flattened to text, and lines
/// holding only dashes (placeholders) dropped.
fn cell_source(cell: ElementRef) -> String {
    let html = cell.inner_html();
    html.lines()
        .filter(|l| {
            let t = l.trim();
            !(t.len() >= 3 && t.bytes().all(|b| b == b'-'))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &ParsedDoc) -> Vec<String> {
        doc.blocks
            .iter()
            .map(|b| match b {
                Block::Heading(l, i) => format!("H{l} {}", i.text),
                Block::Para(i) => format!("P {}", i.text),
                Block::Item(i) => format!("- {}", i.text),
                Block::Table(t) => {
                    format!("T{}x{}", t.rows.len(), t.rows.first().map_or(0, Vec::len))
                }
            })
            .collect()
    }

    #[test]
    fn headings_paragraphs_items_and_rules() {
        let doc = parse(
            "---\nTitle: x\n---\n\nSecurity Bulletin\n\nMicrosoft Security Bulletin MS08-067 - Kritisch\n=====\n\nTitel (958644)\n-------\n\nVeröffentlicht: 23. Oktober 2008\n\n#### Danksagungen\n\n  - A von [B](http://b)\n    für X\n  - C\n\n---\n\n> [!NOTE]\n> Hinweis\n",
        );
        assert_eq!(
            texts(&doc),
            vec![
                "P Security Bulletin",
                "H1 Microsoft Security Bulletin MS08-067 - Kritisch",
                "H2 Titel (958644)",
                "P Veröffentlicht: 23. Oktober 2008",
                "H4 Danksagungen",
                "- A von B für X",
                "- C",
                "P Hinweis",
            ]
        );
        assert_eq!(doc.front("title"), Some("x"));
    }

    #[test]
    fn the_closing_build_stamp_is_no_text() {
        let doc = parse("Tak til A for at rapportere.\n\n*Built at 2014-04-18T01:50:00Z-07:00*\n");
        assert_eq!(texts(&doc), vec!["P Tak til A for at rapportere."]);
        // A date-time in a sentence is text.
        let doc = parse("Opdateret af A, B og C den 2014-04-18T01:50:00Z.\n");
        assert_eq!(texts(&doc).len(), 1);
    }

    #[test]
    fn dash_placeholders_inside_html_tables_never_become_headings() {
        let doc = parse(
            "<table>\n<tr><th>Bulletin-id</th><th>Titel</th></tr>\n<tr>\n<td>MS15-001</td>\n<td>\n---------\n</td>\n</tr>\n<tr><td /><td>x &amp; y<br />z</td></tr>\n</table>\n\nAfter\n",
        );
        assert_eq!(texts(&doc), vec!["T3x2", "P After"]);
        let Block::Table(t) = &doc.blocks[0] else {
            panic!()
        };
        assert_eq!(t.rows[1][1].content.text, "");
        assert_eq!(t.rows[2][1].content.text, "x & y\nz");
    }

    #[test]
    fn pipe_tables_unescape_and_split_cells() {
        let doc = parse(
            "| Bulletin-id | Microsoft-beveiligingsbulletin MS07-001 |\n|---|---|\n| **Titel** | [**Door (921585)**](http://x) |\n| a \\| b | c |\n",
        );
        let Block::Table(t) = &doc.blocks[0] else {
            panic!()
        };
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[1][1].content.text, "Door (921585)");
        assert_eq!(t.rows[1][1].content.strong, vec!["Door (921585)"]);
        assert_eq!(t.rows[2][0].content.text, "a | b");
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_without_panicking(s in "[a-zé漏 \n|<>#*=_\\-\\[\\]()!&;:/td]{0,400}") {
            let doc = parse(&crate::ingest::normalize(&s));
            for b in &doc.blocks {
                let _ = b.text();
            }
        }
    }

    #[test]
    fn nested_tables_are_cut_whole() {
        let doc =
            parse("<table><tr><td>a<table><tr><td>in</td></tr></table></td></tr></table>\ntext\n");
        assert_eq!(texts(&doc), vec!["T1x1", "P text"]);
    }
}
