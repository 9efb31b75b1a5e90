//! Facet counts (language, kind, severity, year): of records, for the
//! index's statistics, with tantivy's terms aggregations over the fast
//! fields; and of results, for a search, where each value counts the
//! translation groups a click on it gives (see [`GroupFacets`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use tantivy::Searcher;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::AggregationResults;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
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
    /// Whether the index has several segments (groups must then be
    /// compared by key, not by ordinal).
    pub multi_segment: bool,
}

/// A facet's column in one segment.
enum FacetColumn {
    Str(StrColumn),
    Year(Column<u64>),
}

/// Per segment: the (facet, value, group) triples seen, by ordinals.
pub struct GroupFacetsSegment {
    group: Option<StrColumn>,
    columns: Vec<(Dim, Option<FacetColumn>)>,
    seen: Vec<(Dim, u64, u64)>,
    multi_segment: bool,
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
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let fast = segment.fast_fields();
        let mut columns = Vec::new();
        for &dim in &self.dims {
            let column = match dim {
                Dim::Year => fast.u64(dim.field()).ok().map(FacetColumn::Year),
                _ => fast.str(dim.field())?.map(FacetColumn::Str),
            };
            columns.push((dim, column));
        }
        Ok(GroupFacetsSegment {
            group: fast.str(name::GROUP)?,
            columns,
            seen: Vec::new(),
            multi_segment: self.multi_segment,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFacets>) -> tantivy::Result<Facets> {
        let mut groups: HashMap<(Dim, String), HashSet<String>> = HashMap::new();
        for fruit in fruits {
            match fruit {
                SegmentFacets::Counted(f) if !self.multi_segment => return Ok(f),
                SegmentFacets::Counted(_) => {}
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
        let Some(group) = self.group.as_ref().and_then(|g| g.term_ords(doc).next()) else {
            return;
        };
        for (dim, column) in &self.columns {
            match column {
                Some(FacetColumn::Str(c)) => {
                    for o in c.term_ords(doc) {
                        self.seen.push((*dim, o, group));
                    }
                }
                Some(FacetColumn::Year(c)) => {
                    for y in c.values_for_doc(doc) {
                        self.seen.push((*dim, y, group));
                    }
                }
                None => {}
            }
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        self.seen.sort_unstable();
        self.seen.dedup();
        // Whole dictionaries in one pass each: looking ordinals up one by
        // one decompresses a block each time.
        let values: HashMap<Dim, Vec<String>> = self
            .columns
            .iter()
            .filter_map(|(dim, column)| match column {
                Some(FacetColumn::Str(c)) => Some((*dim, super::group::dictionary_strings(c))),
                _ => None,
            })
            .collect();
        let value_name = |dim: Dim, value: u64| match values.get(&dim) {
            Some(names) => names.get(value as usize).cloned(),
            None => Some(value.to_string()),
        };
        if !self.multi_segment {
            // One segment: distinct (value, group ordinal) pairs are the count.
            let mut out = Facets::default();
            for (dim, value, _) in &self.seen {
                if let Some(v) = value_name(*dim, *value) {
                    *out.of(*dim).entry(v).or_default() += 1;
                }
            }
            return SegmentFacets::Counted(out);
        }
        let groups = self
            .group
            .as_ref()
            .map(super::group::dictionary_strings)
            .unwrap_or_default();
        let mut out: HashMap<(Dim, String), HashSet<String>> = HashMap::new();
        for (dim, value, group) in self.seen {
            if let (Some(v), Some(g)) = (value_name(dim, value), groups.get(group as usize)) {
                out.entry((dim, v)).or_default().insert(g.clone());
            }
        }
        SegmentFacets::Keys(out)
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
        let counted = |multi_segment: bool| {
            let c = GroupFacets {
                dims: Dim::ALL.to_vec(),
                multi_segment,
            };
            searcher.search(&AllQuery, &c).unwrap()
        };
        let facets = counted(true);
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
