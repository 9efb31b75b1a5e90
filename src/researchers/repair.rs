//! Parties no name can be, repaired from what the other locales state
//! for the same bulletin, else salvaged by shape, else counted.

use super::*;

/// Replaces a malformed organisation or programme: the next organisation
/// the anchors name inside it, else what its shape keeps, else nothing
/// (counted). Returns whether something was kept.
fn mend_org<'a>(
    field: &mut String,
    why: &str,
    anchored: &mut impl Iterator<Item = &'a str>,
    check: &mut CreditCheck,
    locale: &str,
) -> bool {
    match anchored
        .next()
        .map(str::to_string)
        .or_else(|| salvage(field, true))
    {
        Some(o) => {
            *field = o;
            true
        }
        None => {
            check.fail(locale, field, why);
            field.clear();
            false
        }
    }
}

impl CreditCheck {
    /// Counts a party nothing could repair.
    fn fail(&mut self, locale: &str, party: &str, why: &str) {
        self.failures += 1;
        *self
            .failures_per_locale
            .entry(locale.to_string())
            .or_default() += 1;
        *self.failures_per_reason.entry(why.to_string()).or_default() += 1;
        if self.samples.len() < 400 {
            self.samples.push(format!("{locale}: {party:?} ({why})"));
        }
    }
}

/// Whether every party of a credit can be a name.
pub(super) fn is_clean(c: &Credit) -> bool {
    malformed(&c.researcher).is_none()
        && malformed_org(&c.organisation).is_none()
        && malformed_org(&c.partner).is_none()
}

/// Whether `needle`'s folded words stand, whole, in `hay`'s.
pub(super) fn contains_words(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (fold(hay), fold(needle));
    !needle.is_empty() && format!(" {hay} ").contains(&format!(" {needle} "))
}

/// A credit as read, or, when a party of it is malformed, repaired from
/// `anchors` (the clean credits of the same bulletin in every locale) whose
/// names stand verbatim inside the malformed party: `ISS X-Force で
/// リサーチを実施している Mark Dowd` is Mark Dowd of ISS X-Force where
/// another locale says so. What no anchor explains is salvaged by shape
/// (see [`salvage`]), else counted and dropped.
pub(super) fn repair(
    c: &Credit,
    anchors: &[&Credit],
    locale: &str,
    check: &mut CreditCheck,
    out: &mut Vec<Credit>,
) {
    // A person the other locales credit for this bulletin, standing inside an
    // organisation-only credit's organisation, is that person
    // (`Tavis Ormandy hosi Google Security Team`): the party is misread.
    let absorbs_a_name = c.researcher.is_empty()
        && anchors.iter().any(|a| {
            !a.researcher.is_empty()
                && fold(&a.researcher) != fold(&c.organisation)
                && contains_words(&c.organisation, &a.researcher)
        });
    let bad_name = malformed(&c.researcher);
    let bad_org = malformed_org(&c.organisation).or(absorbs_a_name.then_some("holds a name"));
    let bad_partner = malformed_org(&c.partner);
    if bad_name.is_none() && bad_org.is_none() && bad_partner.is_none() {
        out.push(c.clone());
        return;
    }
    check.malformed += 1;
    let bad: String = [
        (bad_name, &c.researcher),
        (bad_org, &c.organisation),
        (bad_partner, &c.partner),
    ]
    .iter()
    .filter(|(why, _)| why.is_some())
    .map(|(_, p)| p.as_str())
    .collect::<Vec<_>>()
    .join(" ");
    let mut people: Vec<&Credit> = Vec::new();
    for a in anchors {
        if !a.researcher.is_empty()
            && contains_words(&bad, &a.researcher)
            && !people
                .iter()
                .any(|p| fold(&p.researcher) == fold(&a.researcher))
        {
            people.push(a);
        }
    }
    // Organisations named inside, the longest first; one inside another is one.
    let mut orgs: Vec<&str> = anchors
        .iter()
        .flat_map(|a| [a.organisation.as_str(), a.partner.as_str()])
        .filter(|o| !o.is_empty() && contains_words(&bad, o))
        .collect();
    orgs.sort_by_key(|o| std::cmp::Reverse(o.len()));
    orgs.dedup();
    let mut distinct: Vec<&str> = Vec::new();
    for o in orgs {
        if !distinct.iter().any(|d| contains_words(d, o)) {
            distinct.push(o);
        }
    }
    if bad_name.is_some() || (c.researcher.is_empty() && !people.is_empty()) {
        if people.is_empty() {
            match salvage(&c.researcher, false) {
                Some(name) => {
                    check.repaired += 1;
                    let mut kept = c.clone();
                    kept.researcher = name;
                    kept.organisation = salvage(&c.organisation, true)
                        .or_else(|| bad_org.is_none().then(|| c.organisation.clone()))
                        .unwrap_or_default();
                    kept.partner = salvage(&c.partner, true)
                        .or_else(|| bad_partner.is_none().then(|| c.partner.clone()))
                        .unwrap_or_default();
                    out.push(kept);
                }
                None => check.fail(
                    locale,
                    &c.researcher,
                    bad_name.unwrap_or("reads as a phrase"),
                ),
            }
            return;
        }
        check.repaired += 1;
        for p in people {
            out.push(Credit {
                researcher: p.researcher.clone(),
                organisation: p.organisation.clone(),
                partner: if bad_partner.is_some() {
                    p.partner.clone()
                } else {
                    c.partner.clone()
                },
                anonymous: false,
            });
        }
        return;
    }
    let mut repaired = c.clone();
    let mut anchored = distinct.into_iter();
    let mut kept = true;
    if let Some(why) = bad_org {
        kept &= mend_org(
            &mut repaired.organisation,
            why,
            &mut anchored,
            check,
            locale,
        );
    }
    if let Some(why) = bad_partner {
        kept &= mend_org(&mut repaired.partner, why, &mut anchored, check, locale);
    }
    if kept {
        check.repaired += 1;
    }
    if !repaired.researcher.is_empty() || !repaired.organisation.is_empty() || repaired.anonymous {
        out.push(repaired);
    }
}
