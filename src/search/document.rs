//! The page of a document that is no bulletin: a monthly summary (every
//! language version, and the bulletins it lists), an advisory, a yearly
//! acknowledgments page or any other page, by its translation group.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tantivy::query::{BooleanQuery, Occur, RegexQuery};
use tantivy::{Searcher, TantivyDocument};

use super::lookup::{Version, records};
use super::{stored, stored_str, term};
use crate::Engine;
use crate::index::Result;
use crate::lang::TextLang;
use crate::model::{BulletinId, DocKind, KbNumber, Origin, Severity};

/// Every language version of one summary, advisory or other page.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct DocumentView {
    /// The translation group: a summary's id (`MS07-APR`), an advisory's
    /// number (`935423`), or the path of a page with no id.
    pub group: String,
    /// `summary`, `advisory`, `acknowledgments` or `other`.
    #[schema(value_type = String, example = "summary")]
    pub kind: DocKind,
    /// Release date shared by every version (see `released` on hits).
    pub released: Option<String>,
    /// Languages it exists in.
    #[schema(value_type = Vec<String>)]
    pub languages: Vec<TextLang>,
    /// Every version, by language.
    pub versions: Vec<PageVersion>,
    /// For a summary: the bulletins it lists, by id, each with its title
    /// in every language that lists it.
    pub bulletins: Vec<ListedBulletin>,
}

/// One language version of a page, and the opening of its text.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct PageVersion {
    /// The version, as a bulletin's dossier lists its versions.
    #[serde(flatten)]
    pub version: Version,
    /// The opening of its text, as indexed (at most [`OPENING_CHARS`]).
    pub text: String,
}

/// How much of a page's text a document view carries.
pub const OPENING_CHARS: usize = 3_000;

/// A bulletin as a summary lists it.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct ListedBulletin {
    /// The bulletin.
    #[schema(value_type = String, example = "MS07-017")]
    pub bulletin_id: BulletinId,
    /// Its main update (the cross-locale majority).
    #[schema(value_type = Option<String>, example = "925902")]
    pub kb: Option<KbNumber>,
    /// Its severity as the summary rates it (the majority of the versions).
    #[schema(value_type = Option<String>, example = "critical")]
    pub severity: Option<Severity>,
    /// Its title in each language that lists it.
    #[schema(value_type = BTreeMap<String, String>)]
    pub titles: BTreeMap<TextLang, String>,
}

/// The page of translation group `group`, or `None` when no file of the
/// index is in it, or the group is a bulletin (its dossier is the page).
pub fn document(engine: &Engine, group: &str) -> Result<Option<DocumentView>> {
    let f = &engine.fields;
    let searcher = engine.reader.searcher();
    let query = BooleanQuery::new(vec![
        (Occur::Must, term(f.group, group)),
        (Occur::Must, term(f.origin, Origin::File.code())),
        (Occur::MustNot, term(f.kind, DocKind::Bulletin.code())),
    ]);
    let mut versions = Vec::new();
    let mut kind = None;
    let mut released = None;
    for addr in records(engine, &query, 100)? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        kind = kind.or_else(|| stored::<DocKind>(&doc, f.kind));
        released = released.or_else(|| stored_str(&doc, f.released));
        let text = stored_str(&doc, f.excerpt).unwrap_or_default();
        versions.push(PageVersion {
            version: Version::of(engine, &doc),
            text: text.chars().take(OPENING_CHARS).collect(),
        });
    }
    let Some(kind) = kind else {
        return Ok(None);
    };
    versions.sort_by(|a, b| {
        (a.version.lang, &a.version.doc_id).cmp(&(b.version.lang, &b.version.doc_id))
    });
    let bulletins = if kind == DocKind::Summary {
        listed(engine, &searcher, &versions)?
    } else {
        Vec::new()
    };
    let languages: BTreeSet<TextLang> = versions.iter().map(|v| v.version.lang).collect();
    Ok(Some(DocumentView {
        group: group.to_string(),
        kind,
        released,
        languages: languages.into_iter().collect(),
        versions,
        bulletins,
    }))
}

/// The bulletins the summary `versions` list: their entry records, whose
/// keys are the summary's path, `#` and the bulletin id.
fn listed(
    engine: &Engine,
    searcher: &Searcher,
    versions: &[PageVersion],
) -> Result<Vec<ListedBulletin>> {
    let f = &engine.fields;
    let mut titles: BTreeMap<BulletinId, BTreeMap<TextLang, String>> = BTreeMap::new();
    let mut severities: BTreeMap<BulletinId, BTreeMap<Severity, usize>> = BTreeMap::new();
    let mut kb: BTreeMap<BulletinId, KbNumber> = BTreeMap::new();
    for PageVersion { version: v, .. } in versions {
        let pattern = format!("{}#.*", regex::escape(&v.path));
        let query = RegexQuery::from_pattern(&pattern, f.rec)?;
        for addr in records(engine, &query, 1_000)? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let Some(id) = stored::<BulletinId>(&doc, f.bulletin_id) else {
                continue;
            };
            let title = stored_str(&doc, f.title).unwrap_or_default();
            titles.entry(id).or_default().entry(v.lang).or_insert(title);
            if let Some(s) = stored::<Severity>(&doc, f.severity) {
                *severities.entry(id).or_default().entry(s).or_default() += 1;
            }
            if let Some(k) = stored::<KbNumber>(&doc, f.kb_main) {
                kb.entry(id).or_insert(k);
            }
        }
    }
    Ok(titles
        .into_iter()
        .map(|(id, titles)| ListedBulletin {
            bulletin_id: id,
            kb: kb.get(&id).copied(),
            severity: severities.get(&id).and_then(|m| {
                m.iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(s, _)| *s)
            }),
            titles,
        })
        .collect())
}
