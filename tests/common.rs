//! Shared helpers: fixture paths, the fixture index built once.

use std::path::PathBuf;
use std::sync::OnceLock;

use bulletin_search::Engine;
use bulletin_search::extract::Document;
use bulletin_search::index::{extract_all, write_documents};
use bulletin_search::reconcile::reconcile;
use tantivy::Index;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    root().join("fixtures")
}

/// Every fixture document, extracted.
pub fn fixture_docs() -> &'static Vec<Document> {
    static DOCS: OnceLock<Vec<Document>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let (docs, skipped, _, _) = extract_all(&[fixtures()], false);
        assert!(skipped.is_empty(), "{skipped:?}");
        docs
    })
}

pub fn doc(path_end: &str) -> &'static Document {
    fixture_docs()
        .iter()
        .find(|d| d.path.ends_with(path_end))
        .unwrap_or_else(|| panic!("no fixture {path_end}"))
}

/// An in-RAM index of the fixtures.
pub fn fixture_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| engine_of(fixture_docs()))
}

pub fn engine_of(docs: &[Document]) -> Engine {
    let (schema, _) = bulletin_search::index::schema();
    let index = Index::create_in_ram(schema);
    write_documents(&index, docs, &reconcile(docs), 100_000_000).expect("index");
    let engine = Engine::from_index(index, Default::default()).expect("engine");
    engine.reader.reload().expect("reload");
    engine
}
