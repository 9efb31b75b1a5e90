//! Acknowledgment lines into credits: researcher, organisation, "working
//! with" partner, anonymous flag. One line can hold several credits
//! (`A og B fra [Org]`, `A van [X], B van [Y] en C van [Z]`).
//!
//! Latin-script lines are cut at the reason ("for at have rapporteret …"),
//! the partner clause is taken off, the rest is split into parties at commas
//! and "and", and each party is read as name + connective + organisation
//! (or organisation + connective + name, `ved`). Japanese puts the credit
//! last (`… を報告してくださった [Org] の Name 氏`), Chinese first
//! (`感謝 [Org] 的 Name 回報 …`). All words come from `vocab::CREDIT_WORDS`;
//! link texts tell organisations from people where a party is a bare name.
//!
//! `latin` and `cjk` read the lines, `names` tells a party's shape and
//! cleans it, `malformed` says which parties no name can be. Where a
//! language has no words here, `researchers::frame` reads its lines from
//! what the other locales credit.

use serde::Serialize;

use crate::model::Lang;
use crate::vocab::{CreditWords, credit_words};

mod cjk;
mod latin;
mod malformed;
mod names;

use cjk::*;
use latin::*;
pub(crate) use latin::{is_place, without_foreign_aside};
use malformed::*;
pub use malformed::{malformed, malformed_org, salvage};
use names::*;
pub(crate) use names::{looks_like_org, looks_like_person};

/// One credited party.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Credit {
    /// Person, handle or team; empty for an organisation-only or anonymous credit.
    pub researcher: String,
    /// Affiliation.
    pub organisation: String,
    /// The "working with" programme (Zero Day Initiative, iDefense VCP …).
    pub partner: String,
    /// An anonymous researcher.
    pub anonymous: bool,
}

/// Parses one acknowledgment line written in `lang`.
pub fn parse_line(text: &str, links: &[String], lang: Lang) -> Vec<Credit> {
    let text = text.trim().trim_start_matches(['•', '-', '*', '·']).trim();
    let mut credits = match lang {
        // The readers written for Japanese and Chinese are rules for one
        // language each: left out, such a line is read as any other.
        Lang::Ja if !crate::vocab::is_left_out(Lang::Ja) => japanese(text),
        Lang::Zh if !crate::vocab::is_left_out(Lang::Zh) => chinese(text),
        _ => latin(text, links, lang),
    };
    let before_name = all(&rows(lang), |r| r.before_name);
    for c in &mut credits {
        c.researcher = clean_name(&c.researcher, &before_name);
        // "der Zero Day Initiative von HP zusammenarbeitet": the article goes
        // here, the verb in clean_org.
        c.organisation = clean_org(strip_before_name(&c.organisation, &before_name));
        c.partner = clean_org(strip_before_name(&c.partner, &before_name));
    }
    for c in &mut credits {
        if is_prose(&c.researcher) {
            c.researcher.clear();
        }
        // "Pakistan 的 Muhammad Faisal Naqvi": where they are from, not an affiliation.
        if is_place(&c.organisation) {
            c.organisation.clear();
        }
        // A lone party that is one word and the whole text of a link
        // (`[FrSIRT](https://www.frsirt.com/…) for …`) is an organisation's
        // site, not a person's name.
        if c.organisation.is_empty()
            && c.partner.is_empty()
            && !c.researcher.is_empty()
            && !c.researcher.contains(' ')
            && links.iter().any(|l| l.trim() == c.researcher)
        {
            c.organisation = std::mem::take(&mut c.researcher);
        }
        // Working with Microsoft itself is no programme.
        if crate::vocab::VENDOR_NAMES.contains(&c.partner.to_lowercase().as_str()) {
            c.partner.clear();
        }
    }
    credits.retain(|c| !c.researcher.is_empty() || !c.organisation.is_empty() || c.anonymous);
    credits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_aside_in_another_script_is_no_part_of_a_name() {
        assert_eq!(
            without_foreign_aside("eEye Digital Security (英語情報)").as_deref(),
            Some("eEye Digital Security")
        );
        assert_eq!(
            without_foreign_aside("Minded Security (Criteo 代理").as_deref(),
            Some("Minded Security")
        );
        assert_eq!(
            without_foreign_aside("UK NISCC (NISCC)"),
            None,
            "one script"
        );
        assert_eq!(
            without_foreign_aside("Palo Alto Networks 의 Yamata Li"),
            None,
            "no aside to drop"
        );
    }

    #[test]
    fn parties_no_name_can_be_are_told_from_names() {
        let cases = [
            ("Tavis Ormandy", None),
            ("iDefense Labs", None),
            ("eEye Digital Security", None),
            ("van der Stad", None),
            ("cocoruder", None),
            ("team 509", None),
            ("xiaohong shi", None),
            ("n.runs AG", None),
            ("scip AG", None),
            ("株式会社ラック", None),
            ("Лайонела Доненса", None),
            (
                "MS10-026에서 설명한 문제점을 보고해 주신 Palo Alto Networks 의 Yamata Li",
                Some("longer than a name"),
            ),
            (
                "Palo Alto Networks 의 Yamata",
                Some("mixes writing systems"),
            ),
            ("que trabalha com a Zero Day", Some("reads as a phrase")),
            ("seguridad Jorge Moura", Some("reads as a phrase")),
            (
                "Firmie VeriSign iDefense VCP za zgłoszenie luki",
                Some("longer than a name"),
            ),
            ("王宇 (Wang Yu)", None),
        ];
        let salvaged = [
            (
                "HP の Zero Day Initiative",
                true,
                Some("Zero Day Initiative"),
            ),
            ("Palo Alto Networks 의 Yamata Li", false, Some("Yamata Li")),
            (
                "programmet Beyond Security's SecuriTeam Secure Disclosure",
                true,
                Some("Beyond Security's SecuriTeam Secure Disclosure"),
            ),
            (
                "Microsoft Update Web サイトからダウンロードできます",
                true,
                None,
            ),
            (
                "Core Security. The publication of this advisory was coordinated by Joaquín Rodríguez Varela from the Core Advisories Team",
                true,
                None,
            ),
        ];
        for (party, org, kept) in salvaged {
            assert_eq!(salvage(party, org).as_deref(), kept, "{party}");
        }
        for (party, why) in cases {
            assert_eq!(malformed(party), why, "{party}");
        }
        assert_eq!(
            malformed_org("UK National Infrastructure Security Co-ordination Centre (NISCC)"),
            None
        );
        assert_eq!(
            malformed_org("Information Security Office at Carnegie Mellon University"),
            None
        );
        assert_eq!(
            malformed_org("IBM Internet Security Systems x-Force 研究員 Alex Wheeler"),
            Some("mixes writing systems")
        );
    }

    fn c(researcher: &str, organisation: &str, partner: &str, anonymous: bool) -> Credit {
        Credit {
            researcher: researcher.into(),
            organisation: organisation.into(),
            partner: partner.into(),
            anonymous,
        }
    }

    fn links(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| s.to_string()).collect()
    }

    /// A one-word party that is a whole link's text is the organisation
    /// behind the site; a one-word name that is no link stays a person.
    #[test]
    fn a_lone_one_word_link_is_an_organisation() {
        let line = "FrSIRT für die ursprüngliche Meldung der Sicherheitsanfälligkeit in Microsoft Windows MDAC bezüglich ActiveX (CVE-2006-5559).";
        assert_eq!(
            parse_line(line, &links(&["FrSIRT"]), Lang::De),
            [c("", "FrSIRT", "", false)]
        );
        assert_eq!(
            parse_line(line, &[], Lang::De),
            [c("FrSIRT", "", "", false)]
        );
    }

    #[test]
    fn danish_lines() {
        assert_eq!(
            parse_line(
                "Alexander Sotirov fra Determina Security Research for at have rapporteret et problem, der er beskrevet i MS07-017.",
                &links(&["Determina Security Research", "MS07-017"]),
                Lang::Da
            ),
            vec![c(
                "Alexander Sotirov",
                "Determina Security Research",
                "",
                false
            )]
        );
        assert_eq!(
            parse_line(
                "JJ Reyes og Carsten Eiram fra Secunia for at have rapporteret et problem, der er beskrevet i MS07-020.",
                &links(&["Secunia", "MS07-020."]),
                Lang::Da
            ),
            vec![
                c("JJ Reyes", "Secunia", "", false),
                c("Carsten Eiram", "Secunia", "", false)
            ]
        );
        assert_eq!(
            parse_line(
                "McAfee for at arbejde sammen med os om et problem, der er beskrevet i MS07-017.",
                &links(&["McAfee", "MS07-017"]),
                Lang::Da
            ),
            vec![c("", "McAfee", "", false)]
        );
        assert_eq!(
            parse_line(
                "Sergey Svinolobov for at have rapporteret et problem, der er beskrevet i MS07-017.",
                &links(&["MS07-017"]),
                Lang::Da
            ),
            vec![c("Sergey Svinolobov", "", "", false)]
        );
        assert_eq!(
            parse_line(
                "En anonym forsker, der arbejder sammen med TippingPoints Zero Day Initiative, for at have rapporteret et problem",
                &links(&["TippingPoints", "Zero Day Initiative"]),
                Lang::Da
            ),
            vec![c("", "", "TippingPoints Zero Day Initiative", true)]
        );
        assert_eq!(
            parse_line(
                "IBM Internet Security Systems X-Force ved Alex Wheeler og Ryan Smith for at have rapporteret",
                &links(&["IBM Internet Security Systems X-Force"]),
                Lang::Da
            ),
            vec![
                c(
                    "Alex Wheeler",
                    "IBM Internet Security Systems X-Force",
                    "",
                    false
                ),
                c(
                    "Ryan Smith",
                    "IBM Internet Security Systems X-Force",
                    "",
                    false
                )
            ]
        );
    }

    #[test]
    fn sentences_are_not_names() {
        assert!(is_prose("finden Sie auf"));
        assert!(is_prose("This vulnerability was discovered"));
        assert!(!is_prose("Peter van Eeckhoutte"));
        assert!(!is_prose("bilou"));
        assert!(!is_prose("Jose Antonio Vazquez Gonzalez"));
        assert!(is_prose("本セキュリティ情報"));
        assert!(is_prose("両"));
        assert!(is_prose("CAN-2004-0203"));
        assert!(is_prose("ms04-005"));
        assert!(!is_prose("鵜飼裕司"));
    }

    #[test]
    fn a_comma_before_a_company_suffix_does_not_split_parties() {
        assert_eq!(
            parse_line(
                "Takeshi Terada hos Mitsui Bussan Secure Directions, Inc. for rapporten om et sikkerhetsproblem",
                &links(&["Mitsui Bussan Secure Directions, Inc."]),
                Lang::Nb
            ),
            vec![c(
                "Takeshi Terada",
                "Mitsui Bussan Secure Directions, Inc",
                "",
                false
            )]
        );
        assert_eq!(
            comma_split("A van X, B van Immunity, Inc., C"),
            ["A van X", "B van Immunity, Inc.", "C"]
        );
    }

    #[test]
    fn names_lose_what_sticks_to_them() {
        for (raw, name) in [
            ("Cesar Cerrudo 向我們", "Cesar Cerrudo"),
            ("共に仕事をしているPatrick Porlan", "Patrick Porlan"),
            ("Norman Chiong for", "Norman Chiong"),
            ("Jouko Pynnönen Jouko Pynnönen", "Jouko Pynnönen"),
            ("王宇 (Wang Yu)", "Wang Yu"),
            ("Yu Yang (@tombkeeper)", "Yu Yang"),
            ("lordyup", "lordyup"),
            ("windows服務dacl可能允許", ""),
        ] {
            assert_eq!(
                clean_name(raw, &all(&rows(Lang::De), |r| r.before_name)),
                name,
                "{raw}"
            );
        }
    }

    #[test]
    fn anonymous_researchers_working_through_a_programme() {
        assert_eq!(
            parse_line(
                "Een anonieme onderzoeker die werkt voor Verisign iDefense VCP voor het melden van het beveiligingslek",
                &links(&["Verisign iDefense VCP"]),
                Lang::Nl
            ),
            vec![c("", "", "Verisign iDefense VCP", true)]
        );
    }

    #[test]
    fn dutch_line_with_four_parties() {
        assert_eq!(
            parse_line(
                "Jeff Gennari van CERT, Jie Ma van Fortinet Security Research Team, NSFOCUS Security Team en Greg MacManus van IDefense Labs voor het melden van een probleem dat is beschreven in MS07-002.",
                &links(&[
                    "CERT",
                    "Fortinet Security Research Team",
                    "NSFOCUS Security Team",
                    "IDefense Labs",
                    "MS07-002"
                ]),
                Lang::Nl
            ),
            vec![
                c("Jeff Gennari", "CERT", "", false),
                c("Jie Ma", "Fortinet Security Research Team", "", false),
                c("", "NSFOCUS Security Team", "", false),
                c("Greg MacManus", "IDefense Labs", "", false),
            ]
        );
    }

    #[test]
    fn titles_roles_places_and_asides_are_not_names() {
        assert_eq!(
            parse_line(
                "Sicherheitstester Jorge Moura von Primavera BSS für den Hinweis auf ein Problem.",
                &[],
                Lang::De
            ),
            vec![c("Jorge Moura", "Primavera BSS", "", false)]
        );
        // A role after a comma continues the person before it.
        assert_eq!(
            parse_line(
                "Mark Dowd, forsker i IBM Internet Security Systems X-Force, for at have rapporteret et problem",
                &[],
                Lang::Da
            ),
            vec![c(
                "Mark Dowd",
                "IBM Internet Security Systems X-Force",
                "",
                false
            )]
        );
        // Places after an organisation or a person, and asides in parentheses.
        assert_eq!(
            parse_line(
                "John Jones hos DISC, Kansas, USA, for rapporten om et sikkerhetsproblem",
                &[],
                Lang::Nb
            ),
            vec![c("John Jones", "DISC", "", false)]
        );
        assert_eq!(
            parse_line(
                "Muhammad Faisal Naqvi aus Pakistan für den Hinweis auf die Sicherheitsanfälligkeit",
                &[],
                Lang::De
            ),
            vec![c("Muhammad Faisal Naqvi", "", "", false)]
        );
        assert_eq!(
            parse_line(
                "感謝 Pakistan 的 Muhammad Faisal Naqvi 回報 SAMR",
                &[],
                Lang::Zh
            ),
            vec![c("Muhammad Faisal Naqvi", "", "", false)]
        );
        assert_eq!(
            parse_line(
                "Gabi Nakibly fra National EW Research & Simulation Center (ved Rafael) Haifa for at rapportere et problem",
                &[],
                Lang::Da
            ),
            vec![c(
                "Gabi Nakibly",
                "National EW Research & Simulation Center Haifa",
                "",
                false
            )]
        );
        // An organisation alone after bare names is theirs, and an
        // organisation "of" something is one organisation.
        assert_eq!(
            parse_line(
                "Sihan Qing (Professor), Liang Yin en Husheng Zhou (academici), Department of Information Security, Beijing University, voor het melden van een probleem",
                &[],
                Lang::Nl
            ),
            vec![
                c(
                    "Sihan Qing",
                    "Department of Information Security",
                    "",
                    false
                ),
                c("Liang Yin", "Department of Information Security", "", false),
                c(
                    "Husheng Zhou",
                    "Department of Information Security",
                    "",
                    false
                ),
                c("", "Beijing University", "", false),
            ]
        );
        // A German relative clause around the programme; a Dutch reason
        // running on past "onderzoeker voor".
        assert_eq!(
            parse_line(
                "Einem Forscher, der mit der Zero Day Initiative von HP zusammenarbeitet, aber anonym bleiben möchte, für den Hinweis",
                &[],
                Lang::De
            ),
            vec![c("", "", "Zero Day Initiative von HP", true)]
        );
        assert_eq!(
            parse_line(
                "Een anonieme onderzoeker voor het melden van het probleem dat wordt beschreven in MS08-016",
                &[],
                Lang::Nl
            ),
            vec![c("", "", "", true)]
        );
        // Joined by "and", an organisation is a party of its own.
        assert_eq!(
            parse_line(
                "Sergey Svinolobov og McAfee for at have rapporteret et problem",
                &links(&["McAfee"]),
                Lang::Da
            ),
            vec![
                c("Sergey Svinolobov", "", "", false),
                c("", "McAfee", "", false)
            ]
        );
        assert_eq!(
            parse_line(
                "Einem Forscher, der mit iDefense VCP zusammenarbeitet, aber anonym bleiben möchte, für den Hinweis",
                &[],
                Lang::De
            ),
            vec![c("", "", "iDefense VCP", true)]
        );
    }

    #[test]
    fn surname_particles_are_no_connectives() {
        for (line, lang) in [
            (
                "Jeffrey van der Stad voor het melden van een probleem",
                Lang::Nl,
            ),
            (
                "Jeffrey van der Stad für den Hinweis auf ein Problem",
                Lang::De,
            ),
        ] {
            assert_eq!(
                parse_line(line, &[], lang),
                vec![c("Jeffrey van der Stad", "", "", false)],
                "{line}"
            );
        }
        assert_eq!(
            parse_line(
                "Kostya Kortchinsky von Immunity für den Hinweis",
                &[],
                Lang::De
            ),
            vec![c("Kostya Kortchinsky", "Immunity", "", false)]
        );
    }

    #[test]
    fn people_worked_with_are_parties_and_programmes_are_partners() {
        assert_eq!(
            parse_line(
                "Mila Parkour, som arbejder sammen med Anshul Kothari og Nishant Kaushik hos Adobe Systems, Inc. for at rapportere et problem",
                &[],
                Lang::Da
            ),
            vec![
                c("Mila Parkour", "", "", false),
                c("Anshul Kothari", "Adobe Systems, Inc.", "", false),
                c("Nishant Kaushik", "Adobe Systems, Inc.", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "CHkr_D591, die bij TippingPoint en Zero Day Initiative werkt, voor het melden van een probleem",
                &[],
                Lang::Nl
            ),
            vec![c(
                "CHkr_D591",
                "",
                "TippingPoint en Zero Day Initiative",
                false
            )]
        );
        // Per party: with an honorific a person, without one an organisation.
        assert_eq!(
            parse_line(
                "MS06-037 の問題を報告してくださった Zero Day Initiative (ZDI) の Arnaud Dovi 氏および TippingPoint",
                &[],
                Lang::Ja
            ),
            vec![
                c("Arnaud Dovi", "Zero Day Initiative (ZDI)", "", false),
                c("", "TippingPoint", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "CVE-2011-0030 を報告してくださった Peking University の Department of Information Security の Sihan Qing 教授、Husheng Zhou 氏 (大学院生)",
                &[],
                Lang::Ja
            ),
            vec![
                c(
                    "Sihan Qing",
                    "Peking University の Department of Information Security",
                    "",
                    false
                ),
                c(
                    "Husheng Zhou",
                    "Peking University の Department of Information Security",
                    "",
                    false
                ),
            ]
        );
        // Without 氏 a Japanese credit names organisations, teams included.
        assert_eq!(
            parse_line(
                "MS10-069 で説明している問題を報告してくださった 日本 IBM",
                &[],
                Lang::Ja
            ),
            vec![c("", "日本 IBM", "", false)]
        );
        assert_eq!(
            parse_line(
                "MS08-070 で説明している問題について報告してくださった Symantec の Security Intelligence Analysis Team",
                &[],
                Lang::Ja
            ),
            vec![c("", "Security Intelligence Analysis Team", "", false)]
        );
        assert_eq!(
            parse_line(
                "MS12-037 で説明している問題を報告してくださった VulnHunt の Dark Son",
                &[],
                Lang::Ja
            ),
            vec![c("Dark Son", "VulnHunt", "", false)]
        );
        assert_eq!(
            parse_line(
                "hamburgers maccoy via Secunia SVCRP for at have rapporteret et problem",
                &[],
                Lang::Da
            ),
            vec![c("hamburgers maccoy", "", "Secunia SVCRP", false)]
        );
        assert_eq!(
            parse_line(
                "感謝 VeriSign iDefense Labs 的研究人員回報 MS09-010 中描述的問題",
                &[],
                Lang::Zh
            ),
            vec![c("", "VeriSign iDefense Labs", "", false)]
        );
        // "以及" (as well as) and a Han organisation; a quoted handle.
        assert_eq!(
            parse_line(
                "感謝 Nguyen Minh Duc 和 Le Manh Tung 以及 河內技術大學 ( 越南) Bach Khoa 網際網路資訊安全中心 (BKIS),合作回報 MS08-053 中描述的問題",
                &[],
                Lang::Zh
            ),
            vec![
                c("Nguyen Minh Duc", "", "", false),
                c("Le Manh Tung", "", "", false),
                c(
                    "",
                    "河內技術大學 ( 越南) Bach Khoa 網際網路資訊安全中心 (BKIS)",
                    "",
                    false
                ),
            ]
        );
        assert_eq!(
            parse_line(
                "感謝 David Lindsay 的 \"thornmaker\" 及 Eduardo A. Vela Nava 的 \"sirdarckcat\" 回報 XSS",
                &[],
                Lang::Zh
            ),
            vec![
                c("David Lindsay", "", "", false),
                c("Eduardo A. Vela Nava", "", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "David Lindsay \"thornmaker\" og Eduardo A. Vela Nava \"sirdarckcat\" for at rapportere et problem",
                &links(&[
                    "David Lindsay \"thornmaker\"",
                    "Eduardo A. Vela Nava \"sirdarckcat\""
                ]),
                Lang::Da
            ),
            vec![
                c("David Lindsay", "", "", false),
                c("Eduardo A. Vela Nava", "", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "David Lindsay „thornmaker“ und Eduardo A. Vela Nava „sirdarckcat“ für den Hinweis",
                &[],
                Lang::De
            ),
            vec![
                c("David Lindsay", "", "", false),
                c("Eduardo A. Vela Nava", "", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "Mateusz \"j00ru\" Jurczyk of Google Inc for reporting",
                &[],
                Lang::En
            ),
            vec![c("Mateusz \"j00ru\" Jurczyk", "Google Inc", "", false)]
        );
        // "Tipping Point und der Zero Day Initiative" is a programme, not people.
        assert_eq!(
            parse_line(
                "Sebastian Apelt in Zusammenarbeit mit Tipping Point und der Zero Day Initiative für den Hinweis",
                &[],
                Lang::De
            ),
            vec![c(
                "Sebastian Apelt",
                "",
                "Tipping Point und der Zero Day Initiative",
                false
            )]
        );
        // A Chinese credit ends at the reason or the bulletin id; a web
        // address after a name and a surname written small.
        assert_eq!(
            parse_line(
                "感謝 Google Security Team 的 Billy Rios 和 Eduardo Vela Nava 在 MS11-037 的變更上與我們合作。",
                &[],
                Lang::Zh
            ),
            vec![
                c("Billy Rios", "Google Security Team", "", false),
                c("Eduardo Vela Nava", "Google Security Team", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "感謝 Symantec 的 Liam O Murchu MS10-092 中描述的一項問題",
                &[],
                Lang::Zh
            ),
            vec![c("Liam O Murchu", "Symantec", "", false)]
        );
        assert_eq!(
            parse_line(
                "Sam Thomas eshu.co.uk, der arbejder med TippingPoint og Zero Day Initiative, for at have rapporteret et problem",
                &[],
                Lang::Da
            ),
            vec![c(
                "Sam Thomas",
                "",
                "TippingPoint og Zero Day Initiative",
                false
            )]
        );
        assert_eq!(
            parse_line(
                "感謝 Alexander gavrun 與 TippingPoint 的 Zero Day Initiative 合作 回報 Visio DXF",
                &[],
                Lang::Zh
            ),
            vec![c(
                "Alexander gavrun",
                "",
                "TippingPoint 的 Zero Day Initiative",
                false
            )]
        );
        // "i" connects a name and an organisation, "I." is an initial.
        assert_eq!(
            parse_line(
                "Sergey I. Ulasen og Oleg Kupreev i VirusBlokAda for rapporten om et sikkerhetsproblem",
                &[],
                Lang::Nb
            ),
            vec![
                c("Sergey I. Ulasen", "VirusBlokAda", "", false),
                c("Oleg Kupreev", "VirusBlokAda", "", false),
            ]
        );
        // An aside holding a list is no party.
        assert_eq!(
            parse_line(
                "マイクロソフトに協力してくださった IBM ISS X-Force の David Dewey 氏および Accuvant (以前は、VeriSign iDefense Labs) の Ryan Smith 氏",
                &[],
                Lang::Ja
            ),
            vec![
                c("David Dewey", "IBM ISS X-Force", "", false),
                c("Ryan Smith", "Accuvant", "", false),
            ]
        );
        // Working with Microsoft is the reason, not a programme.
        assert_eq!(
            parse_line(
                "MS11-081 に組み込まれている多層防御についてマイクロソフトと協力してくださった Google Inc. の Billy Rios 氏",
                &[],
                Lang::Ja
            ),
            vec![c("Billy Rios", "Google Inc.", "", false)]
        );
    }

    #[test]
    fn norwegian_german_and_english_lines() {
        assert_eq!(
            parse_line(
                "En anonym forsker i samarbeid med iDefense VCP for rapporten om et sikkerhetsproblem",
                &links(&["iDefense VCP"]),
                Lang::Nb
            ),
            vec![c("", "", "iDefense VCP", true)]
        );
        assert_eq!(
            parse_line(
                "Sam Thomas in Zusammenarbeit mit TippingPoint und Zero Day Initiative für den Hinweis auf",
                &links(&["TippingPoint", "Zero Day Initiative"]),
                Lang::De
            ),
            vec![c(
                "Sam Thomas",
                "",
                "TippingPoint und Zero Day Initiative",
                false
            )]
        );
        assert_eq!(
            parse_line(
                "Abdul Aziz Hariri, Matt Molinyawe, and Jasiel Spelman of HP's Zero Day Initiative",
                &links(&["HP's Zero Day Initiative"]),
                Lang::En
            ),
            vec![
                c("Abdul Aziz Hariri", "HP's Zero Day Initiative", "", false),
                c("Matt Molinyawe", "HP's Zero Day Initiative", "", false),
                c("Jasiel Spelman", "HP's Zero Day Initiative", "", false),
            ]
        );
        assert_eq!(
            parse_line(
                "Yu Yang (@tombkeeper) of Tencent’s Xuanwu Lab",
                &[],
                Lang::En
            ),
            vec![c("Yu Yang", "Tencent’s Xuanwu Lab", "", false)]
        );
        assert_eq!(
            parse_line(
                "An anonymous researcher, working with HP’s Zero Day Initiative",
                &[],
                Lang::En
            ),
            vec![c("", "", "HP’s Zero Day Initiative", true)]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_line_in_any_language_parses_without_panicking(s in "[a-zA-Zé漏の的, ]{0,80}", i in 0usize..19) {
            let lang = Lang::ALL[i];
            let _ = parse_line(&s, std::slice::from_ref(&s), lang);
        }
    }

    #[test]
    fn japanese_and_chinese_lines() {
        assert_eq!(
            parse_line(
                "GDI+ PNG の整数オーバーフローの脆弱性 - CVE-2009-3126 の 問題を報告してくださった Google Inc. の Tavis Ormandy 氏",
                &[],
                Lang::Ja
            ),
            vec![c("Tavis Ormandy", "Google Inc.", "", false)]
        );
        assert_eq!(
            parse_line(
                "HP の Zero Day Initiative と協力して Internet Explorer のメモリ破損の脆弱性 (CVE-2014-1799) を報告してくださった 4f7df027b11a6a44d72b1fa4da62bae7 氏",
                &[],
                Lang::Ja
            ),
            vec![c(
                "4f7df027b11a6a44d72b1fa4da62bae7",
                "",
                "HP の Zero Day Initiative",
                false
            )]
        );
        assert_eq!(
            parse_line(
                "感謝 Secunia 的 Carsten H. Eiram 和 Dyon Balding 回報 Adobe Flash Player 6 的弱點",
                &[],
                Lang::Zh
            ),
            vec![
                c("Carsten H. Eiram", "Secunia", "", false),
                c("Dyon Balding", "Secunia", "", false)
            ]
        );
        assert_eq!(
            parse_line(
                "感謝 Jason Kratzer 與 HP 的 Zero Day Initiative 合作回報 Internet Explorer 記憶體損毀資訊安全風險 (CVE-2014-0307)",
                &[],
                Lang::Zh
            ),
            vec![c("Jason Kratzer", "", "HP 的 Zero Day Initiative", false)]
        );
        assert_eq!(
            parse_line(
                "感謝匿名的研究人員與 VeriSign iDefense Labs 合作，回報 …",
                &[],
                Lang::Zh
            ),
            vec![c("", "", "VeriSign iDefense Labs", true)]
        );
    }
}
