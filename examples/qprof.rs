use bulletin_search::Engine;
use bulletin_search::search::{SearchRequest, search};
use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let rounds: usize = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(20);
    let facets = std::env::args()
        .nth(3)
        .map(|s| s == "facets")
        .unwrap_or(true);
    let engine = Engine::open(std::path::Path::new(&dir)).unwrap();
    let qs = [
        "925902",
        "KB925902",
        "kb 958644",
        "Q316333",
        "MS07-017",
        "ms08-67",
        "CVE-2007-0038",
        "CVE-2014-6332",
        "sårbarheder",
        "fjernudførelse af kode",
        "sikkerhetsproblem",
        "beveiligingslek",
        "\"externe code\"",
        "Sicherheitsanfälligkeit",
        "Remotecodeausführung",
        "脆弱性",
        "漏洞",
        "遠端執行",
        "Internet Explorer",
        "Tavis Ormandy",
        "iDefense",
        "GDI Windows",
    ];
    let only = std::env::var("QS").ok();
    let qs: Vec<&str> = qs
        .iter()
        .copied()
        .filter(|q| {
            only.as_deref()
                .is_none_or(|o| o.split(',').any(|x| x == *q))
        })
        .collect();
    let _ = bulletin_search::search::lookup::languages_of(&engine, "");
    let mut per: Vec<Vec<f64>> = vec![Vec::new(); qs.len()];
    for _ in 0..rounds {
        for (i, q) in qs.iter().enumerate() {
            let mut req = SearchRequest::new(q, 10);
            req.facets = facets;
            let t = Instant::now();
            let r = search(&engine, &req).unwrap();
            per[i].push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(r);
        }
    }
    let mut all = Vec::new();
    for (i, q) in qs.iter().enumerate() {
        let mut v = per[i].clone();
        v.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{q:<28} p50 {:.2} ms max {:.2}",
            v[v.len() / 2],
            v[v.len() - 1]
        );
        all.extend(v);
    }
    all.sort_by(|a, b| a.total_cmp(b));
    println!(
        "all p50 {:.2} p99 {:.2}",
        all[all.len() / 2],
        all[all.len() * 99 / 100]
    );
}
