//! Reading every locale's thanks lines into credits, one stage per
//! function of [`collect`]: the rules first ([`read_by_rules`]), then the
//! lines a locale without rules states by the other locales' names
//! ([`super::found`]), then the learned frame, whose reading wins where it
//! agrees better ([`super::contest`]); then the repair of what no name can
//! be, the grouping by name and bulletin, and the merged credits.

use super::line::{Anchors, Line, credited_by, line_lang};
use super::*;

/// Words the documents' titles and summaries use at least three times,
/// folded: the documentation's ordinary vocabulary, in every language indexed.
fn common_words(docs: &[Document]) -> HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut add = |text: &str| {
        for w in fold(text).split(' ').filter(|w| w.chars().count() > 1) {
            *counts.entry(w.to_string()).or_default() += 1;
        }
    };
    for d in docs {
        add(&d.title);
        add(&d.summary);
        for e in &d.entries {
            add(&e.title);
            add(&e.summary);
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n >= 3)
        .map(|(w, _)| w)
        .collect()
}

/// Builds the merged credits of `docs`.
pub fn collect(docs: &[Document]) -> CreditStore {
    let titles = Titles::of(docs);
    let common = common_words(docs);
    let mut check = CreditCheck::default();
    let mut lines = read_by_rules(docs, &cve_owners(docs));
    let anchors = clean_anchors(&lines);
    let found = super::found::found_by_names(docs, &lines, &anchors, &common, &mut check);
    let found_from = lines.len();
    lines.extend(found);
    super::contest::read_by_frames(&mut lines, found_from, &anchors, &mut check);
    let lines = repaired(lines, found_from, &anchors, &mut check);
    let grouped = grouped(lines, &common);
    let groups = merge_variants(grouped.groups, &grouped.as_person, &grouped.as_org);
    CreditStore {
        credits: merged(groups, &titles),
        check,
        readings: grouped.readings,
    }
}

/// Each bulletin's title and each advisory's year and title, in the first
/// language of a preference order that states one (any language else).
struct Titles {
    bulletins: HashMap<BulletinId, (usize, String)>,
    advisories: HashMap<String, (usize, Option<u16>, String)>,
}

impl Titles {
    fn of(docs: &[Document]) -> Titles {
        let mut titles: HashMap<BulletinId, (usize, String)> = HashMap::new();
        const TITLE_PREFERENCE: &[Lang] = &[
            Lang::En,
            Lang::De,
            Lang::Nl,
            Lang::Da,
            Lang::Nb,
            Lang::Zh,
            Lang::Ja,
        ];
        let rank = |l: Option<Lang>| {
            l.and_then(|l| TITLE_PREFERENCE.iter().position(|p| *p == l))
                .unwrap_or(99)
        };
        let mut offer = |id: BulletinId, lang: Option<Lang>, title: &str| {
            let r = rank(lang);
            let slot = titles.entry(id).or_insert((usize::MAX, String::new()));
            if r < slot.0 && !title.is_empty() {
                *slot = (r, title.to_string());
            }
        };
        // Advisories by number: their year and title in the preferred language.
        let mut advisories: HashMap<String, (usize, Option<u16>, String)> = HashMap::new();
        for d in docs.iter().filter(|d| d.kind == DocKind::Advisory) {
            if let Some(n) = d.doc_id.clone() {
                let r = rank(d.lang);
                let slot = advisories
                    .entry(n)
                    .or_insert((usize::MAX, None, String::new()));
                if r < slot.0 && !d.title.is_empty() {
                    *slot = (r, d.published.map(|p| p.year), d.title.clone());
                }
            }
        }
        for d in docs {
            if let Some(id) = d.bulletin_id {
                offer(id, d.lang, &d.title);
            }
            for e in &d.entries {
                if let Some(id) = e.bulletin_id {
                    offer(id, d.lang, &e.title);
                }
            }
        }
        Titles {
            bulletins: titles,
            advisories,
        }
    }
}

/// Every thanks line of `docs`, parsed once by the rules, with what it credits.
fn read_by_rules<'a>(
    docs: &'a [Document],
    owners: &HashMap<crate::model::CveId, BulletinId>,
) -> Vec<Line<'a>> {
    let mut parsed: Vec<Line> = Vec::new();
    for d in docs {
        if !matches!(
            d.kind,
            DocKind::Bulletin | DocKind::Summary | DocKind::Advisory | DocKind::Acknowledgments
        ) {
            continue;
        }
        let lang = d.lang.unwrap_or(Lang::En);
        let advisory = d
            .doc_id
            .clone()
            .filter(|_| d.kind == DocKind::Advisory)
            .map_or(Credited::Unknown, Credited::Advisory);
        for line in &d.acks {
            let line_lang = line_lang(&line.text, lang);
            let credited = credited_by(line, || match &advisory {
                Credited::Unknown => credited_by_cves(line, owners),
                known => vec![known.clone()],
            });
            parsed.push(Line {
                doc: d,
                credits: parse_line(&line.text, &line.links, line_lang),
                line: Cow::Borrowed(line),
                credited,
                lang: line_lang,
            });
        }
    }
    parsed
}

/// The anchors: what each bulletin's cleanly read lines credit.
fn clean_anchors<'a>(parsed: &[Line<'a>]) -> Anchors<'a> {
    let mut anchors: Anchors = BTreeMap::new();
    for l in parsed {
        let locale = l.doc.locale.as_deref().unwrap_or_default();
        for c in l.credits.iter().filter(|c| is_clean(c)) {
            for b in &l.credited {
                anchors
                    .entry(b.clone())
                    .or_default()
                    .push((locale, c.clone()));
            }
        }
    }
    anchors
}

/// Each line's credits with the parties no name can be mended from what
/// the other locales state for its bulletins, or dropped and counted.
fn repaired<'a>(
    parsed: Vec<Line<'a>>,
    found_from: usize,
    anchors: &Anchors,
    check: &mut CreditCheck,
) -> Vec<Line<'a>> {
    let here_anchors: BTreeMap<&Credited, Vec<&Credit>> = anchors
        .iter()
        .map(|(b, v)| (b, v.iter().map(|(_, c)| c).collect()))
        .collect();
    let mut repaired_lines = Vec::new();
    for (i, l) in parsed.into_iter().enumerate() {
        let here: Vec<&Credit> = l
            .credited
            .iter()
            .flat_map(|b| here_anchors.get(b).into_iter().flatten().copied())
            .collect();
        let locale = l.doc.locale.clone().unwrap_or_default();
        let mut out = Vec::new();
        if i >= found_from {
            check.found_by_agreement += l.credits.len();
        }
        for c in &l.credits {
            check.parsed += 1;
            repair(c, &here, &locale, check, &mut out);
        }
        repaired_lines.push(Line { credits: out, ..l });
    }
    repaired_lines
}

/// Credits grouped by (name, what is credited), with how often each
/// folded name is stated as a person and as an organisation or programme,
/// and every line's final reading.
struct Grouped {
    groups: Groups,
    as_person: HashMap<String, usize>,
    as_org: HashMap<String, usize>,
    readings: Vec<Reading>,
}

fn grouped(lines: Vec<Line>, common: &HashSet<String>) -> Grouped {
    let mut groups: Groups = BTreeMap::new();
    let mut as_person: HashMap<String, usize> = HashMap::new();
    let mut as_org: HashMap<String, usize> = HashMap::new();
    let mut readings = Vec::new();
    for Line {
        doc: d,
        line,
        credited: bulletins,
        credits,
        ..
    } in lines
    {
        let mut kept = Vec::new();
        {
            for mut credit in credits {
                // A one-word "name" that the bulletins' own titles and summaries
                // use as an ordinary word ("Kunden", "technische") is prose.
                if !credit.researcher.contains(' ') && common.contains(&fold(&credit.researcher)) {
                    credit.researcher.clear();
                    if credit.organisation.is_empty() && !credit.anonymous {
                        continue;
                    }
                }
                if !credit.researcher.is_empty() {
                    *as_person.entry(org_key(&credit.researcher)).or_default() += 1;
                }
                // "TippingPoint en Zero Day Initiative" names two organisations.
                for o in [&credit.organisation, &credit.partner] {
                    for part in organisations_in(o) {
                        *as_org.entry(org_key(part)).or_default() += 1;
                    }
                }
                kept.push(credit.clone());
                let who = if credit.anonymous {
                    format!("anonymous {}", org_key(&credit.partner))
                } else if credit.researcher.is_empty() {
                    format!("org {}", org_key(&credit.organisation))
                } else {
                    fold(&credit.researcher)
                };
                for b in bulletins.iter().cloned() {
                    let g = groups.entry((who.clone(), b)).or_insert_with(|| Group {
                        anonymous: credit.anonymous,
                        ..Group::default()
                    });
                    if !credit.researcher.is_empty() {
                        *g.names.entry(credit.researcher.clone()).or_default() += 1;
                    }
                    if !credit.organisation.is_empty() {
                        *g.orgs.entry(credit.organisation.clone()).or_default() += 1;
                    }
                    if !credit.partner.is_empty() {
                        *g.partners.entry(credit.partner.clone()).or_default() += 1;
                    }
                    g.cves.extend(line.cves.iter().map(ToString::to_string));
                    if let Some(l) = &d.locale {
                        g.locales.insert(l.clone());
                    }
                    g.sources.insert(d.path.clone());
                }
            }
        }
        readings.push(Reading {
            path: d.path.clone(),
            text: line.text.clone(),
            credits: kept,
        });
    }
    Grouped {
        groups,
        as_person,
        as_org,
        readings,
    }
}

/// One merged credit per group: its most common spellings, every alias,
/// CVE, locale and source, and its bulletin's or advisory's title.
fn merged(groups: Groups, titles: &Titles) -> Vec<MergedCredit> {
    let mut credits: Vec<MergedCredit> = groups
        .into_iter()
        .map(|((_, credited), g)| {
            let researcher = most_common(&g.names);
            let bulletin = credited.bulletin();
            let advisory = match &credited {
                Credited::Advisory(n) => titles.advisories.get(n).map(|a| (n, a)),
                _ => None,
            };
            MergedCredit {
                aliases: g
                    .names
                    .keys()
                    .filter(|n| **n != researcher)
                    .chain(&g.aliases)
                    .cloned()
                    .collect(),
                researcher,
                organisation: most_common(&g.orgs),
                partner: most_common(&g.partners),
                anonymous: g.anonymous,
                bulletin_id: bulletin,
                advisory: advisory.map(|(n, _)| n.clone()),
                cves: g.cves.into_iter().collect(),
                year: bulletin
                    .map(|b| b.year())
                    .or(advisory.and_then(|(_, a)| a.1)),
                title: bulletin
                    .and_then(|b| titles.bulletins.get(&b))
                    .map(|(_, t)| t.clone())
                    .or(advisory.map(|(_, a)| a.2.clone()))
                    .unwrap_or_default(),
                locales: g.locales.into_iter().collect(),
                sources: g.sources.into_iter().collect(),
            }
        })
        .collect();
    credits.sort_by(|a, b| {
        (fold(&a.researcher), &a.bulletin_id).cmp(&(fold(&b.researcher), &b.bulletin_id))
    });
    credits
}

/// The bulletin each CVE id is the bulletin's own: the one whose pages
/// state it in most locales, more than all others together (a bulletin's
/// pages state their CVEs in every locale, another bulletin's only in
/// passing). An Acknowledgments row names CVEs and no bulletin.
fn cve_owners(docs: &[Document]) -> HashMap<crate::model::CveId, BulletinId> {
    let mut count: HashMap<crate::model::CveId, BTreeMap<BulletinId, usize>> = HashMap::new();
    for d in docs.iter().filter(|d| d.kind == DocKind::Bulletin) {
        if let Some(id) = d.bulletin_id {
            for &cve in &d.cves {
                *count.entry(cve).or_default().entry(id).or_default() += 1;
            }
        }
    }
    count
        .into_iter()
        .filter_map(|(cve, by)| {
            let total: usize = by.values().sum();
            let (&id, &n) = by
                .iter()
                .max_by_key(|&(id, n)| (n, std::cmp::Reverse(id)))?;
            (n * 2 > total).then_some((cve, id))
        })
        .collect()
}

/// What a line that names no bulletin credits on a page that is no
/// advisory: the bulletins whose own CVEs it names, else nothing known.
fn credited_by_cves(
    line: &AckLine,
    owners: &HashMap<crate::model::CveId, BulletinId>,
) -> Vec<Credited> {
    let owned: BTreeSet<BulletinId> = line
        .cves
        .iter()
        .filter_map(|c| owners.get(c))
        .copied()
        .collect();
    if owned.is_empty() {
        vec![Credited::Unknown]
    } else {
        owned.into_iter().map(Credited::Bulletin).collect()
    }
}
