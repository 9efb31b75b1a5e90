//! Language detection for a document's text: a script rule for Japanese,
//! Korean and Chinese, whatlang (restricted to the documentation's
//! languages) for the rest, and the declared language where the evidence is
//! weak or where whatlang is known to be a coin flip (Danish vs Norwegian).

use std::sync::LazyLock;

use whatlang::{Detector, Lang as W};

use crate::model::Lang;
use crate::script::Script;

/// whatlang's code for each language that has one (the `whatlang` column
/// of [`crate::lang::LANGS`]).
fn whatlang_codes() -> impl Iterator<Item = (Lang, W)> {
    crate::lang::LANGS
        .iter()
        .filter_map(|r| r.whatlang.map(|w| (r.lang, w)))
}

static DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::with_allowlist(whatlang_codes().map(|(_, w)| w).collect()));

/// How many characters of a document are looked at.
const SAMPLE: usize = 4000;

/// Detects the language `text` is written in. `declared` (from front matter
/// or path) wins when detection is unsure or only confuses Danish and
/// Norwegian; it is returned unchanged when nothing can be detected.
pub fn detect(text: &str, declared: Option<Lang>) -> Option<Lang> {
    let sample: String = text.chars().take(SAMPLE).collect();
    let (mut kana, mut hangul, mut han, mut letters) = (0usize, 0usize, 0usize, 0usize);
    for script in sample.chars().filter_map(Script::of) {
        match script {
            Script::Kana => kana += 1,
            Script::Hangul => hangul += 1,
            Script::Han => han += 1,
            _ => letters += 1,
        }
    }
    let cjk = kana + hangul + han;
    // CJK text is dense: a fifth of the letters is plenty of evidence.
    if cjk * 4 >= letters && cjk >= 10 {
        return Some(if hangul > kana + han {
            Lang::Ko
        } else if kana * 20 >= han && kana >= 3 {
            Lang::Ja
        } else {
            Lang::Zh
        });
    }
    let info = DETECTOR.detect(&sample);
    let detected = info
        .filter(|i| i.confidence() >= 0.3 || i.is_reliable())
        .and_then(|i| {
            whatlang_codes()
                .find(|&(_, w)| w == i.lang())
                .map(|(l, _)| l)
        });
    match (detected, declared) {
        (None, d) => d,
        (Some(Lang::Da | Lang::Nb), Some(d @ (Lang::Da | Lang::Nb)))
            if !crate::vocab::is_left_out(Lang::Da) && !crate::vocab::is_left_out(Lang::Nb) =>
        {
            Some(d)
        }
        (Some(l), _) => Some(l),
    }
}

/// The language of a short text (a query) by script alone: kana means
/// Japanese, Hangul Korean, Han without kana Chinese; `None` for other scripts.
pub fn script_of(text: &str) -> Option<Lang> {
    let (mut kana, mut hangul, mut han) = (0usize, 0usize, 0usize);
    for script in text.chars().filter_map(Script::of) {
        match script {
            Script::Kana => kana += 1,
            Script::Hangul => hangul += 1,
            Script::Han => han += 1,
            _ => {}
        }
    }
    if hangul > kana + han {
        Some(Lang::Ko)
    } else if kana > 0 {
        Some(Lang::Ja)
    } else if han > 0 {
        Some(Lang::Zh)
    } else {
        None
    }
}

/// whatlang's guess among `allowed`, with its confidence.
pub fn whatlang_among(text: &str, allowed: &[Lang]) -> Option<(Lang, f64)> {
    let list: Vec<W> = whatlang_codes()
        .filter(|(l, _)| allowed.contains(l))
        .map(|(_, w)| w)
        .collect();
    if list.is_empty() {
        return None;
    }
    let info = Detector::with_allowlist(list).detect(text)?;
    let lang = whatlang_codes().find(|&(_, w)| w == info.lang())?.0;
    Some((lang, info.confidence()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_languages_are_told_apart() {
        for (text, declared, expected) in [
            (
                "GDI の脆弱性により、リモートでコードが実行される",
                Some(Lang::De),
                Some(Lang::Ja),
            ),
            (
                "GDI 中的弱點可能會允許遠端執行程式碼",
                Some(Lang::Ja),
                Some(Lang::Zh),
            ),
            (
                "원격 코드 실행을 허용할 수 있는 GDI의 취약점",
                None,
                Some(Lang::Ko),
            ),
            (
                "Microsoft extends thanks to the following for working with us to help protect customers. The vulnerability could allow remote code execution.",
                Some(Lang::De),
                Some(Lang::En),
            ),
            (
                "Denne sikkerhedsopdatering løser en sårbarhed i Windows, der kan give mulighed for fjernudførelse af kode, hvis en bruger åbner en specielt udformet fil.",
                Some(Lang::Nb),
                Some(Lang::Nb),
            ),
            (
                "Esta actualización de seguridad resuelve una vulnerabilidad en Microsoft Windows que podría permitir la ejecución remota de código.",
                Some(Lang::De),
                Some(Lang::Es),
            ),
            ("", Some(Lang::Nl), Some(Lang::Nl)),
        ] {
            assert_eq!(detect(text, declared), expected, "{text}");
        }
    }
}
