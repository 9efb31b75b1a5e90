//! Bad input loses nothing: broken files are skipped with their reason, a
//! stale index asks for a re-index, a failed re-index leaves the index in
//! use intact, and the command line answers with its exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;

use bulletin_search::Engine;
use bulletin_search::index::{BuildOptions, META_FILE, build_in_ram, build_index};

use crate::common::{fixtures, root};

/// A fresh scratch directory under `target/`, removed first if it exists.
fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn broken_files_are_skipped_with_their_reason_and_the_rest_is_indexed() {
    let dir = scratch("broken");
    write(
        &dir,
        "ms07-017.md",
        "# Microsoft Security Bulletin MS07-017 - Critical\n\nTitle (925902)\n---\n".as_bytes(),
    );
    write(&dir, "empty.md", b"");
    write(&dir, "binary.md", b"\x00\x01\x02PNG");
    write(&dir, "latin1.md", b"# Caf\xe9\n");
    write(&dir, "frontmatter-only.md", b"---\ntitle: x\n---\n");
    let engine = build_in_ram(&[dir]).unwrap();
    let r = &engine.report;
    assert_eq!(r.files_seen, 5);
    assert_eq!(r.documents_indexed, 1);
    let mut reasons: Vec<(String, String)> = r
        .skipped
        .iter()
        .map(|s| {
            (
                s.path.rsplit('/').next().unwrap().to_string(),
                s.reason.clone(),
            )
        })
        .collect();
    reasons.sort();
    assert_eq!(
        reasons,
        [
            (
                "binary.md".to_string(),
                "binary file (contains NUL bytes)".to_string()
            ),
            ("empty.md".to_string(), "empty file".to_string()),
            (
                "frontmatter-only.md".to_string(),
                "no content after the front matter".to_string()
            ),
            (
                "latin1.md".to_string(),
                "not valid UTF-8 at byte 5 (re-save the file as UTF-8)".to_string()
            ),
        ]
    );
}

#[test]
fn a_stale_index_asks_for_a_re_index() {
    let dir = scratch("stale").join("index");
    build_index(&[fixtures()], &dir, &BuildOptions::default()).unwrap();
    let (generation, _) = bulletin_search::index::store::current(&dir)
        .unwrap()
        .unwrap();
    let meta = generation.join(META_FILE);
    let text = std::fs::read_to_string(&meta).unwrap();
    let current = format!(
        "\"schema_version\": {}",
        bulletin_search::index::SCHEMA_VERSION
    );
    std::fs::write(&meta, text.replace(&current, "\"schema_version\": 0")).unwrap();
    let err = Engine::open(&dir)
        .err()
        .expect("a stale index must not open");
    let message = err.to_string();
    assert!(message.contains("schema version 0"), "{message}");
    assert!(message.contains("re-index"), "{message}");
}

#[test]
fn a_failed_re_index_leaves_the_index_in_use_intact() {
    let base = scratch("reindex");
    let dir = base.join("index");
    build_index(&[fixtures()], &dir, &BuildOptions::default()).unwrap();
    let before = Engine::open(&dir).unwrap().reader.searcher().num_docs();
    let nothing = base.join("nothing");
    std::fs::create_dir_all(&nothing).unwrap();
    let err = build_index(&[nothing], &dir, &BuildOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "nothing to index: no Markdown file found");
    let after = Engine::open(&dir).unwrap().reader.searcher().num_docs();
    assert_eq!((before, after), (19, 19));
    let leftovers: Vec<_> = std::fs::read_dir(&base)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("building") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_command_line_exits_0_with_hits_1_without_and_2_on_error() {
    let dir = scratch("cli").join("index");
    let bin = env!("CARGO_BIN_EXE_bulletin-search");
    let run = |args: &[&str]| Command::new(bin).args(args).output().unwrap();
    let built = run(&[
        "index",
        "--index",
        dir.to_str().unwrap(),
        fixtures().to_str().unwrap(),
    ]);
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let hit = run(&[
        "search",
        "--index",
        dir.to_str().unwrap(),
        "--json",
        "KB925902",
    ]);
    assert_eq!(hit.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&hit.stdout).unwrap();
    assert_eq!(json["hits"][0]["bulletin_id"], "MS07-017");
    assert_eq!(json["hits"][0]["kb"], "925902");
    let miss = run(&["search", "--index", dir.to_str().unwrap(), "925903"]);
    assert_eq!(miss.status.code(), Some(1));
    let missing = run(&["search", "--index", "/nonexistent/index", "x"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no index at /nonexistent/index"));
}
