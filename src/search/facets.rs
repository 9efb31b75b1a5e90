//! Facet counts (language, kind, severity, year) for a query, with tantivy's
//! terms aggregations over the fast fields.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::Searcher;
use tantivy::aggregation::AggregationCollector;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::AggregationResults;
use tantivy::query::Query;

use crate::error::Result;
use crate::index::name;

/// Counts per value of each facet.
#[derive(Debug, Clone, Default, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Facets {
    /// Records per detected language.
    pub lang: BTreeMap<String, u64>,
    /// Records per kind.
    pub kind: BTreeMap<String, u64>,
    /// Records per severity.
    pub severity: BTreeMap<String, u64>,
    /// Records per year.
    pub year: BTreeMap<String, u64>,
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
