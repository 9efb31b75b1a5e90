use bulletin_search::index::extract_all;
use bulletin_search::ingest::WalkOptions;
fn rss() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines().find(|l| l.starts_with("VmRSS")).unwrap().split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() / 1024
}
fn hwm() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines().find(|l| l.starts_with("VmHWM")).unwrap().split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() / 1024
}
fn main() {
    let e = extract_all(&[std::path::PathBuf::from("target/corpus")], WalkOptions::default(), false);
    let body: usize = e.docs.iter().map(|d| d.body.len()).sum();
    let json: usize = e.docs.iter().map(|d| serde_json::to_string(d).unwrap().len()).sum();
    println!("docs {} body {} MB, json of all {} MB, rss {} MB hwm {} MB", e.docs.len(), body >> 20, json >> 20, rss(), hwm());
    let t = std::time::Instant::now();
    let mut lz = 0usize;
    for d in &e.docs { lz += zstd_len(&d.body); }
    println!("compressed {} MB in {:.2}s", lz >> 20, t.elapsed().as_secs_f64());
}
fn zstd_len(s: &str) -> usize { lz4_flex::compress_prepend_size(s.as_bytes()).len() }
