//! Benchmark on the real corpus: `cargo bench --bench corpus`.
//! Indexes all six shared locales (release), prints files, MB, seconds,
//! MB/s, peak RSS and index size, then times a fixed query set (p50/p99).
//! `cargo bench --bench corpus -- --queries` times the queries only, on the
//! index a previous run left (built first where there is none).

use std::path::Path;
use std::time::Instant;

mod support;

use bulletin_search::Engine;
use bulletin_search::index::{BuildOptions, build_index};
use bulletin_search::search::{SearchRequest, search};

const QUERIES: &[&str] = &[
    "925902",
    "KB925902",
    "kb 925902",
    "Q925902",
    "939778",
    "941522",
    "958644",
    "3124903",
    "MS07-017",
    "ms08-67",
    "MS16-001",
    "CVE-2007-0038",
    "cve 2008-4250",
    "CVE-2014-6332",
    "sårbarheder",
    "fjernudførelse af kode",
    "sikkerhetsproblem",
    "ekstern kjøring av kode",
    "beveiligingslek",
    "\"externe code\"",
    "Sicherheitsanfälligkeit",
    "Remotecodeausführung",
    "Serverdienst",
    "脆弱性",
    "リモートでコードが実行される",
    "漏洞",
    "遠端執行程式碼",
    "Internet Explorer",
    "Tavis Ormandy",
    "Alexander Sotirov",
    "iDefense",
    "GDI Windows",
];

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        dir_size(&p)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_string)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let Some(corpus) = support::corpus() else {
        return;
    };
    let out = support::index_dir();
    let queries_only = std::env::args().any(|a| a == "--queries");
    if !(queries_only && Engine::open(&out).is_ok()) {
        let started = Instant::now();
        let report = build_index(&[corpus], &out, &BuildOptions::default()).expect("index");
        let secs = started.elapsed().as_secs_f64();
        let mb = report.bytes as f64 / 1e6;
        println!(
            "indexing: {} files, {:.1} MB, {:.1} s, {:.1} MB/s, peak RSS {:.0} MB, index {:.0} MB",
            report.files_seen,
            mb,
            secs,
            mb / secs,
            peak_rss_mb(),
            dir_size(&out) as f64 / 1e6
        );
    }
    let engine = Engine::open(&out).expect("open");
    bulletin_search::serve::warm(&engine);
    let mut times = Vec::new();
    let (mut bare_ids, mut bare_words) = (Vec::new(), Vec::new());
    for round in 0..5 {
        for q in QUERIES {
            let t = Instant::now();
            let r = search(&engine, &SearchRequest::new(q, 10)).expect("search");
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            times.push(ms);
            match ids_only(q) {
                true => bare_ids.push(ms),
                false => bare_words.push(ms),
            }
            if round == 0 {
                println!(
                    "  {q:<28} {:>6} hits  top: {}",
                    r.total,
                    r.hits.first().map_or("-".into(), |h| format!(
                        "{} {}",
                        h.bulletin_id
                            .map_or_else(|| h.kind.to_string(), |b| b.to_string()),
                        h.lang
                    ))
                );
            }
        }
    }
    print_times("queries", &mut times);
    print_times("without facets, id queries", &mut bare_ids);
    print_times("without facets, word queries", &mut bare_words);
    // As the server asks: with the facet counts, ids and words apart.
    let (mut ids, mut words) = (Vec::new(), Vec::new());
    let mut per_query: Vec<(f64, &str)> = Vec::new();
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    for round in 0..rounds {
        for (i, q) in QUERIES.iter().enumerate() {
            let mut req = SearchRequest::new(q, 10);
            req.facets = true;
            let t = Instant::now();
            let r = search(&engine, &req).expect("search");
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(r);
            match per_query.get_mut(i) {
                Some(slot) => slot.0 = slot.0.min(ms),
                None if round == 0 => per_query.push((ms, q)),
                None => {}
            }
            if ids_only(q) {
                ids.push(ms);
            } else {
                words.push(ms);
            }
        }
    }
    print_times("with facets, id queries", &mut ids);
    print_times("with facets, word queries", &mut words);
    per_query.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<String> = per_query
        .iter()
        .take(8)
        .map(|(ms, q)| format!("{q} {ms:.2}"))
        .collect();
    println!("slowest (best of the rounds, ms): {}", slowest.join(", "));
}

/// Whether a query holds ids only (no words or phrases).
fn ids_only(q: &str) -> bool {
    let plan = bulletin_search::search::plan(q);
    plan.terms.is_empty() && plan.phrases.is_empty()
}

fn print_times(what: &str, times: &mut [f64]) {
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{what}: {} runs, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        pct(0.5),
        pct(0.99),
        times[times.len() - 1]
    );
}
