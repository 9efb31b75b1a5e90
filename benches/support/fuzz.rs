#![allow(dead_code)] // each user takes what it needs
//! The fuzz harness, shared by `cargo bench --bench fuzz` (long runs) and the
//! bounded test in `tests/robustness.rs` (CI): real files mutated at random,
//! adversarial inputs built to a size, and generated queries.
//!
//! A mutant goes through `extract_bytes`, the one path from bytes to a
//! document that every file on disk takes; a panic inside it is caught there
//! and shows as the reason "internal error while parsing", which is what is
//! counted. Speed is seconds per megabyte, with inputs under 100 kB counted
//! as 100 kB (so a fixed cost per file is no slowness).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bulletin_search::index::extract_bytes;

/// A small, fast, seedable generator (SplitMix64): the harness needs no
/// cryptographic randomness, only reproducible runs.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces of markup and ids the parsers react to.
const TOKENS: &[&str] = &[
    "<table>",
    "</table>",
    "<tr>",
    "<td>",
    "</td>",
    "<th colspan=\"3\">",
    "<br />",
    "<a href=\"",
    "</a>",
    "<strong>",
    "</b>",
    "<![CDATA[",
    "<!--",
    "-->",
    "<",
    ">",
    "[",
    "]",
    "](",
    ")",
    "(",
    "![",
    "**",
    "__",
    "`",
    "\\",
    "&",
    "&#x",
    "&amp;",
    ";",
    "|",
    "|---|---|\n",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "---\n",
    "--- ",
    "#",
    "###### ",
    "=====\n",
    "- ",
    "1. ",
    "> ",
    "> [!NOTE]\n",
    "MS07-017",
    "ms07-17",
    "KB925902",
    "Q925902",
    "(925902)",
    "CVE-2007-0038",
    "CAN-2005-0001",
    "title: ",
    "TOCTitle: ",
    "ms:assetid: ms07-apr\n",
    "ms:mtpsurl: ",
    "\u{FEFF}",
    "\u{00A0}",
    "\u{3000}",
    "\u{200B}",
    "\u{FFFD}",
    "漏洞",
    "脆弱性",
    "취약성",
    "уязвимость",
    "Kritisk",
    "**Tak til:**",
    "Danksagung",
    "謝辞",
    "\0",
    "\u{10FFFF}",
    "１２３",
];

/// Applies one to four random edits to `bytes`; `other` is another real file
/// to splice from.
pub fn mutate(bytes: &[u8], other: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(9) {
            0 => {
                // Flip a byte.
                if !out.is_empty() {
                    let i = rng.below(out.len());
                    out[i] ^= 1 << rng.below(8);
                }
            }
            1 => {
                // Delete a range.
                let len = rng.below(out.len().saturating_sub(at).min(4096) + 1);
                out.drain(at..at + len);
            }
            2 => {
                // Duplicate a range elsewhere.
                let from = rng.below(out.len() + 1);
                let len = rng.below(out.len().saturating_sub(from).min(8192) + 1);
                let piece = out[from..from + len].to_vec();
                let to = rng.below(out.len() + 1);
                out.splice(to..to, piece);
            }
            3 | 4 => {
                let t = rng.pick(TOKENS).as_bytes().to_vec();
                out.splice(at..at, t);
            }
            5 => {
                // A token repeated many times: the shape of the quadratic cases.
                let t = rng.pick(TOKENS).as_bytes();
                let times = 1 + rng.below(20_000);
                let piece: Vec<u8> = t.iter().copied().cycle().take(t.len() * times).collect();
                out.splice(at..at, piece);
            }
            6 => out.truncate(at),
            7 => {
                // Splice in part of another file.
                let from = rng.below(other.len() + 1);
                let len = rng.below(other.len().saturating_sub(from).min(16_384) + 1);
                out.splice(at..at, other[from..from + len].iter().copied());
            }
            _ => {
                // Random bytes.
                let piece: Vec<u8> = (0..1 + rng.below(64)).map(|_| rng.next() as u8).collect();
                out.splice(at..at, piece);
            }
        }
    }
    out
}

/// Adversarial inputs of about `size` bytes: the shapes that were quadratic
/// (repeated or nested tables, brackets, CDATA, anchors) and a few more.
pub fn adversarial(size: usize) -> Vec<(&'static str, Vec<u8>)> {
    let repeat = |unit: &str| unit.repeat(size / unit.len().max(1)).into_bytes();
    let half = |a: &str, b: &str| {
        let mut s = a.repeat(size / 2 / a.len());
        s.push_str(&b.repeat(size / 2 / b.len()));
        s.into_bytes()
    };
    vec![
        ("tables", repeat("<table>")),
        ("nested tables", repeat("<table><tr><td>")),
        ("closing tables", repeat("</table")),
        ("brackets then link tails", half("[", "](")),
        ("nested links", half("[a", "](x)")),
        ("CDATA", repeat("<![CDATA[")),
        ("angle brackets", repeat("<")),
        ("anchors", half("<a href=\"x\">", "</a>")),
        ("divs in a cell", {
            let mut s = b"<table><tr><td>".to_vec();
            s.extend(repeat("<div>"));
            s
        }),
        ("bold markers", repeat("**a")),
        ("one long pipe row", {
            let mut s = b"| a |\n|---|\n".to_vec();
            s.extend(repeat("|"));
            s
        }),
        ("hashes", repeat("#")),
        ("entities", repeat("&#x41")),
        ("front matter only", {
            let mut s = b"---\n".to_vec();
            s.extend(repeat("title: x\n"));
            s
        }),
        (
            "one huge paragraph",
            repeat("MS07-017 KB925902 CVE-2007-0038 Tak til Foo "),
        ),
        ("thanks lines", {
            let mut s = b"#### Tak til\n\n".to_vec();
            s.extend(repeat(
                "- Ana Borges of [iDefense](http://x) for MS07-017\n",
            ));
            s
        }),
    ]
}

/// What a fuzz run saw.
#[derive(Debug, Default)]
pub struct Outcome {
    pub mutants: u64,
    pub bytes: u64,
    pub panics: Vec<String>,
    /// The slowest input: (seconds per MB, bytes, how it was made).
    pub slowest: (f64, usize, String),
    pub elapsed: Duration,
}

/// Seconds per megabyte, inputs under 100 kB counted as 100 kB.
pub fn secs_per_mb(secs: f64, len: usize) -> f64 {
    secs / (len.max(100_000) as f64 / 1e6)
}

/// Extracts one input, recording a panic or a new slowest rate. An input
/// that looks slow is timed twice more and its fastest time kept: a wall
/// clock on a shared machine also measures the other processes.
pub fn check(outcome: &mut Outcome, name: &str, bytes: &[u8]) {
    let time = || {
        let started = Instant::now();
        let result = extract_bytes(Path::new(name), name, bytes);
        (
            result,
            secs_per_mb(started.elapsed().as_secs_f64(), bytes.len()),
        )
    };
    let (result, mut rate) = time();
    if rate > 0.2 {
        rate = rate.min(time().1).min(time().1);
    }
    outcome.mutants += 1;
    outcome.bytes += bytes.len() as u64;
    if let Err(s) = &result
        && s.reason.starts_with("internal error")
    {
        outcome.panics.push(name.to_string());
    }
    if rate > outcome.slowest.0 {
        outcome.slowest = (rate, bytes.len(), name.to_string());
    }
}

/// The real files to mutate: every fixture, and up to `corpus_files` files
/// of the corpus under `corpus` when given.
pub fn seed_files(fixtures: &Path, corpus: Option<&Path>, corpus_files: usize) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = walk(fixtures);
    if let Some(c) = corpus {
        let mut all = walk(c);
        // An even spread over the locales and kinds: every n-th file.
        let step = (all.len() / corpus_files.max(1)).max(1);
        all = all.into_iter().step_by(step).take(corpus_files).collect();
        paths.extend(all);
    }
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Mutates `seeds` until `deadline` or `max` mutants, whichever comes first.
pub fn run_mutants(seeds: &[Vec<u8>], seed: u64, max: u64, deadline: Instant) -> Outcome {
    let started = Instant::now();
    let mut rng = Rng::new(seed);
    let mut outcome = Outcome::default();
    while outcome.mutants < max && Instant::now() < deadline {
        let k = rng.below(seeds.len());
        let base = &seeds[k];
        let other = rng.pick(seeds);
        let mutant = mutate(base, other, &mut rng);
        let name = format!("mutant-{seed}-{}-of-{k}.md", outcome.mutants);
        check(&mut outcome, &name, &mutant);
    }
    outcome.elapsed = started.elapsed();
    outcome
}

/// Mutant number `n` of the run with `seed`, made again (no extraction):
/// `cargo bench --bench fuzz -- --replay SEED N` times it alone.
pub fn replay(seeds: &[Vec<u8>], seed: u64, n: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut mutant = Vec::new();
    for _ in 0..=n {
        let k = rng.below(seeds.len());
        let other = rng.pick(seeds);
        mutant = mutate(&seeds[k], other, &mut rng);
    }
    mutant
}

/// Words, ids and junk that queries are made of.
const QUERY_TOKENS: &[&str] = &[
    "KB925902",
    "925902",
    "kb 925902",
    "Q925902",
    "MS07-017",
    "ms07-17",
    "MS99-999",
    "CVE-2007-0038",
    "cve-2007-38",
    "953818",
    "sårbarhed",
    "GDI",
    "fjernudførelse",
    "sikkerhetsproblem",
    "beveiligingslek",
    "Sicherheitsanfälligkeit",
    "リモートでコードが実行される",
    "弱點",
    "脆弱性",
    "\"",
    "\"GDI kan",
    "-",
    "*",
    "?",
    "~",
    "^",
    "(",
    ")",
    ":",
    "AND",
    "OR",
    "NOT",
    "+",
    "title:",
    "\u{0}",
    "\u{FFFD}",
    "%",
    "&",
    "=",
    "#",
    " ",
    "  ",
    "\t",
    "\n",
    "a",
    "é",
    "漏",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗",
    "🙂",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
];

/// A generated query of up to `max_words` tokens.
pub fn query(rng: &mut Rng, max_words: usize) -> String {
    let n = 1 + rng.below(max_words);
    let mut q = String::new();
    for _ in 0..n {
        let token: &&str = rng.pick(QUERY_TOKENS);
        q.push_str(token);
        if rng.below(3) > 0 {
            q.push(' ');
        }
    }
    q
}

/// `s` percent-encoded, each byte, as a client would send it.
pub fn encode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// A generated request path: an endpoint with random parameters and
/// sometimes raw junk (invalid UTF-8 escapes, unknown parameters).
pub fn request_path(rng: &mut Rng) -> String {
    let endpoint = *rng.pick(&[
        "/api/search",
        "/api/credits",
        "/api/kb/",
        "/api/bulletins/",
        "/api/researchers/",
        "/api/organisations/",
        "/api/stats",
        "/api/health",
        "/",
        "/nope",
    ]);
    let value = query(rng, 6);
    let junk = *rng.pick(&[
        "",
        "%FF",
        "%",
        "%zz",
        "&&",
        "=",
        "&q",
        "&limit=-1",
        "&offset=99999999999999999999",
    ]);
    if endpoint.ends_with('/') && endpoint.len() > 1 {
        return format!("{endpoint}{}{junk}", encode(&value));
    }
    let params = [
        "q",
        "lang",
        "kind",
        "severity",
        "year",
        "limit",
        "offset",
        "sort",
        "qlang",
        "prefer_lang",
        "expand",
        "explain",
        "org",
        "x",
    ];
    let mut path = format!("{endpoint}?q={}", encode(&value));
    for _ in 0..rng.below(4) {
        let p = rng.pick(&params);
        let v = query(rng, 2);
        path.push_str(&format!("&{p}={}", encode(&v)));
    }
    path.push_str(junk);
    path
}
