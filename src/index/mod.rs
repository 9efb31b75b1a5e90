//! In: `Document`s and the `Consensus`. Out: a tantivy index on disk (or in
//! RAM for tests), and `Engine`, the one way to open it.
//!
//! One tantivy document per file, plus one per bulletin entry of a summary
//! (kind `bulletin`, path `summary.md#MS07-017`): in a locale without
//! bulletin files (da-dk) the summary entry is the bulletin's only version.
//! Text goes into the generic field (stored) and into the field of the
//! language it is written in; ids go into raw keyword fields, matched
//! exactly; language, kind, severity, impact and year are fast fields.

mod build;
pub mod report;
pub mod store;

pub use build::{
    BuildOptions, Extracted, build_in_ram, build_index, extract_all, extract_bytes, index_in_ram,
    write_documents,
};
pub use report::Report;

pub(crate) use crate::error::io;
pub use crate::error::{Error, Result};

use std::path::Path;

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::analyze::{self, STEMMED};
use crate::model::Lang;

/// Bump when the schema or the analysers change: an index built with
/// another version is refused with a "re-index" error.
pub const SCHEMA_VERSION: u32 = 5;

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

/// The fields of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Unique record key: the path, `#id` for summary entries.
    pub rec: Field,
    /// The file's path.
    pub path: Field,
    /// `bulletin`, `summary`, … (fast).
    pub kind: Field,
    /// Where a bulletin record comes from: `file` or `summary-entry`.
    pub origin: Field,
    /// The translation group: the bulletin, summary or advisory id shared by
    /// every version of it; the record key for anything else (fast).
    pub group: Field,
    /// The document's own id (`MS07-017`, `MS07-APR`, `2719615`).
    pub doc_id: Field,
    /// The bulletin ids a record describes (a summary: all its entries).
    pub bulletin_id: Field,
    /// Bulletin ids mentioned anywhere.
    pub mentions: Field,
    /// Advisory number.
    pub advisory: Field,
    /// Main KB (the consensus for bulletins).
    pub kb_main: Field,
    /// The main KB the record itself claims.
    pub kb_claimed: Field,
    /// Every KB mentioned.
    pub kb: Field,
    /// CVE ids a bulletin record fixes.
    pub cve_fix: Field,
    /// CVE ids mentioned.
    pub cve: Field,
    /// Declared locale.
    pub locale: Field,
    /// Detected language (fast).
    pub lang: Field,
    /// Declared language.
    pub declared_lang: Field,
    /// Severity (fast).
    pub severity: Field,
    /// Impact categories (fast).
    pub impact: Field,
    /// Year (fast, u64).
    pub year: Field,
    /// Release date as the number yyyymmdd (fast, for sorting by date):
    /// the locales' majority, as [`crate::reconcile::release_dates`] finds it.
    pub date: Field,
    /// Published date as this version states it, ISO.
    pub published: Field,
    /// Release date, ISO: the same in every locale.
    pub released: Field,
    /// Updated date, ISO.
    pub updated: Field,
    /// Executive summary or entry summary, for display.
    pub summary: Field,
    /// Affected software, one value each (stored).
    pub affected: Field,
    /// Acknowledgment lines, one value each (stored).
    pub acks: Field,
    /// Title, generic analyser, stored.
    pub title: Field,
    /// Body, generic analyser (not stored: see `excerpt`).
    pub body: Field,
    /// The first [`EXCERPT_BYTES`] of the body, stored for snippets: whole
    /// bodies (up to 200 kB) would make every hit cost a large read.
    pub excerpt: Field,
    /// Per stemmed language: (lang, title field, body field).
    pub by_lang: Vec<(Lang, Field, Field)>,
}

impl Fields {
    /// The (title, body) fields a text in `lang` is also indexed in.
    pub fn lang_fields(&self, lang: Option<Lang>) -> Option<(Field, Field)> {
        let lang = lang?;
        self.by_lang
            .iter()
            .find(|(l, _, _)| *l == lang)
            .map(|&(_, t, b)| (t, b))
    }
}

fn text_options(analyzer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let keyword = STRING | STORED;
    let facet = STRING | STORED | FAST;
    let mut by_lang = Vec::new();
    let mut fields = Fields {
        rec: b.add_text_field("rec", keyword.clone()),
        path: b.add_text_field("path", STORED),
        kind: b.add_text_field("kind", facet.clone()),
        origin: b.add_text_field("origin", keyword.clone()),
        group: b.add_text_field(crate::search::group::GROUP_FIELD, facet.clone()),
        doc_id: b.add_text_field("doc_id", keyword.clone()),
        bulletin_id: b.add_text_field("bulletin_id", facet.clone()),
        mentions: b.add_text_field("mentions", STRING),
        advisory: b.add_text_field("advisory", keyword.clone()),
        kb_main: b.add_text_field("kb_main", keyword.clone()),
        kb_claimed: b.add_text_field("kb_claimed", keyword.clone()),
        kb: b.add_text_field("kb", STRING),
        cve_fix: b.add_text_field("cve_fix", keyword.clone()),
        cve: b.add_text_field("cve", STRING),
        locale: b.add_text_field("locale", keyword.clone()),
        lang: b.add_text_field("lang", facet.clone()),
        declared_lang: b.add_text_field("declared_lang", keyword),
        severity: b.add_text_field("severity", facet.clone()),
        impact: b.add_text_field("impact", facet),
        year: b.add_u64_field("year", INDEXED | STORED | FAST),
        date: b.add_u64_field("date", FAST),
        published: b.add_text_field("published", STORED),
        released: b.add_text_field("released", STORED),
        updated: b.add_text_field("updated", STORED),
        summary: b.add_text_field("summary", STORED),
        affected: b.add_text_field("affected", STORED),
        acks: b.add_text_field("acks", STORED),
        title: b.add_text_field("title", text_options(analyze::GENERIC, true)),
        body: b.add_text_field("body", text_options(analyze::GENERIC, false)),
        excerpt: b.add_text_field("excerpt", STORED),
        by_lang: Vec::new(),
    };
    for &(lang, _) in STEMMED {
        let name = analyze::analyzer_name(lang).expect("stemmed language");
        let t = b.add_text_field(
            &format!("title_{}", lang.code()),
            text_options(&name, false),
        );
        let d = b.add_text_field(&format!("body_{}", lang.code()), text_options(&name, false));
        by_lang.push((lang, t, d));
    }
    fields.by_lang = by_lang;
    (b.build(), fields)
}

/// An open index: the tantivy index with its analysers registered, a reader,
/// the fields, and the build report.
pub struct Engine {
    /// The tantivy index.
    pub index: Index,
    /// A reader (reloads on commit).
    pub reader: IndexReader,
    /// The schema's fields.
    pub fields: Fields,
    /// The report of the build that wrote the index.
    pub report: Report,
    /// The merged researcher credits.
    pub credits: crate::researchers::CreditStore,
    /// The translation lexicon learned at index time.
    pub lexicon: std::sync::Arc<crate::lexicon::Lexicon>,
    /// The languages each translation group exists in, computed on first use.
    pub(crate) group_langs: std::sync::OnceLock<std::collections::HashMap<String, Vec<String>>>,
    /// The generation this engine reads (`gen-000003`; empty for an index
    /// in RAM or of the layout before generations).
    pub generation: String,
}

impl Engine {
    /// Opens the generation in use in the index folder `dir` (see
    /// [`store`]): checks the schema version, registers the analysers
    /// (tantivy forgets custom tokenizers between opens), loads the lexicon
    /// and the credits of the same generation.
    pub fn open(dir: &Path) -> Result<Engine> {
        let Some((generation_dir, generation)) = store::current(dir)? else {
            return Err(Error::NoIndex(dir.to_path_buf()));
        };
        let mut engine = Engine::open_generation(&generation_dir, dir)?;
        engine.generation = generation;
        Ok(engine)
    }

    /// Opens one generation's folder; `shown` is the index path named in errors.
    fn open_generation(dir: &Path, shown: &Path) -> Result<Engine> {
        let meta_path = dir.join(META_FILE);
        let raw = std::fs::read_to_string(&meta_path)
            .map_err(io(format!("reading {}", meta_path.display())))?;
        let meta: report::Meta = serde_json::from_str(&raw)
            .map_err(|e| Error::Meta(meta_path.clone(), e.to_string()))?;
        if meta.schema_version != SCHEMA_VERSION {
            return Err(Error::StaleIndex {
                path: shown.to_path_buf(),
                found: meta.schema_version,
                expected: SCHEMA_VERSION,
            });
        }
        let index = Index::open_in_dir(dir)?;
        let mut engine = Engine::from_index(index, meta.report)?;
        engine.credits = crate::researchers::CreditStore::load(dir)?;
        engine.lexicon = std::sync::Arc::new(crate::lexicon::Lexicon::load(dir)?);
        Ok(engine)
    }

    /// Wraps an index (on disk or in RAM) that has this program's schema.
    pub fn from_index(index: Index, report: Report) -> Result<Engine> {
        analyze::register(index.tokenizers());
        let (_, fields) = schema();
        // A generation is never written again once complete: no reloads.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Engine {
            index,
            reader,
            fields,
            report,
            credits: Default::default(),
            lexicon: Default::default(),
            group_langs: Default::default(),
            generation: String::new(),
        })
    }

    /// The same index searched with another lexicon (evaluation with held-out bulletins).
    pub fn with_lexicon(&self, lexicon: crate::lexicon::Lexicon) -> Engine {
        Engine {
            index: self.index.clone(),
            reader: self.reader.clone(),
            fields: self.fields.clone(),
            report: self.report.clone(),
            credits: self.credits.clone(),
            lexicon: std::sync::Arc::new(lexicon),
            group_langs: Default::default(),
            generation: self.generation.clone(),
        }
    }
}
