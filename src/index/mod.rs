//! In: `Document`s and the `Consensus`. Out: a tantivy index on disk (or in
//! RAM for tests); [`crate::Engine`] opens it.
//!
//! One tantivy document per file, plus one per bulletin entry of a summary
//! (kind `bulletin`, path `summary.md#MS07-017`): in a locale without
//! bulletin files (da-dk) the summary entry is the bulletin's only version.
//! Text goes into the generic field (stored) and into the field of the
//! language it is written in; ids go into raw keyword fields, matched
//! exactly; language, kind, severity, impact and year are fast fields.

mod build;
pub mod cache;
pub mod manifest;
pub mod memory;
pub mod report;
mod schema;
pub mod store;
pub mod update;

pub(crate) use build::report as build_report;
pub use build::{
    BuildOptions, Extracted, build_index, extract_all, extract_bytes, write_documents,
};
pub use report::{Report, StageMemory};
pub use schema::{Fields, name, schema, tie_of};

pub(crate) use crate::error::io;
pub use crate::error::{Error, Result};

/// Bump when the schema or the analysers change: an index built with
/// another version is refused with a "re-index" error. A language added to
/// `lang::LANGS` needs no bump: an index whose fields differ from this
/// program's is refused the same way (`Engine::open`). 7: the vulnerability
/// names fields; 8: the `tie` field.
pub const SCHEMA_VERSION: u32 = 8;

/// How much of a body is stored for snippets.
pub const EXCERPT_BYTES: usize = 16_000;

/// The first `max` bytes of `s`, cut at a character boundary.
pub fn head(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The file beside the tantivy files holding the version and the build report.
pub const META_FILE: &str = "bulletin-search.json";
