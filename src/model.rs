//! The shared vocabulary of every stage: identifiers, languages and the
//! closed sets (document kinds, severities, impacts).
//!
//! Every identifier has exactly one parser (`FromStr`) that extraction and
//! query detection share, and a `Display` that gives its canonical spelling,
//! so `parse(display(x)) == x`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use crate::closed::IdError;
use crate::closed::closed_set;

/// Folds the dash look-alikes (en dash, minus sign, full-width hyphen …)
/// to `-` and drops whitespace, so `CVE – 2017-0023` reads as `CVE-2017-0023`.
fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// A Microsoft Knowledge Base article number, the id of an update (`925902`).
///
/// Accepts `925902`, `KB925902`, `kb 925902`, `KB:925902` and the old `Q925902`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct KbNumber(u32);

impl KbNumber {
    /// The number itself.
    pub fn get(self) -> u32 {
        self.0
    }

    /// Wraps a number of 6 or 7 digits; anything else is not a KB number.
    pub fn from_number(n: u32) -> Option<KbNumber> {
        (100_000..=9_999_999).contains(&n).then_some(KbNumber(n))
    }
}

impl FromStr for KbNumber {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        let c = compact(s);
        let digits = c
            .strip_prefix("KB")
            .or_else(|| c.strip_prefix('Q'))
            .unwrap_or(&c);
        let digits = digits.strip_prefix(':').unwrap_or(digits);
        if !(6..=7).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::new("KB number", s));
        }
        digits
            .parse()
            .ok()
            .and_then(KbNumber::from_number)
            .ok_or_else(|| IdError::new("KB number", s))
    }
}

impl fmt::Display for KbNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<KbNumber> for String {
    fn from(k: KbNumber) -> String {
        k.to_string()
    }
}

impl TryFrom<String> for KbNumber {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        s.parse()
    }
}

/// The year a two-digit id year stands for (98 and 99 are 1998 and 1999).
pub fn full_year(yy: u16) -> u16 {
    if yy >= 90 { 1900 + yy } else { 2000 + yy }
}

/// A security bulletin id, `MS07-017`.
///
/// Accepts any case, short or padded sequence numbers (`MS07-17`,
/// `MS04-0025`), a space or doubled hyphen instead of the hyphen (`MS14 083`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct BulletinId {
    /// Two-digit year, 98 … 17 (98 and 99 mean 1998 and 1999).
    yy: u8,
    /// Sequence number within the year.
    seq: u16,
}

impl BulletinId {
    /// Builds an id from its two-digit year and sequence number.
    pub fn new(yy: u8, seq: u16) -> Option<BulletinId> {
        (yy < 100 && (1..1000).contains(&seq)).then_some(BulletinId { yy, seq })
    }

    /// The four-digit year the id belongs to.
    pub fn year(self) -> u16 {
        full_year(self.yy as u16)
    }

    /// The sequence number within the year (`MS07-017` → 17).
    pub fn number(self) -> u16 {
        self.seq
    }
}

impl FromStr for BulletinId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        let err = || IdError::new("bulletin id", s);
        let upper: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FF0D}' | ' ' | '_' => '-',
                c => c.to_ascii_uppercase(),
            })
            .collect();
        let rest = upper.strip_prefix("MS").ok_or_else(err)?;
        let (yy, seq) = rest.split_once('-').ok_or_else(err)?;
        let seq = seq.trim_start_matches('-');
        if yy.len() != 2 || !(1..=4).contains(&seq.len()) {
            return Err(err());
        }
        if !yy.bytes().chain(seq.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        BulletinId::new(
            yy.parse().map_err(|_| err())?,
            seq.parse().map_err(|_| err())?,
        )
        .ok_or_else(err)
    }
}

impl fmt::Display for BulletinId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MS{:02}-{:03}", self.yy, self.seq)
    }
}

impl From<BulletinId> for String {
    fn from(b: BulletinId) -> String {
        b.to_string()
    }
}

impl TryFrom<String> for BulletinId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        s.parse()
    }
}

/// A CVE id, `CVE-2007-0038`; the pre-2005 `CAN-` candidates map to it.
///
/// Accepts the spacing and dash variants of the documentation (`CVE 2007-6026`,
/// `CVE2016-7218`, `CVE-2014 -4148`, `CVE–2017-0023`, `CVE-CAN-2002-0001`).
/// Sequence numbers are normalised: zero padding beyond four digits is
/// dropped, and five or more significant digits are only accepted from 2014 on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct CveId {
    year: u16,
    seq: u32,
}

impl CveId {
    /// Builds an id from its year and sequence number, checking both are plausible.
    pub fn new(year: u16, seq: u32) -> Option<CveId> {
        let plausible_year = (1999..=2030).contains(&year);
        let plausible_seq = seq >= 1 && (seq <= 9999 || year >= 2014);
        (plausible_year && plausible_seq).then_some(CveId { year, seq })
    }

    /// The year part of the id.
    pub fn year(self) -> u16 {
        self.year
    }
}

impl FromStr for CveId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        let err = || IdError::new("CVE id", s);
        let c = compact(s);
        let rest = c
            .strip_prefix("CVE-CAN")
            .or_else(|| c.strip_prefix("CVE"))
            .or_else(|| c.strip_prefix("CAN"))
            .ok_or_else(err)?;
        let rest = rest.trim_start_matches('-');
        let (year, seq) = rest.split_once('-').ok_or_else(err)?;
        if year.len() != 4 || !(4..=7).contains(&seq.len()) {
            return Err(err());
        }
        if !year.bytes().chain(seq.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        CveId::new(
            year.parse().map_err(|_| err())?,
            seq.parse().map_err(|_| err())?,
        )
        .ok_or_else(err)
    }
}

impl fmt::Display for CveId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CVE-{}-{:04}", self.year, self.seq)
    }
}

impl From<CveId> for String {
    fn from(c: CveId) -> String {
        c.to_string()
    }
}

impl TryFrom<String> for CveId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        s.parse()
    }
}

pub use crate::lang::Lang;

closed_set! {
    /// What a document is, decided from its file name and confirmed by its content.
    DocKind {
        /// A security bulletin (`MS07-017`), or a bulletin's entry in a summary.
        Bulletin = "bulletin",
        /// A monthly bulletin summary (`ms07-apr`).
        Summary = "summary",
        /// A security advisory (`2719615`) or vulnerability research advisory.
        Advisory = "advisory",
        /// A yearly acknowledgments page.
        Acknowledgments = "acknowledgments",
        /// Anything else: guides, WSUS and RMS pages, index pages.
        Other = "other",
    }
}

closed_set! {
    /// Where a record comes from.
    Origin {
        /// A file of its own.
        File = "file",
        /// A bulletin's entry in a monthly summary (a bulletin without a
        /// file of its own in that locale).
        SummaryEntry = "summary-entry",
    }
}

closed_set! {
    /// The Microsoft severity rating, normalised across languages.
    Severity {
        /// Critical.
        Critical = "critical",
        /// Important (Danish "Alvorlig", German "Hoch").
        Important = "important",
        /// Moderate.
        Moderate = "moderate",
        /// Low.
        Low = "low",
    }
}

closed_set! {
    /// The impact category of a vulnerability.
    Impact {
        /// Remote code execution.
        RemoteCodeExecution = "remote-code-execution",
        /// Elevation of privilege.
        ElevationOfPrivilege = "elevation-of-privilege",
        /// Denial of service.
        DenialOfService = "denial-of-service",
        /// Information disclosure.
        InformationDisclosure = "information-disclosure",
        /// Spoofing.
        Spoofing = "spoofing",
        /// Security feature bypass.
        SecurityFeatureBypass = "security-feature-bypass",
        /// Tampering.
        Tampering = "tampering",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kb_numbers_parse_in_every_spelling() {
        for (input, expected) in [
            ("925902", Some(925902)),
            ("KB925902", Some(925902)),
            ("kb 925902", Some(925902)),
            ("Kb:925902", Some(925902)),
            ("Q263968", Some(263968)),
            ("３０００４１４", None), // full-width digits are folded before parsing, not here
            ("12345", None),
            ("12345678", None),
            ("KB", None),
            ("92590x", None),
        ] {
            assert_eq!(
                input.parse::<KbNumber>().ok().map(KbNumber::get),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn bulletin_ids_parse_short_padded_and_spaced_forms() {
        for (input, expected) in [
            ("MS07-017", Some("MS07-017")),
            ("ms07-17", Some("MS07-017")),
            ("MS04-0025", Some("MS04-025")),
            ("MS14 083", Some("MS14-083")),
            ("MS08--028", Some("MS08-028")),
            ("ms98-001", Some("MS98-001")),
            ("MS07–017", Some("MS07-017")),
            ("MS07-", None),
            ("MS7-017", None),
            ("XS07-017", None),
            ("MS07-00000", None),
        ] {
            assert_eq!(
                input.parse::<BulletinId>().ok().map(|b| b.to_string()),
                expected.map(str::to_string),
                "{input}"
            );
        }
        assert_eq!("ms99-030".parse::<BulletinId>().unwrap().year(), 1999);
        assert_eq!("MS17-023".parse::<BulletinId>().unwrap().year(), 2017);
    }

    #[test]
    fn cve_ids_parse_the_documented_variants() {
        for (input, expected) in [
            ("CVE-2007-0038", Some("CVE-2007-0038")),
            ("cve-2007-0038", Some("CVE-2007-0038")),
            ("CVE 2007-6026", Some("CVE-2007-6026")),
            ("CVE2016-7218", Some("CVE-2016-7218")),
            ("CVE-2014 -4148", Some("CVE-2014-4148")),
            ("CVE-2006- 3435", Some("CVE-2006-3435")),
            ("CVE–2017-0023", Some("CVE-2017-0023")),
            ("CAN-2004-0597", Some("CVE-2004-0597")),
            ("CVE-CAN-2002-0001", Some("CVE-2002-0001")),
            ("CVE-2006-00026", Some("CVE-2006-0026")),
            ("CVE-2017-11292", Some("CVE-2017-11292")),
            ("CVE-2006-38673", None),
            ("CAN-2006-008", None),
            ("CVE-07-0038", None),
        ] {
            assert_eq!(
                input.parse::<CveId>().ok().map(|c| c.to_string()),
                expected.map(str::to_string),
                "{input}"
            );
        }
    }

    #[test]
    fn languages_come_from_locales() {
        assert_eq!(Lang::from_locale("da-DK"), Some(Lang::Da));
        assert_eq!(Lang::from_locale("nb-no"), Some(Lang::Nb));
        assert_eq!(Lang::from_locale("zh-TW"), Some(Lang::Zh));
        assert_eq!(Lang::from_locale("pt-br"), Some(Lang::Pt));
        assert_eq!(Lang::from_locale("xx-yy"), None);
    }

    mod roundtrip {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn bulletin_ids_survive_display_then_parse(yy in 0u8..100, seq in 1u16..1000) {
                let b = BulletinId::new(yy, seq).unwrap();
                prop_assert_eq!(b.to_string().parse::<BulletinId>(), Ok(b));
            }

            #[test]
            fn kb_numbers_survive_display_then_parse(n in 100_000u32..10_000_000) {
                let k = KbNumber::from_number(n).unwrap();
                prop_assert_eq!(k.to_string().parse::<KbNumber>(), Ok(k));
                prop_assert_eq!(format!("KB{k}").parse::<KbNumber>(), Ok(k));
            }

            #[test]
            fn cve_ids_survive_display_then_parse(year in 1999u16..2031, seq in 1u32..100_000) {
                if let Some(c) = CveId::new(year, seq) {
                    prop_assert_eq!(c.to_string().parse::<CveId>(), Ok(c));
                }
            }

            #[test]
            fn parsers_never_panic_on_any_text(s in "\\PC{0,30}") {
                let _ = s.parse::<BulletinId>();
                let _ = s.parse::<KbNumber>();
                let _ = s.parse::<CveId>();
            }
        }

        #[test]
        fn display_then_parse_gives_back_every_id() {
            for yy in [0u8, 7, 17, 98, 99] {
                for seq in [1u16, 17, 99, 100, 999] {
                    let b = BulletinId::new(yy, seq).unwrap();
                    assert_eq!(b.to_string().parse::<BulletinId>(), Ok(b));
                }
            }
            for n in [100_000u32, 925_902, 9_999_999] {
                let k = KbNumber::from_number(n).unwrap();
                assert_eq!(k.to_string().parse::<KbNumber>(), Ok(k));
            }
            for (y, s) in [(1999u16, 1u32), (2007, 38), (2017, 11292)] {
                let c = CveId::new(y, s).unwrap();
                assert_eq!(c.to_string().parse::<CveId>(), Ok(c));
            }
            for l in Lang::ALL {
                assert_eq!(l.code().parse::<Lang>(), Ok(*l));
            }
        }
    }
}
