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

/// Counts the distinct groups among the matching records.
pub struct GroupCount {
    /// Whether the index has several segments (keys must then be compared as strings).
    pub multi_segment: bool,
}

/// Per segment: which group ords were seen.
pub struct GroupCountSegment {
    column: Option<StrColumn>,
    seen: Vec<bool>,
    multi_segment: bool,
}

/// A segment's distinct groups: their number, and their keys when segments must be merged.
pub struct GroupFruit {
    count: usize,
    keys: Vec<String>,
}

impl Collector for GroupCount {
    type Fruit = usize;
    type Child = GroupCountSegment;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let column = segment.fast_fields().str(GROUP_FIELD)?;
        let terms = column.as_ref().map_or(0, |c| c.num_terms());
        Ok(GroupCountSegment {
            column,
            seen: vec![false; terms],
            multi_segment: self.multi_segment,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<GroupFruit>) -> tantivy::Result<usize> {
        if !self.multi_segment {
            return Ok(fruits.iter().map(|f| f.count).sum());
        }
        let keys: HashSet<&String> = fruits.iter().flat_map(|f| &f.keys).collect();
        Ok(keys.len())
    }
}

impl SegmentCollector for GroupCountSegment {
    type Fruit = GroupFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(c) = &self.column
            && let Some(o) = c.term_ords(doc).next()
        {
            self.seen[o as usize] = true;
        }
    }

    fn harvest(self) -> GroupFruit {
        let count = self.seen.iter().filter(|s| **s).count();
        let mut keys = Vec::new();
        if self.multi_segment
            && let Some(c) = &self.column
        {
            for (o, _) in self.seen.iter().enumerate().filter(|(_, s)| **s) {
                let mut k = String::new();
                if c.ord_to_str(o as u64, &mut k).unwrap_or(false) {
                    keys.push(k);
                }
            }
        }
        GroupFruit { count, keys }
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
