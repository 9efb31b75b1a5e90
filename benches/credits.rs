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

#[path = "support/gold.rs"]
mod gold;
mod support;

use bulletin_search::extract::credits::{malformed, malformed_org};
use bulletin_search::index::extract_all;
use bulletin_search::ingest::WalkOptions;
use bulletin_search::researchers::{collect, fold};

/// The six shared languages, as the leave-one-language-out table runs them.
const SHARED: &[&str] = &["da", "nb", "nl", "de", "ja", "zh"];

/// The issue's garbage measure: a party over six words, in mixed scripts,
/// or opening lower case (one-word handles and camel-case brands included).
fn issue_measure(p: &str) -> bool {
    p.split_whitespace().count() > 6
        || bulletin_search::script::mixes_scripts(p)
        || p.chars().next().is_some_and(char::is_lowercase)
}

/// A party [`issue_measure`] counts that is a name written so: one
/// lower-case word is a handle (`bytegeist`, `lokihardt`), an opening word
/// with a capital, a digit, a dot or an `@` a brand or domain (`eEye
/// Digital Security`, `n.runs AG`).
fn written_so(p: &str) -> bool {
    let mut words = p.split_whitespace();
    let first = words.next().unwrap_or("");
    let one_word = words.next().is_none();
    !(p.split_whitespace().count() > 6 || bulletin_search::script::mixes_scripts(p))
        && (one_word
            || first
                .chars()
                .any(|c| c.is_uppercase() || c.is_ascii_digit() || c == '.' || c == '@'))
}

/// Whether a merged credit has a party that is no name, handles and brands aside.
fn garbage(c: &bulletin_search::researchers::MergedCredit) -> bool {
    [&c.researcher, &c.organisation, &c.partner]
        .iter()
        .any(|p| issue_measure(p) && !written_so(p))
}

/// The bulletin a credit is for, as written (`-` for none).
fn display_id(c: &bulletin_search::researchers::MergedCredit) -> String {
    c.bulletin_id.map_or("-".to_string(), |b| b.to_string())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--leave-out-one") {
        return leave_one_out(args.get(i + 1).map(String::as_str).unwrap_or("none"));
    }
    if args.iter().any(|a| a == "--leave-out") {
        return leave_out_table();
    }
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
    let mut by_strict = 0usize;
    let mut strict_lines = String::new();
    let mut garbage_lines = String::new();
    let (mut by_issue, mut by_product) = (0usize, 0usize);
    let mut breakdown: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut issue_lines = String::new();
    for c in &store.credits {
        let ps = parties(c);
        if ps.iter().any(|p| issue_measure(p)) {
            by_issue += 1;
        }
        if let Some(p) = ps.iter().find(|p| issue_measure(p) && !written_so(p)) {
            debug_assert!(garbage(c));
            by_strict += 1;
            let _ = writeln!(strict_lines, "{p:?} ({})", display_id(c));
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
            let _ = writeln!(issue_lines, "{field}: {kind}: {p:?} ({})", display_id(c));
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
    println!(
        "garbage share with handles and brands aside: {by_strict} = {:.2}% (listed in target/credits-garbage.txt)",
        100.0 * by_strict as f64 / n
    );
    for ((kind, field), n) in &breakdown {
        println!("  {field}: {kind}: {n}");
    }
    let garbage_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/credits-garbage.txt");
    std::fs::write(
        &garbage_path,
        garbage_lines
            + "\n# the issue's measure\n"
            + &issue_lines
            + "\n# handles and brands aside\n"
            + &strict_lines,
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

/// Runs every shared language left out, each in a process of its own (some
/// tables are built once per process), and prints the table.
fn leave_out_table() {
    println!(
        "left out | gold rows | line precision | line recall | in the merged store | severity agrees | date agrees (stated → shift learned) | garbage stored | not stored | locales agree"
    );
    support::leave_out_rows(
        std::iter::once("none".to_string())
            .chain(SHARED.iter().flat_map(|l| [format!("+{l}"), l.to_string()])),
    );
}

/// One row: `lang`'s vocabulary rows and code paths removed, its own
/// locale measured (with all rules for `none`: every locale).
fn leave_one_out(lang: &str) {
    use bulletin_search::model::{DocKind, Lang};
    // `de`: German left out, measured; `+de`: all rules, German measured.
    let only: Option<Lang> = lang.trim_start_matches('+').parse().ok();
    let left = only.filter(|_| !lang.starts_with('+'));
    if let Some(l) = left {
        assert!(bulletin_search::vocab::leave_out(&[l]));
    }
    let Some(corpus) = support::corpus() else {
        return;
    };
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let extracted = extract_all(std::slice::from_ref(&corpus), WalkOptions::default(), false);
    let docs = extracted.docs;
    let store = collect(&docs);
    let locale_of = |l: Lang| {
        docs.iter()
            .find(|d| d.declared_lang == Some(l))
            .and_then(|d| d.locale.clone())
            .unwrap_or_default()
    };
    let measured: Vec<String> = match only {
        Some(l) => vec![locale_of(l)],
        None => SHARED
            .iter()
            .filter_map(|c| c.parse().ok())
            .map(locale_of)
            .collect(),
    };
    // Gold rows of the measured locales, all three tables.
    let fixtures = root.join("fixtures");
    let gold: Vec<gold::Gold> = [
        "credits_gold.tsv",
        "credits_gold_holdout.tsv",
        "credits_gold_holdout2.tsv",
    ]
    .iter()
    .flat_map(|f| gold::gold(&fixtures, f))
    .filter(|g| measured.contains(&g.locale))
    .collect();
    let (precision, recall) = gold::score(&store, &corpus, &gold, lang);
    // The same rows in the merged store.
    let (in_store, missing) = gold::in_store(&store, &corpus, &gold);
    for m in &missing {
        eprintln!("not in the store: {m}");
    }
    // Severity and date of each bulletin per locale, against the majority
    // of the other locales.
    let mut severity: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut date: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    // The release date the product finds from each version alone, by the
    // learned date model (see `reconcile::release_dates`).
    let mut released: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let (_, model) = bulletin_search::reconcile::release_dates(&docs);
    for d in &docs {
        let locale = d.locale.clone().unwrap_or_default();
        if d.kind == DocKind::Bulletin
            && let (Some(id), Some(s)) = (d.bulletin_id, d.severity)
        {
            severity
                .entry(id.to_string())
                .or_default()
                .insert(locale.clone(), s.code().to_string());
        }
        // Every release's date: bulletins, summaries and advisories. A
        // version whose date is not read disagrees with the others.
        if let Some(key) = bulletin_search::reconcile::release_key(d) {
            let stated = d.published.map_or("none".to_string(), |p| p.to_string());
            date.entry(key.clone())
                .or_default()
                .insert(locale.clone(), stated.clone());
            let day = d
                .published
                .and_then(|p| model.release(d.kind, &[(&locale, p.days())]));
            released.entry(key).or_default().insert(
                locale.clone(),
                day.map_or(stated, |day| {
                    bulletin_search::extract::Date::from_days(day).to_string()
                }),
            );
        }
        for e in &d.entries {
            if let (Some(id), Some(s)) = (e.bulletin_id, e.severity) {
                severity
                    .entry(id.to_string())
                    .or_default()
                    .entry(locale.clone())
                    .or_insert_with(|| s.code().to_string());
            }
        }
    }
    let mut misses = String::new();
    for l in &extracted.learned_severity {
        let _ = writeln!(
            misses,
            "learned\t{}\t{:?}\t{:?}\t{}\t{:?}",
            l.locale,
            l.place,
            l.word,
            l.severity.code(),
            l.votes
        );
    }
    let mut agreement = |what: &str, table: &BTreeMap<String, BTreeMap<String, String>>| {
        let (mut agree, mut total) = (0usize, 0usize);
        for (id, per_locale) in table {
            for (locale, value) in per_locale {
                if !measured.contains(locale) {
                    continue;
                }
                let mut votes: BTreeMap<&String, usize> = BTreeMap::new();
                for (other, v) in per_locale {
                    // A date not read is no vote.
                    if other != locale && v != "none" {
                        *votes.entry(v).or_default() += 1;
                    }
                }
                let Some(top) = votes.values().max().copied() else {
                    continue;
                };
                let majority: Vec<&&String> = votes
                    .iter()
                    .filter(|(_, n)| **n == top)
                    .map(|(v, _)| v)
                    .collect();
                if majority.len() > 1 {
                    continue; // no majority to agree with
                }
                total += 1;
                if *majority[0] == value {
                    agree += 1;
                } else {
                    let _ = writeln!(
                        misses,
                        "{what}\t{id}\t{locale}\t{value}\tothers: {per_locale:?}"
                    );
                }
            }
        }
        format!(
            "{agree}/{total} = {:.1}%",
            100.0 * agree as f64 / total.max(1) as f64
        )
    };
    let mine: Vec<&bulletin_search::researchers::MergedCredit> = store
        .credits
        .iter()
        .filter(|c| c.locales.iter().any(|l| measured.contains(l)))
        .collect();
    let garbage_stored = mine.iter().filter(|c| garbage(c)).count();
    let not_stored: usize = measured
        .iter()
        .map(|l| store.check.failures_per_locale.get(l).copied().unwrap_or(0))
        .sum();
    let a = store.agreement();
    println!(
        "ROW {lang} ({}) | {} | {precision:.3} | {recall:.3} | {in_store}/{} = {:.3} | {} | {} → {} | {garbage_stored}/{} | {not_stored} | {:.1}%",
        measured.join(" "),
        gold.len(),
        gold.len(),
        in_store as f64 / gold.len().max(1) as f64,
        agreement("severity", &severity),
        agreement("stated", &date),
        agreement("released", &released),
        mine.len(),
        100.0 * a.rate()
    );
    // Every severity and date that disagrees, for reading.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "target/field-misses-{}.txt",
        lang.replace('+', "all-")
    ));
    let _ = std::fs::write(path, misses);
}
