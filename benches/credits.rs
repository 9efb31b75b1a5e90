//! Researcher credits on the real corpus: `cargo bench --bench credits`.
//!
//! Extracts the six locales, merges their credits, and prints how long that
//! takes, how many credits there are, and how far the locales agree on who
//! is credited per bulletin. Every disagreement, with the acknowledgment
//! lines each locale has for that bulletin, goes to
//! `target/credits-disagreements.txt` for reading.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Instant;

mod support;

use bulletin_search::extract::credits::{malformed, malformed_org};
use bulletin_search::index::extract_all;
use bulletin_search::ingest::WalkOptions;
use bulletin_search::researchers::{collect, fold};

fn main() {
    let Some(corpus) = support::corpus() else {
        return;
    };
    let docs = extract_all(&[corpus], WalkOptions::default(), false).docs;
    let started = Instant::now();
    let store = collect(&docs);
    let secs = started.elapsed().as_secs_f64();
    let named = store
        .credits
        .iter()
        .filter(|c| !c.researcher.is_empty())
        .count();
    let anonymous = store.credits.iter().filter(|c| c.anonymous).count();
    println!(
        "credits: {} merged ({named} named, {anonymous} anonymous, {} organisation-only) from {} documents in {secs:.2} s",
        store.credits.len(),
        store.credits.len() - named - anonymous,
        docs.len()
    );
    // Garbage share: merged credits with a party that is no name. The
    // issue's measure counts any party over six words, in mixed scripts or
    // opening lower case (one-word handles included); `malformed` is what
    // the product itself refuses (handles and brands allowed).
    let parties = |c: &bulletin_search::researchers::MergedCredit| {
        [
            c.researcher.clone(),
            c.organisation.clone(),
            c.partner.clone(),
        ]
    };
    let issue_measure = |p: &str| {
        p.split_whitespace().count() > 6
            || bulletin_search::script::mixes_scripts(p)
            || p.chars().next().is_some_and(char::is_lowercase)
    };
    let mut garbage_lines = String::new();
    let (mut by_issue, mut by_product) = (0usize, 0usize);
    let mut breakdown: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut issue_lines = String::new();
    for c in &store.credits {
        let ps = parties(c);
        if ps.iter().any(|p| issue_measure(p)) {
            by_issue += 1;
        }
        for (k, p) in ps.iter().enumerate() {
            let words = p.split_whitespace().count();
            let kind = if words > 6 {
                "over six words"
            } else if bulletin_search::script::mixes_scripts(p) {
                "mixed scripts"
            } else if p.chars().next().is_some_and(char::is_lowercase) {
                if words == 1 {
                    "one lower-case word (a handle)"
                } else {
                    "opens lower case"
                }
            } else {
                continue;
            };
            let field = ["researcher", "organisation", "partner"][k];
            *breakdown.entry((kind, field)).or_insert(0usize) += 1;
            let _ = writeln!(issue_lines, "{field}: {kind}: {p:?} ({:?})", c.bulletin_id);
        }
        let why = malformed(&c.researcher)
            .or_else(|| malformed_org(&c.organisation))
            .or_else(|| malformed_org(&c.partner));
        if let Some(why) = why {
            by_product += 1;
            let _ = writeln!(
                garbage_lines,
                "{why}: {:?} / {:?} / {:?} ({:?}, {})",
                c.researcher,
                c.organisation,
                c.partner,
                c.bulletin_id,
                c.locales.join(" ")
            );
        }
    }
    let n = store.credits.len().max(1) as f64;
    println!(
        "garbage share: {by_issue} = {:.2}% (over six words, mixed scripts or opening lower case, handles included); {by_product} = {:.2}% malformed (what the product refuses)",
        100.0 * by_issue as f64 / n,
        100.0 * by_product as f64 / n
    );
    for ((kind, field), n) in &breakdown {
        println!("  {field}: {kind}: {n}");
    }
    let garbage_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/credits-garbage.txt");
    std::fs::write(
        &garbage_path,
        garbage_lines + "\n# the issue's measure\n" + &issue_lines,
    )
    .expect("write garbage");
    let check = &store.check;
    println!(
        "parties no name can be: {} of {} parsed credits; {} repaired from the other locales, {} not stored; by locale {:?}; by reason {:?}",
        check.malformed,
        check.parsed,
        check.repaired,
        check.failures,
        check.failures_per_locale,
        check.failures_per_reason
    );
    let _ = std::fs::write(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/credits-not-stored.txt"),
        check.samples.join("\n"),
    );
    let a = store.agreement();
    println!(
        "cross-locale agreement: {}/{} bulletins = {:.1}%; mean pairwise Jaccard {:.3}",
        a.agreeing,
        a.bulletins,
        100.0 * a.rate(),
        a.jaccard
    );

    // The lines behind each disagreement, per locale.
    let mut lines: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for d in &docs {
        let locale = d.locale.clone().unwrap_or_default();
        for line in &d.acks {
            for b in &line.bulletin_ids {
                lines
                    .entry((b.to_string(), locale.clone()))
                    .or_default()
                    .push(format!("{}: {}", d.path, line.text));
            }
        }
    }
    // A name one locale misses is a parsing miss when that locale's lines
    // for the bulletin contain it, else the locale does not state it (or
    // the other locales' "name" is not one).
    let (mut in_text, mut absent) = (0usize, 0usize);
    let mut by_sources = 0usize;
    let mut out = String::new();
    for (b, locales) in &a.disagreements {
        let before = in_text;
        let all: std::collections::BTreeSet<&String> = locales.values().flatten().collect();
        let _ = writeln!(out, "## {b}");
        for (locale, names) in locales {
            let here = lines.get(&(b.clone(), locale.clone()));
            let text = fold(&here.map(|l| l.join(" ")).unwrap_or_default()).replace(' ', "");
            let missing: Vec<String> = all
                .iter()
                .filter(|n| !names.contains(**n))
                .map(|n| {
                    if text.contains(n.as_str()) {
                        in_text += 1;
                        format!("{n} (IN TEXT)")
                    } else {
                        absent += 1;
                        n.to_string()
                    }
                })
                .collect();
            let _ = writeln!(out, "{locale}: {names:?} missing {missing:?}");
            for l in here.into_iter().flatten() {
                let _ = writeln!(out, "    {l}");
            }
        }
        if in_text == before {
            by_sources += 1;
        }
    }
    println!(
        "names a locale misses: {in_text} that its own lines contain (parsing misses), {absent} that they do not"
    );
    println!(
        "disagreements where no locale misses a name its own lines contain (the sources differ, or a \"name\" is no name): {by_sources}; counted as agreeing: {:.1}%",
        100.0 * (a.agreeing + by_sources) as f64 / a.bulletins.max(1) as f64
    );
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/credits-disagreements.txt");
    std::fs::write(&path, out).expect("write disagreements");
    println!(
        "{} disagreements listed in {}",
        a.disagreements.len(),
        path.display()
    );
}
