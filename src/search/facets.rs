//! Facet counts (language, kind, severity, year): of records, for the
//! index's statistics, with tantivy's terms aggregations over the fast
//! fields; and of results, for a search, where each value counts the
//! translation groups a click on it gives (see [`GroupFacets`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use std::sync::Arc;
use tantivy::Searcher;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::AggregationResults;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::query::Query;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::error::Result;
use crate::index::name;

/// Counts per value of each facet: records in the index's statistics, and
/// results (translation groups) in a search's answer.
#[derive(Debug, Clone, Default, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Facets {
    /// Per detected language.
    pub lang: BTreeMap<String, u64>,
    /// Per kind.
    pub kind: BTreeMap<String, u64>,
    /// Per severity.
    pub severity: BTreeMap<String, u64>,
    /// Per year.
    pub year: BTreeMap<String, u64>,
    /// Per impact.
    #[serde(default)]
    pub impact: BTreeMap<String, u64>,
    /// Per product family (`Windows XP`, `Office 2003`).
    #[serde(default)]
    pub product: BTreeMap<String, u64>,
}

/// One facet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dim {
    /// Detected language.
    Lang,
    /// Document kind.
    Kind,
    /// Severity.
    Severity,
    /// Year.
    Year,
    /// Impact.
    Impact,
    /// Product family.
    Family,
}

impl Dim {
    /// Every facet, in the order the page shows them.
    pub const ALL: [Dim; 6] = [
        Dim::Lang,
        Dim::Kind,
        Dim::Severity,
        Dim::Year,
        Dim::Impact,
        Dim::Family,
    ];

    fn field(self) -> &'static str {
        match self {
            Dim::Lang => name::LANG,
            Dim::Kind => name::KIND,
            Dim::Severity => name::SEVERITY,
            Dim::Year => name::YEAR,
            Dim::Impact => name::IMPACT,
            Dim::Family => name::FAMILY,
        }
    }
}

impl Facets {
    fn of(&mut self, dim: Dim) -> &mut BTreeMap<String, u64> {
        match dim {
            Dim::Lang => &mut self.lang,
            Dim::Kind => &mut self.kind,
            Dim::Severity => &mut self.severity,
            Dim::Year => &mut self.year,
            Dim::Impact => &mut self.impact,
            Dim::Family => &mut self.product,
        }
    }

    /// Takes `dim`'s counts from `other`.
    pub fn take(&mut self, dim: Dim, other: &mut Facets) {
        *self.of(dim) = std::mem::take(other.of(dim));
    }
}

/// Counts, for each value of the facets `dims`, the distinct translation
/// groups with a matching record of that value: the results a click on the
/// value gives, as the result count counts them. A bulletin in six
/// languages is one result, and one in each language's count.
pub struct GroupFacets {
    /// The facets to count.
    pub dims: Vec<Dim>,
    /// Every record's group and facet values, read once per index.
    pub table: Arc<FacetTable>,
}

/// Every record's group and facet values, by segment: read from the fast
/// fields once, so a search reads two integers per record and facet, not
/// a column's values (which cost most of a broad query).
pub struct FacetTable {
    /// The segments it was read from, in the searcher's order.
    ids: Vec<SegmentId>,
    segments: Vec<SegmentTable>,
}

struct SegmentTable {
    /// Each record's group ordinal (`NO_GROUP`: none).
    groups: Vec<u32>,
    /// The group names by ordinal (read only where there are several segments).
    group_names: Vec<String>,
    /// One per [`Dim::ALL`], in its order.
    dims: Vec<DimTable>,
}

/// One facet in one segment: each record's set of values, as an id into
/// the distinct sets (a bulletin's versions mostly share theirs).
#[derive(Default)]
struct DimTable {
    set_of: Vec<u32>,
    /// Each distinct set's values, as value numbers.
    sets: Vec<Box<[u32]>>,
    /// Each value number's name (`da`, `critical`, `2007`).
    names: Vec<String>,
}

const NO_GROUP: u32 = u32::MAX;

impl FacetTable {
    /// The engine's table, read on first use; read anew (not kept) for a
    /// searcher of other segments.
    pub fn of(engine: &crate::Engine, searcher: &Searcher) -> Result<Arc<FacetTable>> {
        if let Some(t) = engine.facet_table.get().filter(|t| t.is_of(searcher)) {
            return Ok(t.clone());
        }
        let table = Arc::new(FacetTable::read(searcher)?);
        if table.is_of(&engine.reader.searcher()) {
            let _ = engine.facet_table.set(table.clone());
        }
        Ok(table)
    }

    /// Reads every segment of `searcher`.
    pub fn read(searcher: &Searcher) -> Result<FacetTable> {
        let multi = searcher.segment_readers().len() > 1;
        let mut segments = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let max = segment.max_doc();
            let group = fast.str(name::GROUP)?;
            let groups = (0..max)
                .map(|d| {
                    group
                        .as_ref()
                        .and_then(|g| g.term_ords(d).next())
                        .map_or(NO_GROUP, |o| o as u32)
                })
                .collect();
            let group_names = match (&group, multi) {
                (Some(g), true) => super::group::dictionary_strings(g),
                _ => Vec::new(),
            };
            let mut dims = Vec::new();
            for dim in Dim::ALL {
                dims.push(match dim {
                    Dim::Year => match fast.u64(dim.field()) {
                        Ok(c) => DimTable::read(
                            max,
                            |d, out| {
                                out.extend(c.values_for_doc(d));
                            },
                            |years| years.iter().map(u64::to_string).collect(),
                        ),
                        Err(_) => DimTable::default(),
                    },
                    _ => match fast.str(dim.field())? {
                        Some(c) => DimTable::read(
                            max,
                            |d, out| {
                                out.extend(c.term_ords(d));
                            },
                            |ords| {
                                let names = super::group::dictionary_strings(&c);
                                ords.iter()
                                    .map(|&o| names.get(o as usize).cloned().unwrap_or_default())
                                    .collect()
                            },
                        ),
                        None => DimTable::default(),
                    },
                });
            }
            segments.push(SegmentTable {
                groups,
                group_names,
                dims,
            });
        }
        Ok(FacetTable {
            ids: segment_ids(searcher),
            segments,
        })
    }

    /// Whether it was read from the segments `searcher` searches.
    pub fn is_of(&self, searcher: &Searcher) -> bool {
        self.ids == segment_ids(searcher)
    }
}

fn segment_ids(searcher: &Searcher) -> Vec<SegmentId> {
    searcher
        .segment_readers()
        .iter()
        .map(|s| s.segment_id())
        .collect()
}

impl DimTable {
    /// Reads each of `max` records' values with `values`; `names` names
    /// the distinct values seen, in the order given.
    fn read(
        max: DocId,
        values: impl Fn(DocId, &mut Vec<u64>),
        names: impl FnOnce(&[u64]) -> Vec<String>,
    ) -> DimTable {
        let mut number: HashMap<u64, u32> = HashMap::new();
        let mut seen: Vec<u64> = Vec::new();
        let mut set_id: HashMap<Box<[u32]>, u32> = HashMap::new();
        let mut table = DimTable::default();
        let mut buf = Vec::new();
        for d in 0..max {
            buf.clear();
            values(d, &mut buf);
            let mut set: Vec<u32> = buf
                .iter()
                .map(|&v| {
                    *number.entry(v).or_insert_with(|| {
                        seen.push(v);
                        seen.len() as u32 - 1
                    })
                })
                .collect();
            set.sort_unstable();
            set.dedup();
            let set: Box<[u32]> = set.into();
            let next = table.sets.len() as u32;
            let id = *set_id.entry(set.clone()).or_insert_with(|| {
                table.sets.push(set);
                next
            });
            table.set_of.push(id);
        }
        table.names = names(&seen);
        table
    }
}

/// Per segment: the matching records, each with its group's ordinal.
pub struct GroupFacetsSegment {
    table: Arc<FacetTable>,
    segment: usize,
    dims: Vec<Dim>,
    /// `group ordinal << 32 | doc`, so sorting puts a group's records together.
    seen: Vec<u64>,
}

/// One segment's counts: by group key where the index has several
/// segments, else already counted.
pub enum SegmentFacets {
    /// Distinct groups per facet value.
    Counted(Facets),
    /// The group keys per facet value.
    Keys(HashMap<(Dim, String), HashSet<String>>),
}

impl Collector for GroupFacets {
    type Fruit = Facets;
    type Child = GroupFacetsSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(GroupFacetsSegment {
            table: self.table.clone(),
            segment: segment as usize,
            dims: self.dims.clone(),
            seen: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFacets>) -> tantivy::Result<Facets> {
        let mut groups: HashMap<(Dim, String), HashSet<String>> = HashMap::new();
        for fruit in fruits {
            match fruit {
                SegmentFacets::Counted(f) => return Ok(f),
                SegmentFacets::Keys(keys) => {
                    for (key, set) in keys {
                        groups.entry(key).or_default().extend(set);
                    }
                }
            }
        }
        let mut out = Facets::default();
        for ((dim, value), set) in groups {
            out.of(dim).insert(value, set.len() as u64);
        }
        Ok(out)
    }
}

impl SegmentCollector for GroupFacetsSegment {
    type Fruit = SegmentFacets;

    fn collect(&mut self, doc: DocId, _: Score) {
        let group = self
            .table
            .segments
            .get(self.segment)
            .and_then(|s| s.groups.get(doc as usize))
            .copied()
            .unwrap_or(NO_GROUP);
        if group != NO_GROUP {
            self.seen.push(((group as u64) << 32) | doc as u64);
        }
    }

    /// Counts each (value, group) pair once: with a group's records
    /// together, a value set (and then a value) is counted when the group
    /// it was last counted for is another. Linear in the records matched.
    fn harvest(mut self) -> Self::Fruit {
        self.seen.sort_unstable();
        let multi = self.table.segments.len() > 1;
        let mut counted = Facets::default();
        let mut keys: HashMap<(Dim, String), HashSet<String>> = HashMap::new();
        let Some(segment) = self.table.segments.get(self.segment) else {
            return SegmentFacets::Counted(counted);
        };
        for &dim in &self.dims {
            let table = &segment.dims[dim as usize];
            // Per set and per value: 1 + the group last counted for it.
            let mut set_last = vec![0u32; table.sets.len()];
            let mut value_last = vec![0u32; table.names.len()];
            let mut count = vec![0u64; table.names.len()];
            let mut members: Vec<Vec<u32>> = if multi {
                vec![Vec::new(); table.names.len()]
            } else {
                Vec::new()
            };
            for &packed in &self.seen {
                let (group, doc) = ((packed >> 32) as u32, packed as u32);
                let Some(&set) = table.set_of.get(doc as usize) else {
                    continue;
                };
                if set_last[set as usize] == group + 1 {
                    continue;
                }
                set_last[set as usize] = group + 1;
                for &v in table.sets[set as usize].iter() {
                    if value_last[v as usize] != group + 1 {
                        value_last[v as usize] = group + 1;
                        count[v as usize] += 1;
                        if let Some(m) = members.get_mut(v as usize) {
                            m.push(group);
                        }
                    }
                }
            }
            for (v, name) in table
                .names
                .iter()
                .enumerate()
                .filter(|(v, _)| count[*v] > 0)
            {
                if multi {
                    keys.entry((dim, name.clone())).or_default().extend(
                        members[v]
                            .iter()
                            .filter_map(|&g| segment.group_names.get(g as usize).cloned()),
                    );
                } else {
                    counted.of(dim).insert(name.clone(), count[v]);
                }
            }
        }
        if multi {
            SegmentFacets::Keys(keys)
        } else {
            SegmentFacets::Counted(counted)
        }
    }
}

const DIMENSIONS: [&str; 6] = [
    name::LANG,
    name::KIND,
    name::SEVERITY,
    name::YEAR,
    name::IMPACT,
    name::FAMILY,
];

/// Counts the facets of the records `query` matches.
pub fn count(searcher: &Searcher, query: &dyn Query) -> Result<Facets> {
    Ok(read(searcher.search(query, &collector())?))
}

/// A collector counting every facet, to run alongside others in one pass.
pub fn collector() -> AggregationCollector {
    let mut request = serde_json::Map::new();
    for d in DIMENSIONS {
        request.insert(
            d.to_string(),
            serde_json::json!({ "terms": { "field": d, "size": 100 } }),
        );
    }
    let aggs: Aggregations = serde_json::from_value(serde_json::Value::Object(request))
        .expect("valid aggregation request");
    AggregationCollector::from_aggs(aggs, Default::default())
}

/// The facet counts of an aggregation result.
pub fn read(result: AggregationResults) -> Facets {
    let value = serde_json::to_value(result).unwrap_or_default();
    let read = |d: &str| -> BTreeMap<String, u64> {
        value[d]["buckets"]
            .as_array()
            .map(|buckets| {
                buckets
                    .iter()
                    .filter_map(|b| {
                        let key = match &b["key"] {
                            serde_json::Value::String(s) => s.clone(),
                            serde_json::Value::Number(n) => {
                                n.as_f64().map(|f| format!("{f:.0}"))?
                            }
                            _ => return None,
                        };
                        Some((key, b["doc_count"].as_u64()?))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    Facets {
        lang: read(name::LANG),
        kind: read(name::KIND),
        severity: read(name::SEVERITY),
        year: read(name::YEAR),
        impact: read(name::IMPACT),
        product: read(name::FAMILY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::AllQuery;
    use tantivy::{Index, TantivyDocument};

    /// A bulletin in two languages written in two segments is one result
    /// in the kind count and one in each language's.
    #[test]
    fn groups_across_segments_count_once() {
        let (schema, f) = crate::index::schema();
        let index = Index::create_in_ram(schema);
        crate::analyze::register(index.tokenizers());
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
        let record = |group: &str, lang: &str, year: u64| {
            let mut d = TantivyDocument::default();
            d.add_text(f.group, group);
            d.add_text(f.lang, lang);
            d.add_text(f.kind, "bulletin");
            d.add_u64(f.year, year);
            d
        };
        for batch in [
            vec![
                record("MS07-017", "da", 2007),
                record("MS07-018", "da", 2007),
            ],
            vec![
                record("MS07-017", "ja", 2007),
                record("MS08-042", "ja", 2008),
            ],
        ] {
            for d in batch {
                writer.add_document(d).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let c = GroupFacets {
            dims: Dim::ALL.to_vec(),
            table: Arc::new(FacetTable::read(&searcher).unwrap()),
        };
        let facets = searcher.search(&AllQuery, &c).unwrap();
        // In one segment, counted by ordinal: the same.
        let one = Index::create_in_ram(crate::index::schema().0);
        crate::analyze::register(one.tokenizers());
        let mut w: tantivy::IndexWriter = one.writer(15_000_000).unwrap();
        for (group, lang, year) in [
            ("MS07-017", "da", 2007),
            ("MS07-018", "da", 2007),
            ("MS07-017", "ja", 2007),
            ("MS08-042", "ja", 2008),
            ("MS07-017", "ja", 2007),
        ] {
            w.add_document(record(group, lang, year)).unwrap();
        }
        w.commit().unwrap();
        let one = one.reader().unwrap().searcher();
        assert_eq!(one.segment_readers().len(), 1);
        let single = one
            .search(
                &AllQuery,
                &GroupFacets {
                    dims: Dim::ALL.to_vec(),
                    table: Arc::new(FacetTable::read(&one).unwrap()),
                },
            )
            .unwrap();
        assert_eq!(single, facets);
        let pairs = |m: &BTreeMap<String, u64>| {
            m.iter()
                .map(|(k, v)| format!("{k}:{v}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(pairs(&facets.kind), "bulletin:3");
        assert_eq!(pairs(&facets.lang), "da:2 ja:2");
        assert_eq!(pairs(&facets.year), "2007:2 2008:1");
    }
}
