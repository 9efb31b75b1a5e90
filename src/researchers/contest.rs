//! The contest between the rules' reading of a line and its locale's
//! learned frame's: each locale's frame is learned from its lines against
//! the names the other locales credit for the same bulletins, every line is
//! read by it too, and the reading that agrees better with the other
//! locales wins.

use super::line::{Anchors, Line};
use super::*;

/// Reads every line by its locale's frame and keeps the better reading;
/// lines from `found_from` on were found by names, not by the rules.
pub(super) fn read_by_frames(
    parsed: &mut [Line],
    found_from: usize,
    anchors: &Anchors,
    check: &mut CreditCheck,
) {
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
    // What the other locales state for a bulletin, seen from one locale:
    // each anchor once, weighted by how many copies it stands for. A
    // bulletin's credits are stated once per locale, so without this each
    // line would be read against every copy, and the work would grow with
    // the square of the locales.
    let mut theirs: BTreeMap<(&Credited, String), Vec<frame::Anchor>> = BTreeMap::new();
    // Each line's keys into `theirs`: its bulletins, seen from its locale.
    let mut keys_by_line: Vec<Vec<(&Credited, String)>> = Vec::with_capacity(parsed.len());
    for l in parsed.iter() {
        let locale = l.doc.locale.clone().unwrap_or_default();
        let mut keys = Vec::new();
        // Lines of unknown bulletins share no key across locales.
        for b in l.credited.iter().filter(|b| **b != Credited::Unknown) {
            let Some((b, named)) = marks.get_key_value(b) else {
                continue;
            };
            let key = (*b, locale.clone());
            theirs.entry(key.clone()).or_insert_with(|| {
                let mut once: Vec<frame::Anchor> = Vec::new();
                for (other, a) in named {
                    if *other == locale {
                        continue;
                    }
                    match once.iter_mut().find(|o| o.same(a)) {
                        Some(o) => o.weight += a.weight,
                        None => once.push(a.clone()),
                    }
                }
                once
            });
            keys.push(key);
        }
        keys_by_line.push(keys);
    }
    let foreign_by_line: Vec<Vec<&frame::Anchor>> = keys_by_line
        .iter()
        .map(|keys| keys.iter().flat_map(|k| &theirs[k]).collect())
        .collect();
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
        drop_programme_owners(&mut l.credits, marks);
    }
}

/// Drops an organisation credited alone that the other locales write only
/// as the owner of the programme another credit of the line worked with:
/// `[TippingPoint] の [Zero Day Initiative] に協力している [VUPEN Security]`,
/// where they write `TippingPoint's Zero Day Initiative`, credits VUPEN
/// Security alone. Where another locale credits that organisation alone
/// for the bulletin too, it stays.
fn drop_programme_owners(credits: &mut Vec<Credit>, theirs: &[&frame::Anchor]) {
    let partners: Vec<String> = credits
        .iter()
        .filter(|c| !c.partner.is_empty())
        .map(|c| c.partner.clone())
        .collect();
    credits.retain(|c| {
        if !c.researcher.is_empty() || c.anonymous || c.organisation.is_empty() {
            return true;
        }
        let org = fold(&c.organisation);
        let alone_there = theirs.iter().any(|a| {
            a.credit.researcher.is_empty()
                && !a.credit.anonymous
                && fold(&a.credit.organisation) == org
        });
        let owner = partners.iter().any(|p| {
            fold(p) != org
                && theirs.iter().any(|a| {
                    contains_words(&a.credit.partner, &org) && contains_words(&a.credit.partner, p)
                })
        });
        alone_there || !owner
    });
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
            r.0 += i64::from(a.weight);
        } else {
            r.1 += i64::from(a.weight);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisation_the_others_write_as_a_programmes_owner_is_no_credit_of_its_own() {
        let c = |o: &str, p: &str| Credit {
            organisation: o.into(),
            partner: p.into(),
            ..Credit::default()
        };
        let vupen = c("VUPEN Security", "TippingPoint's Zero Day Initiative");
        let alone = c("TippingPoint", "");
        let read = || {
            vec![
                c("TippingPoint", ""),
                c("VUPEN Security", "Zero Day Initiative"),
            ]
        };
        let theirs: Vec<frame::Anchor> = frame::anchors_of(&vupen).collect();
        let mut credits = read();
        drop_programme_owners(&mut credits, &theirs.iter().collect::<Vec<_>>());
        assert_eq!(credits, vec![c("VUPEN Security", "Zero Day Initiative")]);
        // Where another locale credits it alone too, it stays.
        let theirs: Vec<frame::Anchor> = frame::anchors_of(&vupen)
            .chain(frame::anchors_of(&alone))
            .collect();
        let mut credits = read();
        drop_programme_owners(&mut credits, &theirs.iter().collect::<Vec<_>>());
        assert_eq!(credits, read());
    }
}
