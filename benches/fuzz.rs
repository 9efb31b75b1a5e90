//! The fuzz harness, long form: `cargo bench --bench fuzz -- [--mutants N]
//! [--seconds S] [--corpus-files N] [--queries N]`. Mutates fixtures and a
//! spread of corpus files on every core, times the adversarial inputs at 1
//! MB, and sends generated queries through the engine and the HTTP router.
//! Prints panics, the slowest input per MB, and throughput.

#[path = "support/fuzz.rs"]
mod fuzz;
mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use rayon::prelude::*;
use tower::ServiceExt;

use bulletin_search::search::{SearchRequest, search};

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let mutants = arg("--mutants", 200_000);
    let seconds = arg("--seconds", 900);
    let corpus_files = arg("--corpus-files", 2_000) as usize;
    let queries = arg("--queries", 100_000);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = support::corpus();
    let seeds = fuzz::seed_files(&root.join("fixtures"), corpus.as_deref(), corpus_files);
    let seed_mb = seeds.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    println!("fuzz: {} seed files ({seed_mb:.1} MB)", seeds.len());
    if let Some(i) = std::env::args().position(|a| a == "--replay") {
        let args: Vec<u64> = std::env::args()
            .skip(i + 1)
            .filter_map(|a| a.parse().ok())
            .collect();
        let mutant = fuzz::replay(&seeds, args[0], args[1]);
        let path = root.join("target/fuzz-replay.md");
        std::fs::write(&path, &mutant).expect("write the mutant");
        for _ in 0..3 {
            let started = Instant::now();
            let _ = bulletin_search::index::extract_bytes(&path, "replay", &mutant);
            let secs = started.elapsed().as_secs_f64();
            println!(
                "mutant {} of seed {}: {} bytes in {:.1} ms ({:.3} s/MB), written to {}",
                args[1],
                args[0],
                mutant.len(),
                secs * 1e3,
                fuzz::secs_per_mb(secs, mutant.len()),
                path.display()
            );
        }
        return;
    }

    println!("\nadversarial inputs, 1 MB each:");
    for (name, input) in fuzz::adversarial(1_000_000) {
        let started = Instant::now();
        let result = bulletin_search::index::extract_bytes(name.as_ref(), name, &input);
        let secs = started.elapsed().as_secs_f64();
        let outcome = match result {
            Ok(_) => "extracted".to_string(),
            Err(s) => format!("skipped: {}", s.reason),
        };
        println!("  {name:<26} {:>8.1} ms  {outcome}", secs * 1e3);
    }

    let threads = rayon::current_num_threads() as u64;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let parts: Vec<fuzz::Outcome> = (0..threads)
        .into_par_iter()
        .map(|t| fuzz::run_mutants(&seeds, 20261202 + t, mutants.div_ceil(threads), deadline))
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    let total: u64 = parts.iter().map(|o| o.mutants).sum();
    let bytes: u64 = parts.iter().map(|o| o.bytes).sum();
    let panics: Vec<&String> = parts.iter().flat_map(|o| &o.panics).collect();
    let slowest = parts
        .iter()
        .map(|o| &o.slowest)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .cloned()
        .unwrap_or_default();
    println!(
        "\nmutants: {total} ({:.0} MB) in {elapsed:.0} s on {threads} threads, {:.0}/s",
        bytes as f64 / 1e6,
        total as f64 / elapsed
    );
    println!("panics: {}", panics.len());
    for p in panics.iter().take(10) {
        println!("  {p}");
    }
    println!(
        "slowest: {:.3} s/MB ({} bytes, {})",
        slowest.0, slowest.1, slowest.2
    );

    let engine = std::sync::Arc::new(
        bulletin_search::Engine::build_in_ram(&[root.join("fixtures")]).expect("fixture index"),
    );
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let mut rng = fuzz::Rng::new(7);
    let (mut errors, mut server_errors, mut worst) = (0u64, 0u64, 0f64);
    let mut worst_query = String::new();
    let started = Instant::now();
    for _ in 0..queries {
        let q = fuzz::query(&mut rng, 12);
        let t = Instant::now();
        if search(&engine, &SearchRequest::new(&q, 20)).is_err() {
            errors += 1;
        }
        if t.elapsed().as_secs_f64() > worst {
            worst = t.elapsed().as_secs_f64();
            worst_query = q.clone();
        }
        let path = fuzz::request_path(&mut rng);
        let status = runtime.block_on(async {
            bulletin_search::serve::router(engine.clone())
                .oneshot(Request::get(path.as_str()).body(Body::empty()).unwrap())
                .await
                .map(|r| r.status())
        });
        if status.map_or(true, |s| s.is_server_error()) {
            server_errors += 1;
            println!("  5xx: {path}");
        }
    }
    println!(
        "\nqueries: {queries} engine searches ({errors} errors, slowest {:.1} ms: {worst_query:?}) and {queries} HTTP requests ({server_errors} 5xx) in {:.0} s",
        worst * 1e3,
        started.elapsed().as_secs_f64()
    );
}
