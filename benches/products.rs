//! Affected products and supersedence on the real corpus: `cargo bench
//! --bench products` (add `--leave-out` for the leave-one-language-out
//! table).
//!
//! Extracts the six locales, reconciles the product rows and builds the
//! supersedence graph, and prints how long that takes, the cross-locale
//! agreement per locale (rows by product and KB, replaced bulletins, row
//! severity), the graph check, and the scores on the hand-verified pages
//! of `fixtures/products_gold.tsv`.

use std::time::Instant;

#[path = "support/products_gold.rs"]
mod products_gold;
mod support;

use bulletin_search::index::extract_all;
use bulletin_search::ingest::WalkOptions;

/// The shared languages with bulletin pages (the Danish tree has none).
const WITH_BULLETINS: &[&str] = &["nb", "nl", "de", "ja", "zh"];

fn pct((agree, all): (usize, usize)) -> String {
    format!("{:.2}% of {all}", agree as f64 * 100.0 / all.max(1) as f64)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--leave-out-one") {
        return measure(args.get(i + 1).map(String::as_str));
    }
    if args.iter().any(|a| a == "--leave-out") {
        return leave_out_table();
    }
    measure(None);
}

/// A locale's replaced-bulletin votes without the bulletins its pages never
/// name.
fn named(
    (agree, all): (usize, usize),
    check: &bulletin_search::products::ProductCheck,
    locale: &str,
) -> (usize, usize) {
    let unnamed = check.per_locale_unnamed.get(locale).copied().unwrap_or(0);
    (agree, all - unnamed)
}

/// Every language with bulletins left out in a process of its own (the
/// vocabulary is cut once per process), one line each.
fn leave_out_table() {
    println!(
        "left out | its rows agree | its replaced agree (of those named) | its severity agrees | its gold pages: precision, recall, exact"
    );
    support::leave_out_rows(
        WITH_BULLETINS
            .iter()
            .flat_map(|l| [format!("+{l}"), l.to_string()]),
    );
}

/// The figures; with `lang` (`de`: German's vocabulary rows and code paths
/// removed; `+de`: all rules), only that language's locale, on one line.
fn measure(lang: Option<&str>) {
    use bulletin_search::model::Lang;
    let only: Option<Lang> = lang.and_then(|l| l.trim_start_matches('+').parse().ok());
    if let (Some(l), Some(false)) = (only, lang.map(|l| l.starts_with('+'))) {
        assert!(bulletin_search::vocab::leave_out(&[l]));
    }
    let Some(corpus) = support::corpus() else {
        return;
    };
    let start = Instant::now();
    let docs = extract_all(std::slice::from_ref(&corpus), WalkOptions::default(), false).docs;
    let extracted = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let consensus = bulletin_search::reconcile::reconcile(&docs);
    let reconciled = start.elapsed().as_secs_f64();
    let check = &consensus.products.check;
    let fixtures = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let gold = products_gold::gold_pages(&fixtures);
    if let Some(l) = only {
        let locale = docs
            .iter()
            .find(|d| d.declared_lang == Some(l))
            .and_then(|d| d.locale.clone())
            .unwrap_or_default();
        let v = check.per_locale.get(&locale).copied().unwrap_or_default();
        let mine: Vec<_> = gold.into_iter().filter(|g| g.locale == locale).collect();
        let s = products_gold::score(&docs, &consensus.main_kb, &mine);
        println!(
            "ROW {} | {} | {} ({}) | {} | {:.3}, {:.3}, {}/{}",
            lang.unwrap_or("none"),
            pct(v[0]),
            pct(v[1]),
            pct(named(v[1], check, &locale)),
            pct(v[2]),
            s.precision,
            s.recall,
            s.exact,
            s.pages
        );
        for m in &s.misses {
            eprintln!("  {m}");
        }
        return;
    }
    println!(
        "extracted {} documents in {extracted:.1} s; reconciled (main KBs, dates, products, graph) in {reconciled:.2} s",
        docs.len()
    );
    print!("{}", check.render());
    let misses =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/products-disagreements.txt");
    if std::fs::write(&misses, check.misses.join("\n")).is_ok() {
        println!(
            "{} disagreements written to {}",
            check.misses.len(),
            misses.display()
        );
    }
    println!(
        "per locale: rows (product, KB) | replaced bulletins (of those the page names) | row severity"
    );
    for (locale, v) in &check.per_locale {
        println!(
            "  {locale}: {} | {} ({}) | {}",
            pct(v[0]),
            pct(v[1]),
            pct(named(v[1], check, locale)),
            pct(v[2])
        );
    }
    let s = products_gold::score(&docs, &consensus.main_kb, &gold);
    let blind: Vec<_> = gold.iter().filter(|g| g.blind).collect();
    let owned: Vec<_> = products_gold::gold_pages(&fixtures)
        .into_iter()
        .filter(|g| g.blind)
        .collect();
    let b = products_gold::score(&docs, &consensus.main_kb, &owned);
    println!(
        "hand-verified pages: precision {:.3}, recall {:.3}, {}/{} read exactly",
        s.precision, s.recall, s.exact, s.pages
    );
    println!(
        "  of which the {} written before the parser saw them: precision {:.3}, recall {:.3}, {}/{} exact",
        blind.len(),
        b.precision,
        b.recall,
        b.exact,
        b.pages
    );
    for m in &s.misses {
        println!("  {m}");
    }
}
