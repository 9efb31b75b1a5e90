//! bulletin-search: a language-aware search engine for Microsoft's
//! multilingual security bulletin documentation.
//!
//! The data flow is the module tree, in order:
//! `ingest` (files → normalised text) → `parse` (text → blocks) →
//! `extract` (blocks → typed records) → `reconcile` (records → consensus,
//! with the `products` rows reconciled across locales and the supersedence
//! graph) → `analyze` (per-language analysers) → `index` (records →
//! tantivy, with the `lexicon` learned from aligned translations and the
//! `researchers` credits merged across locales, saved beside it) → `engine`
//! (an open index with its lexicon, credits and products) → `search` (query
//! → hits, and credit lookups) → `serve` (HTTP API and web page).
#![warn(missing_docs)]

pub mod analyze;
mod closed;
pub mod engine;
pub mod error;
pub mod eval;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod lang;
pub mod lexicon;
pub mod model;
pub mod parse;
pub mod print;
pub mod products;
pub mod reconcile;
pub mod researchers;
pub mod script;
pub mod search;
pub mod serve;
pub mod vocab;

pub use engine::Engine;
pub use error::{Error, Result};
