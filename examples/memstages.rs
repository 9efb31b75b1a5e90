use bulletin_search::index::extract_all;
use bulletin_search::ingest::WalkOptions;
fn st(k: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines()
        .find(|l| l.starts_with(k))
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<u64>()
        .unwrap()
        / 1024
}
fn p(what: &str, t: std::time::Instant) {
    println!(
        "{what:<22} rss {:>5} MB (anon {:>5}, file {:>5})  hwm {:>5} MB  {:.1}s",
        st("VmRSS"),
        st("RssAnon"),
        st("RssFile"),
        st("VmHWM"),
        t.elapsed().as_secs_f64()
    );
}
fn main() {
    let heap: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().unwrap())
        .unwrap_or(300_000_000);
    let t = std::time::Instant::now();
    let e = extract_all(
        &[std::path::PathBuf::from("target/corpus")],
        WalkOptions::default(),
        false,
    );
    p("extract", t);
    let consensus = bulletin_search::reconcile::reconcile(&e.docs);
    p("reconcile", t);
    let lex = bulletin_search::lexicon::Lexicon::learn(&e.docs, &Default::default(), &|_| false);
    p("lexicon", t);
    let credits = bulletin_search::researchers::collect(&e.docs);
    p("credits", t);
    let dir = std::path::Path::new("target/memstage-idx");
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let index = tantivy::Index::create_in_dir(dir, bulletin_search::index::schema().0).unwrap();
    bulletin_search::index::write_documents(&index, &e.docs, &consensus, heap).unwrap();
    p("write", t);
    std::hint::black_box((lex, credits));
}
