//! Dates in every format of the documentation: `3. april 2007`,
//! `dinsdag 9 januari 2007`, `Dienstag, 14. Dezember 2004`, `February 23, 2011`,
//! `2005年1月11日`, `2014 年 4 月 9 日`, `27.12.2005`, `11.09.15`, `2016/03/09`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// Read back from its written form, `2007-04-03`.
impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        let mut parts = s.splitn(3, '-');
        let mut next = || parts.next().and_then(|p| p.parse().ok());
        match (next(), next(), next()) {
            (Some(year), Some(month), Some(day)) => Ok(Date {
                year,
                month: u8::try_from(month).map_err(serde::de::Error::custom)?,
                day: u8::try_from(day).map_err(serde::de::Error::custom)?,
            }),
            _ => Err(serde::de::Error::custom(format!("not a date: {s:?}"))),
        }
    }
}

#[derive(Debug, PartialEq)]
enum Tok {
    Num(i64, usize),
    Month(i64),
    Cjk(char),
}

/// A token and where it stands in the line (byte offsets).
struct Spanned {
    tok: Tok,
    start: usize,
    end: usize,
}

/// What month a lower-cased word names: the shared tables' words, or the
/// ones a locale was found to use (see [`crate::reconcile::learn_months`]).
pub type Months<'a> = &'a dyn Fn(&str) -> Option<u32>;

fn tokens(s: &str, months: Months) -> Vec<Spanned> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let run = |chars: &mut std::iter::Peekable<std::str::CharIndices>,
                   keep: fn(char) -> bool| {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !keep(d) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            end
        };
        if c.is_ascii_digit() {
            let end = run(&mut chars, |d| d.is_ascii_digit());
            let digits = &s[i..end];
            let tok = Tok::Num(digits.parse().unwrap_or(-1), digits.len());
            out.push(Spanned { tok, start: i, end });
        } else if matches!(c, '年' | '月' | '日' | '년' | '월' | '일') {
            let end = i + c.len_utf8();
            out.push(Spanned {
                tok: Tok::Cjk(c),
                start: i,
                end,
            });
        } else if c.is_alphabetic() {
            let end = run(&mut chars, char::is_alphabetic);
            if let Some(m) = months(&s[i..end].to_lowercase()) {
                out.push(Spanned {
                    tok: Tok::Month(m as i64),
                    start: i,
                    end,
                });
            }
        }
    }
    out
}

/// The first date in `s`, if any.
pub fn parse_date(s: &str) -> Option<Date> {
    parse_date_with(s, &month_word)
}

/// The first date in `s`, with `months` saying which words name a month.
pub fn parse_date_with(s: &str, months: Months) -> Option<Date> {
    dates_with(s, months).into_iter().next()
}

/// Every date in `s`, in order, with `months` saying which words name a
/// month.
///
/// Numbers alone make a date only written tight (`27.12.2005`,
/// `2016/03/09`): `Internet Explorer 5.01 … Windows 2000` is no date.
pub fn dates_with(s: &str, months: Months) -> Vec<Date> {
    let spans = tokens(s, months);
    let tight = |a: usize, b: usize| {
        let gap = &s[spans[a].end..spans[b].start];
        gap.len() <= 2 && gap.chars().all(|c| matches!(c, '.' | '/' | '-' | ' '))
    };
    let toks: Vec<&Tok> = spans.iter().map(|t| &t.tok).collect();
    // The date that starts at token `i`, and how many tokens it takes.
    let date_at = |i: usize| -> Option<(Date, usize)> {
        let next = |k: usize| toks.get(i + k).copied();
        let numeric = || i + 2 < toks.len() && tight(i, i + 1) && tight(i + 1, i + 2);
        let three = |y: i64, m: i64, d: i64| Date::new(y, m, d).map(|date| (date, 3));
        match toks[i] {
            // 2005年1月11日, 2014 年 4 月 9 日
            Tok::Num(y, 4) if matches!(next(1), Some(Tok::Cjk('年' | '년'))) => {
                match (next(2), next(4)) {
                    (Some(Tok::Num(m, _)), Some(Tok::Num(d, _))) => {
                        Date::new(*y, *m, *d).map(|date| (date, 5))
                    }
                    _ => None,
                }
            }
            Tok::Num(y, 4) => match (next(1), next(2)) {
                // 2016/03/09 or 2016-03-09 (numbers only)
                (Some(Tok::Num(m, 1..=2)), Some(Tok::Num(d, 1..=2))) if numeric() => {
                    three(*y, *m, *d)
                }
                // 2007. április 10. (Hungarian)
                (Some(Tok::Month(m)), Some(Tok::Num(d, 1..=2))) => three(*y, *m, *d),
                _ => None,
            },
            // 3. april 2007, 9 januari 2007, 27.12.2005, 11.09.15
            Tok::Num(d, 1..=2) => match (next(1), next(2)) {
                (Some(Tok::Month(m)), Some(Tok::Num(y, 4))) => three(*y, *m, *d),
                (Some(Tok::Num(m, 1..=2)), Some(Tok::Num(y, 2 | 4))) if numeric() => {
                    three(*y, *m, *d)
                }
                _ => None,
            },
            // February 23, 2011
            Tok::Month(m) => match (next(1), next(2)) {
                (Some(Tok::Num(d, 1..=2)), Some(Tok::Num(y, 4))) => three(*y, *m, *d),
                _ => None,
            },
            _ => None,
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match date_at(i) {
            Some((date, taken)) => {
                out.push(date);
                i += taken;
            }
            None => i += 1,
        }
    }
    out
}

/// What a page's header lines say of its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeaderDates {
    /// The release: the earliest date a label line states.
    pub published: Option<Date>,
    /// The latest, where they state more than one.
    pub updated: Option<Date>,
    /// A label line looks like a date and reads as none: its words may
    /// name a month no table knows, and the release may be that line.
    pub unread: bool,
}

/// The published and updated dates a page's header lines state.
///
/// Label lines (`Publisert: 9. desember 2008`, one `|` part or line at
/// most 80 columns wide) state the dates, and the order of the lines says
/// nothing: German and Dutch pages of revised bulletins open with the
/// update (`Aktualisiert: Dienstag, 9. Dezember 2008`) and state the
/// release below it, the other locales in one line (`Published: … |
/// Updated: …`). An update is never before its release, in any language,
/// so the release is the earliest. Sentences (a summary's `this replaces
/// the advance notification of 7 January`) state other dates and are
/// read only where no label line is.
pub fn header_dates(lines: &[&str], months: Months) -> HeaderDates {
    let mut all = Vec::new();
    let mut unread = false;
    for part in lines.iter().flat_map(|l| l.split(['|', '\n'])) {
        if width(part) > 80 {
            continue;
        }
        let found = dates_with(part, months);
        unread |= found.is_empty() && looks_like_a_date(part);
        all.extend(found);
    }
    if all.is_empty() {
        all.extend(lines.iter().find_map(|l| parse_date_with(l, months)));
    }
    HeaderDates {
        published: all.iter().min().copied(),
        updated: (all.len() > 1).then(|| all.iter().max().copied()).flatten(),
        unread,
    }
}

/// How wide a text is drawn: a Han, kana or Hangul character is two
/// columns, as wide as the two or three letters a Latin word spends on it.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            use crate::script::Script::{Han, Hangul, Kana};
            match crate::script::Script::of(c) {
                Some(Han | Kana | Hangul) => 2,
                _ => 1,
            }
        })
        .sum()
}

/// The numbers written in `text`, as written.
fn numbers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
}

/// Whether `text` writes a year of the documentation (1996–2030).
pub fn holds_year(text: &str) -> bool {
    numbers(text)
        .any(|n| n.len() == 4 && n.parse::<u16>().is_ok_and(|y| (1996..=2030).contains(&y)))
}

/// Whether `text` states a date: a year of the documentation, or a date
/// written in numbers alone with a two-digit year (`Veröffentlicht:
/// 10.05.16`, German 2016 bulletins), which no month word marks.
pub fn holds_date(text: &str) -> bool {
    holds_year(text) || !dates_with(text, &|_| None).is_empty()
}

/// A text holding a year and a day's number, and a word.
fn looks_like_a_date(part: &str) -> bool {
    let day =
        numbers(part).any(|n| n.len() <= 2 && n.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d)));
    holds_year(part) && day && part.chars().any(char::is_alphabetic)
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
        // Numbers far apart are no date.
        assert_eq!(
            parse_date("Internet Explorer 5.01 som kjører på Microsoft Windows 2000"),
            None
        );
        assert_eq!(
            parse_date("Publisert: 9. desember 2008"),
            Some(Date::new(2008, 12, 9).expect("a date"))
        );
        assert_eq!(parse_date("Veröffentlicht: | Aktualisiert"), None);
    }

    #[test]
    fn header_lines_give_published_and_updated() {
        let read = |lines: &[&str]| {
            let h = header_dates(lines, &month_word);
            (h.published, h.updated)
        };
        let (p, u) = read(&["Offentliggjort: 3. april 2007 | Opdateret: 10. april 2007"]);
        assert_eq!(
            (p.unwrap().to_string(), u.unwrap().to_string()),
            ("2007-04-03".into(), "2007-04-10".into())
        );
        let (p, u) = read(&["Veröffentlicht: Veröffentlicht: 11. Februar 2014"]);
        assert_eq!(
            (p.map(|d| d.to_string()), u),
            (Some("2014-02-11".into()), None)
        );
        // The update stated first (de-de, nl-nl 2005 bulletins).
        let (p, u) = read(&[
            "Aktualisiert: Dienstag, 9. Dezember 2008",
            "**Version:** 2.1",
            "Veröffentlichung: 11. Januar 2005\nAktualisiert: 9. Dezember 2008",
        ]);
        assert_eq!(
            (p.unwrap().to_string(), u.unwrap().to_string()),
            ("2005-01-11".into(), "2008-12-09".into())
        );
        // A release in words no table knows: the header is unread.
        let h = header_dates(
            &["Birt: 9. xyzember 2008 | Uppfært: 10. februar 2009"],
            &month_word,
        );
        assert!(h.unread);
        // A sentence's date is no release where a label line states one.
        let (p, u) = read(&[
            "發行: 2010年1月13日 | 更新: 2010年1月22日",
            "發行 2010 年 1 月份公告之後，此公告摘要將取代原先於 2010 年 1 月 7 日發行的公告預先通知。如需更多有關公告預先通知的資訊，請參閱",
        ]);
        assert_eq!(
            (p.unwrap().to_string(), u.unwrap().to_string()),
            ("2010-01-13".into(), "2010-01-22".into())
        );
    }
}
