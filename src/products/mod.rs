//! In: every extracted `Document` (its [`ProductInfo`]) and the main KBs.
//! Out: `ProductStore`, each bulletin's affected products reconciled over
//! its locales, and the supersedence graph (what replaces what, per
//! product where stated), saved beside the index.
//!
//! Product names are rarely translated, so the locales of one bulletin are
//! aligned row by row by a name's signature (its first Latin word and its
//! numbers: `Windows Server 2003 met SP1 voor Itanium-systemen` and
//! `Windows Server 2003 with SP1 for Itanium-based Systems` are one row),
//! and every value is the majority of the aligned rows: the KB (the main KB
//! where a row states none), the impact and severity, what it replaces.
//!
//! A locale whose impact or severity words no table knows learns them from
//! the rows it shares with the others: the word in the column where the
//! other locales read the severity, over at least three rows, 80% of them
//! one severity, means that severity in that locale. The FAQ tables of
//! replaced bulletins (2005–07) say per product column whether its update
//! replaces a bulletin; the word for "replaced" is the one that stands in
//! nearly every row (each row names a bulletin some product's update
//! replaces), learned per locale, in no table.
//!
//! One job per file:
//! - `align`: rows aligned across locales and the consensus rows;
//! - `words`: the severity, impact and "replaced" words learned per locale;
//! - `consensus`: [`reconcile`], every bulletin's rows, words, graph and
//!   agreement figures;
//! - `graph`: supersedence edges, chains, cycles and dangling references.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Result, load_json, save_json};
use crate::extract::products::Replaced;
use crate::model::{BulletinId, Impact, KbNumber, Severity};

mod align;
mod consensus;
mod graph;
mod words;

pub use consensus::reconcile;
pub use graph::{Chain, ChainLink};

/// The file beside the index that holds the products.
pub const PRODUCTS_FILE: &str = "products.json";

/// One affected-software row of a bulletin, reconciled over its locales.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Product {
    /// The product, in the form most locales write it.
    pub product: String,
    /// The component the update is for, where the table names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// The service pack its name states (`Windows XP Service Pack 2`,
    /// `… with SP1 for Itanium-based Systems`): the last one named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_pack: Option<u8>,
    /// The platform its name states: `x64`, `itanium`, `x86` (32-bit) or `arm` (RT).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// The group row above it, as most locales write it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The group row above it as each locale writes it, unless every
    /// locale of the row writes the same (`de-de`: `… Service Pack 1 oder
    /// Service Pack 2`, `ja-jp`: `… または Service Pack 2`): the dossier
    /// shows the open version's, else says whose words it shows.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, String>,
    /// The update's KBs (the row's, else the bulletin's main KB).
    #[schema(value_type = Vec<String>)]
    pub kbs: Vec<KbNumber>,
    /// Whether a locale states the KB on the row itself.
    pub kb_stated: bool,
    /// Maximum security impact, where read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub impact: Option<Impact>,
    /// Aggregate severity, where read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub severity: Option<Severity>,
    /// The bulletins this row's update replaces, where the table says.
    #[serde(default)]
    pub replaces: Vec<Replaced>,
    /// The locales whose pages state the row.
    pub locales: Vec<String>,
    /// Where the locales disagree: `kb 954463 ×5, 954464 ×1`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
}

/// One supersedence edge seen from one end: the other bulletin, its KB
/// for the products concerned, and those products (empty: the bulletin
/// says so as a whole).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Supersession {
    /// The other bulletin.
    #[schema(value_type = String)]
    pub bulletin: BulletinId,
    /// The KB of the other bulletin's update, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub kb: Option<KbNumber>,
    /// The products the replacement is stated for.
    #[serde(default)]
    pub products: Vec<String>,
}

/// Everything one bulletin states about its products.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Entry {
    /// The bulletin.
    #[schema(value_type = String)]
    pub bulletin: BulletinId,
    /// Its affected rows, in page order.
    pub rows: Vec<Product>,
    /// The software it names as not affected.
    #[serde(default)]
    pub not_affected: Vec<String>,
    /// The bulletins it replaces.
    #[serde(default)]
    pub supersedes: Vec<Supersession>,
    /// The bulletins that replace it.
    #[serde(default)]
    pub superseded_by: Vec<Supersession>,
    /// The locales whose pages were read.
    pub locales: Vec<String>,
}

/// One word a locale was found to use for an impact or a severity in its
/// product tables, learned from the other locales' reading of the same rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LearnedCell {
    /// The locale.
    pub locale: String,
    /// `severity`, `impact` or `replaced` (a replaced-bulletins table's word).
    pub role: String,
    /// The word, lower case.
    pub word: String,
    /// What it means (`critical`, `remote-code-execution`, `replaced`).
    pub value: String,
    /// Rows agreeing, and rows voting.
    pub votes: (usize, usize),
}

/// How far the locales agree on the products, in the index report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProductCheck {
    /// Bulletins with product rows.
    pub bulletins: usize,
    /// Reconciled rows.
    pub rows: usize,
    /// Bulletins read in two locales or more.
    pub compared: usize,
    /// Locale rows whose (product, KB) is the consensus row's, of those compared.
    pub row_votes: (usize, usize),
    /// Replaced bulletins a locale states that the consensus has, of the
    /// union of both (summed over locales).
    pub edge_votes: (usize, usize),
    /// Of the replaced bulletins in `edge_votes` that disagree, those the
    /// consensus has and a page never names anywhere (a translation of
    /// another revision of the bulletin): the text, not its reading, differs.
    #[serde(default)]
    pub edges_unnamed: usize,
    /// Locale rows stating the consensus severity, of the rows with one.
    pub severity_votes: (usize, usize),
    /// The same votes per locale: (rows, replaced bulletins, severity).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub per_locale: BTreeMap<String, [(usize, usize); 3]>,
    /// `edges_unnamed` per locale.
    #[serde(default)]
    pub per_locale_unnamed: BTreeMap<String, usize>,
    /// Supersedence edges in the graph.
    pub edges: usize,
    /// Words learned from the other locales.
    pub learned: Vec<LearnedCell>,
    /// Row conflicts (bulletin, row and claims), the first 50.
    pub conflicts: Vec<String>,
    /// Conflicting rows in all.
    pub conflict_count: usize,
    /// Replaced bulletins no page of the corpus describes: (replacing, replaced).
    #[schema(value_type = Vec<Vec<String>>)]
    pub dangling: Vec<(BulletinId, BulletinId)>,
    /// Edges that replace a later bulletin (a cycle's only way in).
    #[schema(value_type = Vec<Vec<String>>)]
    pub forward: Vec<(BulletinId, BulletinId)>,
    /// Cycles in the graph, each as its bulletins.
    #[schema(value_type = Vec<Vec<String>>)]
    pub cycles: Vec<Vec<BulletinId>>,
    /// Every locale row or replaced list that disagrees with the
    /// consensus, one line each (for `benches/products.rs`; not stored).
    #[serde(skip)]
    #[schema(ignore)]
    pub misses: Vec<String>,
}

fn rate((agree, all): (usize, usize)) -> f64 {
    agree as f64 / all.max(1) as f64
}

impl ProductCheck {
    /// The share of agreeing replaced edges among those the page names
    /// (`edges_unnamed` left out of the compared).
    pub fn named_edge_rate(&self) -> f64 {
        rate((self.edge_votes.0, self.edge_votes.1 - self.edges_unnamed))
    }

    /// The shares of agreeing rows, replaced edges and severities.
    pub fn rates(&self) -> (f64, f64, f64) {
        (
            rate(self.row_votes),
            rate(self.edge_votes),
            rate(self.severity_votes),
        )
    }

    /// One line for the index report.
    pub fn render(&self) -> String {
        let (rows, edges, sev) = self.rates();
        let mut out = format!(
            "products: {} rows of {} bulletins ({} read in 2+ locales); cross-locale agreement: rows (product, KB) {:.2}% of {}, replaced bulletins {:.2}% of {} ({:.2}% leaving out the {} the page never names), row severity {:.2}% of {}\n",
            self.rows,
            self.bulletins,
            self.compared,
            rows * 100.0,
            self.row_votes.1,
            edges * 100.0,
            self.edge_votes.1,
            self.named_edge_rate() * 100.0,
            self.edges_unnamed,
            sev * 100.0,
            self.severity_votes.1
        );
        out.push_str(&format!(
            "supersedence: {} edges, {} to bulletins no page describes, {} to later bulletins, {} cycles; {} conflicting rows\n",
            self.edges,
            self.dangling.len(),
            self.forward.len(),
            self.cycles.len(),
            self.conflict_count
        ));
        for l in self
            .learned
            .iter()
            .filter(|l| l.role != "replaced")
            .take(12)
        {
            out.push_str(&format!(
                "  learned {} {} \"{}\" = {} ({}/{})\n",
                l.locale, l.role, l.word, l.value, l.votes.0, l.votes.1
            ));
        }
        for c in self.conflicts.iter().take(10) {
            out.push_str(&format!("  conflict {c}\n"));
        }
        out
    }
}

/// The products of every bulletin, and the supersedence graph.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProductStore {
    /// Per bulletin, in id order.
    pub entries: Vec<Entry>,
    /// Agreement figures and what the graph check found.
    pub check: ProductCheck,
    /// Every product name, folded, with how many bulletins name it, the
    /// most named first: counted once, on the first name lookup, not on
    /// every request (folding all rows took 16 ms).
    #[serde(skip)]
    names: std::sync::OnceLock<Vec<(String, String, usize)>>,
}

/// The service pack and platform a product name states, from the Latin
/// words product names keep in every language (`Service Pack 2`, `SP1`,
/// `x64`, `Itanium`, `32-bit`, `RT`).
pub fn edition(name: &str) -> (Option<u8>, Option<String>) {
    static SP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b(?:service\s+pack\s*|sp)([0-9])\b").expect("regex")
    });
    static PLATFORM: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b(x64|itanium|ia-?64|32[- ]?bits?|x86|rt)\b|(32 ?位元)")
            .expect("regex")
    });
    let sp = SP
        .captures_iter(name)
        .last()
        .and_then(|c| c[1].parse().ok());
    let platform = PLATFORM.captures(name).map(|c| {
        let p = c
            .get(1)
            .map_or("x86".to_string(), |m| m.as_str().to_ascii_lowercase());
        match p.as_str() {
            "x64" => "x64",
            "itanium" | "ia64" | "ia-64" => "itanium",
            "rt" => "arm",
            _ => "x86",
        }
        .to_string()
    });
    (sp, platform)
}

/// Product names are folded for matching as names are: lower case,
/// letters and digits.
pub use crate::researchers::fold;

/// Whether every word of `query` (folded) is a word of `name`.
pub fn names(name: &str, query: &str) -> bool {
    let name = fold(name);
    let words: Vec<&str> = name.split(' ').collect();
    fold(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .all(|q| words.contains(&q))
}

/// A product's family, the facet value: its leading words up to its first
/// number (`Microsoft Windows XP Service Pack 2` → `Windows XP`,
/// `Windows Server 2003 x64 Edition` → `Windows Server 2003`), without
/// `Microsoft`. `None` for a name that starts with no Latin word (a
/// translated description).
pub fn family(name: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for w in name.split_whitespace() {
        let w = w.trim_matches(|c: char| matches!(c, ',' | '、' | '(' | ')' | ':' | ';'));
        if w.is_empty() {
            break;
        }
        if out.is_empty() && w.eq_ignore_ascii_case("microsoft") {
            continue;
        }
        let first = w.chars().next()?;
        if first.is_ascii_digit() {
            if !out.is_empty() {
                out.push(w);
            }
            break;
        }
        let latin_word = first.is_ascii_uppercase()
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '#'));
        if !latin_word
            || w.chars().any(|c| c.is_ascii_digit())
            || matches!(w, "Service" | "Edition" | "SP")
        {
            break;
        }
        out.push(w);
        if out.len() == 4 {
            break;
        }
    }
    (!out.is_empty()).then(|| out.join(" "))
}

impl ProductStore {
    /// Writes the store into an index directory.
    pub fn save(&self, dir: &Path) -> Result<()> {
        save_json(dir, PRODUCTS_FILE, self).map(|_| ())
    }

    /// Reads the store of an index directory (empty when there is none).
    pub fn load(dir: &Path) -> Result<ProductStore> {
        load_json(dir, PRODUCTS_FILE)
    }

    /// One bulletin's entry.
    pub fn get(&self, id: BulletinId) -> Option<&Entry> {
        self.entries
            .binary_search_by_key(&id, |e| e.bulletin)
            .ok()
            .map(|i| &self.entries[i])
    }

    /// Product names whose start (or start after `Microsoft`) is `prefix`,
    /// case and accents ignored, with the bulletins naming them; the most
    /// named first.
    pub fn products(&self, prefix: &str, limit: usize) -> Vec<(String, usize)> {
        let q = fold(prefix);
        self.names()
            .iter()
            .filter(|(_, f, _)| {
                let bare = f.strip_prefix("microsoft ").unwrap_or(f);
                f.starts_with(&q) || bare.starts_with(&q)
            })
            .take(limit)
            .map(|(p, _, n)| (p.clone(), *n))
            .collect()
    }

    /// Every product name with its folded form and how many bulletins name
    /// it, the most named first, then by name.
    fn names(&self) -> &[(String, String, usize)] {
        self.names.get_or_init(|| {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for e in &self.entries {
                let mut seen: Vec<&str> = Vec::new();
                for r in &e.rows {
                    if !seen.contains(&r.product.as_str()) {
                        seen.push(&r.product);
                    }
                }
                for p in seen {
                    *counts.entry(p).or_default() += 1;
                }
            }
            let mut out: Vec<(String, String, usize)> = counts
                .into_iter()
                .map(|(p, n)| (p.to_string(), fold(p), n))
                .collect();
            out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
            out
        })
    }

    /// The product names and families to index for a bulletin.
    pub fn index_terms(&self, id: BulletinId) -> (Vec<String>, Vec<String>) {
        let Some(e) = self.get(id) else {
            return (Vec::new(), Vec::new());
        };
        let mut text: Vec<String> = Vec::new();
        let mut families: Vec<String> = Vec::new();
        for r in &e.rows {
            for name in std::iter::once(&r.product).chain(r.component.iter()) {
                if !text.contains(name) {
                    text.push(name.clone());
                }
                if let Some(f) = family(name).filter(|f| !families.contains(f)) {
                    families.push(f);
                }
            }
        }
        (text, families)
    }
}

/// How a name reads untranslated: in Latin letters only, then short
/// (fewer joining words).
pub(crate) fn untranslated(form: &str) -> (bool, std::cmp::Reverse<usize>) {
    let latin = form
        .chars()
        .filter(|c| c.is_alphanumeric())
        .all(|c| c.is_ascii_alphanumeric() || ('\u{c0}'..='\u{24f}').contains(&c));
    (latin, std::cmp::Reverse(form.chars().count()))
}

/// The form most pages write; among equals the one that reads most
/// untranslated (`… 2.5 Service Pack 3 unter Microsoft Windows 2000` over
/// `… indien geïnstalleerd op …` and `… がインストールされた …`).
pub(crate) fn best_form<'a>(forms: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in forms {
        *counts.entry(f).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(f, n)| (*n, untranslated(f)))
        .map(|(f, _)| f.to_string())
}

/// The most common value of `values`; ties go to the first seen.
fn majority<T: Clone + Eq + std::hash::Hash>(
    values: impl IntoIterator<Item = T>,
) -> Option<(T, usize)> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(x, _)| *x == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    let top = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == top)
}

/// Counts of each value, rendered `a ×3, b ×1`.
fn claims<T: std::fmt::Display + Ord>(values: &[T]) -> String {
    let mut counts: BTreeMap<&T, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    let mut v: Vec<(&T, usize)> = counts.into_iter().collect();
    v.sort_by_key(|x| std::cmp::Reverse(x.1));
    v.iter()
        .map(|(x, n)| format!("{x} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_is_the_name_up_to_its_first_number() {
        assert_eq!(
            family("Microsoft Windows XP Service Pack 2").as_deref(),
            Some("Windows XP")
        );
        assert_eq!(
            family("Windows Server 2003 x64 Edition").as_deref(),
            Some("Windows Server 2003")
        );
        assert_eq!(
            family("Microsoft Office 2003 Service Pack 2").as_deref(),
            Some("Office 2003")
        );
        assert_eq!(
            family("Windows Vista x64 Edition en Windows Vista").as_deref(),
            Some("Windows Vista")
        );
        assert_eq!(
            family("Internet Explorer 6 Service Pack 1").as_deref(),
            Some("Internet Explorer 6")
        );
        assert_eq!(family("適用於 Word、Excel 的相容性套件"), None);
    }

    #[test]
    fn service_pack_and_platform_come_from_the_untranslated_words() {
        assert_eq!(edition("Windows XP Service Pack 2"), (Some(2), None));
        assert_eq!(
            edition("Windows Server 2003 mit SP1 für Itanium-basierte Systeme"),
            (Some(1), Some("itanium".into()))
        );
        assert_eq!(
            edition("Windows Server 2008 für 32-Bit-Systeme Service Pack 2"),
            (Some(2), Some("x86".into()))
        );
        assert_eq!(
            edition("適用於 x64 型系統的 Windows 7"),
            (None, Some("x64".into()))
        );
        assert_eq!(edition("Windows RT 8.1"), (None, Some("arm".into())));
        assert_eq!(
            edition("適用於 32 位元系統的 Windows 7 Service Pack 1"),
            (Some(1), Some("x86".into()))
        );
        assert_eq!(edition("Microsoft Office 2003"), (None, None));
    }

    #[test]
    fn a_query_names_a_product_by_its_words() {
        assert!(names("Microsoft Windows XP Service Pack 2", "windows xp"));
        assert!(!names(
            "Microsoft Windows XP Service Pack 2",
            "windows vista"
        ));
        assert!(names("Windows Vista x64 Edition", "Windows Vista"));
    }
}
