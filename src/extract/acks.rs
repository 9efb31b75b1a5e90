//! A page's thanks lines: the lines of its Acknowledgments section (a list,
//! paragraphs, or the one line after a label), of its yearly table rows, and
//! of every listing section where no table knows the thanks heading; each
//! tied to the bulletins it credits.

use super::*;

/// A summary's thanks line that names a bulletin the summary does not cover
/// (`MS07-017` in May 2009's summary) means the covered bulletin with the
/// same number (`MS09-017`): the document's structure wins over a typo.
pub(super) fn correct_ack_ids(acks: &mut [AckLine], entries: &[BulletinEntry]) {
    let covered: Vec<BulletinId> = entries.iter().filter_map(|e| e.bulletin_id).collect();
    if covered.is_empty() {
        return;
    }
    for line in acks {
        for id in &mut line.bulletin_ids {
            if covered.contains(id) {
                continue;
            }
            // "MS09-0199": one digit too many.
            let mut same_number = covered.iter().filter(|c| {
                c.number() == id.number() || (id.number() >= 100 && c.number() == id.number() / 10)
            });
            if let (Some(only), None) = (same_number.next(), same_number.next()) {
                *id = *only;
            }
        }
        line.bulletin_ids.dedup();
    }
}

/// The longest thanks line of the corpus is under 500 bytes; a paragraph
/// over this is the page's running text (a disclaimer), not a line.
const MAX_THANKS_LINE: usize = 600;

/// Every section of a page that lists something (a list item in it, up to
/// 80 lines of at most 600 characters), read as thanks lines, under its
/// heading: where no table knows the thanks heading's words, the credits
/// learn which heading it is from the names the other locales credit
/// (see [`crate::researchers::collect`]). Sections end at the next heading
/// of any level, so a thanks list is not also part of the section above it.
pub(super) fn listing_sections(doc: &ParsedDoc, own: Option<BulletinId>) -> Vec<AckSection> {
    let blocks = &doc.blocks;
    let mut out = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let Some((level, heading)) = section_start(b) else {
            continue;
        };
        if ids::first_bulletin(heading).is_some_and(|_| level == 7) {
            continue; // a thanks group (`**MS13-022**`), inside its list
        }
        let section = &blocks[i + 1..section_end(blocks, i, level, true)];
        if !section.iter().any(|b| matches!(b, Block::Item(_))) {
            continue;
        }
        let lines = ack_lines(section, own);
        if !lines.is_empty()
            && lines.len() <= 80
            && lines.iter().all(|l| l.text.len() <= MAX_THANKS_LINE)
        {
            out.push(AckSection {
                heading: heading.trim().to_string(),
                lines,
            });
        }
    }
    out
}

/// Acknowledgment lines of a thanks section: its list items (or, where the
/// section is prose, its paragraphs after the intro). Each line credits the
/// ids it names, else the group id above it (`**MS13-052**`), else `own`.
pub(super) fn ack_section_lines(doc: &ParsedDoc, own: Option<BulletinId>) -> Vec<AckLine> {
    let Some((start, section)) = section_with_start(doc, Section::Acknowledgments) else {
        return Vec::new();
    };
    // A label ("**Acknowledgments:**", the 2000-01 bulletins) is followed
    // by the one thanks line itself, then the page runs on with no heading
    // (the disclaimer). A heading is followed by an intro or a pointer to
    // the Acknowledgments page, then the lines.
    let label = matches!(start, Block::Para(_)) && start.text().trim_end().ends_with([':', '：']);
    if label && !section.iter().any(|b| matches!(b, Block::Item(_))) {
        let end = section
            .iter()
            .position(|b| b.text().len() > MAX_THANKS_LINE)
            .unwrap_or(section.len());
        return ack_lines_after_intro(&section[..end], own, false);
    }
    ack_lines(section, own)
}

/// The thanks lines of `section`'s blocks (see [`ack_section_lines`]).
fn ack_lines(section: &[Block], own: Option<BulletinId>) -> Vec<AckLine> {
    ack_lines_after_intro(section, own, true)
}

/// [`ack_lines`], where `intro` says whether a section of paragraphs only
/// opens with an intro that credits no one.
fn ack_lines_after_intro(section: &[Block], own: Option<BulletinId>, intro: bool) -> Vec<AckLine> {
    let items: Vec<&Block> = section
        .iter()
        .filter(|b| matches!(b, Block::Item(_)))
        .collect();
    let lines: Vec<&Block> = if items.is_empty() {
        section
            .iter()
            .filter(|b| matches!(b, Block::Para(_)))
            .skip(usize::from(intro))
            .collect()
    } else {
        section
            .iter()
            .filter(|b| matches!(b, Block::Item(_) | Block::Para(_)))
            .collect()
    };
    let mut out: Vec<AckLine> = Vec::new();
    let mut group: Option<BulletinId> = None;
    let mut seen_item = false;
    for block in lines {
        let text = block.text().replace('\n', " ");
        let trimmed = text.trim().trim_end_matches(':');
        if let Ok(id) = trimmed.parse::<BulletinId>() {
            group = Some(id);
            continue;
        }
        let label = text.trim_end().ends_with([':', '：']);
        match block {
            // A bold paragraph that is no bulletin id and no intro
            // ("**Support**"), or a bold list label ("- **Weitere
            // Sicherheitsupdates:**"), is the next section without a heading.
            Block::Para(inline) if inline.is_all_strong() && !trimmed.is_empty() && !label => break,
            Block::Item(inline) if inline.is_all_strong() && label => break,
            _ => {}
        }
        let line_cves: Vec<CveId> = ids::cves(&text).into_iter().collect();
        if matches!(block, Block::Para(_)) && !items.is_empty() {
            // Paragraphs between items are intros of a further list: a short
            // label, or an intro naming one bulletin ("… Einzelheiten zu einem
            // in MS10-002 beschriebenen Problem bereitgestellt haben:"), names
            // the group of the items that follow.
            if seen_item {
                group = ids::first_bulletin(trimmed)
                    .filter(|_| trimmed.len() < 40 || ids::bulletins(trimmed).len() == 1)
                    .or(group);
            }
            continue;
        }
        seen_item = true;
        if REVISION.is_match(trimmed) {
            // The revision history: the section ran on past its end.
            continue;
        }
        // `- CVE-2011-0662` sub-items belong to the line above.
        if let Some(last) = out
            .last_mut()
            .filter(|_| trimmed.len() < 30 && !line_cves.is_empty())
        {
            for c in line_cves {
                if !last.cves.contains(&c) {
                    last.cves.push(c);
                }
            }
            continue;
        }
        let mut named: Vec<BulletinId> = block
            .inline()
            .map(|i| {
                i.links
                    .iter()
                    .filter_map(|l| ids::first_bulletin(&l.text))
                    .collect()
            })
            .unwrap_or_default();
        if named.is_empty() {
            named = ids::bulletins(&text).into_iter().collect();
        }
        named.dedup();
        let bulletin_ids = if !named.is_empty() {
            named
        } else {
            group.or(own).into_iter().collect()
        };
        out.push(AckLine {
            bulletin_ids,
            cves: line_cves,
            text: text.trim().to_string(),
            links: block
                .inline()
                .map(|i| i.links.iter().map(|l| l.text.clone()).collect())
                .unwrap_or_default(),
        });
    }
    out
}

/// Rows of the yearly Acknowledgments tables: bulletin id | title | CVE | acknowledgment.
pub(super) fn ack_table_lines(doc: &ParsedDoc) -> Vec<AckLine> {
    let mut out = Vec::new();
    for block in &doc.blocks {
        let Block::Table(t) = block else { continue };
        for row in t.rows.iter().skip(1) {
            if row.len() < 4 {
                continue;
            }
            let text = row[3].content.text.replace('\n', " ").trim().to_string();
            if text.is_empty() {
                continue;
            }
            out.push(AckLine {
                bulletin_ids: ids::bulletins(&row[0].content.text).into_iter().collect(),
                cves: ids::cves(&row[2].content.text).into_iter().collect(),
                text,
                links: row[3]
                    .content
                    .links
                    .iter()
                    .map(|l| l.text.clone())
                    .collect(),
            });
        }
    }
    out
}
