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
}

impl Dim {
    /// Every facet, in the order the page shows them.
    pub const ALL: [Dim; 4] = [Dim::Lang, Dim::Kind, Dim::Severity, Dim::Year];

    fn field(self) -> &'static str {
        match self {
            Dim::Lang => name::LANG,
            Dim::Kind => name::KIND,
            Dim::Severity => name::SEVERITY,
            Dim::Year => name::YEAR,
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
    seen: HashSet<(Dim, u64, u64)>,
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
            seen: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<HashMap<(Dim, String), HashSet<String>>>,
    ) -> tantivy::Result<Facets> {
        let mut groups: HashMap<(Dim, String), HashSet<String>> = HashMap::new();
        for fruit in fruits {
            for (key, set) in fruit {
                groups.entry(key).or_default().extend(set);
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
    type Fruit = HashMap<(Dim, String), HashSet<String>>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(group) = self.group.as_ref().and_then(|g| g.term_ords(doc).next()) else {
            return;
        };
        for (dim, column) in &self.columns {
            match column {
                Some(FacetColumn::Str(c)) => {
                    for o in c.term_ords(doc) {
                        self.seen.insert((*dim, o, group));
                    }
                }
                Some(FacetColumn::Year(c)) => {
                    for y in c.values_for_doc(doc) {
                        self.seen.insert((*dim, y, group));
                    }
                }
                None => {}
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out: Self::Fruit = HashMap::new();
        let mut text = String::new();
        let mut string_of = |c: &StrColumn, ord: u64| {
            text.clear();
            c.ord_to_str(ord, &mut text)
                .ok()
                .filter(|found| *found)
                .map(|_| text.clone())
        };
        let mut group_keys: HashMap<u64, String> = HashMap::new();
        let mut value_keys: HashMap<(Dim, u64), String> = HashMap::new();
        for (dim, value, group) in &self.seen {
            let Some(g) = &self.group else { continue };
            let key = match group_keys.get(group) {
                Some(k) => k.clone(),
                None => {
                    let k = string_of(g, *group).unwrap_or_default();
                    group_keys.insert(*group, k.clone());
                    k
                }
            };
            let value_key = match value_keys.get(&(*dim, *value)) {
                Some(v) => v.clone(),
                None => {
                    let column = self
                        .columns
                        .iter()
                        .find(|(d, _)| d == dim)
                        .and_then(|(_, c)| c.as_ref());
                    let v = match column {
                        Some(FacetColumn::Str(c)) => string_of(c, *value).unwrap_or_default(),
                        Some(FacetColumn::Year(_)) => value.to_string(),
                        None => continue,
                    };
                    value_keys.insert((*dim, *value), v.clone());
                    v
                }
            };
            out.entry((*dim, value_key)).or_default().insert(key);
        }
        out
    }
}

const DIMENSIONS: [&str; 4] = [name::LANG, name::KIND, name::SEVERITY, name::YEAR];

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
    }
}
