//! One thanks line on its way to credits, and what every stage asks of
//! it: its language, what it credits, the anchors it is read against.

use super::*;

/// One thanks line on its way to credits.
pub(super) struct Line<'a> {
    pub(super) doc: &'a Document,
    pub(super) line: Cow<'a, AckLine>,
    pub(super) credited: Vec<Credited>,
    /// The language the line is written in.
    pub(super) lang: Lang,
    pub(super) credits: Vec<Credit>,
}

impl Line<'_> {
    /// The frame a line is learned into and read by: its locale and language
    /// (English lines in a Japanese page have a frame of their own).
    pub(super) fn frame_key(&self) -> String {
        format!(
            "{}/{}",
            self.doc.locale.as_deref().unwrap_or_default(),
            self.lang.code()
        )
    }
}

/// A line's language: its script decides where the page's does not
/// (English lines sit in Japanese pages, and the other way round).
pub(super) fn line_lang(text: &str, page: Lang) -> Lang {
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

/// What each bulletin's cleanly read credits name, in every locale, by
/// what is credited: the anchors the other stages read a line against.
pub(super) type Anchors<'a> = BTreeMap<Credited, Vec<(&'a str, Credit)>>;

/// What a thanks line credits: the bulletins it names (or its group or
/// page does), else `otherwise`.
pub(super) fn credited_by(
    line: &AckLine,
    otherwise: impl FnOnce() -> Vec<Credited>,
) -> Vec<Credited> {
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
