//! `Engine`, an open index: the tantivy index and its reader, the fields,
//! the build report, and what was learned beside it (the translation
//! lexicon and the merged credits). Searching, lookups and the server all
//! take one.

use std::path::{Path, PathBuf};
use std::time::Instant;

use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::analyze;
use crate::error::{Error, Result};
use crate::extract::Document;
use crate::index::{
    Fields, Report, SCHEMA_VERSION, build_report, extract_all, report, schema, store,
    write_documents,
};
use crate::ingest::{Skipped, WalkOptions};
use crate::lexicon::{LearnOptions, Lexicon};
use crate::reconcile::reconcile;

/// An open index: the tantivy index with its analysers registered, a reader,
/// the fields, and the build report.
pub struct Engine {
    /// The tantivy index.
    pub index: Index,
    /// A reader (it never reloads: a generation is never written again).
    pub reader: IndexReader,
    /// The schema's fields.
    pub fields: Fields,
    /// The report of the build that wrote the index.
    pub report: Report,
    /// The merged researcher credits.
    pub credits: crate::researchers::CreditStore,
    /// Each bulletin's products and the supersedence graph.
    pub products: std::sync::Arc<crate::products::ProductStore>,
    /// The translation lexicon learned at index time.
    pub lexicon: std::sync::Arc<crate::lexicon::Lexicon>,
    /// The languages each translation group exists in, computed on first use.
    pub(crate) group_langs:
        std::sync::OnceLock<std::collections::HashMap<String, Vec<crate::lang::TextLang>>>,
    /// Every record's group and facet values, read on first use.
    pub(crate) facet_table: std::sync::OnceLock<std::sync::Arc<crate::search::facets::FacetTable>>,
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

    /// Builds an index of `paths` in memory (tests, one-off tools): the same
    /// extraction, reconciliation and report as [`crate::index::build_index`], nothing on disk.
    pub fn build_in_ram(paths: &[PathBuf]) -> Result<Engine> {
        let e = extract_all(paths, WalkOptions::default(), false);
        let mut engine = Engine::index_in_ram(&e.docs, e.skipped, e.files_seen, e.bytes)?;
        engine.report.learned_severity = e.learned_severity;
        engine.report.learned_months = e.learned_months;
        Ok(engine)
    }

    /// Indexes already extracted documents in memory (the tail of [`Engine::build_in_ram`]).
    pub fn index_in_ram(
        docs: &[Document],
        skipped: Vec<Skipped>,
        files_seen: usize,
        bytes: u64,
    ) -> Result<Engine> {
        let start = Instant::now();
        let consensus = reconcile(docs);
        let (schema, _) = schema();
        let index = Index::create_in_ram(schema);
        let records = write_documents(&index, docs, &consensus, 100_000_000)?;
        let lexicon = Lexicon::learn(docs, &LearnOptions::default(), &|_| false);
        let mut report = build_report(docs, &consensus, skipped, files_seen, records, bytes);
        report.lexicon = lexicon.summary.clone();
        report.elapsed_secs = start.elapsed().as_secs_f64();
        let credits = crate::researchers::collect(docs);
        report.credits = credits.check.clone();
        report.products = consensus.products.check.clone();
        let mut engine = Engine::from_index(index, report)?;
        engine.lexicon = std::sync::Arc::new(lexicon);
        engine.credits = credits;
        engine.products = std::sync::Arc::new(consensus.products);
        engine.reader.reload()?;
        Ok(engine)
    }

    /// Opens one generation's folder; `shown` is the index path named in errors.
    fn open_generation(dir: &Path, shown: &Path) -> Result<Engine> {
        let meta = report::Meta::read(dir)?;
        if meta.schema_version != SCHEMA_VERSION {
            return Err(Error::StaleIndex {
                path: shown.to_path_buf(),
                found: meta.schema_version,
                expected: SCHEMA_VERSION,
            });
        }
        let index = Index::open_in_dir(dir)?;
        // The same version with other fields: written by a build that reads
        // another set of languages (each stemmed language is a field).
        if index.schema() != schema().0 {
            return Err(Error::StaleIndex {
                path: shown.to_path_buf(),
                found: meta.schema_version,
                expected: SCHEMA_VERSION,
            });
        }
        let mut engine = Engine::from_index(index, meta.report)?;
        engine.credits = crate::researchers::CreditStore::load(dir)?;
        engine.products = std::sync::Arc::new(crate::products::ProductStore::load(dir)?);
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
            products: Default::default(),
            lexicon: Default::default(),
            group_langs: Default::default(),
            facet_table: Default::default(),
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
            products: self.products.clone(),
            lexicon: std::sync::Arc::new(lexicon),
            group_langs: Default::default(),
            facet_table: Default::default(),
            generation: self.generation.clone(),
        }
    }
}
