//! Reading every locale's thanks lines into credits: the rules first,
//! then the lines a locale without rules states by the other locales'
//! names, then the learned frame; the reading that agrees better wins.

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

/// One thanks line on its way to credits.
struct Line<'a> {
    doc: &'a Document,
    line: Cow<'a, AckLine>,
    credited: Vec<Credited>,
    /// The language the line is written in.
    lang: Lang,
    credits: Vec<Credit>,
}

impl Line<'_> {
    /// The frame a line is learned into and read by: its locale and language
    /// (English lines in a Japanese page have a frame of their own).
    fn frame_key(&self) -> String {
        format!(
            "{}/{}",
            self.doc.locale.as_deref().unwrap_or_default(),
            self.lang.code()
        )
    }
}

/// A line's language: its script decides where the page's does not
/// (English lines sit in Japanese pages, and the other way round).
fn line_lang(text: &str, page: Lang) -> Lang {
    use crate::script::{Script, scripts};
    let found = scripts(text);
    if found.contains(&Script::Kana) {
        Lang::Ja
    } else if found.contains(&Script::Han) {
        Lang::Zh
    } else if page.is_cjk() && !found.contains(&Script::Hangul) {
        Lang::En
    } else {
        page
    }
}

/// How well a reading of a line agrees with what the other locales credit
/// for its bulletins: each party they name too counts for it, a party no
/// name can be counts three times against it; a party only this locale
/// names counts neither way. Without `orgs_count`, only people count for it
/// (a line read by names alone states its organisations in its own words).
fn agreement(credits: &[Credit], theirs: &[&frame::Anchor], orgs_count: bool) -> i64 {
    // How often the other locales state each name as a person, and as an
    // organisation or programme: a name counts in the role most give it.
    let mut roles: HashMap<&str, (i64, i64)> = HashMap::new();
    for a in theirs {
        let r = roles.entry(a.folded.as_str()).or_default();
        if a.role == frame::Role::Person {
            r.0 += 1;
        } else {
            r.1 += 1;
        }
    }
    let mut score = 0;
    for c in credits {
        for (party, person, weight) in [
            (&c.researcher, true, 2),
            (&c.organisation, false, i64::from(orgs_count)),
            (&c.partner, false, i64::from(orgs_count)),
        ] {
            if party.is_empty() {
                continue;
            }
            let (as_person, as_org) = roles.get(fold(party).as_str()).copied().unwrap_or_default();
            let agreed = if person {
                as_person > as_org
            } else {
                as_org > 0 && as_org >= as_person
            };
            score += if agreed {
                weight
            } else if malformed(party).is_some() {
                -3
            } else {
                0
            };
        }
        if c.anonymous && theirs.iter().any(|a| a.credit.anonymous) {
            score += 2;
        }
    }
    score
}

/// How many parties of `credits` no other locale names.
fn unknown_parties(credits: &[Credit], theirs: &[&frame::Anchor]) -> usize {
    credits
        .iter()
        .flat_map(|c| [&c.researcher, &c.organisation, &c.partner])
        .filter(|p| {
            !p.is_empty() && {
                let p = fold(p);
                !theirs.iter().any(|a| a.folded == p)
            }
        })
        .count()
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

/// Builds the merged credits of `docs`.
pub fn collect(docs: &[Document]) -> CreditStore {
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

    let mut groups: Groups = BTreeMap::new();
    // How often a folded name is stated as a person, and as an organisation or programme.
    let mut as_person: HashMap<String, usize> = HashMap::new();
    let mut as_org: HashMap<String, usize> = HashMap::new();
    let common = common_words(docs);
    let mut check = CreditCheck::default();
    let owners = cve_owners(docs);
    // Every line parsed once by the rules, with what it credits.
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
                Credited::Unknown => credited_by_cves(line, &owners),
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
    // What each bulletin's cleanly read credits name, in every locale: the
    // anchors a malformed party is read against.
    let mut anchors: BTreeMap<Credited, Vec<(&str, Credit)>> = BTreeMap::new();
    for l in &parsed {
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
    // A document whose rules found no thanks line (a language without
    // rules, a heading no table knows) is read by what the other locales
    // credit for its bulletins: a line of it naming such a person, verbatim,
    // is a thanks line, and credits that person here too.
    let with_acks: BTreeSet<&str> = parsed.iter().map(|l| l.doc.path.as_str()).collect();
    let without: Vec<&Document> = docs
        .iter()
        .filter(|d| {
            matches!(d.kind, DocKind::Bulletin | DocKind::Summary)
                && !with_acks.contains(d.path.as_str())
        })
        .collect();
    let sought: Vec<Sought> = without
        .iter()
        .map(|d| {
            let own: Vec<BulletinId> = d
                .bulletin_id
                .into_iter()
                .chain(d.entries.iter().filter_map(|e| e.bulletin_id))
                .collect();
            Sought::new(d, &own, &anchors, &common)
        })
        .collect();
    // Where the locale's thanks heading is learned, its sections are the
    // thanks lines, links and unnamed lines too (`Einer Person, die anonym
    // bleiben möchte …`); elsewhere the page's lines naming the credits.
    let headings = thanks_headings(&without, &sought);
    check.thanks_headings = headings.len();
    let mut found_lines = Vec::new();
    for (d, sought) in without.iter().copied().zip(&sought) {
        let locale = d.locale.clone().unwrap_or_default();
        let lang = d.lang.unwrap_or(Lang::En);
        let listed: Vec<&AckLine> = d
            .listings
            .iter()
            .filter(|s| headings.contains(&(locale.clone(), heading_key(&s.heading))))
            .flat_map(|s| &s.lines)
            .collect();
        if listed.is_empty() {
            for (line, credited, credits) in lines_naming_anchors(d, sought) {
                found_lines.push(Line {
                    doc: d,
                    lang: line_lang(&line.text, lang),
                    line: Cow::Owned(line),
                    credited,
                    credits,
                });
            }
            continue;
        }
        // Anonymous credits the other locales state, per bulletin, each
        // given to one line of the page that names nobody: as many as the
        // locale stating most of them has (two unnamed finders of MS08-019).
        let mut unnamed: Vec<(BulletinId, &Credit)> = Vec::new();
        let bulletins: BTreeSet<BulletinId> = listed
            .iter()
            .flat_map(|l| l.bulletin_ids.iter().copied())
            .collect();
        for b in bulletins {
            let mut per: BTreeMap<(&str, String), (usize, &Credit)> = BTreeMap::new();
            for (l, c) in anchors.get(&Credited::Bulletin(b)).into_iter().flatten() {
                if c.anonymous && *l != locale {
                    per.entry((*l, fold(&c.partner))).or_insert((0, c)).0 += 1;
                }
            }
            let mut most: BTreeMap<String, (usize, &Credit)> = BTreeMap::new();
            for ((_, partner), (n, c)) in per {
                let slot = most.entry(partner).or_insert((0, c));
                if n > slot.0 {
                    *slot = (n, c);
                }
            }
            for (n, c) in most.into_values() {
                unnamed.extend(std::iter::repeat_n((b, c), n));
            }
        }
        for line in listed {
            let named: BTreeSet<BulletinId> = line.bulletin_ids.iter().copied().collect();
            let (found, mut credits) = sought.in_line(&line.text, &named);
            if credits.is_empty() {
                // A line naming nobody the others credit is the anonymous
                // credit they state for its bulletin (`En anonym person …`),
                // else no thanks line this reading can vouch for.
                let folded = fold(&line.text);
                let said = |c: &Credit| {
                    fold(&c.partner)
                        .split_whitespace()
                        .filter(|w| folded.contains(w))
                        .count()
                };
                let Some(at) = (0..unnamed.len())
                    .filter(|&i| named.contains(&unnamed[i].0))
                    .max_by_key(|&i| (said(unnamed[i].1), std::cmp::Reverse(i)))
                else {
                    continue;
                };
                let mut c = unnamed.remove(at).1.clone();
                // The programme as this line spells it: its link sharing
                // most of the others' words (`Zero Day Initiative van
                // TippingPoint`, not `TippingPoint's Zero Day Initiative`).
                let words: Vec<String> = fold(&c.partner)
                    .split_whitespace()
                    .filter(|w| w.chars().count() >= 4)
                    .map(String::from)
                    .collect();
                let shared = |link: &String| {
                    let link = fold(link);
                    words.iter().filter(|w| link.contains(w.as_str())).count()
                };
                if let Some(link) = line
                    .links
                    .iter()
                    .filter(|l| shared(l) > 0)
                    .max_by_key(|l| shared(l))
                {
                    c.partner = link.clone();
                }
                credits.push(c);
            }
            let credited = credited_by(line, || found);
            found_lines.push(Line {
                doc: d,
                lang: line_lang(&line.text, lang),
                line: Cow::Borrowed(line),
                credited,
                credits,
            });
        }
    }
    let found_from = parsed.len();
    parsed.extend(found_lines);
    // Each locale's frame, learned from its lines against the names the
    // other locales credit for the same bulletins; every line is read by it
    // too, and the reading that agrees better with the other locales wins.
    let keys: Vec<String> = parsed.iter().map(Line::frame_key).collect();
    // The names to find, tokenised once per credit.
    let marks: BTreeMap<&Credited, Vec<(&str, frame::Anchor)>> = anchors
        .iter()
        .map(|(b, v)| {
            let named = v
                .iter()
                .flat_map(|(locale, c)| frame::anchors_of(c).map(move |a| (*locale, a)))
                .collect();
            (b, named)
        })
        .collect();
    let foreign = |l: &Line| -> Vec<&frame::Anchor> {
        let locale = l.doc.locale.as_deref().unwrap_or_default();
        // Lines of unknown bulletins share no key across locales.
        l.credited
            .iter()
            .filter(|b| **b != Credited::Unknown)
            .flat_map(|b| marks.get(b).into_iter().flatten())
            .filter(|(other, _)| *other != locale)
            .map(|(_, a)| a)
            .collect()
    };
    let foreign_by_line: Vec<Vec<&frame::Anchor>> = parsed.iter().map(foreign).collect();
    let samples: Vec<frame::Sample> = parsed
        .iter()
        .zip(&keys)
        .zip(&foreign_by_line)
        .map(|((l, key), theirs)| frame::Sample {
            key,
            text: &l.line.text,
            anchors: theirs.clone(),
        })
        .collect();
    let frames = frame::Frames::learn(&samples);
    drop(samples);
    check.frame_words = frames.sizes();
    for (i, l) in parsed.iter_mut().enumerate() {
        let marks = &foreign_by_line[i];
        if let Some(read) = frames.read(&keys[i], &l.line.text, &l.line.links, marks) {
            let theirs = marks;
            // A line found by the names in it has only their copies to beat.
            let by_rules = i < found_from;
            let (by_frame, by_rules_score) = (
                agreement(&read, theirs, by_rules),
                agreement(&l.credits, theirs, by_rules),
            );
            let has_rules = !crate::vocab::credit_words(l.lang).reason.is_empty() && by_rules;
            // Nor may the frame's reading bring in more names no other locale
            // states than the rules' reading has: that is reason text misread.
            let unknown = |cs: &[Credit]| unknown_parties(cs, theirs);
            // The rules keep a line they read cleanly unless the frame finds
            // more of the people the other locales credit and no more names
            // that no other locale states (reason text misread); a line they
            // misread, or a language they have no words for, goes to the
            // reading that agrees better.
            let people = |cs: &[Credit]| agreement(cs, theirs, false);
            let misread = l.credits.iter().any(|c| !is_clean(c));
            let better = if has_rules && !misread {
                people(&read) > people(&l.credits) && unknown(&read) <= unknown(&l.credits)
            } else {
                // A tie goes to the frame, unless the line is the anonymous
                // credit the others state (the frame would call `person` a name).
                let anonymous = !l.credits.is_empty()
                    && l.credits
                        .iter()
                        .all(|c| c.anonymous && c.researcher.is_empty());
                by_frame > by_rules_score
                    || (by_frame == by_rules_score && !has_rules && !read.is_empty() && !anonymous)
            };
            if better {
                check.read_by_frame += 1;
                l.credits = read;
            }
        }
        // A party that opens or ends with the locale's own frame words
        // is read too wide (`die`, `… University og`); the other locales'
        // names are kept as they stand. An aside in another script is no
        // part of a name.
        for c in &mut l.credits {
            for p in [&mut c.researcher, &mut c.organisation, &mut c.partner] {
                if let Some(kept) = without_foreign_aside(p) {
                    *p = kept;
                }
                if marks.iter().any(|a| a.folded == fold(p)) {
                    continue;
                }
                if let Some(trimmed) = frames.trim_edges(&keys[i], p) {
                    check.frame_trimmed += 1;
                    *p = trimmed;
                }
            }
            // Where they are from is no affiliation, however the line was read.
            if is_place(&c.organisation) {
                c.organisation.clear();
            }
        }
        l.credits
            .retain(|c| !c.researcher.is_empty() || !c.organisation.is_empty() || c.anonymous);
    }
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
            repair(c, &here, &locale, &mut check, &mut out);
        }
        repaired_lines.push((l.doc, l.line, l.credited, out));
    }
    let mut readings = Vec::new();
    for (d, line, credited, credits) in repaired_lines {
        let bulletins = credited;
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
    let groups = merge_variants(groups, &as_person, &as_org);
    let mut credits: Vec<MergedCredit> = groups
        .into_iter()
        .map(|((_, credited), g)| {
            let researcher = most_common(&g.names);
            let bulletin = credited.bulletin();
            let advisory = match &credited {
                Credited::Advisory(n) => advisories.get(n).map(|a| (n, a)),
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
                bulletin_id: bulletin.map(|b| b.to_string()),
                advisory: advisory.map(|(n, _)| n.clone()),
                cves: g.cves.into_iter().collect(),
                year: bulletin
                    .map(|b| b.year())
                    .or(advisory.and_then(|(_, a)| a.1)),
                title: bulletin
                    .and_then(|b| titles.get(&b))
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
    CreditStore {
        credits,
        check,
        readings,
    }
}

/// The names a page's lines may state: what the other locales credit for
/// the page's own bulletins.
struct Sought<'a> {
    kind: DocKind,
    /// Bulletin, credit, folded name, whether the name is an organisation's.
    names: Vec<(BulletinId, &'a Credit, String, bool)>,
}

impl<'a> Sought<'a> {
    fn new(
        d: &Document,
        own: &[BulletinId],
        anchors: &'a BTreeMap<Credited, Vec<(&str, Credit)>>,
        common: &HashSet<String>,
    ) -> Sought<'a> {
        // A full name, or a handle distinctive enough to find in a line: five
        // letters or more and no word the corpus's titles and summaries use.
        let distinctive = |name: &str| {
            name.split_whitespace().count() >= 2
                || (name.chars().count() >= 5 && !common.contains(&fold(name)))
        };
        // Who to look for: people by their name; organisation-only credits by
        // the organisation, which counts only where the line names its bulletin
        // too (a summary's thanks list): elsewhere an organisation is also
        // product text ("Google Chrome").
        let mut names: Vec<(BulletinId, &Credit, String, bool)> = own
            .iter()
            .flat_map(|&b| {
                anchors
                    .get(&Credited::Bulletin(b))
                    .into_iter()
                    .flatten()
                    .map(move |(_, a)| (b, a))
            })
            .filter_map(|(b, a)| {
                if !a.researcher.is_empty() {
                    distinctive(&a.researcher).then(|| (b, a, fold(&a.researcher), false))
                } else if !a.anonymous && !a.organisation.is_empty() {
                    Some((b, a, fold(&a.organisation), true))
                } else if a.anonymous && !a.partner.is_empty() {
                    Some((b, a, fold(&a.partner), true))
                } else {
                    None
                }
            })
            .collect();
        // People first, in order; organisations after them.
        names.sort_by_key(|s| s.3);
        Sought {
            kind: d.kind,
            names,
        }
    }

    /// The credits `text` states verbatim, and the bulletins they are
    /// credited for; `named` are the bulletins the line names (or its group).
    fn in_line(&self, text: &str, named: &BTreeSet<BulletinId>) -> (Vec<Credited>, Vec<Credit>) {
        let folded = format!(" {} ", fold(text));
        let has_cve = !crate::extract::ids::cves(text).is_empty();
        let mut credits: Vec<Credit> = Vec::new();
        let mut credited: Vec<Credited> = Vec::new();
        for (b, a, name, org_only) in &self.names {
            // A bulletin's own thanks lines name their CVE.
            let credits_b = (self.kind == DocKind::Bulletin
                && (!org_only || (has_cve && a.anonymous)))
                || named.contains(b);
            let already = credits.iter().any(|c| {
                fold(&c.researcher) == *name
                    || (*org_only
                        && c.researcher.is_empty()
                        && (fold(&c.organisation) == *name || fold(&c.partner) == *name))
            });
            if credits_b && !already && folded.contains(&format!(" {name} ")) {
                credits.push(Credit {
                    researcher: a.researcher.clone(),
                    organisation: a.organisation.clone(),
                    partner: a.partner.clone(),
                    anonymous: a.anonymous,
                });
                if !credited.contains(&Credited::Bulletin(*b)) {
                    credited.push(Credited::Bulletin(*b));
                }
            }
        }
        // An organisation or programme the others credit alone (or with an
        // anonymous finder), in a line crediting a person with it, is that
        // person's (`Damian Put i samarbeid med VeriSign iDefense VCP`,
        // `Jose Antonio Vazquez Gonzalez i samarbeid med TippingPoints Zero
        // Day Initiative`).
        // `TippingPoints`, `TippingPoint's` and `TippingPoint` are one
        // name: words compare without a final s.
        let words = |s: &str| -> BTreeSet<String> {
            fold(s)
                .split(' ')
                .map(|w| w.trim_end_matches('s').to_string())
                .filter(|w| !w.is_empty())
                .collect()
        };
        let theirs: Vec<BTreeSet<String>> = credits
            .iter()
            .filter(|c| !c.researcher.is_empty())
            .flat_map(|c| [&c.organisation, &c.partner])
            .filter(|o| !o.is_empty())
            .map(|o| words(o))
            .collect();
        let people: Vec<String> = credits
            .iter()
            .map(|c| fold(&c.researcher))
            .filter(|r| !r.is_empty())
            .collect();
        let times = |name: &str| folded.matches(&format!(" {name} ")).count();
        credits.retain(|c| {
            let party = if c.anonymous {
                &c.partner
            } else {
                &c.organisation
            };
            let theirs_too = c.researcher.is_empty()
                && !party.is_empty()
                && theirs.iter().any(|o| words(party).is_subset(o));
            // A name that stands only inside a longer one found here is part
            // of it (another locale split `Jose Antonio` from `Vazquez
            // Gonzalez`).
            let r = fold(&c.researcher);
            let inside = !r.is_empty()
                && people
                    .iter()
                    .filter(|p| **p != r && contains_words(p, &r))
                    .map(|p| times(p))
                    .sum::<usize>()
                    >= times(&r);
            !theirs_too && !inside
        });
        (credited, credits)
    }
}

/// The lines of a page with no thanks section that name, verbatim, what
/// the other locales credit for its bulletins, with those credits.
fn lines_naming_anchors(
    d: &Document,
    sought: &Sought,
) -> Vec<(AckLine, Vec<Credited>, Vec<Credit>)> {
    if sought.names.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    // A summary's thanks list groups its lines under a line that is only
    // the bulletin's id (`**MS13-022**`); they name their CVEs, not it.
    let mut group: Option<BulletinId> = None;
    for text in d.body.lines().filter(|l| l.len() <= 600) {
        let bare = text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | ':' | '#'));
        if let Ok(id) = bare.parse::<BulletinId>() {
            group = Some(id);
            continue;
        }
        let mut named = crate::extract::ids::bulletins(text);
        if d.kind == DocKind::Summary
            && named.is_empty()
            && let Some(g) = group
        {
            named.insert(g);
        }
        let (credited, credits) = sought.in_line(text, &named);
        if credits.is_empty() {
            continue;
        }
        let line = AckLine {
            bulletin_ids: credited.iter().filter_map(Credited::bulletin).collect(),
            cves: crate::extract::ids::cves(text).into_iter().collect(),
            text: text.to_string(),
            links: Vec::new(),
        };
        out.push((line, credited, credits));
    }
    out
}

/// What a thanks line credits: the bulletins it names (or its group or
/// page does), else `otherwise`.
fn credited_by(line: &AckLine, otherwise: impl FnOnce() -> Vec<Credited>) -> Vec<Credited> {
    if line.bulletin_ids.is_empty() {
        otherwise()
    } else {
        line.bulletin_ids
            .iter()
            .copied()
            .map(Credited::Bulletin)
            .collect()
    }
}

/// A section heading as compared across pages: folded, without ids and
/// numbers (`Danksagung`, `感謝`).
fn heading_key(heading: &str) -> String {
    fold(heading)
        .split_whitespace()
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each locale's thanks headings, learned where no table knows them: the
/// listing sections (see [`crate::extract::Document::listings`]) whose lines
/// name what the other locales credit, on at least 3 pages and on one in
/// five of the pages that have that heading. An FAQ or a list of affected
/// software names no researcher.
fn thanks_headings(docs: &[&Document], sought: &[Sought]) -> HashSet<(String, String)> {
    // (locale, heading) → pages with it, pages where it names a credit.
    let mut seen: HashMap<(String, String), (usize, usize)> = HashMap::new();
    for (d, sought) in docs.iter().zip(sought) {
        let locale = d.locale.clone().unwrap_or_default();
        let mut keys: BTreeMap<String, bool> = BTreeMap::new();
        for s in &d.listings {
            let names = s.lines.iter().any(|l| {
                let named: BTreeSet<BulletinId> = l.bulletin_ids.iter().copied().collect();
                !sought.in_line(&l.text, &named).1.is_empty()
            });
            *keys.entry(heading_key(&s.heading)).or_default() |= names;
        }
        for (k, names) in keys {
            let slot = seen.entry((locale.clone(), k)).or_default();
            slot.0 += 1;
            slot.1 += usize::from(names);
        }
    }
    seen.into_iter()
        .filter(|(_, (pages, naming))| *naming >= 3 && naming * 5 >= *pages)
        .map(|(k, _)| k)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the other locales credit for MS11-050, found in a line of a
    /// locale without rules: the whole name, not the parts another locale
    /// split it into, and not the anonymous finder of the same programme.
    #[test]
    fn a_line_found_by_names_credits_the_longest_name_and_no_copy_of_its_programme() {
        let credit = |r: &str, p: &str, anonymous: bool| Credit {
            researcher: r.into(),
            partner: p.into(),
            anonymous,
            ..Credit::default()
        };
        let theirs = [
            credit(
                "Jose Antonio Vazquez Gonzalez",
                "TippingPoint's Zero Day Initiative",
                false,
            ),
            credit("Jose Antonio", "TippingPoint Zero Day Initiative", false),
            credit("Vazquez Gonzalez", "", false),
            credit("", "TippingPoints Zero Day Initiative", true),
        ];
        let ms11_050: BulletinId = "MS11-050".parse().unwrap();
        let sought = Sought {
            kind: DocKind::Summary,
            names: theirs
                .iter()
                .map(|c| {
                    let name = if c.anonymous {
                        &c.partner
                    } else {
                        &c.researcher
                    };
                    (ms11_050, c, fold(name), c.anonymous)
                })
                .collect(),
        };
        let named = BTreeSet::from([ms11_050]);
        let (credited, found) = sought.in_line(
            "Jose Antonio Vazquez Gonzalez i samarbeid med TippingPoints Zero Day Initiative \
             for rapporten om et sikkerhetsproblem som beskrives i MS11-050",
            &named,
        );
        assert_eq!(credited, vec![Credited::Bulletin(ms11_050)]);
        assert_eq!(found, vec![theirs[0].clone()]);
        // Where the line names the parts apart, they stand.
        let (_, found) = sought.in_line(
            "Jose Antonio og Vazquez Gonzalez i samarbeid med TippingPoints Zero Day Initiative",
            &named,
        );
        assert_eq!(found, vec![theirs[1].clone(), theirs[2].clone()]);
    }
}
