use bulletin_search::Engine;
use bulletin_search::model::Lang;
use bulletin_search::search::{SearchRequest, search};
use std::collections::BTreeSet;
fn main() {
    let engine = Engine::open(std::path::Path::new("target/bench-index")).unwrap();
    let q = std::env::args().nth(1).unwrap();
    let lang: Lang = std::env::args().nth(2).unwrap().parse().unwrap();
    let mut r = SearchRequest::new(&q, 5000);
    r.facets = true;
    let all = search(&engine, &r).unwrap();
    println!(
        "total {} facet {:?}",
        all.total,
        all.facets.as_ref().unwrap().lang.get(lang.code())
    );
    let b: BTreeSet<String> = all
        .hits
        .iter()
        .filter(|h| h.matched_languages.iter().any(|l| *l == lang))
        .map(|h| h.group.clone())
        .collect();
    let mut r = SearchRequest::new(&q, 5000);
    r.filters.lang = Some(lang);
    let f = search(&engine, &r).unwrap();
    println!("filtered total {} warnings {:?}", f.total, f.warnings);
    let a: BTreeSet<String> = f.hits.iter().map(|h| h.group.clone()).collect();
    for h in all
        .hits
        .iter()
        .filter(|h| h.group == "MS01-027" || h.group == "906267")
    {
        println!(
            "{} {} {} {:?} {}",
            h.group, h.lang, h.path, h.matched_languages, h.title
        );
    }
    println!(
        "in facet not filtered: {:?}",
        b.difference(&a).take(20).collect::<Vec<_>>()
    );
    println!(
        "in filtered not facet: {:?}",
        a.difference(&b).take(20).collect::<Vec<_>>()
    );
}
