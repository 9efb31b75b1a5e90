//! Dates in every format of the documentation: `3. april 2007`,
//! `dinsdag 9 januari 2007`, `Dienstag, 14. Dezember 2004`, `February 23, 2011`,
//! `2005年1月11日`, `2014 年 4 月 9 日`, `27.12.2005`, `11.09.15`, `2016/03/09`.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::vocab::month_word;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Four-digit year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl Date {
    fn new(year: i64, month: i64, day: i64) -> Option<Date> {
        let year = if year < 100 { 2000 + year } else { year };
        ((1996..=2030).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
            .then_some(Date {
                year: year as u16,
                month: month as u8,
                day: day as u8,
            })
    }
}

impl Date {
    /// Days since 1970-01-01, for date arithmetic (H. Hinnant's
    /// days-from-civil, proleptic Gregorian).
    pub fn days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (the inverse of [`Date::days`]).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Debug, PartialEq)]
enum Tok {
    Num(i64, usize),
    Month(i64),
    Cjk(char),
}

fn tokens(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_ascii_digit() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            let digits = &s[i..end];
            out.push(Tok::Num(digits.parse().unwrap_or(-1), digits.len()));
        } else if matches!(c, '年' | '月' | '日' | '년' | '월' | '일') {
            out.push(Tok::Cjk(c));
        } else if c.is_alphabetic() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !d.is_alphabetic() {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            if let Some(m) = month_word(&s[i..end].to_lowercase()) {
                out.push(Tok::Month(m as i64));
            }
        }
    }
    out
}

/// The first date in `s`, if any.
pub fn parse_date(s: &str) -> Option<Date> {
    let toks = tokens(s);
    for (i, t) in toks.iter().enumerate() {
        let next = |k: usize| toks.get(i + k);
        match t {
            // 2005年1月11日, 2014 年 4 月 9 日
            Tok::Num(y, 4)
                if next(1) == Some(&Tok::Cjk('年')) || next(1) == Some(&Tok::Cjk('년')) =>
            {
                if let (Some(Tok::Num(m, _)), Some(Tok::Num(d, _))) = (next(2), next(4)) {
                    return Date::new(*y, *m, *d);
                }
            }
            // 2016/03/09 or 2016-03-09 (numbers only)
            Tok::Num(y, 4) => {
                if let (Some(Tok::Num(m, 1..=2)), Some(Tok::Num(d, 1..=2))) = (next(1), next(2))
                    && let Some(date) = Date::new(*y, *m, *d)
                {
                    return Some(date);
                }
                // 2007. április 10. (Hungarian)
                if let (Some(Tok::Month(m)), Some(Tok::Num(d, 1..=2))) = (next(1), next(2)) {
                    return Date::new(*y, *m, *d);
                }
            }
            // 3. april 2007, 9 januari 2007, 27.12.2005, 11.09.15
            Tok::Num(d, 1..=2) => match (next(1), next(2)) {
                (Some(Tok::Month(m)), Some(Tok::Num(y, 4))) => return Date::new(*y, *m, *d),
                (Some(Tok::Num(m, 1..=2)), Some(Tok::Num(y, 2 | 4))) => {
                    if let Some(date) = Date::new(*y, *m, *d) {
                        return Some(date);
                    }
                }
                _ => {}
            },
            // February 23, 2011
            Tok::Month(m) => {
                if let (Some(Tok::Num(d, 1..=2)), Some(Tok::Num(y, 4))) = (next(1), next(2)) {
                    return Date::new(*y, *m, *d);
                }
            }
            _ => {}
        }
    }
    None
}

/// A header line's published and updated dates, split on ` | `.
pub fn date_line(s: &str) -> (Option<Date>, Option<Date>) {
    let mut parts = s.split('|');
    let published = parts.next().and_then(parse_date);
    let updated = parts.find_map(parse_date);
    (published, updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_1970_and_back_across_leap_days_and_years() {
        let d = |y, m, d| Date::new(y, m, d).expect("a date");
        let epoch = Date {
            year: 1970,
            month: 1,
            day: 1,
        };
        assert_eq!(epoch.days(), 0);
        assert_eq!(d(2008, 8, 12).days(), 14_103);
        assert_eq!(
            d(2008, 3, 1).days() - d(2008, 2, 28).days(),
            2,
            "29 February"
        );
        assert_eq!(d(2007, 3, 1).days() - d(2007, 2, 28).days(), 1);
        assert_eq!(Date::from_days(d(2004, 12, 31).days() + 1), d(2005, 1, 1));
        for days in (d(1996, 1, 1).days()..d(2030, 12, 31).days()).step_by(17) {
            assert_eq!(Date::from_days(days).days(), days);
        }
    }

    #[test]
    fn every_documented_date_format_parses() {
        for (input, expected) in [
            ("Offentliggjort: 3. april 2007", "2007-04-03"),
            ("Gepubliceerd: dinsdag 9 januari 2007", "2007-01-09"),
            ("Veröffentlicht: Dienstag, 14. Dezember 2004", "2004-12-14"),
            ("10. März 2015", "2015-03-10"),
            ("Published: February 23, 2011", "2011-02-23"),
            ("公開日: 2005年1月11日", "2005-01-11"),
            ("公開日:2014 年 4 月 9 日", "2014-04-09"),
            ("發行日期: 2014 年 11 月 11 日", "2014-11-11"),
            ("27.12.2005", "2005-12-27"),
            ("11.09.15", "2015-09-11"),
            ("V1.0 (2016/03/09):", "2016-03-09"),
            ("Publisert: 14. oktober 2008", "2008-10-14"),
            ("8. Mai 2018", "2018-05-08"),
            ("2007. április 10.", "2007-04-10"),
            ("13 июня 2007 г.", "2007-06-13"),
            ("게시: 2007년 4월 10일", "2007-04-10"),
        ] {
            assert_eq!(
                parse_date(input).map(|d| d.to_string()),
                Some(expected.to_string()),
                "{input}"
            );
        }
        assert_eq!(parse_date("Version: 1.0"), None);
        assert_eq!(parse_date("Veröffentlicht: | Aktualisiert"), None);
    }

    #[test]
    fn header_lines_give_published_and_updated() {
        let (p, u) = date_line("Offentliggjort: 3. april 2007 | Opdateret: 10. april 2007");
        assert_eq!(
            (p.unwrap().to_string(), u.unwrap().to_string()),
            ("2007-04-03".into(), "2007-04-10".into())
        );
        let (p, u) = date_line("Veröffentlicht: Veröffentlicht: 11. Februar 2014");
        assert_eq!(
            (p.map(|d| d.to_string()), u),
            (Some("2014-02-11".into()), None)
        );
    }
}
