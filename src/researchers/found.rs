//! The lines of a page whose rules found no thanks line (a language
//! without rules, a heading no table knows), found by what the other
//! locales credit for its bulletins: a line naming such a person verbatim
//! is a thanks line and credits that person here too.

use super::line::{Anchors, Line, credited_by, line_lang};
use super::*;

/// The lines of `docs` without a thanks line of their own (`parsed` are
/// the rules' lines), found by the names in `anchors`.
pub(super) fn found_by_names<'a>(
    docs: &'a [Document],
    parsed: &[Line<'a>],
    anchors: &Anchors,
    common: &HashSet<String>,
    check: &mut CreditCheck,
) -> Vec<Line<'a>> {
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
            Sought::new(d, &own, anchors, common)
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
    found_lines
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
        anchors: &'a Anchors,
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
        // Each name once: every locale that states a credit adds a copy,
        // and a copy is found (or not) where the first one is.
        let mut seen = HashSet::new();
        names.retain(|(b, a, name, org)| {
            seen.insert((
                *b,
                a.researcher.as_str(),
                a.organisation.as_str(),
                a.partner.as_str(),
                a.anonymous,
                name.clone(),
                *org,
            ))
        });
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
    let body = d.body.text();
    for text in body.lines().filter(|l| l.len() <= 600) {
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
