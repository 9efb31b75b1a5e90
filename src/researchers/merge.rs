//! Merging the statements of one credit: spellings of one name, a name
//! in another script, a person or an organisation by the locales' majority.

use super::*;

#[derive(Default)]
/// The statements of one credit being merged.
pub(super) struct Group {
    pub(super) names: BTreeMap<String, usize>,
    pub(super) orgs: BTreeMap<String, usize>,
    pub(super) partners: BTreeMap<String, usize>,
    pub(super) anonymous: bool,
    pub(super) cves: BTreeSet<String>,
    pub(super) locales: BTreeSet<String>,
    pub(super) sources: BTreeSet<String>,
    /// Spellings in another script, searchable but never shown as the name.
    pub(super) aliases: BTreeSet<String>,
}

impl Group {
    fn absorb(&mut self, other: Group) {
        for (mine, theirs) in [
            (&mut self.names, other.names),
            (&mut self.orgs, other.orgs),
            (&mut self.partners, other.partners),
        ] {
            for (k, n) in theirs {
                *mine.entry(k).or_default() += n;
            }
        }
        self.anonymous |= other.anonymous;
        self.cves.extend(other.cves);
        self.locales.extend(other.locales);
        self.sources.extend(other.sources);
        self.aliases.extend(other.aliases);
    }
}

/// What a credit is for: a bulletin, else the security advisory whose page
/// states it (credits of different advisories are different credits).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Credited {
    Bulletin(BulletinId),
    /// An advisory's number (`953818`, `MSVR12-007`).
    Advisory(String),
    Unknown,
}

impl Credited {
    pub(super) fn bulletin(&self) -> Option<BulletinId> {
        match self {
            Credited::Bulletin(b) => Some(*b),
            _ => None,
        }
    }
}

pub(super) type Groups = BTreeMap<(String, Credited), Group>;

/// Two spellings of one name in one bulletin: the same words in another
/// order (`Minaev Andrey`), or, for longer names, one or two letters apart
/// (`Carsten Eiram` / `Carsten H. Eiram`, `Will Dorman` / `Will Dormann`).
fn same_person(a: &str, b: &str) -> bool {
    let mut wa: Vec<&str> = a.split(' ').collect();
    let mut wb: Vec<&str> = b.split(' ').collect();
    wa.sort_unstable();
    wb.sort_unstable();
    if wa == wb {
        return true;
    }
    let (short, long) = letters_short_long(a, b);
    // A word glued to the end ("Norman Chiongfor") is a slip of the translator.
    let glued = long.starts_with(&short) && long.len() - short.len() <= 3;
    short.len() >= 8 && (glued || edit_distance(&short, &long) <= 2)
}

/// The most frequent of the counted spellings (the first in order at a tie).
pub(super) fn most_common(counts: &BTreeMap<String, usize>) -> String {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(k, _)| k.clone())
        .unwrap_or_default()
}

/// The letters of two names without spaces, the shorter first.
fn letters_short_long(a: &str, b: &str) -> (Vec<char>, Vec<char>) {
    let (ca, cb): (Vec<char>, Vec<char>) = (
        a.chars().filter(|c| *c != ' ').collect(),
        b.chars().filter(|c| *c != ' ').collect(),
    );
    if ca.len() <= cb.len() {
        (ca, cb)
    } else {
        (cb, ca)
    }
}

/// Two groups credited with the same organisation (by key).
fn shares_org(a: &Group, b: &Group) -> bool {
    a.orgs.keys().any(|x| {
        let x = org_key(x);
        !x.is_empty() && b.orgs.keys().any(|y| org_key(y) == x)
    })
}

/// Spellings close enough to be one name when the organisation is the same
/// too: a name cut short (`jie m`, `h d moor`), a first name left out
/// (`nunez di croce`), or one letter apart.
fn close_names(a: &str, b: &str) -> bool {
    let (short, long) = letters_short_long(a, b);
    if short.len() < 3 {
        return false;
    }
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let (fewer, more) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    long.starts_with(&short)
        || (fewer.len() >= 2 && more.ends_with(fewer))
        || (short.len() >= 4 && edit_distance(&short, &long) <= 1)
}

/// A name written wholly in another script in some locales (`鵜飼裕司`,
/// `Тэвису Орманди`, `타비스 오르만디`) and in Latin letters in the others:
/// never stated together, and credited for the same CVE of the bulletin
/// where both name one (a transliteration is no spelling to compare).
fn same_credit_in_another_script(foreign: &str, gf: &Group, latin: &str, gl: &Group) -> bool {
    in_another_script(foreign)
        && latin.chars().all(|c| c == ' ' || c.is_ascii_alphanumeric())
        && stated_apart(gf, gl)
}

/// Two credits no locale states both of, for the same CVE where both name one.
fn stated_apart(a: &Group, b: &Group) -> bool {
    a.locales.is_disjoint(&b.locales)
        && (a.cves.is_empty() || b.cves.is_empty() || !a.cves.is_disjoint(&b.cves))
}

/// A name as a language that inflects names writes it (`john heasmania`,
/// `tavis ormandynak`, folded): the same words, some with an ending of one
/// to three letters after a word of five or more (shorter words end in too
/// many other names: `chen`, `cheng`).
fn inflected(form: &str, name: &str) -> bool {
    let (wf, wn): (Vec<&str>, Vec<&str>) = (form.split(' ').collect(), name.split(' ').collect());
    wf.len() == wn.len()
        && wf != wn
        && wf.iter().zip(&wn).all(|(f, n)| {
            f == n
                || f.strip_prefix(n).is_some_and(|ending| {
                    n.chars().count() >= 5
                        && (1..=3).contains(&ending.chars().count())
                        && ending.chars().all(char::is_alphabetic)
                })
        })
}

/// A spelling one locale gives a name the others write otherwise, never
/// stated together: a transliteration (see
/// [`same_credit_in_another_script`]) or an inflected form (see
/// [`inflected`]), credited for the same CVE where both name one.
fn a_locales_spelling_of(form: &str, gf: &Group, name: &str, gn: &Group) -> bool {
    same_credit_in_another_script(form, gf, name, gn)
        || (inflected(form, name) && stated_apart(gf, gn))
}

/// A name in one script that is not Latin (Han, kana, Cyrillic, Hangul …).
fn in_another_script(s: &str) -> bool {
    matches!(crate::script::scripts(s)[..], [one] if one != crate::script::Script::Latin)
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// Cleans up the groups, in order: a "programme" the corpus mostly names as
/// a researcher is credited as one; a "researcher" that the corpus mostly
/// names as an organisation or programme (`TippingPoint`, `NSFOCUS`) is an
/// organisation-only credit; per bulletin, a party stated as a person in some
/// locales and as an organisation in others is what most locales say, a
/// name in another script or inflected joins the name credited for the same
/// CVE elsewhere, and
/// spellings of one name merge into the most widely seen one.
pub(super) fn merge_variants(
    mut groups: Groups,
    as_person: &HashMap<String, usize>,
    as_org: &HashMap<String, usize>,
) -> Groups {
    let mut out: Groups = BTreeMap::new();
    // A "programme" the corpus mostly names as a researcher is one worked
    // with ("Pedram Amini in Zusammenarbeit mit H. D. Moore"): a credit too.
    let mut worked_with: Vec<((String, Credited), Group)> = Vec::new();
    for ((_, bulletin), g) in groups.iter_mut() {
        let people: Vec<String> = g
            .partners
            .keys()
            .filter(|p| {
                let key = org_key(p);
                as_person.get(&key).copied().unwrap_or(0) > as_org.get(&key).copied().unwrap_or(0)
            })
            .cloned()
            .collect();
        for p in people {
            let n = g.partners.remove(&p).unwrap_or(1);
            let person = Group {
                names: BTreeMap::from([(p.clone(), n)]),
                cves: g.cves.clone(),
                locales: g.locales.clone(),
                sources: g.sources.clone(),
                ..Group::default()
            };
            worked_with.push(((fold(&p), bulletin.clone()), person));
        }
    }
    for (key, g) in worked_with {
        groups.entry(key).or_default().absorb(g);
    }
    for ((who, bulletin), mut g) in groups {
        let key = org_key(&who);
        let is_person = !who.starts_with("org ") && !who.starts_with("anonymous ");
        let who = if is_person
            && g.orgs.is_empty()
            && as_org.get(&key).copied().unwrap_or(0) > as_person.get(&key).copied().unwrap_or(0)
        {
            g.orgs = std::mem::take(&mut g.names);
            format!("org {key}")
        } else {
            who
        };
        match out.entry((who, bulletin)) {
            std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().absorb(g),
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(g);
            }
        }
    }
    // Per bulletin, a party some locales state as a person and others as an
    // organisation ("GWSlabs") is what most of its locales say.
    let persons: Vec<(String, Credited)> = out
        .keys()
        .filter(|(who, b)| {
            b.bulletin().is_some() && !who.starts_with("org ") && !who.starts_with("anonymous ")
        })
        .cloned()
        .collect();
    for (who, b) in persons {
        let org = (format!("org {}", org_key(&who)), b.clone());
        let (Some(as_org), Some(as_person)) = (out.get(&org), out.get(&(who.clone(), b.clone())))
        else {
            continue;
        };
        if as_org.locales.len() > as_person.locales.len() {
            if let Some(mut g) = out.remove(&(who, b.clone())) {
                g.orgs.extend(std::mem::take(&mut g.names));
                if let Some(target) = out.get_mut(&org) {
                    target.absorb(g);
                }
            }
        } else if let Some(mut g) = out.remove(&org) {
            g.names.extend(std::mem::take(&mut g.orgs));
            if let Some(target) = out.get_mut(&(who, b.clone())) {
                target.absorb(g);
            }
        }
    }
    // Per bulletin, fold each name into a more widely seen spelling of it.
    let keys: Vec<(String, Credited)> = out.keys().cloned().collect();
    let mut by_bulletin: BTreeMap<Credited, Vec<String>> = BTreeMap::new();
    for (who, b) in &keys {
        if !who.starts_with("org ") && !who.starts_with("anonymous ") {
            by_bulletin.entry(b.clone()).or_default().push(who.clone());
        }
    }
    for (b, mut names) in by_bulletin {
        if b.bulletin().is_none() || names.len() < 2 {
            continue;
        }
        // A name in another script, or inflected, joins the one name it can
        // be, as an alias: the locale's spelling is searchable, never the
        // name shown.
        for foreign in &names {
            let Some(g) = out.get(&(foreign.clone(), b.clone())) else {
                continue;
            };
            let mut candidates = names.iter().filter(|n| {
                out.get(&((*n).clone(), b.clone()))
                    .is_some_and(|other| a_locales_spelling_of(foreign, g, n, other))
            });
            if let (Some(latin), None) = (candidates.next(), candidates.next())
                && let Some(mut g) = out.remove(&(foreign.clone(), b.clone()))
                && let Some(target) = out.get_mut(&(latin.clone(), b.clone()))
            {
                g.aliases.extend(std::mem::take(&mut g.names).into_keys());
                target.absorb(g);
            }
        }
        let seen = |n: &String, out: &Groups| {
            out.get(&(n.clone(), b.clone()))
                .map_or(0, |g| g.locales.len())
        };
        names.sort_by_key(|n| std::cmp::Reverse(seen(n, &out)));
        for i in 0..names.len() {
            for j in 0..i {
                let (Some(gi), Some(gj)) = (
                    out.get(&(names[i].clone(), b.clone())),
                    out.get(&(names[j].clone(), b.clone())),
                ) else {
                    continue;
                };
                if same_person(&names[i], &names[j])
                    || (shares_org(gi, gj) && close_names(&names[i], &names[j]))
                {
                    if let Some(g) = out.remove(&(names[i].clone(), b.clone()))
                        && let Some(target) = out.get_mut(&(names[j].clone(), b.clone()))
                    {
                        target.absorb(g);
                    }
                    break;
                }
            }
        }
    }
    out
}

/// The organisations one organisation or partner field names, split at
/// "and" in every language the credit words know.
pub(super) fn organisations_in(field: &str) -> Vec<&str> {
    // Every language's "and": padded with spaces where it is a word.
    static SEPARATORS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        crate::vocab::rows(crate::vocab::CREDIT_WORDS, |r| r.0)
            .flat_map(|(_, words)| words.and.iter())
            .map(|and| {
                if and.chars().all(char::is_alphabetic) && and.is_ascii() {
                    format!(" {and} ")
                } else {
                    (*and).to_string()
                }
            })
            .collect()
    });
    let mut parts = vec![field];
    for sep in SEPARATORS.iter() {
        parts = parts
            .into_iter()
            .flat_map(|p| p.split(sep.as_str()))
            .collect();
    }
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_name_are_one_person() {
        assert!(same_person("minaev andrey", "andrey minaev"));
        assert!(same_person("carsten eiram", "carsten h eiram"));
        assert!(same_person("will dorman", "will dormann"));
        assert!(same_person("nicolas pouvesle", "nicolas de pouvesle"));
        assert!(same_person("norman chiong", "norman chiongfor"));
        assert!(!same_person("mark dowd", "ben layer"));
        // Short names need more than a letter's difference to be apart.
        assert!(!same_person("jun mao", "jun xu"));
    }

    #[test]
    fn with_the_same_organisation_closer_spellings_are_one_person() {
        assert!(close_names("jie m", "jie ma"));
        assert!(close_names("h d moor", "h d moore"));
        assert!(close_names("nunez di croce", "mariano nunez di croce"));
        assert!(!close_names("jie ma", "jun mao"));
        assert!(!close_names("li", "lin"));
    }

    #[test]
    fn an_inflected_name_is_the_name_another_locale_credits() {
        assert!(inflected("john heasmania", "john heasman"));
        assert!(inflected("tavis ormandynak", "tavis ormandy"));
        assert!(inflected("tavisi ormandymu", "tavis ormandy"));
        assert!(
            !inflected("tavis ormandy", "tavis ormandy"),
            "the same name"
        );
        assert!(!inflected("jun cheng", "jun chen"), "a short word");
        assert!(
            !inflected("john heasmanista", "john heasman"),
            "four letters"
        );
        assert!(!inflected("tavis ormandy google", "tavis ormandy"));
        let group = |locales: &[&str]| Group {
            locales: locales.iter().map(ToString::to_string).collect(),
            names: BTreeMap::from([(locales.join(" "), 1)]),
            ..Group::default()
        };
        let (ms08_001, ms08_002) = (
            Credited::Bulletin("MS08-001".parse().unwrap()),
            Credited::Bulletin("MS08-002".parse().unwrap()),
        );
        let groups: Groups = BTreeMap::from([
            (
                ("tavis ormandy".into(), ms08_001.clone()),
                group(&["de-de", "en-us"]),
            ),
            (
                ("tavisi ormandymu".into(), ms08_001.clone()),
                group(&["cs-cz"]),
            ),
            (
                ("tavis ormandy".into(), ms08_002.clone()),
                group(&["de-de"]),
            ),
            (
                ("tavisi ormandymu".into(), ms08_002.clone()),
                group(&["de-de"]),
            ),
        ]);
        let merged = merge_variants(groups, &HashMap::new(), &HashMap::new());
        let keys: Vec<(&str, String)> = merged
            .keys()
            .map(|(k, b)| {
                (
                    k.as_str(),
                    b.bulletin().map(|b| b.to_string()).unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            keys,
            [
                ("tavis ormandy", "MS08-001".to_string()),
                ("tavis ormandy", "MS08-002".to_string()),
                ("tavisi ormandymu", "MS08-002".to_string()),
            ],
            "a locale stating both keeps both"
        );
        let g = &merged[&("tavis ormandy".to_string(), ms08_001)];
        assert_eq!(g.aliases, BTreeSet::from(["cs-cz".to_string()]));
        assert_eq!(g.locales.len(), 3);
    }

    #[test]
    fn a_name_in_another_script_is_the_latin_name_credited_for_the_same_cve_elsewhere() {
        let group = |locales: &[&str], cves: &[&str]| Group {
            locales: locales.iter().map(ToString::to_string).collect(),
            cves: cves.iter().map(ToString::to_string).collect(),
            ..Group::default()
        };
        let ja = group(&["ja-jp"], &["CVE-2009-1533"]);
        let others = group(&["de-de", "zh-tw"], &["CVE-2009-1533"]);
        assert!(same_credit_in_another_script(
            "鵜飼裕司",
            &ja,
            "yuji ukai",
            &others
        ));
        // Stated together in one locale, they are two people.
        let with_ja = group(&["de-de", "ja-jp"], &["CVE-2009-1533"]);
        assert!(!same_credit_in_another_script(
            "鵜飼裕司",
            &ja,
            "shaun colley",
            &with_ja
        ));
        // Credited for another CVE, no telling.
        let other_cve = group(&["de-de"], &["CVE-2009-1534"]);
        assert!(!same_credit_in_another_script(
            "鵜飼裕司",
            &ja,
            "yuji ukai",
            &other_cve
        ));
        // Cyrillic (an inflected transliteration) and Hangul as well, and a
        // line that names no CVE may be any of the bulletin's.
        let ru = group(&["ru-ru"], &[]);
        assert!(same_credit_in_another_script(
            "тэвису орманди",
            &ru,
            "tavis ormandy",
            &others
        ));
        let ko = group(&["ko-kr"], &["CVE-2009-1533"]);
        assert!(same_credit_in_another_script(
            "타비스 오르만디",
            &ko,
            "tavis ormandy",
            &others
        ));
        // Mixed scripts are a misread line, not a spelling.
        assert!(!same_credit_in_another_script(
            "ms10 026에서 yamata li",
            &ko,
            "yamata li",
            &others
        ));
    }
}
