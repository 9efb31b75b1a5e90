//! Translation groups: every version of one bulletin (its own file in each
//! locale, its entries in each locale's summaries), of one monthly summary
//! or of one advisory shares a group key, the id; other documents are a
//! group of one. Results are counted and paged by group.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::error::Result;
use crate::index::name;
use crate::lang::TextLang;

/// Counts the distinct groups among the matching records, and notes which
/// languages each matched in.
pub struct GroupCount {
    /// Whether the index has several segments (keys must then be compared as strings).
    pub multi_segment: bool,
}

/// Per segment: the languages (bit per language ord) each group ord matched in.
pub struct GroupCountSegment {
    groups: Option<StrColumn>,
    langs: Option<StrColumn>,
    masks: Vec<u64>,
    multi_segment: bool,
}

/// One segment's matched groups.
pub struct SegmentGroups {
    masks: Vec<u64>,
    /// The keys of the matched groups by ordinal (several segments only).
    keys: HashMap<u64, String>,
    /// The segment's languages by ordinal.
    lang_names: Vec<TextLang>,
}

/// What matched: how many groups, and in which languages each.
pub struct Matched {
    /// Distinct groups.
    pub total: usize,
    segments: Vec<SegmentGroups>,
    /// With several segments: each matched group's languages in all of
    /// them, by key (a group's versions can be in different segments, as
    /// after an update rewrote one of them).
    by_key: HashMap<String, Vec<TextLang>>,
}

impl SegmentGroups {
    /// The languages the group with ordinal `ord` matched in, in this segment.
    fn languages(&self, ord: u64) -> impl Iterator<Item = TextLang> + '_ {
        let mask = self.masks.get(ord as usize).copied().unwrap_or(0);
        (0..64)
            .filter(move |bit| mask & (1u64 << bit) != 0)
            .filter_map(|bit| self.lang_names.get(bit).copied())
    }
}

impl Matched {
    /// The languages the group with ordinal `ord` in segment `segment`
    /// matched in, in every segment, ordered by code.
    pub fn languages(&self, segment: SegmentOrdinal, ord: u64) -> Vec<TextLang> {
        let Some(s) = self.segments.get(segment as usize) else {
            return Vec::new();
        };
        match s.keys.get(&ord) {
            Some(key) => self.by_key.get(key).cloned().unwrap_or_default(),
            None => s.languages(ord).collect(),
        }
    }
}

/// Every string of a column's dictionary, by ordinal, in one pass: looking
/// ordinals up one by one decompresses a block each time.
pub fn dictionary_strings(column: &StrColumn) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(mut stream) = column.dictionary().stream() {
        while stream.advance() {
            out.push(String::from_utf8_lossy(stream.key()).into_owned());
        }
    }
    out
}

impl Collector for GroupCount {
    type Fruit = Matched;
    type Child = GroupCountSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let groups = segment.fast_fields().str(name::GROUP)?;
        let langs = segment.fast_fields().str(name::LANG)?;
        let terms = groups.as_ref().map_or(0, |c| c.num_terms());
        Ok(GroupCountSegment {
            groups,
            langs,
            masks: vec![0; terms],
            multi_segment: self.multi_segment,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentGroups>) -> tantivy::Result<Matched> {
        let mut by_key: HashMap<String, Vec<TextLang>> = HashMap::new();
        for f in &fruits {
            for (&ord, key) in &f.keys {
                by_key
                    .entry(key.clone())
                    .or_default()
                    .extend(f.languages(ord));
            }
        }
        for langs in by_key.values_mut() {
            langs.sort();
            langs.dedup();
        }
        let total = if self.multi_segment {
            by_key.len()
        } else {
            fruits
                .iter()
                .map(|f| f.masks.iter().filter(|m| **m != 0).count())
                .sum()
        };
        Ok(Matched {
            total,
            segments: fruits,
            by_key,
        })
    }
}

impl SegmentCollector for GroupCountSegment {
    type Fruit = SegmentGroups;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(g) = &self.groups
            && let Some(o) = g.term_ords(doc).next()
        {
            // Every record has a language; ords past 63 (never seen: there
            // are 19 languages) still count the group.
            let lang = self
                .langs
                .as_ref()
                .and_then(|l| l.term_ords(doc).next())
                .unwrap_or(63)
                .min(63);
            self.masks[o as usize] |= 1 << lang;
        }
    }

    fn harvest(self) -> SegmentGroups {
        let mut keys = HashMap::new();
        if self.multi_segment
            && let Some(c) = &self.groups
        {
            for (o, _) in self.masks.iter().enumerate().filter(|(_, m)| **m != 0) {
                let mut k = String::new();
                if c.ord_to_str(o as u64, &mut k).unwrap_or(false) {
                    keys.insert(o as u64, k);
                }
            }
        }
        SegmentGroups {
            masks: self.masks,
            keys,
            lang_names: self
                .langs
                .as_ref()
                .map(dictionary_langs)
                .unwrap_or_default(),
        }
    }
}

/// A language column's dictionary, by ordinal, as languages (`und`, or a
/// code this build does not know, reads as undetermined).
pub fn dictionary_langs(column: &StrColumn) -> Vec<TextLang> {
    dictionary_strings(column)
        .iter()
        .map(|s| s.parse().unwrap_or(TextLang(None)))
        .collect()
}

/// One group of hits, best first.
#[derive(Debug, Clone)]
pub struct Group {
    /// The key (empty until the page needs it, in a one-segment index).
    pub key: String,
    /// Where its key lives: segment and ordinal in that segment's group column.
    pub ord: (SegmentOrdinal, u64),
    /// Its matching records: score, address, language; best first.
    pub members: Vec<(f32, DocAddress, TextLang)>,
}

/// Groups ranked records in order of their best member, by group ordinal.
/// Keys are left empty in a one-segment index (each ordinal lookup
/// decompresses a dictionary block; the page reads them from stored records).
pub fn group(searcher: &Searcher, top: &[(f32, DocAddress)]) -> Result<Vec<Group>> {
    let segments = searcher.segment_readers();
    let mut columns: Vec<Option<(StrColumn, StrColumn, Vec<TextLang>)>> = Vec::new();
    for s in segments {
        let ff = s.fast_fields();
        columns.push(match (ff.str(name::GROUP)?, ff.str(name::LANG)?) {
            (Some(g), Some(l)) => {
                let names = dictionary_langs(&l);
                Some((g, l, names))
            }
            _ => None,
        });
    }
    let multi = segments.len() > 1;
    let mut out: Vec<Group> = Vec::new();
    let mut at: HashMap<(SegmentOrdinal, u64), usize> = HashMap::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for &(score, addr) in top {
        let Some((groups, langs, lang_names)) = &columns[addr.segment_ord as usize] else {
            continue;
        };
        let Some(ord) = groups.term_ords(addr.doc_id).next() else {
            continue;
        };
        let lang = langs
            .term_ords(addr.doc_id)
            .next()
            .and_then(|o| lang_names.get(o as usize).copied())
            .unwrap_or(TextLang(None));
        let slot = (addr.segment_ord, ord);
        let existing = at.get(&slot).copied().or_else(|| {
            // Across segments the same group has other ordinals: compare keys.
            if multi {
                let mut k = String::new();
                let _ = groups.ord_to_str(ord, &mut k);
                by_key.get(&k).copied()
            } else {
                None
            }
        });
        match existing {
            Some(i) => {
                out[i].members.push((score, addr, lang));
                at.insert(slot, i);
            }
            None => {
                let mut key = String::new();
                if multi {
                    let _ = groups.ord_to_str(ord, &mut key);
                }
                at.insert(slot, out.len());
                if multi {
                    by_key.insert(key.clone(), out.len());
                }
                out.push(Group {
                    key,
                    ord: slot,
                    members: vec![(score, addr, lang)],
                });
            }
        }
    }
    Ok(out)
}

/// Reads one string fast field of hits, one column per segment, opened once.
pub struct Columns<'a> {
    searcher: &'a Searcher,
    field: &'static str,
    open: Vec<Option<Option<StrColumn>>>,
}

impl<'a> Columns<'a> {
    /// Reads `field` (a string fast field) of the hits of `searcher`.
    pub fn new(searcher: &'a Searcher, field: &'static str) -> Columns<'a> {
        Columns {
            searcher,
            field,
            open: vec![None; searcher.segment_readers().len()],
        }
    }

    /// The first value of the field for `addr`.
    pub fn get(&mut self, addr: DocAddress) -> Result<String> {
        let slot = &mut self.open[addr.segment_ord as usize];
        if slot.is_none() {
            let reader = self.searcher.segment_reader(addr.segment_ord);
            *slot = Some(reader.fast_fields().str(self.field)?);
        }
        let mut out = String::new();
        if let Some(Some(c)) = slot
            && let Some(o) = c.term_ords(addr.doc_id).next()
        {
            let _ = c.ord_to_str(o, &mut out);
        }
        Ok(out)
    }
}
