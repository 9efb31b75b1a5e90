//! Lookups by id: a bulletin's dossier (every language version), the
//! records of a KB number, the languages a bulletin exists in, index stats.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
use tantivy::schema::Field;
use tantivy::{DocAddress, TantivyDocument};

use super::{Facets, Hit, facets, hits, stored, stored_str, term};
use crate::Engine;
use crate::index::report::ConflictReport;
use crate::index::{Result, SCHEMA_VERSION, name};
use crate::lang::TextLang;
use crate::model::{BulletinId, Impact, KbNumber, Lang, Origin, Severity};

/// One language version of a bulletin: its own file, or its entry in a summary.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Version {
    /// Record key.
    pub doc_id: String,
    /// Language the text is written in (`und` where none was found).
    #[schema(value_type = String, example = "da")]
    pub lang: TextLang,
    /// Declared locale.
    pub locale: Option<String>,
    /// `file` or `summary-entry`.
    #[schema(value_type = String, example = "file")]
    pub origin: Origin,
    /// Title as this version writes it.
    pub title: String,
    /// Summary as this version writes it.
    pub summary: String,
    /// The file.
    pub path: String,
    /// The main KB this version states.
    #[schema(value_type = Option<String>, example = "925902")]
    pub kb_claimed: Option<KbNumber>,
    /// Published, as this version states it (an eastern locale's page
    /// states its local date, a day after the release).
    pub published: Option<String>,
    /// Updated.
    pub updated: Option<String>,
    /// Severity this version states.
    #[schema(value_type = Option<String>, example = "critical")]
    pub severity: Option<Severity>,
    /// Acknowledgment lines of this version.
    pub acknowledgments: Vec<String>,
}

/// Everything known about one bulletin.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Dossier {
    /// The bulletin.
    #[schema(value_type = String, example = "MS07-017")]
    pub bulletin_id: BulletinId,
    /// Main KB (majority of the versions).
    #[schema(value_type = Option<String>, example = "925902")]
    pub kb: Option<KbNumber>,
    /// CVE ids it fixes.
    pub cves: Vec<String>,
    /// Maximum severity (majority of the versions).
    #[schema(value_type = Option<String>, example = "critical")]
    pub severity: Option<Severity>,
    /// Impact categories.
    #[schema(value_type = Vec<String>)]
    pub impacts: Vec<Impact>,
    /// Release date: the versions' majority once each locale's learned
    /// shift is taken out (see [`crate::reconcile::release_dates`]); each
    /// version keeps the date it states.
    pub released: Option<String>,
    /// Earliest date a version states.
    pub published: Option<String>,
    /// Affected software.
    pub affected: Vec<String>,
    /// Languages it exists in.
    #[schema(value_type = Vec<String>)]
    pub languages: Vec<TextLang>,
    /// Every version, own files first.
    pub versions: Vec<Version>,
    /// Disagreements between versions about the main KB.
    pub conflicts: Vec<ConflictReport>,
    /// Who is credited, merged over every version.
    pub credits: Vec<crate::researchers::MergedCredit>,
    /// The affected-software rows, reconciled over the versions: product,
    /// KB, impact, severity, what each replaces.
    pub products: Vec<crate::products::Product>,
    /// The software it names as not affected.
    pub not_affected: Vec<String>,
    /// The bulletins it replaces.
    pub supersedes: Vec<crate::products::Supersession>,
    /// The bulletins that replace it.
    pub superseded_by: Vec<crate::products::Supersession>,
}

impl Version {
    /// The version a stored record is.
    pub(super) fn of(engine: &Engine, doc: &TantivyDocument) -> Version {
        let f = &engine.fields;
        Version {
            doc_id: stored_str(doc, f.rec).unwrap_or_default(),
            lang: stored(doc, f.lang).unwrap_or(TextLang(None)),
            locale: stored_str(doc, f.locale),
            origin: stored(doc, f.origin).unwrap_or(Origin::File),
            title: stored_str(doc, f.title).unwrap_or_default(),
            summary: stored_str(doc, f.summary).unwrap_or_default(),
            path: stored_str(doc, f.path).unwrap_or_default(),
            kb_claimed: stored(doc, f.kb_claimed),
            published: stored_str(doc, f.published),
            updated: stored_str(doc, f.updated),
            severity: stored(doc, f.severity),
            acknowledgments: all_str(doc, f.acks),
        }
    }
}

/// The records of one KB number.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct KbLookup {
    /// The KB number.
    #[schema(value_type = String, example = "925902")]
    pub kb: KbNumber,
    /// Records of the bulletin(s) whose main update it is.
    pub bulletins: Vec<Hit>,
    /// Other records that mention it.
    pub mentions: Vec<Hit>,
}

/// Counts over the whole index.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Stats {
    /// Schema version of the index.
    pub schema_version: u32,
    /// Files indexed.
    pub documents: usize,
    /// Records (files plus summary entries).
    pub records: u64,
    /// Distinct bulletins.
    pub bulletins: usize,
    /// Counts per language, kind, severity, year.
    pub counts: Facets,
    /// Every language the product reads, by code, with its own name (the
    /// page's language menu and facet labels).
    pub languages: std::collections::BTreeMap<String, String>,
}

pub(super) fn records(engine: &Engine, query: &dyn Query, limit: usize) -> Result<Vec<DocAddress>> {
    let searcher = engine.reader.searcher();
    Ok(super::run::top_by_score(&searcher, query, limit)?
        .into_iter()
        .map(|(_, a)| a)
        .collect())
}

fn all_str(doc: &TantivyDocument, field: Field) -> Vec<String> {
    use tantivy::schema::Value;
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The dossier of a bulletin, or `None` when the index has no version of it.
pub fn bulletin(engine: &Engine, id: BulletinId) -> Result<Option<Dossier>> {
    let f = &engine.fields;
    let key = id.to_string();
    let query = BooleanQuery::new(vec![
        (Occur::Must, term(f.bulletin_id, &key)),
        (Occur::Must, term(f.kind, "bulletin")),
    ]);
    let searcher = engine.reader.searcher();
    let mut versions = Vec::new();
    let mut cves = BTreeSet::new();
    let mut impacts: BTreeSet<Impact> = BTreeSet::new();
    let mut severities: HashMap<String, usize> = HashMap::new();
    let mut kbs: HashMap<String, usize> = HashMap::new();
    let mut released: Option<String> = None;
    let mut affected: Vec<(bool, TextLang, Vec<String>)> = Vec::new();
    for addr in records(engine, &query, 200)? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let origin = stored(&doc, f.origin).unwrap_or(Origin::File);
        cves.extend(all_str(&doc, f.cve_fix));
        impacts.extend(
            all_str(&doc, f.impact)
                .iter()
                .filter_map(|i| i.parse::<Impact>().ok()),
        );
        if let Some(s) = stored_str(&doc, f.severity) {
            *severities.entry(s).or_default() += 1;
        }
        if let Some(k) = stored_str(&doc, f.kb_main) {
            *kbs.entry(k).or_default() += 1;
        }
        // One release date for every record of the bulletin.
        released = released.or_else(|| stored_str(&doc, f.released));
        let lang = stored(&doc, f.lang).unwrap_or(TextLang(None));
        affected.push((origin != Origin::File, lang, all_str(&doc, f.affected)));
        versions.push(Version::of(engine, &doc));
    }
    if versions.is_empty() {
        return Ok(None);
    }
    versions.sort_by(|a, b| {
        (a.origin != Origin::File, a.lang, &a.doc_id).cmp(&(
            b.origin != Origin::File,
            b.lang,
            &b.doc_id,
        ))
    });
    let majority = |m: HashMap<String, usize>| {
        m.into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(k, _)| k)
    };
    // Counted and tie-broken as stored strings, read as their types after.
    let severity = majority(severities).and_then(|s| s.parse::<Severity>().ok());
    let languages: BTreeSet<TextLang> = versions.iter().map(|v| v.lang).collect();
    let product_entry = engine.products.get(id);
    Ok(Some(Dossier {
        bulletin_id: id,
        kb: majority(kbs).and_then(|k| k.parse().ok()),
        cves: cves.into_iter().collect(),
        severity,
        impacts: impacts.into_iter().collect(),
        released,
        published: versions.iter().filter_map(|v| v.published.clone()).min(),
        // The software list of the first version that has one, own files first.
        affected: {
            affected.sort();
            affected
                .into_iter()
                .map(|(_, _, a)| a)
                .find(|a| !a.is_empty())
                .unwrap_or_default()
        },
        languages: languages.into_iter().collect(),
        conflicts: engine
            .report
            .conflicts
            .iter()
            .filter(|c| c.bulletin_id == id)
            .cloned()
            .collect(),
        credits: engine
            .credits
            .credits
            .iter()
            .filter(|c| c.bulletin_id == Some(id))
            .cloned()
            .collect(),
        products: product_entry.map(|e| e.rows.clone()).unwrap_or_default(),
        not_affected: product_entry
            .map(|e| e.not_affected.clone())
            .unwrap_or_default(),
        supersedes: product_entry
            .map(|e| e.supersedes.clone())
            .unwrap_or_default(),
        superseded_by: product_entry
            .map(|e| e.superseded_by.clone())
            .unwrap_or_default(),
        versions,
    }))
}

/// The title of each of `ids` as `lang` writes it, where the index has
/// the bulletin in that language (its own file before a summary's entry).
pub fn titles_in(
    engine: &Engine,
    ids: &[BulletinId],
    lang: Lang,
) -> Result<HashMap<BulletinId, String>> {
    let f = &engine.fields;
    let searcher = engine.reader.searcher();
    let mut out = HashMap::new();
    for id in ids.iter().copied().collect::<BTreeSet<_>>() {
        let query = BooleanQuery::new(vec![
            (Occur::Must, term(f.bulletin_id, &id.to_string())),
            (Occur::Must, term(f.kind, "bulletin")),
            (Occur::Must, term(f.lang, lang.code())),
        ]);
        let mut best: Option<(bool, String)> = None;
        for addr in records(engine, &query, 20)? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let own = stored(&doc, f.origin) == Some(Origin::File);
            let title = stored_str(&doc, f.title).unwrap_or_default();
            if !title.is_empty() && best.as_ref().is_none_or(|(o, _)| own && !o) {
                best = Some((own, title));
            }
        }
        if let Some((_, t)) = best {
            out.insert(id, t);
        }
    }
    Ok(out)
}

/// The bulletins whose main update `kb` is, then the records that mention it.
pub fn kb(engine: &Engine, kb: KbNumber, limit: usize) -> Result<KbLookup> {
    let f = &engine.fields;
    let key = kb.to_string();
    let searcher = engine.reader.searcher();
    let highlight = term(f.body, &key);
    let main = term(f.kb_main, &key);
    let main_hits: Vec<(f32, DocAddress)> = records(engine, &*main, 100)?
        .into_iter()
        .map(|a| (0.0, a))
        .collect();
    let mention_query = BooleanQuery::new(vec![
        (Occur::Should, term(f.kb, &key)),
        (Occur::Should, term(f.advisory, &key)),
        (Occur::MustNot, term(f.kb_main, &key)),
    ]);
    let mention_hits = super::run::top_by_score(&searcher, &mention_query, limit)?;
    let mut bulletins = hits(engine, &searcher, &main_hits, &*highlight)?;
    bulletins.sort_by_key(|h| (h.origin != Origin::File, h.lang));
    Ok(KbLookup {
        kb,
        bulletins,
        mentions: hits(engine, &searcher, &mention_hits, &*highlight)?,
    })
}

/// Every language a translation group (a bulletin, summary or advisory id)
/// exists in, computed once over the whole index.
pub fn languages_of<'a>(engine: &'a Engine, group: &str) -> &'a [TextLang] {
    let map = engine.group_langs.get_or_init(|| {
        let mut map: HashMap<String, BTreeSet<TextLang>> = HashMap::new();
        let searcher = engine.reader.searcher();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let (Ok(Some(groups)), Ok(Some(langs))) = (ff.str(name::GROUP), ff.str(name::LANG))
            else {
                continue;
            };
            // Ords first, strings once per distinct ord, in one pass over
            // each dictionary (looking each up costs 300 ms on the corpus).
            let mut pairs: BTreeSet<(u64, u64)> = BTreeSet::new();
            for doc in segment.doc_ids_alive() {
                if let (Some(g), Some(l)) =
                    (groups.term_ords(doc).next(), langs.term_ords(doc).next())
                {
                    pairs.insert((g, l));
                }
            }
            let group_names = super::group::dictionary_strings(&groups);
            let lang_names = super::group::dictionary_langs(&langs);
            for (g, l) in pairs {
                if let (Some(g), Some(l)) =
                    (group_names.get(g as usize), lang_names.get(l as usize))
                {
                    map.entry(g.clone()).or_default().insert(*l);
                }
            }
        }
        map.into_iter()
            .map(|(k, v)| (k, v.into_iter().collect()))
            .collect()
    });
    map.get(group).map(Vec::as_slice).unwrap_or(&[])
}

/// Counts over the whole index.
pub fn stats(engine: &Engine) -> Result<Stats> {
    let searcher = engine.reader.searcher();
    Ok(Stats {
        schema_version: SCHEMA_VERSION,
        documents: engine.report.documents_indexed,
        records: searcher.num_docs(),
        bulletins: engine.report.bulletins,
        counts: facets::count(&searcher, &AllQuery)?,
        languages: crate::lang::LANGS
            .iter()
            .map(|r| (r.lang.code().to_string(), r.name.to_string()))
            .collect(),
    })
}
