//! The schema: every field, its options, and its name as a constant.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analyze::{self, stemmed_languages};
use crate::model::Lang;

/// The names of the schema's fields, for the code that reads them by name
/// (fast-field columns, facets, sorting).
pub mod name {
    /// The `rec` field.
    pub const REC: &str = "rec";
    /// The `path` field.
    pub const PATH: &str = "path";
    /// The `kind` field.
    pub const KIND: &str = "kind";
    /// The `origin` field.
    pub const ORIGIN: &str = "origin";
    /// The `doc_id` field.
    pub const DOC_ID: &str = "doc_id";
    /// The `bulletin_id` field.
    pub const BULLETIN_ID: &str = "bulletin_id";
    /// The `mentions` field.
    pub const MENTIONS: &str = "mentions";
    /// The `advisory` field.
    pub const ADVISORY: &str = "advisory";
    /// The `kb_main` field.
    pub const KB_MAIN: &str = "kb_main";
    /// The `kb_claimed` field.
    pub const KB_CLAIMED: &str = "kb_claimed";
    /// The `kb` field.
    pub const KB: &str = "kb";
    /// The `cve_fix` field.
    pub const CVE_FIX: &str = "cve_fix";
    /// The `cve` field.
    pub const CVE: &str = "cve";
    /// The `locale` field.
    pub const LOCALE: &str = "locale";
    /// The `lang` field.
    pub const LANG: &str = "lang";
    /// The `declared_lang` field.
    pub const DECLARED_LANG: &str = "declared_lang";
    /// The `severity` field.
    pub const SEVERITY: &str = "severity";
    /// The `impact` field.
    pub const IMPACT: &str = "impact";
    /// The `year` field.
    pub const YEAR: &str = "year";
    /// The `date` field.
    pub const DATE: &str = "date";
    /// The `published` field.
    pub const PUBLISHED: &str = "published";
    /// The `released` field.
    pub const RELEASED: &str = "released";
    /// The `updated` field.
    pub const UPDATED: &str = "updated";
    /// The `summary` field.
    pub const SUMMARY: &str = "summary";
    /// The `product` field: the bulletin's product names, searchable.
    pub const PRODUCT: &str = "product";
    /// The `family` field: the bulletin's product families, a facet.
    pub const FAMILY: &str = "family";
    /// The `affected` field.
    pub const AFFECTED: &str = "affected";
    /// The `acks` field.
    pub const ACKS: &str = "acks";
    /// The `title` field.
    pub const TITLE: &str = "title";
    /// The `body` field.
    pub const BODY: &str = "body";
    /// The `excerpt` field.
    pub const EXCERPT: &str = "excerpt";
    /// The `names` field: a bulletin's vulnerability names.
    pub const NAMES: &str = "names";
    /// The translation-group field (see [`crate::search::group`]).
    pub const GROUP: &str = "group";
    /// The `tie` field.
    pub const TIE: &str = "tie";
}

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
    /// The bulletin's product and component names (generic analyser).
    pub product: Field,
    /// The bulletin's product families (`Windows XP`), a facet.
    pub family: Field,
    /// Acknowledgment lines, one value each (stored).
    pub acks: Field,
    /// Title, generic analyser, stored.
    pub title: Field,
    /// Body, generic analyser (not stored: see `excerpt`).
    pub body: Field,
    /// The first [`EXCERPT_BYTES`] of the body, stored for snippets: whole
    /// bodies (up to 200 kB) would make every hit cost a large read.
    pub excerpt: Field,
    /// The vulnerability names a bulletin's page states, one value each
    /// (`GDI Local Elevation of Privilege Vulnerability`), generic
    /// analyser: short and specific, matched like a title.
    pub names: Field,
    /// A hash of the record key (fast, see [`tie_of`]): records that rank
    /// the same go by it, so every build of the same records answers in
    /// the same order.
    pub tie: Field,
    /// Per stemmed language: (lang, title field, body field).
    pub by_lang: Vec<(Lang, Field, Field)>,
    /// Per stemmed language: (lang, vulnerability names field).
    pub names_by_lang: Vec<(Lang, Field)>,
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

    /// The vulnerability names field of `lang`: its stemmed one, else the
    /// generic one.
    pub fn names_of(&self, lang: Option<Lang>) -> Field {
        self.names_by_lang
            .iter()
            .find(|(l, _)| Some(*l) == lang)
            .map_or(self.names, |&(_, n)| n)
    }
}

/// The `tie` value of the record `rec`: SipHash-1-3 of its key. tantivy
/// alone orders equal scores (and equal dates) by where a record landed in
/// the index, which depends on which of its indexing threads took it first.
pub fn tie_of(rec: &str) -> u64 {
    let mut h = siphasher::sip::SipHasher13::new();
    std::hash::Hasher::write(&mut h, rec.as_bytes());
    std::hash::Hasher::finish(&h)
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
        rec: b.add_text_field(name::REC, keyword.clone()),
        path: b.add_text_field(name::PATH, STORED),
        kind: b.add_text_field(name::KIND, facet.clone()),
        origin: b.add_text_field(name::ORIGIN, keyword.clone()),
        group: b.add_text_field(name::GROUP, facet.clone()),
        doc_id: b.add_text_field(name::DOC_ID, keyword.clone()),
        bulletin_id: b.add_text_field(name::BULLETIN_ID, facet.clone()),
        mentions: b.add_text_field(name::MENTIONS, STRING),
        advisory: b.add_text_field(name::ADVISORY, keyword.clone()),
        kb_main: b.add_text_field(name::KB_MAIN, keyword.clone()),
        kb_claimed: b.add_text_field(name::KB_CLAIMED, keyword.clone()),
        kb: b.add_text_field(name::KB, STRING),
        cve_fix: b.add_text_field(name::CVE_FIX, keyword.clone()),
        cve: b.add_text_field(name::CVE, STRING),
        locale: b.add_text_field(name::LOCALE, keyword.clone()),
        lang: b.add_text_field(name::LANG, facet.clone()),
        declared_lang: b.add_text_field(name::DECLARED_LANG, keyword),
        severity: b.add_text_field(name::SEVERITY, facet.clone()),
        impact: b.add_text_field(name::IMPACT, facet),
        year: b.add_u64_field(name::YEAR, INDEXED | STORED | FAST),
        date: b.add_u64_field(name::DATE, FAST),
        published: b.add_text_field(name::PUBLISHED, STORED),
        released: b.add_text_field(name::RELEASED, STORED),
        updated: b.add_text_field(name::UPDATED, STORED),
        summary: b.add_text_field(name::SUMMARY, STORED),
        affected: b.add_text_field(name::AFFECTED, STORED),
        product: b.add_text_field(name::PRODUCT, text_options(analyze::GENERIC, false)),
        family: b.add_text_field(name::FAMILY, STRING | FAST),
        acks: b.add_text_field(name::ACKS, STORED),
        title: b.add_text_field(name::TITLE, text_options(analyze::GENERIC, true)),
        body: b.add_text_field(name::BODY, text_options(analyze::GENERIC, false)),
        excerpt: b.add_text_field(name::EXCERPT, STORED),
        names: b.add_text_field(name::NAMES, text_options(analyze::GENERIC, false)),
        tie: b.add_u64_field(name::TIE, FAST),
        by_lang: Vec::new(),
        names_by_lang: Vec::new(),
    };
    let mut names_by_lang = Vec::new();
    for (lang, _) in stemmed_languages() {
        let name = analyze::analyzer_name(lang).expect("stemmed language");
        let t = b.add_text_field(
            &format!("title_{}", lang.code()),
            text_options(&name, false),
        );
        let d = b.add_text_field(&format!("body_{}", lang.code()), text_options(&name, false));
        by_lang.push((lang, t, d));
        let n = b.add_text_field(
            &format!("{}_{}", name::NAMES, lang.code()),
            text_options(&name, false),
        );
        names_by_lang.push((lang, n));
    }
    fields.by_lang = by_lang;
    fields.names_by_lang = names_by_lang;
    (b.build(), fields)
}
