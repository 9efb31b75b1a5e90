//! The hand-verified credit tables (`fixtures/credits_gold*.tsv`) and how
//! the parser scores on them: shared by the corpus tests and the credits
//! bench (its leave-one-language-out table).
#![allow(dead_code)] // each user takes what it needs

use std::collections::BTreeMap;
use std::path::Path;

use bulletin_search::researchers::fold;

/// One hand-verified credit of `fixtures/credits_gold.tsv`.
pub struct Gold {
    pub locale: String,
    pub path: String,
    pub line: usize,
    pub researcher: String,
    pub organisation: String,
    pub partner: String,
}

pub fn gold(fixtures: &Path, file: &str) -> Vec<Gold> {
    let text = std::fs::read_to_string(fixtures.join(file)).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Gold {
                locale: f[0].to_string(),
                path: f[1].to_string(),
                line: f[2].parse().unwrap(),
                researcher: f[4].to_string(),
                organisation: f.get(5).copied().unwrap_or("").to_string(),
                partner: f.get(6).copied().unwrap_or("").to_string(),
            }
        })
        .collect()
}

/// Organisation and partner names match when one contains the other after folding.
fn same_org(a: &str, b: &str) -> bool {
    let (a, b) = (fold(a), fold(b));
    a == b || (!a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a)))
}

/// Scores what the product keeps for each gold line (the store's reading of
/// it, after the frame, the rules and the repair from the other locales)
/// against the hand-verified credits: precision over the credits read from
/// those lines, recall over the gold rows. Misses go to stderr.
pub fn score(
    store: &bulletin_search::researchers::CreditStore,
    corpus_root: &Path,
    gold: &[Gold],
    name: &str,
) -> (f64, f64) {
    let mut lines: BTreeMap<(String, usize), Vec<&Gold>> = BTreeMap::new();
    for g in gold {
        lines.entry((g.path.clone(), g.line)).or_default().push(g);
    }
    let (mut parsed_total, mut parsed_right, mut gold_found) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for ((path, line), expected) in &lines {
        let raw = std::fs::read_to_string(corpus_root.join(path)).unwrap();
        let raw = bulletin_search::ingest::normalize(&raw);
        let text = raw
            .lines()
            .nth(line - 1)
            .unwrap_or_else(|| panic!("{path}:{line}"));
        let text = text
            .trim_start()
            .trim_start_matches(['-', '*'])
            .trim_start();
        let wanted = fold(&bulletin_search::parse::inline::render(text).text);
        // The reading of that line: the one of the same document whose text
        // holds it (or is held in it), closest in length.
        let parsed: Vec<bulletin_search::extract::credits::Credit> = store
            .readings
            .iter()
            .filter(|r| r.path.ends_with(path.as_str()))
            .filter_map(|r| {
                let got = fold(&r.text);
                (!got.is_empty() && (got.contains(&wanted) || wanted.contains(&got)))
                    .then(|| (got.len().abs_diff(wanted.len()), r))
            })
            .min_by_key(|(d, _)| *d)
            .map(|(_, r)| r.credits.clone())
            .unwrap_or_default();
        let matches = |p: &bulletin_search::extract::credits::Credit, g: &Gold| {
            let who = if g.researcher == "(anonymous)" {
                p.anonymous
            } else {
                !p.anonymous && fold(&p.researcher) == fold(&g.researcher)
            };
            who && same_org(&p.organisation, &g.organisation) && same_org(&p.partner, &g.partner)
        };
        for p in parsed
            .iter()
            .filter(|p| !expected.iter().any(|g| matches(p, g)))
        {
            misses.push(format!("{path}:{line} extra {p:?}"));
        }
        parsed_total += parsed.len();
        parsed_right += parsed
            .iter()
            .filter(|p| expected.iter().any(|g| matches(p, g)))
            .count();
        for g in expected {
            if parsed.iter().any(|p| matches(p, g)) {
                gold_found += 1;
            } else {
                let in_doc = store
                    .readings
                    .iter()
                    .filter(|r| r.path.ends_with(path.as_str()))
                    .count();
                misses.push(format!(
                    "{path}:{line} wanted {} / {} / {} got {parsed:?} ({in_doc} lines of the page read)",
                    g.researcher, g.organisation, g.partner
                ));
            }
        }
    }
    let precision = parsed_right as f64 / parsed_total.max(1) as f64;
    let recall = gold_found as f64 / gold.len() as f64;
    eprintln!(
        "{name}: precision {parsed_right}/{parsed_total} = {precision:.3}, recall {gold_found}/{} = {recall:.3}",
        gold.len()
    );
    for m in &misses {
        eprintln!("  miss: {m}");
    }
    (precision, recall)
}

pub fn in_store(
    store: &bulletin_search::researchers::CreditStore,
    corpus_root: &Path,
    gold: &[Gold],
) -> (usize, Vec<String>) {
    let bulletin_of = |g: &Gold| {
        let raw = std::fs::read_to_string(corpus_root.join(&g.path)).unwrap_or_default();
        let raw = bulletin_search::ingest::normalize(&raw);
        let line = raw.lines().nth(g.line - 1).unwrap_or("").to_string();
        bulletin_search::extract::ids::first_bulletin(&line)
    };
    let mut missing = Vec::new();
    let mut found = 0;
    for g in gold {
        let b = bulletin_of(g);
        let there = store.credits.iter().any(|c| {
            let who = if g.researcher == "(anonymous)" {
                c.anonymous
            } else if g.researcher.is_empty() {
                c.researcher.is_empty() && fold(&c.organisation) == fold(&g.organisation)
            } else {
                fold(&c.researcher) == fold(&g.researcher)
                    || c.aliases.iter().any(|a| fold(a) == fold(&g.researcher))
            };
            // The gold row's document states it (an English page in a
            // Dutch tree declares en-us, so the path decides, not the locale).
            let stated = c.sources.iter().any(|s| s.ends_with(g.path.as_str()))
                || c.locales.contains(&g.locale);
            who && stated && (b.is_none() || c.bulletin_id == b)
        });
        if there {
            found += 1;
        } else {
            missing.push(format!(
                "{} {} {} / {} / {}",
                g.locale,
                b.map_or("-".to_string(), |b| b.to_string()),
                g.researcher,
                g.organisation,
                g.partner
            ));
        }
    }
    (found, missing)
}
