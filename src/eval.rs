//! Mate retrieval: how well a bulletin's title in one language finds the
//! same bulletin among another language's records. Used by the
//! `crosslang` benchmark (the full matrix) and the corpus tests (floors).
//!
//! For bulletins with their own file in at least three languages, the
//! title in language A (KB parenthesis and every id removed) is searched
//! with a filter to language B; the rank of the bulletin's group gives
//! recall@1, recall@10 and the reciprocal rank. A fixed fifth of the
//! bulletins is held out of lexicon learning and only those are evaluated.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;
use serde::Serialize;

use crate::Engine;
use crate::extract::Document;
use crate::model::{BulletinId, CveId, DocKind, Lang};
use crate::search::{SearchRequest, search};

/// Whether a bulletin is held out of lexicon learning: a fixed fifth,
/// chosen by a hash of its id (the same on every machine and run).
pub fn held_out(id: BulletinId) -> bool {
    let mut h: u32 = 0x811c_9dc5;
    for b in id.to_string().bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h.is_multiple_of(5)
}

/// A bulletin's title in each language: its own file's, else a summary entry's.
#[derive(Debug, Default)]
pub struct Titles {
    /// Bulletin → language → title.
    pub titles: BTreeMap<BulletinId, BTreeMap<Lang, String>>,
    /// Bulletin → languages with an own file.
    pub files: BTreeMap<BulletinId, BTreeSet<Lang>>,
}

static PARENTHESIS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[(（][^()（）]*\d[^()（）]*[)）]").expect("regex"));
static IDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(ms\d\d-\d{3}|cve-\d{4}-\d+|kb\s?\d{5,8}|q\d{6}|\d{5,8})\b").expect("regex")
});

/// A title with its KB parenthesis and every id removed.
pub fn clean_title(title: &str) -> String {
    let t = PARENTHESIS.replace_all(title, " ");
    let t = IDS.replace_all(&t, " ");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Titles {
    /// Collects the titles of `docs`.
    pub fn collect(docs: &[Document]) -> Titles {
        let mut out = Titles::default();
        for d in docs {
            let Some(lang) = d.lang else { continue };
            match (d.kind, d.bulletin_id) {
                (DocKind::Bulletin, Some(id)) if !d.title.is_empty() => {
                    out.files.entry(id).or_default().insert(lang);
                    out.titles
                        .entry(id)
                        .or_default()
                        .insert(lang, d.title.clone());
                }
                (DocKind::Summary, _) => {
                    for e in &d.entries {
                        if let Some(id) = e.bulletin_id
                            && !e.title.is_empty()
                        {
                            out.titles
                                .entry(id)
                                .or_default()
                                .entry(lang)
                                .or_insert_with(|| e.title.clone());
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The held-out bulletins with their own file in at least three languages.
    pub fn evaluated(&self) -> Vec<BulletinId> {
        self.files
            .iter()
            .filter(|(id, langs)| langs.len() >= 3 && held_out(**id))
            .map(|(id, _)| *id)
            .collect()
    }
}

/// What is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The title in A, translated into B.
    Expanded,
    /// The title in A as typed: only tokens shared with B can match.
    Shared,
    /// The title in B itself: the upper bound.
    Monolingual,
}

/// The figures of one ordered language pair.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cell {
    /// Queries.
    pub n: usize,
    /// Found first.
    pub r1: f64,
    /// Found in the top ten.
    pub r10: f64,
    /// Mean reciprocal rank (0 beyond the top ten).
    pub mrr: f64,
    /// Mean reciprocal rank when a bulletin with the very same title in the
    /// searched language counts as found: titles cannot tell those apart
    /// (for vulnerability names, one naming a vulnerability the same).
    pub mrr_same_title: f64,
    /// Found first, counted the same way.
    pub r1_same_title: f64,
    /// Recall@10 counted the same way.
    pub r10_same_title: f64,
    /// Queries whose bulletin was not in the top ten: (bulletin, query).
    pub misses: Vec<(String, String)>,
}

/// What else counts as found under the lenient measure: a bulletin with
/// the same title in the searched language, or one that names a
/// vulnerability the same as this CVE is named there.
#[derive(Debug, Clone, Copy)]
enum Alike {
    Title,
    Name(CveId),
}

/// One query: from, to, the bulletin to find, what else counts, the text.
type Job = (Lang, Lang, BulletinId, Alike, String);

/// Ranks (1-based, among the first ten groups for `query` in `to`) of `id`
/// itself and of the first bulletin `alike` counts as found too.
fn rank(
    engine: &Engine,
    (titles, names): (&Titles, Option<&Names>),
    (to, id, alike, query): (Lang, BulletinId, Alike, &str),
    expand: bool,
) -> (Option<usize>, Option<usize>) {
    let mut req = SearchRequest::new(query, 10);
    req.filters.lang = Some(to);
    req.expand = expand;
    let Ok(r) = search(engine, &req) else {
        return (None, None);
    };
    let key = id.to_string();
    let title_in = |b: BulletinId| {
        titles
            .titles
            .get(&b)
            .and_then(|t| t.get(&to))
            .map(|t| clean_title(t).to_lowercase())
    };
    let names_in = |b: BulletinId| -> Vec<(CveId, String)> {
        names
            .and_then(|n| n.names.get(&b))
            .and_then(|n| n.get(&to))
            .map(|v| v.iter().map(|(c, n)| (*c, n.to_lowercase())).collect())
            .unwrap_or_default()
    };
    let own_title = title_in(id);
    let own_name = match alike {
        Alike::Name(cve) => names_in(id)
            .into_iter()
            .find(|(c, _)| *c == cve)
            .map(|(_, n)| n),
        Alike::Title => None,
    };
    let same_as_own = |group: &str| {
        let Ok(b) = group.parse::<BulletinId>() else {
            return false;
        };
        match alike {
            Alike::Title => own_title.is_some() && title_in(b) == own_title,
            Alike::Name(_) => own_name
                .as_ref()
                .is_some_and(|own| names_in(b).iter().any(|(_, n)| n == own)),
        }
    };
    let exact = r.hits.iter().position(|h| h.group == key).map(|i| i + 1);
    let same = r
        .hits
        .iter()
        .position(|h| h.group == key || same_as_own(&h.group))
        .map(|i| i + 1);
    (exact, same)
}

/// Every ordered pair of two different languages of `langs`.
fn ordered_pairs(langs: &[Lang]) -> impl Iterator<Item = (Lang, Lang)> + '_ {
    langs
        .iter()
        .flat_map(move |&a| langs.iter().filter(move |&&b| b != a).map(move |&b| (a, b)))
}

/// Evaluates every ordered pair of `langs` in `mode` over `bulletins`.
pub fn evaluate(
    engine: &Engine,
    titles: &Titles,
    bulletins: &[BulletinId],
    langs: &[Lang],
    mode: Mode,
) -> BTreeMap<(Lang, Lang), Cell> {
    let mut jobs = Vec::new();
    for (a, b) in ordered_pairs(langs) {
        for &id in bulletins {
            let Some(t) = titles.titles.get(&id) else {
                continue;
            };
            if let (Some(ta), Some(tb)) = (t.get(&a), t.get(&b)) {
                let q = clean_title(if mode == Mode::Monolingual { tb } else { ta });
                if !q.is_empty() {
                    jobs.push((a, b, id, Alike::Title, q));
                }
            }
        }
    }
    score(engine, (titles, None), jobs, mode)
}

/// Each bulletin's vulnerability names per language, by CVE id (see
/// [`Document::vulnerabilities`]).
#[derive(Debug, Default)]
pub struct Names {
    /// Per bulletin and language, (CVE id, name) in page order.
    pub names: BTreeMap<BulletinId, BTreeMap<Lang, Vec<(CveId, String)>>>,
}

impl Names {
    /// The names of every bulletin page of `docs`, the first page per language.
    pub fn collect(docs: &[Document]) -> Names {
        let mut out = Names::default();
        for d in docs {
            if let (DocKind::Bulletin, Some(id), Some(lang)) = (d.kind, d.bulletin_id, d.lang)
                && !d.vulnerabilities.is_empty()
            {
                out.names
                    .entry(id)
                    .or_default()
                    .entry(lang)
                    .or_insert_with(|| d.vulnerabilities.clone());
            }
        }
        out
    }
}

/// Vulnerability-name retrieval: for every ordered pair of languages, each
/// evaluated bulletin's vulnerability names in language A (in B for the
/// monolingual bound), searched in language B, must find the bulletin that
/// fixed it. Under the lenient measure (`*_same_title`), a bulletin that
/// names a vulnerability the same in B counts as found too: names repeat
/// (`Memory Corruption Vulnerability` in each Internet Explorer update).
pub fn evaluate_names(
    engine: &Engine,
    titles: &Titles,
    names: &Names,
    bulletins: &[BulletinId],
    langs: &[Lang],
    mode: Mode,
) -> BTreeMap<(Lang, Lang), Cell> {
    let mut jobs = Vec::new();
    for (a, b) in ordered_pairs(langs) {
        for &id in bulletins {
            let Some(n) = names.names.get(&id) else {
                continue;
            };
            let (Some(na), Some(nb)) = (n.get(&a), n.get(&b)) else {
                continue;
            };
            for (cve, name_a) in na {
                let Some((_, name_b)) = nb.iter().find(|(c, _)| c == cve) else {
                    continue;
                };
                let q = if mode == Mode::Monolingual {
                    name_b
                } else {
                    name_a
                };
                jobs.push((a, b, id, Alike::Name(*cve), q.clone()));
            }
        }
    }
    score(engine, (titles, Some(names)), jobs, mode)
}

/// Runs the queries, in parallel, and scores each pair.
fn score(
    engine: &Engine,
    texts: (&Titles, Option<&Names>),
    jobs: Vec<Job>,
    mode: Mode,
) -> BTreeMap<(Lang, Lang), Cell> {
    type Ranked = (
        Lang,
        Lang,
        BulletinId,
        String,
        (Option<usize>, Option<usize>),
    );
    let ranks: Vec<Ranked> = jobs
        .into_par_iter()
        .map(|(a, b, id, alike, q)| {
            let r = rank(engine, texts, (b, id, alike, &q), mode == Mode::Expanded);
            (a, b, id, q, r)
        })
        .collect();
    let mut cells: BTreeMap<(Lang, Lang), Cell> = BTreeMap::new();
    for (a, b, id, q, (r, same)) in ranks {
        let c = cells.entry((a, b)).or_default();
        c.n += 1;
        if let Some(s) = same {
            c.r1_same_title += f64::from(u8::from(s == 1));
            c.r10_same_title += 1.0;
            c.mrr_same_title += 1.0 / s as f64;
        }
        match r {
            Some(r) => {
                c.r1 += f64::from(u8::from(r == 1));
                c.r10 += 1.0;
                c.mrr += 1.0 / r as f64;
            }
            None => c.misses.push((id.to_string(), q)),
        }
    }
    for c in cells.values_mut() {
        let n = c.n.max(1) as f64;
        c.r1 /= n;
        c.r10 /= n;
        c.mrr /= n;
        c.r1_same_title /= n;
        c.r10_same_title /= n;
        c.mrr_same_title /= n;
    }
    cells
}

/// The mean of one figure over the pairs.
pub fn mean(cells: &BTreeMap<(Lang, Lang), Cell>, f: impl Fn(&Cell) -> f64) -> f64 {
    if cells.is_empty() {
        return 0.0;
    }
    cells.values().map(f).sum::<f64>() / cells.len() as f64
}

/// A matrix of one figure, rows the query language, columns the searched one.
pub fn render(
    cells: &BTreeMap<(Lang, Lang), Cell>,
    langs: &[Lang],
    f: impl Fn(&Cell) -> f64,
) -> String {
    let mut out = String::from("from\\to");
    for b in langs {
        out.push_str(&format!("  {b:>5}"));
    }
    out.push('\n');
    for &a in langs {
        out.push_str(&format!("{a:<7}"));
        for &b in langs {
            match cells.get(&(a, b)) {
                Some(c) => out.push_str(&format!("  {:>5.3}", f(c))),
                None => out.push_str("      -"),
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_their_ids_and_kb_parenthesis() {
        assert_eq!(
            clean_title("Sårbarheder i GDI kan tillade fjernudførelse af kode (925902)"),
            "Sårbarheder i GDI kan tillade fjernudførelse af kode"
        );
        assert_eq!(
            clean_title(
                "Kumulativ sikkerhedsopdatering til Internet Explorer (KB 941569 og 944275)"
            ),
            "Kumulativ sikkerhedsopdatering til Internet Explorer"
        );
        assert_eq!(
            clean_title("MS07-017: GDI の脆弱性により、リモートでコードが実行される （925902）"),
            ": GDI の脆弱性により、リモートでコードが実行される"
        );
    }

    #[test]
    fn about_a_fifth_is_held_out_by_a_fixed_hash() {
        let ids: Vec<BulletinId> = (1..=100)
            .map(|n| format!("MS07-{n:03}").parse().unwrap())
            .collect();
        let held: Vec<String> = ids
            .iter()
            .filter(|id| held_out(**id))
            .map(ToString::to_string)
            .collect();
        assert_eq!(held.len(), 18);
        assert_eq!(held[..4], ["MS07-011", "MS07-016", "MS07-022", "MS07-029"]);
    }
}
