//! Researchers and organisations as the API shows them: credits grouped
//! by name, profiles by year, and the typo-tolerant name match.

use super::*;

/// The credits of one researcher (or organisation-only or anonymous party).
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Researcher {
    /// The name ("" for organisation-only credits, "anonymous" for anonymous ones).
    pub researcher: String,
    /// Organisations credited with them, most frequent first.
    pub organisations: Vec<String>,
    /// How many credits.
    pub count: usize,
    /// The credits, oldest bulletin first.
    pub credits: Vec<MergedCredit>,
}

/// Groups credits by researcher, the most credited first; the anonymous
/// card last, however many credits it has (a name or organisation asked
/// for is never answered first by the people who stayed unnamed).
pub fn group(found: &[&MergedCredit]) -> Vec<Researcher> {
    let mut by: BTreeMap<String, Vec<MergedCredit>> = BTreeMap::new();
    for c in found {
        let key = if c.anonymous {
            "anonymous".to_string()
        } else if c.researcher.is_empty() {
            format!("org {}", org_key(&c.organisation))
        } else {
            fold(&c.researcher)
        };
        by.entry(key).or_default().push((*c).clone());
    }
    let mut out: Vec<Researcher> = by
        .into_values()
        .map(|mut credits| {
            credits.sort_by(|a, b| (a.year, &a.bulletin_id).cmp(&(b.year, &b.bulletin_id)));
            // Spellings of one organisation count as one, under its most
            // frequent spelling ("Finjan", "finjan").
            let mut orgs: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
            for c in &credits {
                if !c.organisation.is_empty() {
                    *orgs
                        .entry(org_key(&c.organisation))
                        .or_default()
                        .entry(c.organisation.clone())
                        .or_default() += 1;
                }
            }
            let mut organisations: Vec<(String, usize)> = orgs
                .into_values()
                .map(|spellings| (most_common(&spellings), spellings.values().sum()))
                .collect();
            organisations.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let first = &credits[0];
            let researcher = if first.anonymous {
                "anonymous".to_string()
            } else {
                first.researcher.clone()
            };
            Researcher {
                researcher,
                organisations: organisations.into_iter().map(|(o, _)| o).collect(),
                count: credits.len(),
                credits,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let unnamed = |r: &Researcher| r.credits.first().is_some_and(|c| c.anonymous);
        (unnamed(a), b.count, &a.researcher).cmp(&(unnamed(b), a.count, &b.researcher))
    });
    out
}

/// One researcher's profile: every credit, by year, and their organisations over time.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Profile {
    /// The name (or organisation, for an organisation profile).
    pub name: String,
    /// Other spellings seen.
    pub aliases: Vec<String>,
    /// Organisations (or, for an organisation, its researchers) with the years they appear.
    pub affiliations: Vec<Affiliation>,
    /// Credits per year.
    pub by_year: BTreeMap<String, usize>,
    /// Every credit, oldest first.
    pub credits: Vec<MergedCredit>,
}

/// A name seen with the profile's subject, with first and last year and count.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Affiliation {
    /// Organisation or researcher name.
    pub name: String,
    /// First year seen.
    pub first_year: Option<u16>,
    /// Last year seen.
    pub last_year: Option<u16>,
    /// Credits together.
    pub count: usize,
}

impl CreditStore {
    /// The profile of the researcher whose name (or alias) folds to `name`'s.
    pub fn researcher(&self, name: &str) -> Option<Profile> {
        let key = fold(name);
        let credits: Vec<&MergedCredit> = self
            .credits
            .iter()
            .filter(|c| fold(&c.researcher) == key || c.aliases.iter().any(|a| fold(a) == key))
            .collect();
        profile(credits, |c| c.organisation.clone())
    }

    /// The profile of an organisation, every spelling of it together.
    pub fn organisation(&self, name: &str) -> Option<Profile> {
        let key = org_key(name);
        if key.is_empty() {
            return None;
        }
        let credits: Vec<&MergedCredit> = self
            .credits
            .iter()
            .filter(|c| org_key(&c.organisation) == key)
            .collect();
        profile(credits, |c| c.researcher.clone())
    }
}

fn profile(
    credits: Vec<&MergedCredit>,
    other: impl Fn(&MergedCredit) -> String,
) -> Option<Profile> {
    if credits.is_empty() {
        return None;
    }
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_year: BTreeMap<String, usize> = BTreeMap::new();
    let mut affiliations: BTreeMap<String, Affiliation> = BTreeMap::new();
    let mut spellings: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for c in &credits {
        let subject = if other(c) == c.organisation {
            &c.researcher
        } else {
            &c.organisation
        };
        *names.entry(subject.clone()).or_default() += 1;
        if let Some(y) = c.year {
            *by_year.entry(y.to_string()).or_default() += 1;
        }
        let name = other(c);
        if name.is_empty() {
            continue;
        }
        // Spellings of one organisation (or name) are one affiliation.
        let key = if name == c.organisation {
            org_key(&name)
        } else {
            fold(&name)
        };
        *spellings
            .entry(key.clone())
            .or_default()
            .entry(name.clone())
            .or_default() += 1;
        let a = affiliations.entry(key).or_insert(Affiliation {
            name,
            first_year: c.year,
            last_year: c.year,
            count: 0,
        });
        a.count += 1;
        a.first_year = a.first_year.min(c.year).or(c.year);
        a.last_year = a.last_year.max(c.year);
    }
    for (key, a) in &mut affiliations {
        if let Some(s) = spellings.get(key) {
            a.name = most_common(s);
        }
    }
    let mut ranked: Vec<(String, usize)> =
        names.into_iter().filter(|(n, _)| !n.is_empty()).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let name = ranked.first().map(|(n, _)| n.clone()).unwrap_or_default();
    let mut affiliations: Vec<Affiliation> = affiliations.into_values().collect();
    affiliations.sort_by(|a, b| {
        (a.first_year, std::cmp::Reverse(a.count)).cmp(&(b.first_year, std::cmp::Reverse(b.count)))
    });
    let mut credits: Vec<MergedCredit> = credits.into_iter().cloned().collect();
    credits.sort_by(|a, b| (a.year, &a.bulletin_id).cmp(&(b.year, &b.bulletin_id)));
    Some(Profile {
        aliases: ranked.iter().skip(1).map(|(n, _)| n.clone()).collect(),
        name,
        affiliations,
        by_year,
        credits,
    })
}

/// Whether a query word matches a name word: a prefix, or one edit away
/// for words of six letters or more.
pub(super) fn word_matches(query: &str, word: &str) -> bool {
    if word.starts_with(query) {
        return true;
    }
    // The typo is never the first letter: "idefense" is not "defense".
    query.chars().count() >= 6
        && query.chars().next() == word.chars().next()
        && within_one_edit(query, word)
}

fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_counts_spellings_of_one_organisation_once() {
        let credit = |org: &str, bulletin: &str, year: u16| MergedCredit {
            researcher: "Aviv Raff".into(),
            organisation: org.into(),
            partner: String::new(),
            anonymous: false,
            bulletin_id: Some(bulletin.parse().unwrap()),
            advisory: None,
            cves: Vec::new(),
            year: Some(year),
            title: String::new(),
            locales: vec!["de-de".into()],
            sources: Vec::new(),
            aliases: Vec::new(),
        };
        let store = CreditStore {
            readings: Vec::new(),
            credits: vec![
                credit("Finjan", "MS07-048", 2007),
                credit("finjan", "MS07-061", 2007),
                credit("Finjan", "MS09-014", 2009),
            ],
            check: CreditCheck::default(),
        };
        let p = store.researcher("aviv raff").expect("profile");
        assert_eq!(
            p.affiliations,
            [Affiliation {
                name: "Finjan".into(),
                first_year: Some(2007),
                last_year: Some(2009),
                count: 3
            }]
        );
        let groups = group(&store.credits.iter().collect::<Vec<_>>());
        assert_eq!(groups[0].organisations, ["Finjan"]);
    }

    #[test]
    fn the_anonymous_card_comes_after_every_name() {
        let credit = |researcher: &str, anonymous: bool, bulletin: &str| MergedCredit {
            researcher: researcher.into(),
            organisation: "iDefense".into(),
            partner: String::new(),
            anonymous,
            bulletin_id: Some(bulletin.parse().unwrap()),
            advisory: None,
            cves: Vec::new(),
            year: Some(2007),
            title: String::new(),
            locales: vec!["de-de".into()],
            sources: Vec::new(),
            aliases: Vec::new(),
        };
        let credits = [
            credit("", true, "MS07-001"),
            credit("", true, "MS07-002"),
            credit("", true, "MS07-003"),
            credit("Greg MacManus", false, "MS07-004"),
            credit("Sean Larsson", false, "MS07-005"),
            credit("Sean Larsson", false, "MS07-006"),
        ];
        let order: Vec<(String, usize)> = group(&credits.iter().collect::<Vec<_>>())
            .into_iter()
            .map(|r| (r.researcher, r.count))
            .collect();
        assert_eq!(
            order,
            [
                ("Sean Larsson".to_string(), 2),
                ("Greg MacManus".to_string(), 1),
                ("anonymous".to_string(), 3)
            ]
        );
    }

    #[test]
    fn name_words_match_by_prefix_and_one_typo() {
        assert!(word_matches("sotir", "sotirov"));
        assert!(word_matches("ormady", "ormandy"));
        assert!(!word_matches("tavis", "davis"));
        assert!(word_matches("macmanus", "macmanus"));
        assert!(!word_matches("mac", "mcmanus"));
        assert!(!word_matches("sotrov", "ormandy"));
        assert!(!word_matches("idefense", "defense"));
    }
}
