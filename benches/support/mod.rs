//! What the benchmarks share: the real corpus, unpacked under `target/`.

use std::path::PathBuf;
use std::process::Command;

/// The unpacked six-locale corpus, or `None` (with a notice) where
/// `../shared/corpus` is absent.
pub fn corpus() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/corpus");
    if !shared.join("unpack.sh").exists() {
        println!("NOTICE: ../shared/corpus is absent: benchmark skipped");
        return None;
    }
    let corpus = root.join("target/corpus");
    let ok = Command::new("bash")
        .arg(shared.join("unpack.sh"))
        .arg(&corpus)
        .status()
        .map(|s| s.success());
    assert_eq!(ok.ok(), Some(true), "unpack.sh failed");
    Some(corpus)
}

/// Where benchmarks keep their index.
#[allow(dead_code)] // not every benchmark writes an index
pub fn index_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-index")
}

/// Runs this benchmark once per row label (`de`, `+de`, `none`) with
/// `--leave-out-one LABEL`, each in a process of its own (the vocabulary
/// is cut once per process), and prints each child's `ROW ` line.
#[allow(dead_code)] // the benchmarks with a leave-one-language-out table
pub fn leave_out_rows(rows: impl IntoIterator<Item = String>) {
    let exe = std::env::current_exe().expect("own path");
    for lang in rows {
        let out = Command::new(&exe)
            .args(["--leave-out-one", &lang])
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout);
        match stdout.lines().find(|l| l.starts_with("ROW ")) {
            Some(row) => println!("{}", &row[4..]),
            None => println!("{lang}: failed: {}", String::from_utf8_lossy(&out.stderr)),
        }
    }
}
