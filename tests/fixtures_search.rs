//! Searches over the fixture index: exact top results.

use bulletin_search::search::{SearchRequest, search};

use crate::common::fixture_engine;

fn top(query: &str) -> Vec<(Option<String>, String)> {
    search(&fixture_engine(), &SearchRequest::new(query, 10))
        .unwrap()
        .hits
        .into_iter()
        .map(|h| (h.bulletin_id.map(|b| b.to_string()), h.lang.to_string()))
        .collect()
}

#[test]
fn kb_number_query_ranks_its_bulletin_first_in_every_spelling() {
    for q in ["925902", "KB925902", "kb 925902", "Q925902"] {
        let hits = top(q);
        // Shown through its own (English) file, before the summary entries.
        assert_eq!(
            hits[0],
            (Some("MS07-017".to_string()), "en".to_string()),
            "{q}"
        );
    }
}

#[test]
fn ids_are_never_fuzzy() {
    assert!(top("925903").is_empty());
    assert!(top("MS07-099").is_empty());
}

#[test]
fn the_majority_kb_finds_ms07_053_in_norwegian_too() {
    // One result per bulletin: the English file and the Norwegian summary entry are one group.
    let r = search(&fixture_engine(), &SearchRequest::new("939778", 10)).unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(r.hits.len(), 1);
    assert_eq!(r.hits[0].group, "MS07-053");
    assert_eq!(r.hits[0].lang, "en");
    assert_eq!(r.hits[0].matched_languages, ["en", "nb"]);
    assert_eq!(r.hits[0].languages, ["en", "nb"]);
    let hits = top("941522");
    assert_eq!(hits[0], (Some("MS07-052".to_string()), "nb".to_string()));
}

#[test]
fn bulletin_ids_in_short_form_find_the_bulletin() {
    let hits = top("ms07-17");
    assert_eq!(hits[0].0.as_deref(), Some("MS07-017"));
}

#[test]
fn a_summary_id_finds_its_month() {
    let r = search(&fixture_engine(), &SearchRequest::new("ms07-apr", 10)).unwrap();
    let found: Vec<(&str, &str, &str)> = r
        .hits
        .iter()
        .map(|h| (h.group.as_str(), h.kind.code(), h.lang.code()))
        .collect();
    assert_eq!(found, [("MS07-APR", "summary", "da")]);
    assert!(top("MS07-FEB").is_empty());
}

#[test]
fn danish_words_match_inflected_forms() {
    // "sårbarheder" is indexed, "sårbarhed" is asked: the Danish stemmer joins them.
    let r = search(&fixture_engine(), &SearchRequest::new("sårbarhed GDI", 5)).unwrap();
    assert_eq!(r.hits[0].bulletin_id, Some(crate::common::id("MS07-017")));
    assert!(
        r.hits[0].snippet.contains("<mark>"),
        "{}",
        r.hits[0].snippet
    );
}

#[test]
fn filters_restrict_language_and_kind() {
    use bulletin_search::model::{DocKind, Lang};
    use bulletin_search::search::Filters;
    let f = Filters {
        lang: Some(Lang::Nl),
        kind: Some(DocKind::Summary),
        ..Default::default()
    };
    let mut req = SearchRequest::new("MS07-001", 10);
    req.filters = f;
    let r = search(&fixture_engine(), &req).unwrap();
    assert_eq!(r.total, 1);
    assert!(r.hits[0].path.ends_with("ms07-jan.md"));
}

#[test]
fn a_list_of_ids_answers_each_in_order_and_lists_what_nothing_answers() {
    let engine = fixture_engine();
    let r = search(
        &engine,
        &SearchRequest::new("KB925902; 939778\nKB999999, ms07-17", 20),
    )
    .unwrap();
    let rows: Vec<(String, String, Option<String>)> = r
        .ids
        .as_ref()
        .expect("an id list")
        .iter()
        .map(|row| {
            let answer = row.hit.map(|i| {
                r.hits[i]
                    .bulletin_id
                    .map(|b| b.to_string())
                    .unwrap_or_default()
            });
            (row.id.clone(), row.kind.clone(), answer)
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("KB925902".into(), "kb".into(), Some("MS07-017".into())),
            ("KB939778".into(), "kb".into(), Some("MS07-053".into())),
            ("KB999999".into(), "kb".into(), None),
            (
                "MS07-017".into(),
                "bulletin".into(),
                Some("MS07-017".into())
            ),
        ]
    );
    assert_eq!(r.total, 3);
    assert_eq!(r.warnings, ["1 of 4 ids not found"]);
    // One id, or ids with words, is an ordinary search.
    assert!(
        search(&engine, &SearchRequest::new("KB925902", 20))
            .unwrap()
            .ids
            .is_none()
    );
    assert!(
        search(&engine, &SearchRequest::new("KB925902 GDI", 20))
            .unwrap()
            .ids
            .is_none()
    );
}
