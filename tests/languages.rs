//! A language added with one row of `lang::LANGS` and no vocabulary row:
//! Greek (a Snowball stemmer, a script of its own), read from a hand-made
//! page in `tests/data/el-gr` beside the English fixture of the same bulletin.

use bulletin_search::Engine;
use bulletin_search::index::extract_all;
use bulletin_search::ingest::WalkOptions;
use bulletin_search::model::Lang;
use bulletin_search::search::{SearchRequest, search};

use crate::common::{fixtures, root};

#[test]
fn a_language_added_with_one_row_is_detected_stemmed_and_searched() {
    let greek = root().join("tests/data/el-gr");
    let english = fixtures().join("en-us/security-updates/SecurityBulletins/2008/ms08-067.md");
    let e = extract_all(std::slice::from_ref(&greek), WalkOptions::default(), false);
    assert_eq!(e.docs.len(), 1);
    let doc = &e.docs[0];
    assert_eq!(doc.lang, Some(Lang::El));
    assert_eq!(
        doc.bulletin_id.map(|b| b.to_string()).as_deref(),
        Some("MS08-067")
    );
    assert_eq!(
        doc.main_kb.map(|k| k.to_string()).as_deref(),
        Some("958644")
    );
    let kbs: Vec<String> = doc.kbs.iter().map(ToString::to_string).collect();
    assert_eq!(kbs, ["921883", "958644"]);
    let cves: Vec<String> = doc.cves.iter().map(ToString::to_string).collect();
    assert_eq!(cves, ["CVE-2008-4250"]);

    let engine = Engine::build_in_ram(&[greek, english]).unwrap();
    let top = |q: &str| {
        let r = search(&engine, &SearchRequest::new(q, 5)).unwrap();
        r.hits
            .first()
            .map(|h| (h.bulletin_id, h.lang, h.matched_languages.clone()))
    };
    // The stemmer joins the plural and genitive asked with the singular and
    // accusative written: "ευπάθειες διακομιστών" is only in the Greek page's stems.
    let el = Some("MS08-067".parse().unwrap());
    assert_eq!(
        top("ευπάθειες διακομιστών"),
        Some((el, Lang::El.into(), vec![Lang::El.into()]))
    );
    // The KB finds the bulletin in both languages, one result.
    let (id, _, matched) = top("KB958644").unwrap();
    assert_eq!((id, matched), (el, vec![Lang::El.into(), Lang::En.into()]));
    // The page's language menu and facets name it from the same row.
    let stats = bulletin_search::search::lookup::stats(&engine).unwrap();
    assert_eq!(stats.languages["el"], "Ελληνικά");
    assert_eq!(stats.counts.lang["el"], 1);
}
