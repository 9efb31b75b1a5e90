//! Load test: `cargo bench --bench load`. Serves the index of all six shared
//! locales on a random loopback port and sends a mixed query set at 1, 2 and
//! 8 connections (8 s each, so under a minute in all), then an id-only set.
//! Prints throughput, p50/p99 latency and the count of non-2xx responses.
//! Loopback only; bounded in time; stops by itself.

use std::sync::Arc;
use std::time::{Duration, Instant};

mod support;

use bulletin_search::Engine;
use bulletin_search::index::{BuildOptions, build_index};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

const MIXED: &[&str] = &[
    "925902",
    "KB925902",
    "kb%20958644",
    "Q316333",
    "MS07-017",
    "ms08-67",
    "CVE-2007-0038",
    "CVE-2014-6332",
    "s%C3%A5rbarheder",
    "fjernudf%C3%B8relse%20af%20kode",
    "sikkerhetsproblem",
    "beveiligingslek",
    "%22externe%20code%22",
    "Sicherheitsanf%C3%A4lligkeit",
    "Remotecodeausf%C3%BChrung",
    "%E8%84%86%E5%BC%B1%E6%80%A7",
    "%E6%BC%8F%E6%B4%9E",
    "%E9%81%A0%E7%AB%AF%E5%9F%B7%E8%A1%8C",
    "Internet%20Explorer",
    "Tavis%20Ormandy",
    "iDefense",
    "GDI%20Windows",
];
const IDS: &[&str] = &[
    "925902",
    "KB958644",
    "MS07-017",
    "ms08-067",
    "CVE-2007-0038",
    "939778",
    "2719615",
    "MS16-001",
];
const SECONDS_PER_RUN: u64 = 8;

fn main() {
    let Some(corpus) = support::corpus() else {
        return;
    };
    let dir = support::index_dir();
    let engine = match Engine::open(&dir) {
        Ok(e) => e,
        Err(_) => {
            build_index(&[corpus], &dir, &BuildOptions::default()).expect("index");
            Engine::open(&dir).expect("open")
        }
    };
    let engine = Arc::new(engine);
    let server = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let addr = server.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // The server as `serve` runs it: its accept loop, limits and timeouts.
        bulletin_search::serve::warm(&engine);
        let live = Arc::new(bulletin_search::serve::Live::fixed(engine.clone()));
        tokio::spawn(bulletin_search::serve::serve_until(
            live,
            listener,
            bulletin_search::serve::Limits::default(),
            std::future::pending(),
        ));
        addr
    });
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    println!("load test against http://{addr} ({SECONDS_PER_RUN} s per run)");
    for (name, set) in [("mixed", MIXED), ("ids", IDS)] {
        for conns in [1usize, 2, 8] {
            let (n, bad, mut lat) = client_rt.block_on(run(addr, set, conns));
            lat.sort_by(|a, b| a.total_cmp(b));
            let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize];
            println!(
                "{name:<5} {conns} conn: {:>6.0} req/s  p50 {:>5.2} ms  p99 {:>6.2} ms  requests {n}  non-2xx {bad}",
                n as f64 / SECONDS_PER_RUN as f64,
                pct(0.5),
                pct(0.99)
            );
        }
    }
}

async fn run(
    addr: std::net::SocketAddr,
    set: &'static [&'static str],
    conns: usize,
) -> (usize, usize, Vec<f64>) {
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let deadline = Instant::now() + Duration::from_secs(SECONDS_PER_RUN);
    let mut tasks = Vec::new();
    for c in 0..conns {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let (mut n, mut bad, mut lat) = (0usize, 0usize, Vec::new());
            let mut i = c;
            while Instant::now() < deadline && n < 1_000_000 {
                let uri = format!("http://{addr}/api/search?q={}&limit=10", set[i % set.len()]);
                i += 1;
                let t = Instant::now();
                match client.get(uri.parse().unwrap()).await {
                    Ok(resp) => {
                        let ok = resp.status().is_success();
                        let _ = resp.into_body().collect().await;
                        if !ok {
                            bad += 1;
                        }
                    }
                    Err(_) => bad += 1,
                }
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                n += 1;
            }
            (n, bad, lat)
        }));
    }
    let mut total = (0, 0, Vec::new());
    for t in tasks {
        let (n, bad, lat) = t.await.unwrap();
        total.0 += n;
        total.1 += bad;
        total.2.extend(lat);
    }
    total
}
