//! Finding ids in running text: KB numbers (anchored on `KB`, `Q`, `kb/`
//! links and article phrases, never a bare number), CVE ids in all their
//! spellings, bulletin ids, and the main KB of a title.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{BulletinId, CveId, KbNumber};
use crate::parse::Link;
use crate::vocab::KB_PHRASES;

static CVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:CVE|CAN)(?:\s*-\s*CAN)?[\s\-\u2010-\u2015]{0,3}[0-9]{4}\s*[\-\u2010-\u2015]\s*[0-9]{3,7}(?-u:\b)")
        .expect("regex")
});
static BULLETIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)MS[0-9]{2}(?:(?:-{1,2}|[\u2010-\u2015]) ?| )[0-9]{2,4}(?-u:\b)")
        .expect("regex")
});
static KB_MARKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:(?-u:\b)KB\s?:?\s?|(?-u:\b)Q|kb/|kb;[a-z]{2}-[a-z]{2};|kbid=)([0-9]{6,7})(?-u:\b)",
    )
    .expect("regex")
});
static KB_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    let phrases: Vec<String> = crate::vocab::rows(KB_PHRASES, |r| r.0)
        .flat_map(|(_, ps)| ps.iter())
        .map(|p| regex::escape(p))
        .collect();
    Regex::new(&format!(
        r"(?i)(?:{})\s*(?:\(?KB\)?\s*)?[#:]?\s*([0-9]{{6,7}})(?-u:\b)",
        phrases.join("|")
    ))
    .expect("regex")
});
static PAREN_GROUP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(([^()]*)\)").expect("regex"));
static KB_IN_GROUP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^\d])(?:KB|Q)?\s?([0-9]{6,7})(?:[^\d]|$)").expect("regex")
});
static TRAILING_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)[\s(](?:KB|Q)?([0-9]{6,7})\)*[.:]?\s*$").expect("regex"));

/// Every CVE id in `text`, normalised, without repeats.
pub fn cves(text: &str) -> BTreeSet<CveId> {
    CVE.find_iter(text)
        .filter_map(|m| m.as_str().parse().ok())
        .collect()
}

/// `text` without its CVE ids, and the one id it names; `None` where it
/// names none or several.
pub fn without_one_cve(text: &str) -> Option<(CveId, String)> {
    let found: Vec<_> = CVE.find_iter(text).collect();
    let first: CveId = found.first()?.as_str().parse().ok()?;
    if found
        .iter()
        .any(|m| m.as_str().parse::<CveId>().ok() != Some(first))
    {
        return None;
    }
    Some((first, CVE.replace_all(text, " ").into_owned()))
}

/// Every bulletin id in `text`.
pub fn bulletins(text: &str) -> BTreeSet<BulletinId> {
    BULLETIN
        .find_iter(text)
        .filter_map(|m| m.as_str().parse().ok())
        .collect()
}

/// The first bulletin id in `text`, if any.
pub fn first_bulletin(text: &str) -> Option<BulletinId> {
    BULLETIN
        .find_iter(text)
        .find_map(|m| m.as_str().parse().ok())
}

/// Where the first bulletin id in `text` starts, if any.
pub fn first_bulletin_at(text: &str) -> Option<usize> {
    BULLETIN.find(text).map(|m| m.start())
}

/// KB numbers `text` and `links` mention through a marker (`KB`, `Q`,
/// `kb/` or `kb;xx-xx;` links, an article phrase). Bare numbers are not KBs.
pub fn kbs(text: &str, links: &[Link]) -> BTreeSet<KbNumber> {
    let mut out: BTreeSet<KbNumber> = KB_MARKED
        .captures_iter(text)
        .chain(KB_PHRASE.captures_iter(text))
        .filter_map(|c| c[1].parse().ok())
        .collect();
    for link in links {
        for c in KB_MARKED.captures_iter(&link.href) {
            if let Ok(k) = c[1].parse() {
                out.insert(k);
            }
        }
    }
    out
}

/// The KB numbers a bulletin title names, main one first: the numbers of the
/// last parenthesised group that holds any (`(941569 und 944275)`,
/// `(Q263968)`, `(KB960225)`), else an unclosed or bare trailing number.
pub fn title_kbs(title: &str) -> Vec<KbNumber> {
    let one_line = title.replace('\n', " ");
    let groups: Vec<_> = PAREN_GROUP.captures_iter(&one_line).collect();
    for group in groups.iter().rev() {
        let found: Vec<KbNumber> = KB_IN_GROUP
            .captures_iter(&group[1])
            .filter_map(|c| c[1].parse().ok())
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    TRAILING_NUMBER
        .captures(&one_line)
        .and_then(|c| c[1].parse().ok())
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb(n: u32) -> KbNumber {
        KbNumber::from_number(n).unwrap()
    }

    #[test]
    fn the_main_kb_is_the_last_parenthesised_number_of_the_title() {
        for (title, expected) in [
            (
                "Sårbarheder i GDI kan give mulighed for fjernudførelse af kode (925902)",
                vec![925902],
            ),
            ("Cumulative Security Update (Q263968)", vec![263968]),
            ("Door X (KB960225)", vec![960225]),
            (
                "Sicherheitsanfälligkeit (941569 und 944275)",
                vec![941569, 944275],
            ),
            ("GDI の脆弱性 (816458\n)", vec![816458]),
            ("Windows の脆弱性 (816458", vec![816458]),
            ("Sicherheitsupdate (3000414))", vec![3000414]),
            ("… ermöglichen 3000061)", vec![3000061]),
            ("… führen 905414", vec![905414]),
            ("Door X (907245).", vec![907245]),
            ("Microsoft Windows (835732) 安全性更新", vec![835732]),
            ("Office (Windows 2000) kan (955218):", vec![955218]),
            ("Door X (86782)", vec![]),
            ("深くネスト化した OWA リクエストにより", vec![]),
        ] {
            assert_eq!(
                title_kbs(title),
                expected.into_iter().map(kb).collect::<Vec<_>>(),
                "{title}"
            );
        }
    }

    #[test]
    fn kb_mentions_need_a_marker() {
        let links = vec![Link {
            text: "x".into(),
            href: "https://support.microsoft.com/kb/816458".into(),
        }];
        let found = kbs(
            "KB937057, KB 925902, Q263968, Knowledge Base-Artikel 924164, サポート技術情報 925939; linkid=21140, contentKeyID: 61224031, 6.0.2900.3156",
            &links,
        );
        assert_eq!(
            found.into_iter().map(KbNumber::get).collect::<Vec<_>>(),
            vec![263968, 816458, 924164, 925902, 925939, 937057]
        );
    }

    #[test]
    fn cve_variants_are_found_in_text() {
        let found = cves(
            "CVE 2007-6026, CVE2016-7218, CVE-2014 -4148, (CAN-2004-0597), cve-2007-0038, CVE–2017-0023, CVE-2006-38673",
        );
        assert_eq!(
            found.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec![
                "CVE-2004-0597",
                "CVE-2007-0038",
                "CVE-2007-6026",
                "CVE-2014-4148",
                "CVE-2016-7218",
                "CVE-2017-0023"
            ]
        );
    }

    #[test]
    fn bulletin_ids_are_found_in_text() {
        let found = bulletins("[MS07-020.](x) MS08-28, ms06-044.mspx, MS14 083, MS08- 045, MSXML");
        assert_eq!(
            found.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec!["MS06-044", "MS07-020", "MS08-028", "MS08-045", "MS14-083"]
        );
    }
}
