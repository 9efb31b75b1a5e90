//! How the build's cost grows with the corpus: `cargo bench --bench scale`.
//! Indexes the six shared locales, then the same trees twice and three
//! times over (each copy under other locale folder names; 1 GB of copies,
//! removed at the end), each with the release binary in a child
//! process; prints files, MB, wall time, MB/s, peak RSS and index size.
//! Peak RSS is the child's `VmHWM`, read every 20 ms until it exits.
//! After each full build, one page of the tree is edited and `index` run
//! again: the time and memory of an update (see `index::update`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod support;

/// The copies' locale folders: `da-dk` becomes `da-xa`, `da-xb`, …
fn copy_tree(from: &Path, to: &Path, copy: usize) -> (usize, u64) {
    let (mut files, mut bytes) = (0, 0);
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).unwrap();
        let mut parts = rel.iter().map(|p| p.to_string_lossy().into_owned());
        let Some(locale) = parts.next() else { continue };
        let renamed = match copy {
            0 => locale,
            n => format!("{}-x{}", &locale[..2], (b'a' + n as u8 - 1) as char),
        };
        let target = parts.fold(to.join(renamed), |p, part| p.join(part));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_file() {
            // A copy, not a hard link: the walk reads a file reached twice once.
            if !target.exists() {
                std::fs::copy(entry.path(), &target).unwrap();
            }
            files += 1;
            bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
        }
    }
    (files, bytes)
}

fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn size_of(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum()
}

/// Runs `index` over `tree` into `index` (with `--force`: a full build);
/// returns its wall seconds and peak RSS in kB, read every 20 ms.
fn index_run(binary: &str, index: &Path, tree: &Path, force: bool) -> (f64, u64) {
    let started = Instant::now();
    let mut args = vec!["index"];
    if force {
        args.push("--force");
    }
    let mut child = Command::new(binary)
        .args(args)
        .arg("--index")
        .arg(index)
        .arg(tree)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the release binary runs");
    let mut peak = 0;
    let status = loop {
        if let Some(kb) = peak_kb(child.id()) {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "index of {} failed", tree.display());
    (started.elapsed().as_secs_f64(), peak)
}

/// Edits the first MS07-017 page of `tree` (a word of its text changed);
/// returns its path.
fn edit_one_page(tree: &Path) -> PathBuf {
    let page = walkdir::WalkDir::new(tree)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_name() == "ms07-017.md")
        .expect("an MS07-017 page")
        .into_path();
    let text = std::fs::read_to_string(&page).unwrap();
    let edited = text.replacen("Windows Vista", "Windows Vista Home Basic", 1);
    assert_ne!(edited, text, "{} names no Windows Vista", page.display());
    std::fs::write(&page, edited).unwrap();
    page
}

/// The metadata of the generation in use (`Null` where there is none).
fn meta_of(index: &Path) -> serde_json::Value {
    let current = std::fs::read_to_string(index.join("CURRENT")).unwrap_or_default();
    let meta = index.join(current.trim()).join("bulletin-search.json");
    std::fs::read(&meta)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// What the last update did, from its report.
fn update_line(index: &Path) -> String {
    let u = &meta_of(index)["report"]["update"];
    format!(
        "{} files extracted, {} rewritten, {} records added",
        u["files_extracted"], u["files_rewritten"], u["records_added"]
    )
}

/// Where the build's time and memory went, from the report of the
/// generation in use.
fn stages(index: &Path) -> (String, String) {
    let meta = meta_of(index);
    let list = |key: &str, show: &dyn Fn(&serde_json::Value) -> Option<String>| {
        meta["report"][key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(show)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let times = list("stages", &|s| {
        Some(format!("{} {:.1} s", s[0].as_str()?, s[1].as_f64()?))
    });
    let memory = list("memory", &|m| {
        Some(format!(
            "{} {} MB (holding {} MB)",
            m["stage"].as_str()?,
            m["peak"].as_u64()? / 1_000_000,
            m["anon"].as_u64()? / 1_000_000
        ))
    });
    (times, memory)
}

fn main() {
    let Some(corpus) = support::corpus() else {
        return;
    };
    let work = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/scale");
    let binary = env!("CARGO_BIN_EXE_bulletin-search");
    println!("copies  files     MB   wall s   MB/s  peak RSS MB  index MB");
    for copies in 1..=3 {
        let tree = work.join(format!("tree-{copies}"));
        let (mut files, mut bytes) = (0, 0);
        for copy in 0..copies {
            let (f, b) = copy_tree(&corpus, &tree, copy);
            files += f;
            bytes += b;
        }
        let index = work.join(format!("index-{copies}"));
        let _ = std::fs::remove_dir_all(&index);
        let (wall, peak) = index_run(binary, &index, &tree, true);
        let mb = bytes as f64 / 1e6;
        println!(
            "{copies:>6} {files:>6} {mb:>6.0} {wall:>8.1} {:>6.1} {:>12.0} {:>9.0}",
            mb / wall,
            peak as f64 / 1024.0,
            size_of(&index) as f64 / 1e6
        );
        let (times, memory) = stages(&index);
        println!("         stages: {times}");
        println!("         peak RSS by the end of: {memory}");
        // The same tree with one bulletin page edited: the index in use is
        // updated, not rebuilt (one file extracted, its records rewritten).
        let edited = edit_one_page(&tree);
        let (wall, peak) = index_run(binary, &index, &tree, false);
        println!(
            "         one page edited ({}): updated in {wall:.1} s, peak RSS {:.0} MB, {}",
            edited.strip_prefix(&tree).unwrap_or(&edited).display(),
            peak as f64 / 1024.0,
            update_line(&index)
        );
    }
    let _ = std::fs::remove_dir_all(&work);
}
