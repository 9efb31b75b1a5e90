//! The saved store: loading, name search, and the cross-locale agreement
//! metric.

use super::profile::word_matches;
use super::*;

impl CreditStore {
    /// Writes the store into an index directory.
    pub fn save(&self, dir: &Path) -> Result<()> {
        save_json(dir, CREDITS_FILE, self).map(|_| ())
    }

    /// Reads the store of an index directory (empty when there is none).
    pub fn load(dir: &Path) -> Result<CreditStore> {
        load_json(dir, CREDITS_FILE)
    }

    /// Credits matching a query: names and organisations by word prefix
    /// (one typo allowed in words of five letters or more), bulletin and
    /// CVE ids exactly; optionally one organisation and one year.
    pub fn search(&self, query: &str, org: Option<&str>, year: Option<u16>) -> Vec<&MergedCredit> {
        let mut ids = Vec::new();
        let mut words = Vec::new();
        for w in query.split_whitespace() {
            if let Ok(b) = w.parse::<BulletinId>() {
                ids.push(b.to_string());
            } else if let Ok(c) = w.parse::<crate::model::CveId>() {
                ids.push(c.to_string());
            } else if w.len() >= 6 && w.chars().all(|c| c.is_ascii_digit()) {
                // An advisory number, matched exactly like every id.
                ids.push(w.to_string());
            } else {
                words.extend(
                    fold(w)
                        .split(' ')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                );
            }
        }
        let org_words: Vec<String> = org
            .map(|o| fold(o).split(' ').map(str::to_string).collect())
            .unwrap_or_default();
        self.credits
            .iter()
            .filter(|c| year.is_none_or(|y| c.year == Some(y)))
            .filter(|c| {
                ids.iter().all(|id| {
                    c.bulletin_id.is_some_and(|b| b.to_string() == *id)
                        || c.advisory.as_deref() == Some(id.as_str())
                        || c.cves.contains(id)
                })
            })
            .filter(|c| {
                let mut hay: Vec<String> =
                    vec![fold(&c.researcher), fold(&c.organisation), fold(&c.partner)];
                hay.extend(c.aliases.iter().map(|a| fold(a)));
                let hay_words: Vec<&str> = hay.iter().flat_map(|h| h.split(' ')).collect();
                words
                    .iter()
                    .all(|w| hay_words.iter().any(|h| word_matches(w, h)))
            })
            .filter(|c| {
                let org = fold(&c.organisation);
                let org_words_here: Vec<&str> = org.split(' ').collect();
                org_words
                    .iter()
                    .all(|w| org_words_here.iter().any(|h| word_matches(w, h)))
            })
            .collect()
    }
}

/// How far the locales agree on who is credited: per bulletin that at least
/// two locales credit named researchers for, the set of names each states
/// (folded, spaces dropped: names are rarely translated).
#[derive(Debug, Clone, Default)]
pub struct Agreement {
    /// Bulletins with named researchers in two or more locales.
    pub bulletins: usize,
    /// Those where every locale states the same set.
    pub agreeing: usize,
    /// Mean Jaccard similarity over every pair of locales of those bulletins.
    pub jaccard: f64,
    /// The others: bulletin → locale → names.
    pub disagreements: Vec<(String, BTreeMap<String, BTreeSet<String>>)>,
}

impl Agreement {
    /// The share of bulletins where every locale agrees.
    pub fn rate(&self) -> f64 {
        self.agreeing as f64 / self.bulletins.max(1) as f64
    }
}

impl CreditStore {
    /// The cross-locale agreement of the named researchers.
    pub fn agreement(&self) -> Agreement {
        let key = |n: &str| fold(n).replace(' ', "");
        let mut by: BTreeMap<BulletinId, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
        for credit in self.credits.iter().filter(|c| !c.researcher.is_empty()) {
            let Some(b) = credit.bulletin_id else {
                continue;
            };
            for l in &credit.locales {
                by.entry(b)
                    .or_default()
                    .entry(l.clone())
                    .or_default()
                    .insert(key(&credit.researcher));
            }
        }
        let mut out = Agreement::default();
        let (mut jaccard_sum, mut pairs) = (0.0, 0usize);
        for (b, locales) in by.into_iter().filter(|(_, l)| l.len() >= 2) {
            out.bulletins += 1;
            let sets: Vec<&BTreeSet<String>> = locales.values().collect();
            for i in 0..sets.len() {
                for j in i + 1..sets.len() {
                    let inter = sets[i].intersection(sets[j]).count() as f64;
                    let union = sets[i].union(sets[j]).count() as f64;
                    jaccard_sum += inter / union;
                    pairs += 1;
                }
            }
            if sets.windows(2).all(|w| w[0] == w[1]) {
                out.agreeing += 1;
            } else {
                out.disagreements.push((b.to_string(), locales));
            }
        }
        out.jaccard = jaccard_sum / pairs.max(1) as f64;
        out
    }
}
