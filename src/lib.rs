//! bulletin-search: a language-aware search engine for Microsoft's
//! multilingual security bulletin documentation.
//!
//! The data flow is the module tree, in order:
//! `ingest` (files → normalised text) → `parse` (text → blocks) →
//! `extract` (blocks → typed records) → `reconcile` (records → consensus) →
//! `analyze` (per-language analysers) → `index` (records → tantivy, with
//! the `lexicon` learned from aligned translations) →
//! `search` (query → hits) → `serve` (HTTP API and web page).
#![warn(missing_docs)]

pub mod analyze;
pub mod error;
pub mod eval;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod lexicon;
pub mod model;
pub mod parse;
pub mod print;
pub mod reconcile;
pub mod researchers;
pub mod script;
pub mod search;
pub mod serve;
pub mod vocab;

pub use index::{Engine, Error, Result};
