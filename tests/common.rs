//! Shared helpers: fixture paths, the fixture index built once.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use bulletin_search::Engine;
use bulletin_search::extract::Document;
use bulletin_search::index::extract_all;
use bulletin_search::ingest::WalkOptions;

/// A bulletin id written in a test.
pub fn id(s: &str) -> bulletin_search::model::BulletinId {
    s.parse().unwrap()
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh scratch directory under `target/`, removed first if it exists.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn fixtures() -> PathBuf {
    root().join("fixtures")
}

/// Every fixture document, extracted.
pub fn fixture_docs() -> &'static Vec<Document> {
    static DOCS: OnceLock<Vec<Document>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let e = extract_all(&[fixtures()], WalkOptions::default(), false);
        assert!(e.skipped.is_empty(), "{:?}", e.skipped);
        e.docs
    })
}

pub fn doc(path_end: &str) -> &'static Document {
    fixture_docs()
        .iter()
        .find(|d| d.path.ends_with(path_end))
        .unwrap_or_else(|| panic!("no fixture {path_end}"))
}

/// An in-RAM index of the fixtures, built once.
pub fn fixture_engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| Arc::new(Engine::build_in_ram(&[fixtures()]).expect("fixture index")))
        .clone()
}
