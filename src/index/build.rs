//! Building an index: discover → read/parse/extract in parallel → reconcile
//! → write into a fresh directory → swap it in only when everything succeeded.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::manifest::{FileEntry, Manifest};
use super::report::{ConflictReport, Meta, Mislabelled, StageMemory};
use super::{
    Error, Fields, META_FILE, Report, Result, SCHEMA_VERSION, cache, schema, store, update,
};
use crate::extract::{AckLine, BulletinEntry, Date, Document, Spill, extract};
use crate::ingest::{self, Discovered, Skipped, WalkOptions};
use crate::lexicon::{LearnOptions, Lexicon};
use crate::model::{BulletinId, DocKind, full_year};
use crate::parse::parse;
use crate::reconcile::{Consensus, reconcile};

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Show a progress bar (when stderr is a terminal) or log lines.
    pub progress: bool,
    /// Indexing memory budget in bytes.
    pub heap_bytes: usize,
    /// How to walk the trees.
    pub walk: WalkOptions,
    /// Build even when the files and the program are those of the
    /// generation in use (see [`super::manifest`]).
    pub force: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            progress: false,
            heap_bytes: 100_000_000,
            walk: WalkOptions::default(),
            force: false,
        }
    }
}

/// What extraction gave: the documents, what was skipped, and the input's size.
#[derive(Debug, Default)]
pub struct Extracted {
    /// One document per file read.
    pub docs: Vec<Document>,
    /// Files (and folders, links) not read, with their reasons.
    pub skipped: Vec<Skipped>,
    /// Files found.
    pub files_seen: usize,
    /// Their bytes on disk.
    pub bytes: u64,
    /// Severity words learned from the agreement of the locales (see
    /// [`crate::reconcile::learn_severity`]), already applied to `docs`.
    pub learned_severity: Vec<crate::reconcile::LearnedSeverity>,
    /// Month words learned the same way (see
    /// [`crate::reconcile::learn_months`]), already applied to `docs`.
    pub learned_months: Vec<crate::reconcile::LearnedMonth>,
    /// What each file found was, for the generation's manifest: in the
    /// walk's order, hashed from the bytes extraction read.
    pub files: Vec<FileEntry>,
    /// How many of `skipped`, at its start, the walk skipped (the rest
    /// could not be read or parsed).
    pub walk_skipped: usize,
    /// Documents read from the previous generation's cache, not extracted.
    pub from_cache: usize,
}

/// Reads, parses and extracts every file below `paths`; files that fail are
/// returned as skipped, with their reason (a panic included: it never stops the run).
pub fn extract_all(paths: &[PathBuf], walk: WalkOptions, progress: bool) -> Extracted {
    extract_found(
        ingest::discover(paths, walk),
        progress,
        None,
        Caches::default(),
    )
}

/// The caches of extracted documents a build reads and writes (see [`cache`]).
#[derive(Default, Clone, Copy)]
struct Caches<'a> {
    /// The generation in use's, by the same program.
    previous: Option<&'a cache::Reader>,
    /// The new generation's.
    next: Option<&'a cache::Writer>,
}

/// [`extract_all`] of the files a walk found; with a `spill` file, the
/// documents' bodies are moved there as they are extracted (a body that
/// cannot be written there stays in memory). A file whose content the
/// previous cache holds is read from it, not extracted again.
fn extract_found(
    found: Discovered,
    progress: bool,
    spill: Option<&Arc<Spill>>,
    caches: Caches,
) -> Extracted {
    let Discovered { files, mut skipped } = found;
    let walk_skipped = skipped.len();
    let sizes: Vec<u64> = files
        .iter()
        .map(|(p, _)| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .collect();
    let total_bytes: u64 = sizes.iter().sum();
    let bar = progress_bar(progress, total_bytes);
    let done = AtomicUsize::new(0);
    let from_cache = AtomicUsize::new(0);
    let n = files.len();
    let results: Vec<(std::result::Result<Document, Skipped>, FileEntry)> = files
        .par_iter()
        .zip(&sizes)
        .map(|((path, shown), &size)| {
            let read = std::fs::read(path);
            let entry = FileEntry::new(shown, read.as_deref().ok());
            let out = read
                .map_err(|e| Skipped {
                    path: shown.clone(),
                    reason: format!("cannot read: {e}"),
                })
                .and_then(|bytes| {
                    let cached = (caches.previous)
                        .and_then(|c| c.get(shown, &entry.hash))
                        .and_then(|packed| Some((cache::unpack(&packed)?, packed)));
                    if let Some((doc, packed)) = cached {
                        from_cache.fetch_add(1, Ordering::Relaxed);
                        if let Some(next) = caches.next {
                            next.put(shown, &entry.hash, &packed);
                        }
                        return Ok(doc);
                    }
                    let mut doc = extract_bytes(path, shown, &bytes)?;
                    if let Some(next) = caches.next
                        && let Some(packed) = cache::pack(&mut doc)
                    {
                        next.put(shown, &entry.hash, &packed);
                    }
                    Ok(doc)
                })
                .map(|mut doc| {
                    if let Some(spill) = spill {
                        let _ = doc.body.spill(spill);
                    }
                    doc
                });
            let k = done.fetch_add(1, Ordering::Relaxed) + 1;
            match &bar {
                Some(b) => b.inc(size),
                None if progress && (k.is_multiple_of(1000) || k == n) => {
                    eprintln!("read {k}/{n} files");
                }
                None => {}
            }
            (out, entry)
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut docs = Vec::new();
    let mut entries = Vec::with_capacity(results.len());
    for (r, entry) in results {
        match r {
            Ok(d) => docs.push(d),
            Err(s) => skipped.push(s),
        }
        entries.push(entry);
    }
    // The steps across documents before the records are final: what a
    // locale's month and severity words mean, from the other locales.
    let learned_months = crate::reconcile::learn_months(&mut docs);
    let learned_severity = crate::reconcile::learn_severity(&mut docs);
    Extracted {
        docs,
        skipped,
        files_seen: n,
        bytes: total_bytes,
        learned_severity,
        learned_months,
        files: entries,
        walk_skipped,
        from_cache: from_cache.into_inner(),
    }
}

fn progress_bar(progress: bool, total: u64) -> Option<ProgressBar> {
    if !progress || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

/// Decodes, parses and extracts one file's bytes: the one path from bytes
/// to a `Document`, used for files on disk and by the fuzz harness. A panic
/// inside is caught and reported as the file's reason to be skipped.
pub fn extract_bytes(
    path: &Path,
    shown: &str,
    bytes: &[u8],
) -> std::result::Result<Document, Skipped> {
    let src = ingest::from_bytes(path, shown, bytes)?;
    let result = catch_unwind(AssertUnwindSafe(|| {
        let parsed = parse(&src.text);
        if parsed.blocks.is_empty() {
            return Err("no content after the front matter".to_string());
        }
        Ok(extract(&src, &parsed))
    }));
    match result {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(reason)) => Err(Skipped {
            path: shown.to_string(),
            reason,
        }),
        Err(_) => Err(Skipped {
            path: shown.to_string(),
            reason: "internal error while parsing (please report this file)".into(),
        }),
    }
}

/// Where a build keeps the bodies it has extracted (see [`Spill`]).
const SPILL_FILE: &str = "bodies.spill";

/// Builds an index of `paths` into the index folder `out` as a new
/// generation and switches to it only when it is complete (see
/// [`super::store`]): a failed, killed or concurrent build never damages
/// the generation in use. A path that exists and is not an index is refused
/// before anything is read.
pub fn build_index(paths: &[PathBuf], out: &Path, options: &BuildOptions) -> Result<Report> {
    let start = Instant::now();
    let writer = store::Writer::open(out)?;
    let found = ingest::discover(paths, options.walk);
    // Only a run with a manifest to compare with reads the files first.
    let mut previous = None;
    if let Some((in_use, before)) = Manifest::in_use(out)?.filter(|_| !options.force) {
        let manifest = Manifest::of(&found, options.walk);
        if manifest == before {
            writer.abort();
            let mut report = Meta::read(&in_use)?.report;
            report.unchanged = true;
            report.elapsed_secs = start.elapsed().as_secs_f64();
            report.mb_per_sec = manifest.total_bytes() as f64 / 1e6 / report.elapsed_secs.max(1e-9);
            report.stages = vec![("hash and compare".to_string(), report.elapsed_secs)];
            return Ok(report);
        }
        // The same program built the index in use from other files: it is
        // updated, not rebuilt (see [`update`]).
        if manifest.build == before.build && manifest.follow == before.follow {
            previous = update::load(&in_use).map(|records| (in_use, records));
        }
    }
    let previous_cache = (previous.as_ref()).and_then(|(in_use, _)| cache::Reader::open(in_use));
    let next_cache = cache::Writer::create(writer.path()).ok();
    let caches = Caches {
        previous: previous_cache.as_ref(),
        next: next_cache.as_ref(),
    };
    // The bodies wait for the writer in a file of the new generation, not
    // in memory; the file goes when the last document does, before the
    // generation is complete.
    let spill = Spill::create(&writer.path().join(SPILL_FILE)).ok();
    let mut extracted = extract_found(found, options.progress, spill.as_ref(), caches);
    drop(spill);
    drop(previous_cache);
    if let Some(next) = next_cache {
        next.finish(writer.path())?;
    }
    let manifest = Manifest::new(
        std::mem::take(&mut extracted.files),
        &extracted.skipped[..extracted.walk_skipped],
        options.walk,
    );
    if extracted.docs.is_empty() {
        writer.abort();
        let why = match extracted.skipped.first() {
            Some(s) => format!("no readable Markdown file ({}: {})", s.path, s.reason),
            None => "no Markdown file found".to_string(),
        };
        return Err(Error::Empty(why));
    }
    manifest.save(writer.path())?;
    match write_generation(writer.path(), extracted, options, start, previous) {
        Ok(report) => {
            writer.commit()?;
            Ok(report)
        }
        Err(e) => {
            writer.abort();
            Err(e)
        }
    }
}

/// Writes the index, lexicon, credits and (last, marking it complete) the
/// metadata of one generation into `dir`.
fn write_generation(
    dir: &Path,
    extracted: Extracted,
    options: &BuildOptions,
    start: Instant,
    previous: Option<(PathBuf, update::Records)>,
) -> Result<Report> {
    let Extracted {
        mut docs,
        skipped,
        files_seen,
        bytes,
        learned_severity,
        learned_months,
        from_cache,
        ..
    } = extracted;
    let mut stages = Stages::since(start);
    stages.end("read, parse, extract, learn");
    let consensus = reconcile(&docs);
    // What each page states about its products lives on in the consensus;
    // the pages' own copies are not needed past here.
    for d in &mut docs {
        d.products = Default::default();
    }
    stages.end("reconcile");
    // An update starts from the index in use; where its files cannot be
    // linked or opened, the build writes every record.
    let updated =
        previous.and_then(|(from, records)| Some((update::open_linked(&from, dir)?, records)));
    let (index, previous) = match updated {
        Some((index, records)) => (index, Some(records)),
        None => (Index::create_in_dir(dir, schema().0)?, None),
    };
    // The lexicon and the credits are learned while tantivy indexes: they
    // read the same documents, and tantivy's merge at the end leaves a
    // core idle.
    let learned = Instant::now();
    let (records, learned) = std::thread::scope(|scope| {
        let side = scope.spawn(|| {
            let lexicon = Lexicon::learn(&docs, &LearnOptions::default(), &|_| false);
            let lexicon_secs = learned.elapsed().as_secs_f64();
            let credits = crate::researchers::collect(&docs);
            (
                lexicon,
                lexicon_secs,
                credits,
                learned.elapsed().as_secs_f64(),
            )
        });
        let written = write_records(
            &index,
            &docs,
            &consensus,
            options.heap_bytes,
            previous.as_ref(),
        );
        (written, side.join())
    });
    let written = records?;
    let records = written.records;
    stages.end(if written.update.is_some() {
        "update the index (lexicon and credits beside it)"
    } else {
        "index (lexicon and credits beside it)"
    });
    let (lexicon, lexicon_secs, credits, learned_secs) =
        learned.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let lexicon_bytes = lexicon.save(dir)?;
    credits.save(dir)?;
    consensus.products.save(dir)?;
    update::save(dir, &written.files)?;
    stages.end("save");
    let mut report = report(&docs, &consensus, skipped, files_seen, records, bytes);
    report.stages = stages.times;
    report
        .stages
        .push(("of which lexicon".to_string(), lexicon_secs));
    report
        .stages
        .push(("of which credits".to_string(), learned_secs - lexicon_secs));
    report.memory = stages.memory;
    report.update = written.update.map(|mut u| {
        u.files_extracted = files_seen - from_cache;
        u
    });
    report.credits = credits.check.clone();
    report.products = consensus.products.check.clone();
    report.learned_severity = learned_severity;
    report.learned_months = learned_months;
    report.lexicon = lexicon.summary.clone();
    report.lexicon.bytes = lexicon_bytes;
    report.elapsed_secs = start.elapsed().as_secs_f64();
    report.mb_per_sec = bytes as f64 / 1e6 / report.elapsed_secs.max(1e-9);
    let meta = Meta {
        schema_version: SCHEMA_VERSION,
        report: report.clone(),
    };
    let json = serde_json::to_string_pretty(&meta).expect("report serialises");
    store::write_atomically(dir, META_FILE, json.as_bytes())?;
    Ok(report)
}

/// Where a build's time and memory went, stage by stage.
struct Stages {
    lap: Instant,
    times: Vec<(String, f64)>,
    memory: Vec<StageMemory>,
}

impl Stages {
    /// The first stage began at `start`.
    fn since(start: Instant) -> Stages {
        Stages {
            lap: start,
            times: Vec::new(),
            memory: Vec::new(),
        }
    }

    /// Ends the stage running now, and begins the next.
    fn end(&mut self, name: &str) {
        self.times
            .push((name.to_string(), self.lap.elapsed().as_secs_f64()));
        if let Some(m) = super::memory::resident() {
            self.memory.push(StageMemory {
                stage: name.to_string(),
                peak: m.peak,
                anon: m.anon,
            });
        }
        self.lap = Instant::now();
    }
}

/// The most records a merge puts in one segment (see [`write_documents`]).
const RECORDS_PER_SEGMENT: usize = 20_000;

/// Segments (id, records) grouped into runs to merge: each run holds at
/// most `max` records, or is one segment alone. First fit, in the order
/// given (largest first packs best).
fn merge_runs<Id: Copy>(segments: impl Iterator<Item = (Id, usize)>, max: usize) -> Vec<Vec<Id>> {
    let mut runs: Vec<(Vec<Id>, usize)> = Vec::new();
    for (id, n) in segments {
        match runs.iter_mut().find(|(_, size)| size + n <= max) {
            Some((run, size)) => {
                run.push(id);
                *size += n;
            }
            None => runs.push((vec![id], n)),
        }
    }
    runs.into_iter().map(|(run, _)| run).collect()
}

/// Bytes of text (bodies, titles, summaries) written between commits (see
/// [`write_documents`]).
const TEXT_PER_COMMIT: usize = 24_000_000;

/// Merges the segments of a whole index: few segments, so that a query
/// walks few sets of postings. Merged in runs of at most
/// RECORDS_PER_SEGMENT records, one run at a time, as a merge holds every
/// segment it reads mapped: the six shared locales (14,868 records) make
/// one segment, and a corpus three times as big three, merged with the
/// memory of one.
fn merge_all(index: &Index, writer: &mut IndexWriter) -> Result<()> {
    let mut sizes: Vec<_> = (index.searchable_segment_metas()?.iter())
        .map(|m| (m.id(), m.num_docs() as usize))
        .collect();
    // (The metas are not kept: tantivy keeps the files of a segment whose
    // meta is alive.)
    sizes.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    for run in merge_runs(sizes.into_iter(), RECORDS_PER_SEGMENT) {
        if run.len() > 1 {
            writer.merge(&run).wait()?;
        }
    }
    Ok(())
}

/// Writes every document (and every summary entry) into `index`; returns the record count.
pub fn write_documents(
    index: &Index,
    docs: &[Document],
    consensus: &Consensus,
    heap: usize,
) -> Result<usize> {
    Ok(write_records(index, docs, consensus, heap, None)?.records)
}

/// What [`write_records`] wrote.
pub(crate) struct Written {
    /// Records in the index.
    pub records: usize,
    /// Each file's records (see [`update`]).
    pub files: update::Records,
    /// What an update changed (`None`: every record was written).
    pub update: Option<update::UpdateCounts>,
}

/// Writes the records of `docs` into `index`: every one, or, given the
/// records `previous` already in it (see [`update`]), only those of the
/// files whose records changed, deleting what they and the files gone were.
pub(crate) fn write_records(
    index: &Index,
    docs: &[Document],
    consensus: &Consensus,
    heap: usize,
    previous: Option<&update::Records>,
) -> Result<Written> {
    crate::analyze::register(index.tokenizers());
    let (_, fields) = schema();
    let mut writer: IndexWriter = index.writer(heap.max(50_000_000))?;
    // No background merges while writing a whole index: one explicit merge
    // at the end. An update merges as tantivy's log policy says (see
    // [`update::merge_policy`]).
    match previous {
        None => writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy)),
        Some(_) => writer.set_merge_policy(Box::new(update::merge_policy(RECORDS_PER_SEGMENT))),
    }
    let mut records = 0;
    let mut text_since_commit = 0;
    let mut files = update::Records::new();
    let mut counts = update::UpdateCounts::default();
    let delete =
        |writer: &IndexWriter, old: &update::FileRecords, counts: &mut update::UpdateCounts| {
            for rec in &old.recs {
                writer.delete_term(tantivy::Term::from_field_text(fields.rec, rec));
            }
            counts.records_deleted += old.recs.len();
        };
    for d in docs {
        let mut built = vec![(d.path.clone(), file_record(&fields, d, consensus))];
        let mut text = d.body.len() + d.title.len() + d.summary.len();
        for e in &d.entries {
            let (rec, doc) = entry_record(&fields, d, e, consensus);
            built.push((rec, doc));
            text += e.title.len() + 2 * e.summary.len();
        }
        let hash = update::hash_records(built.iter().map(|(_, doc)| doc));
        let old = previous.and_then(|p| p.get(&d.path));
        records += built.len();
        let recs = built.iter().map(|(rec, _)| rec.clone()).collect();
        let unchanged = old.is_some_and(|old| old.hash == hash);
        files.insert(d.path.clone(), update::FileRecords { hash, recs });
        if unchanged {
            counts.files_kept += 1;
            continue;
        }
        match old {
            Some(old) => {
                delete(&writer, old, &mut counts);
                counts.files_rewritten += 1;
            }
            None => counts.files_added += 1,
        }
        counts.records_added += built.len();
        for (_, doc) in built {
            writer.add_document(doc)?;
        }
        text_since_commit += text;
        // tantivy queues up to 10,000 records for its indexing threads,
        // and records are built faster than indexed: a commit now and then
        // drains the queue, so that only so much text waits in memory
        // (10,000 records, two copies of each body, were 600 MB; 2,000 were
        // still 100–150 MB).
        if text_since_commit >= TEXT_PER_COMMIT {
            writer.commit()?;
            text_since_commit = 0;
        }
    }
    if let Some(previous) = previous {
        for (path, old) in previous {
            if !files.contains_key(path) {
                delete(&writer, old, &mut counts);
                counts.files_removed += 1;
            }
        }
    }
    writer.commit()?;
    if previous.is_none() {
        merge_all(index, &mut writer)?;
    }
    writer.wait_merging_threads()?;
    Ok(Written {
        records,
        files,
        update: previous.map(|_| counts),
    })
}

fn add_text(doc: &mut TantivyDocument, fields: &Fields, d: &Document, title: &str, body: &str) {
    doc.add_text(fields.title, title);
    doc.add_text(fields.body, body);
    doc.add_text(fields.excerpt, super::head(body, super::EXCERPT_BYTES));
    if let Some((t, b)) = fields.lang_fields(d.lang) {
        doc.add_text(t, title);
        doc.add_text(b, body);
    }
}

/// A bulletin page's vulnerability names, in the generic field and its
/// language's.
fn add_names(doc: &mut TantivyDocument, fields: &Fields, d: &Document) {
    let own = fields.names_of(d.lang);
    for (_, name) in &d.vulnerabilities {
        doc.add_text(fields.names, name);
        if own != fields.names {
            doc.add_text(own, name);
        }
    }
}

fn common(doc: &mut TantivyDocument, fields: &Fields, d: &Document) {
    doc.add_text(fields.path, &d.path);
    if let Some(l) = &d.locale {
        doc.add_text(fields.locale, l);
    }
    doc.add_text(fields.lang, d.lang.map_or("und", |l| l.code()));
    if let Some(l) = d.declared_lang {
        doc.add_text(fields.declared_lang, l.code());
    }
}

fn file_record(fields: &Fields, d: &Document, consensus: &Consensus) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.rec, &d.path);
    doc.add_u64(fields.tie, super::schema::tie_of(&d.path));
    let group = match d.kind {
        DocKind::Bulletin => d.bulletin_id.map(|b| b.to_string()),
        DocKind::Other => None,
        _ => d.doc_id.clone(),
    };
    doc.add_text(fields.group, group.as_deref().unwrap_or(&d.path));
    common(&mut doc, fields, d);
    doc.add_text(fields.kind, d.kind.code());
    doc.add_text(fields.origin, "file");
    if let Some(id) = &d.doc_id {
        doc.add_text(fields.doc_id, id);
    }
    match d.kind {
        DocKind::Bulletin => {
            if let Some(id) = d.bulletin_id {
                doc.add_text(fields.bulletin_id, id.to_string());
                if let Some(kb) = consensus.main_kb.get(&id).or(d.main_kb.as_ref()) {
                    doc.add_text(fields.kb_main, kb.to_string());
                }
            }
            for c in &d.cves {
                doc.add_text(fields.cve_fix, c.to_string());
            }
        }
        DocKind::Summary => {
            for e in &d.entries {
                if let Some(id) = e.bulletin_id {
                    doc.add_text(fields.bulletin_id, id.to_string());
                }
            }
        }
        DocKind::Advisory => {
            if let Some(id) = &d.doc_id {
                doc.add_text(fields.advisory, id);
            }
        }
        _ => {}
    }
    if let Some(kb) = d.main_kb {
        doc.add_text(fields.kb_claimed, kb.to_string());
    }
    for kb in &d.kbs {
        doc.add_text(fields.kb, kb.to_string());
    }
    for c in &d.cves {
        doc.add_text(fields.cve, c.to_string());
    }
    for b in &d.bulletins_mentioned {
        doc.add_text(fields.mentions, b.to_string());
    }
    // A bulletin that does not state its severity or impact takes what
    // the other descriptions of it agree on.
    let consensus_of = |id: Option<BulletinId>| id.filter(|_| d.kind == DocKind::Bulletin);
    let severity = d.severity.or_else(|| {
        consensus_of(d.bulletin_id).and_then(|id| consensus.severity.get(&id).copied())
    });
    if let Some(s) = severity {
        doc.add_text(fields.severity, s.code());
    }
    let impacts = match consensus_of(d.bulletin_id) {
        Some(id) if d.impacts.is_empty() => consensus.impacts.get(&id).cloned().unwrap_or_default(),
        _ => d.impacts.clone(),
    };
    for i in &impacts {
        doc.add_text(fields.impact, i.code());
    }
    let released =
        crate::reconcile::release_key(d).and_then(|k| consensus.released.get(&k).copied());
    let year = released
        .or(d.published)
        .map(|p| p.year)
        .or(d.bulletin_id.map(|b| b.year()))
        .or_else(|| d.doc_id.as_deref().and_then(year_of_summary_id));
    if let Some(y) = year {
        doc.add_u64(fields.year, y as u64);
    }
    add_date(&mut doc, fields, d, released);
    for a in &d.affected {
        doc.add_text(fields.affected, a);
    }
    if let Some(id) = consensus_of(d.bulletin_id) {
        add_products(&mut doc, fields, consensus, id);
    }
    for a in &d.acks {
        doc.add_text(fields.acks, &a.text);
    }
    if let Some(u) = d.updated {
        doc.add_text(fields.updated, u.to_string());
    }
    doc.add_text(fields.summary, &d.summary);
    add_text(&mut doc, fields, d, &d.title, &d.body.text());
    add_names(&mut doc, fields, d);
    doc
}

/// The date a version states, and the release date every locale shares
/// (what sorting by date uses; the stated date where none is known).
fn add_date(doc: &mut TantivyDocument, fields: &Fields, d: &Document, released: Option<Date>) {
    if let Some(p) = d.published {
        doc.add_text(fields.published, p.to_string());
    }
    if let Some(r) = released {
        doc.add_text(fields.released, r.to_string());
    }
    if let Some(p) = released.or(d.published) {
        let n = p.year as u64 * 10_000 + p.month as u64 * 100 + p.day as u64;
        doc.add_u64(fields.date, n);
    }
}

/// The year of a summary id such as `MS07-APR`.
fn year_of_summary_id(id: &str) -> Option<u16> {
    Some(full_year(id.get(2..4)?.parse().ok()?))
}

/// A bulletin's product names (searchable) and families (a facet), the
/// same on every record of it: each language version finds it by product.
fn add_products(doc: &mut TantivyDocument, fields: &Fields, consensus: &Consensus, id: BulletinId) {
    let (names, families) = consensus.products.index_terms(id);
    for n in &names {
        doc.add_text(fields.product, n);
    }
    for f in &families {
        doc.add_text(fields.family, f);
    }
}

fn entry_record(
    fields: &Fields,
    d: &Document,
    e: &BulletinEntry,
    consensus: &Consensus,
) -> (String, TantivyDocument) {
    let mut doc = TantivyDocument::default();
    let id = e.bulletin_id.map(|b| b.to_string()).unwrap_or_default();
    let rec = format!("{}#{}", d.path, id);
    doc.add_text(fields.group, if id.is_empty() { &rec } else { &id });
    doc.add_text(fields.rec, &rec);
    doc.add_u64(fields.tie, super::schema::tie_of(&rec));
    common(&mut doc, fields, d);
    doc.add_text(fields.kind, DocKind::Bulletin.code());
    doc.add_text(fields.origin, "summary-entry");
    doc.add_text(fields.doc_id, &id);
    doc.add_text(fields.bulletin_id, &id);
    if let Some(b) = e.bulletin_id {
        if let Some(kb) = consensus.main_kb.get(&b).or(e.main_kb.as_ref()) {
            doc.add_text(fields.kb_main, kb.to_string());
        }
        doc.add_text(fields.mentions, b.to_string());
        add_products(&mut doc, fields, consensus, b);
    }
    if let Some(kb) = e.main_kb {
        doc.add_text(fields.kb_claimed, kb.to_string());
    }
    for kb in &e.title_kbs {
        doc.add_text(fields.kb, kb.to_string());
    }
    let acks: Vec<&AckLine> = d
        .acks
        .iter()
        .filter(|a| e.bulletin_id.is_some_and(|b| a.bulletin_ids.contains(&b)))
        .collect();
    let mut cves: BTreeSet<String> = e.cves.iter().map(ToString::to_string).collect();
    cves.extend(
        acks.iter()
            .flat_map(|a| a.cves.iter().map(ToString::to_string)),
    );
    for c in &cves {
        doc.add_text(fields.cve_fix, c);
        doc.add_text(fields.cve, c);
    }
    let bulletin = e.bulletin_id;
    if let Some(s) = e
        .severity
        .or_else(|| bulletin.and_then(|b| consensus.severity.get(&b).copied()))
    {
        doc.add_text(fields.severity, s.code());
    }
    let impacts = match bulletin {
        Some(b) if e.impacts.is_empty() => consensus.impacts.get(&b).cloned().unwrap_or_default(),
        _ => e.impacts.clone(),
    };
    for i in &impacts {
        doc.add_text(fields.impact, i.code());
    }
    // The bulletin's release, else the summary's.
    let released = e
        .bulletin_id
        .and_then(|b| consensus.released.get(&b.to_string()))
        .or_else(|| crate::reconcile::release_key(d).and_then(|k| consensus.released.get(&k)))
        .copied();
    if let Some(y) = released
        .or(d.published)
        .map(|p| p.year)
        .or(e.bulletin_id.map(|b| b.year()))
    {
        doc.add_u64(fields.year, y as u64);
    }
    add_date(&mut doc, fields, d, released);
    for a in &e.affected {
        doc.add_text(fields.affected, a);
    }
    for a in &acks {
        doc.add_text(fields.acks, &a.text);
    }
    doc.add_text(fields.summary, &e.summary);
    let mut body = vec![e.title.clone(), e.summary.clone(), e.affected.join(", ")];
    body.extend(acks.iter().map(|a| a.text.clone()));
    add_text(&mut doc, fields, d, &e.title, &body.join("\n"));
    (rec, doc)
}

pub(crate) fn report(
    docs: &[Document],
    consensus: &Consensus,
    skipped: Vec<Skipped>,
    files_seen: usize,
    records: usize,
    bytes: u64,
) -> Report {
    let mut r = Report {
        files_seen,
        documents_indexed: docs.len(),
        records,
        skipped,
        bytes,
        ..Default::default()
    };
    let mut bulletins = BTreeSet::new();
    let mut kbs = BTreeSet::new();
    let mut cves = BTreeSet::new();
    for d in docs {
        *r.per_locale
            .entry(d.locale.clone().unwrap_or_else(|| "unknown".into()))
            .or_default() += 1;
        *r.per_kind.entry(d.kind.code().to_string()).or_default() += 1;
        *r.per_lang
            .entry(d.lang.map_or("und", |l| l.code()).to_string())
            .or_default() += 1;
        bulletins.extend(d.bulletin_id);
        bulletins.extend(d.entries.iter().filter_map(|e| e.bulletin_id));
        kbs.extend(d.kbs.iter().copied());
        cves.extend(d.cves.iter().copied());
        r.acknowledgment_lines += d.acks.len();
        r.warnings.extend(d.warnings.iter().map(|w| Skipped {
            path: d.path.clone(),
            reason: w.clone(),
        }));
        if let (Some(declared), Some(detected)) = (d.declared_lang, d.lang)
            && declared != detected
        {
            r.mislabelled.push(Mislabelled {
                path: d.path.clone(),
                declared: declared.code().into(),
                detected: detected.code().into(),
            });
        }
    }
    r.date_shifts = consensus.date_shifts.clone();
    r.bulletins = bulletins.len();
    r.kb_numbers = kbs.len();
    r.cve_ids = cves.len();
    r.conflicts = consensus
        .conflicts
        .iter()
        .map(|c| ConflictReport {
            bulletin_id: c.bulletin_id,
            chosen: c.chosen,
            claims: c
                .claims
                .iter()
                .map(|(kb, paths)| (kb.to_string(), paths.clone()))
                .collect::<BTreeMap<_, _>>(),
        })
        .collect();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_merged_in_runs_of_at_most_the_limit() {
        let segments = [("a", 9), ("b", 7), ("c", 5), ("d", 4), ("e", 2), ("f", 12)];
        assert_eq!(
            merge_runs(segments.into_iter(), 10),
            vec![vec!["a"], vec!["b", "e"], vec!["c", "d"], vec!["f"]]
        );
        assert_eq!(
            merge_runs(segments.into_iter(), 100),
            vec![vec!["a", "b", "c", "d", "e", "f"]]
        );
        assert!(merge_runs(std::iter::empty::<(u8, usize)>(), 10).is_empty());
    }
}
