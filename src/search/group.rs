//! Translation groups: every version of one bulletin (its own file in each
//! locale, its entries in each locale's summaries), of one monthly summary
//! or of one advisory shares a group key, the id; other documents are a
//! group of one. Results are counted and paged by group.

use std::collections::HashSet;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::index::Result;

/// The fast field holding each record's group key.
pub const GROUP_FIELD: &str = "group";

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
    keys: Vec<String>,
    langs: Option<StrColumn>,
    groups: Option<StrColumn>,
}

/// What matched: how many groups, and in which languages each.
pub struct Matched {
    /// Distinct groups.
    pub total: usize,
    segments: Vec<SegmentGroups>,
}

impl Matched {
    /// The languages `key`'s records matched in.
    pub fn languages(&self, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        for s in &self.segments {
            let (Some(groups), Some(langs)) = (&s.groups, &s.langs) else {
                continue;
            };
            let Ok(Some(ord)) = groups.dictionary().term_ord(key) else {
                continue;
            };
            let mask = s.masks.get(ord as usize).copied().unwrap_or(0);
            for bit in 0..64 {
                if mask & (1 << bit) != 0 {
                    let mut l = String::new();
                    if langs.ord_to_str(bit, &mut l).unwrap_or(false) {
                        out.push(l);
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

impl Collector for GroupCount {
    type Fruit = Matched;
    type Child = GroupCountSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let groups = segment.fast_fields().str(GROUP_FIELD)?;
        let langs = segment.fast_fields().str("lang")?;
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
        let total = if self.multi_segment {
            let keys: HashSet<&String> = fruits.iter().flat_map(|f| &f.keys).collect();
            keys.len()
        } else {
            fruits
                .iter()
                .map(|f| f.masks.iter().filter(|m| **m != 0).count())
                .sum()
        };
        Ok(Matched {
            total,
            segments: fruits,
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
        let mut keys = Vec::new();
        if self.multi_segment
            && let Some(c) = &self.groups
        {
            for (o, _) in self.masks.iter().enumerate().filter(|(_, m)| **m != 0) {
                let mut k = String::new();
                if c.ord_to_str(o as u64, &mut k).unwrap_or(false) {
                    keys.push(k);
                }
            }
        }
        SegmentGroups {
            masks: self.masks,
            keys,
            langs: self.langs,
            groups: self.groups,
        }
    }
}

/// Reads string fast fields of hits, one column per segment, opened once.
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

/// One group of hits, best first.
#[derive(Debug, Clone)]
pub struct Group {
    /// The key.
    pub key: String,
    /// Its matching records: score, address, language; best first.
    pub members: Vec<(f32, DocAddress, String)>,
}

/// Groups ranked records in order of their best member.
pub fn group(searcher: &Searcher, top: &[(f32, DocAddress)]) -> Result<Vec<Group>> {
    let mut keys = Columns::new(searcher, GROUP_FIELD);
    let mut langs = Columns::new(searcher, "lang");
    let mut out: Vec<Group> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for &(score, addr) in top {
        let key = keys.get(addr)?;
        let lang = langs.get(addr)?;
        match at.get(&key) {
            Some(&i) => out[i].members.push((score, addr, lang)),
            None => {
                at.insert(key.clone(), out.len());
                out.push(Group {
                    key,
                    members: vec![(score, addr, lang)],
                });
            }
        }
    }
    Ok(out)
}
