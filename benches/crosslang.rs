//! Cross-language mate retrieval on the real corpus: `cargo bench --bench crosslang`.
//!
//! Learns the lexicon without a held-out fifth of the bulletins, then for
//! every ordered pair of the corpus's languages searches each held-out
//! bulletin's title in language A restricted to language B, three ways:
//! expanded (translated), shared tokens only (no expansion), and the
//! monolingual upper bound (B's own title). Prints the matrices, the means,
//! the worst pairs with examples, the lexicon's learning time against the
//! build's, and the query-time cost of expansion.

use std::time::Instant;

mod support;

use bulletin_search::Engine;
use bulletin_search::eval::{self, Mode, Names, Titles, held_out};
use bulletin_search::index::extract_all;
use bulletin_search::ingest::WalkOptions;
use bulletin_search::lexicon::{LearnOptions, Lexicon, Method};
use bulletin_search::model::Lang;
use bulletin_search::search::{SearchRequest, search};

fn main() {
    let Some(corpus) = support::corpus() else {
        return;
    };
    let started = Instant::now();
    let e = extract_all(&[corpus], WalkOptions::default(), false);
    let docs = e.docs;
    let engine = Engine::index_in_ram(&docs, e.skipped, e.files_seen, e.bytes).expect("index");
    let build_secs = started.elapsed().as_secs_f64();
    let titles = Titles::collect(&docs);
    let bulletins = titles.evaluated();
    let langs: Vec<Lang> = engine.lexicon.langs();
    println!(
        "corpus: {} documents, build {build_secs:.1} s (lexicon {:.2} s of it, {:.1}%)",
        docs.len(),
        engine.report.lexicon.learn_secs,
        100.0 * engine.report.lexicon.learn_secs / build_secs
    );
    println!(
        "evaluated: {} held-out bulletins with their own file in ≥3 languages; languages {}",
        bulletins.len(),
        langs.iter().map(|l| l.code()).collect::<Vec<_>>().join(" ")
    );
    let names = Names::collect(&docs);
    let mut results = Vec::new();
    // Model 1 with the vulnerability names as segments (the default), then
    // without them (titles and summaries only, as before), then Dice.
    // `--quick`: Model 1 with names only, translated titles and names.
    let quick = std::env::args().any(|a| a == "--quick");
    let methods = [
        (Method::Model1, true),
        (Method::Model1, false),
        (Method::Dice, true),
    ];
    for (method, vulnerabilities) in methods.into_iter().take(if quick { 1 } else { 3 }) {
        let t = Instant::now();
        let options = LearnOptions {
            method,
            vulnerabilities,
            ..LearnOptions::default()
        };
        let lexicon = Lexicon::learn(&docs, &options, &|id| held_out(id));
        let method = format!(
            "{method:?}{}",
            if vulnerabilities {
                ""
            } else {
                " without vulnerability names"
            }
        );
        println!(
            "\nlexicon {method} without held-out bulletins: {} entries, {} segment pairs, {} frames, {:.2} s",
            lexicon.summary.entries,
            lexicon.summary.segments,
            lexicon.summary.frames,
            t.elapsed().as_secs_f64()
        );
        let eval_engine = engine.with_lexicon(lexicon);
        let t = Instant::now();
        let cells = eval::evaluate(&eval_engine, &titles, &bulletins, &langs, Mode::Expanded);
        println!(
            "titles, expanded ({method}): MRR {:.3}  R@1 {:.3}  R@10 {:.3}  min R@10 {:.3}  ({:.1} s)",
            eval::mean(&cells, |c| c.mrr),
            eval::mean(&cells, |c| c.r1),
            eval::mean(&cells, |c| c.r10),
            cells.values().map(|c| c.r10).fold(1.0, f64::min),
            t.elapsed().as_secs_f64()
        );
        let named = eval::evaluate_names(
            &eval_engine,
            &titles,
            &names,
            &bulletins,
            &langs,
            Mode::Expanded,
        );
        println!(
            "vulnerability names, expanded ({method}): {} queries, MRR {:.3}  R@1 {:.3}  R@10 {:.3}  min R@1 {:.3}",
            named.values().map(|c| c.n).sum::<usize>(),
            eval::mean(&named, |c| c.mrr),
            eval::mean(&named, |c| c.r1),
            eval::mean(&named, |c| c.r10),
            named.values().map(|c| c.r1).fold(1.0, f64::min),
        );
        results.push((method, eval_engine, cells));
    }
    if quick {
        return;
    }
    let (_, eval_engine, expanded) = results.swap_remove(0);
    for mode in [Mode::Expanded, Mode::Shared, Mode::Monolingual] {
        let named = eval::evaluate_names(&eval_engine, &titles, &names, &bulletins, &langs, mode);
        println!("\n== vulnerability names, {mode:?}: R@1");
        print!("{}", eval::render(&named, &langs, |c| c.r1));
        println!(
            "mean MRR {:.3}  R@1 {:.3}  R@10 {:.3}; a bulletin naming a vulnerability the same counts as found: MRR {:.3}  R@1 {:.3}  R@10 {:.3}",
            eval::mean(&named, |c| c.mrr),
            eval::mean(&named, |c| c.r1),
            eval::mean(&named, |c| c.r10),
            eval::mean(&named, |c| c.mrr_same_title),
            eval::mean(&named, |c| c.r1_same_title),
            eval::mean(&named, |c| c.r10_same_title),
        );
        if mode == Mode::Expanded {
            let mut worst: Vec<_> = named.iter().collect();
            worst.sort_by(|a, b| a.1.r1.total_cmp(&b.1.r1));
            for ((a, b), c) in worst.iter().take(2) {
                for (id, q) in c.misses.iter().take(3) {
                    println!("  {a}→{b} missed {id}: {q}");
                }
            }
        }
    }

    let shared = eval::evaluate(&eval_engine, &titles, &bulletins, &langs, Mode::Shared);
    let mono = eval::evaluate(&eval_engine, &titles, &bulletins, &langs, Mode::Monolingual);
    for (name, cells) in [
        ("expanded (Model 1)", &expanded),
        ("shared tokens only", &shared),
        ("monolingual upper bound", &mono),
    ] {
        println!("\n== {name}: MRR");
        print!("{}", eval::render(cells, &langs, |c| c.mrr));
        println!("== {name}: recall@10");
        print!("{}", eval::render(cells, &langs, |c| c.r10));
        println!(
            "mean MRR {:.3}  R@1 {:.3}  R@10 {:.3}  min R@10 {:.3}",
            eval::mean(cells, |c| c.mrr),
            eval::mean(cells, |c| c.r1),
            eval::mean(cells, |c| c.r10),
            cells.values().map(|c| c.r10).fold(1.0, f64::min),
        );
        println!(
            "same title counts as found: MRR {:.3}  R@10 {:.3}  min R@10 {:.3}",
            eval::mean(cells, |c| c.mrr_same_title),
            eval::mean(cells, |c| c.r10_same_title),
            cells.values().map(|c| c.r10_same_title).fold(1.0, f64::min),
        );
    }
    let ratio = eval::mean(&expanded, |c| c.mrr) / eval::mean(&mono, |c| c.mrr);
    println!("\ncross-language MRR / monolingual MRR = {ratio:.3}");
    let mut worst: Vec<_> = expanded.iter().collect();
    worst.sort_by(|a, b| a.1.mrr.total_cmp(&b.1.mrr));
    println!("worst pairs (expanded):");
    for ((a, b), c) in worst.iter().take(4) {
        println!("  {a}→{b}: MRR {:.3} R@10 {:.3} (n={})", c.mrr, c.r10, c.n);
        for (id, q) in c.misses.iter().take(3) {
            println!("    missed {id}: {q}");
        }
    }
    // Query-time cost of expansion: the same queries with and without it.
    let queries: Vec<(String, Lang)> = bulletins
        .iter()
        .take(60)
        .flat_map(|id| {
            titles.titles[id]
                .iter()
                .map(|(l, t)| (eval::clean_title(t), *l))
                .collect::<Vec<_>>()
        })
        .collect();
    let time = |q: &str, expand: bool| {
        let mut req = SearchRequest::new(q, 10);
        req.expand = expand;
        let t = Instant::now();
        search(&eval_engine, &req).expect("search");
        t.elapsed().as_secs_f64() * 1000.0
    };
    let mut plain = Vec::new();
    let mut expanded_ms = Vec::new();
    let mut overhead = Vec::new();
    for _ in 0..3 {
        for (q, _) in &queries {
            let a = time(q, false);
            let b = time(q, true);
            plain.push(a);
            expanded_ms.push(b);
            overhead.push(b - a);
        }
    }
    for (name, v) in [
        ("without expansion", &mut plain),
        ("with expansion", &mut expanded_ms),
        ("overhead per query", &mut overhead),
    ] {
        v.sort_by(f64::total_cmp);
        let p = |q: f64| v[((v.len() - 1) as f64 * q) as usize];
        println!(
            "title queries, unfiltered, {name}: {} runs, p50 {:.2} ms, p99 {:.2} ms",
            v.len(),
            p(0.5),
            p(0.99)
        );
    }
}
