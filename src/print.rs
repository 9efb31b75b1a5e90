//! In: search responses, credit groups and chains. Out: the command line's
//! human-readable text, written to any `Write` (kept apart from `main`, as
//! ripgrep keeps its printer apart). Every write returns its error, so a
//! closed stdout ends the run quietly instead of panicking.

use std::io::{self, Write};

use crate::researchers::Researcher;
use crate::search::SearchResponse;

/// Search results: the plan when explained, then one block per hit, with
/// matches bold on a terminal and in «guillemets» elsewhere.
pub fn search_results(out: &mut impl Write, r: &SearchResponse, tty: bool) -> io::Result<()> {
    let (on, off) = if tty {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("«", "»")
    };
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(e) = &r.explain {
        let t = &e.translation;
        writeln!(
            out,
            "query language: {} ({})",
            t.query_lang.map_or("unknown", |l| l.code()),
            t.detected_by
        )?;
        for term in &t.terms {
            let tokens = if term.is_stop_word() {
                "stop word".to_string()
            } else {
                term.tokens.join(" ")
            };
            writeln!(out, "  {} [{tokens}]", term.term)?;
            for (lang, ts) in &term.translations {
                let shown: Vec<String> = ts.iter().map(|(w, p)| format!("{w} {p:.2}")).collect();
                writeln!(out, "    {lang}: {}", shown.join(", "))?;
            }
        }
        // Phrase frames, translated whole, and the words kept as they are.
        for p in &t.phrases {
            let shown: Vec<String> = p
                .translations
                .iter()
                .map(|(f, w)| format!("{} {w:.2}", f.join(" ")))
                .collect();
            writeln!(
                out,
                "  phrase [{}] {}: {}; anchors: {}",
                p.tokens.join(" "),
                p.to,
                shown.join(", "),
                p.anchors.join(" ")
            )?;
        }
    }
    writeln!(out, "{} results in {:.1} ms", r.total, r.took_ms)?;
    for h in &r.hits {
        let id = h
            .bulletin_id
            .map_or_else(|| h.kind.to_string(), |b| b.to_string());
        let kb = h.kb.map(|k| format!(" KB{k}")).unwrap_or_default();
        let sev = h.severity.map(|s| format!(" [{s}]")).unwrap_or_default();
        let date = h.published.as_deref().unwrap_or("");
        writeln!(
            out,
            "\n{on}{id}{off}{kb}{sev} {} {date}  {}",
            h.lang, h.title
        )?;
        writeln!(
            out,
            "  {}  (languages: {}; matched in: {})",
            h.doc_id,
            codes(&h.languages),
            codes(&h.matched_languages)
        )?;
        let snippet = h
            .snippet
            .replace("<mark>", on)
            .replace("</mark>", off)
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        writeln!(out, "  {snippet}")?;
    }
    Ok(())
}

/// Credits: one block per researcher (or organisation-only party), with
/// every credit's bulletin or advisory, CVEs, title and locales.
pub fn credits(out: &mut impl Write, groups: &[Researcher]) -> io::Result<()> {
    for g in groups {
        let orgs = if g.organisations.is_empty() {
            String::new()
        } else {
            format!(" ({})", g.organisations.join(", "))
        };
        let name = if g.researcher.is_empty() {
            "—"
        } else {
            &g.researcher
        };
        let plural = if g.count == 1 { "" } else { "s" };
        writeln!(out, "{name}{orgs} — {} credit{plural}", g.count)?;
        for c in &g.credits {
            let subject = match (&c.bulletin_id, &c.advisory) {
                (Some(b), _) => b.to_string(),
                (None, Some(a)) => format!("Advisory {a}"),
                (None, None) => "-".to_string(),
            };
            writeln!(
                out,
                "  {} {} {}  [{}]",
                subject,
                c.cves.join(" "),
                c.title,
                c.locales.join(" ")
            )?;
        }
    }
    Ok(())
}

/// A supersedence chain: one line per replacing bulletin, oldest first,
/// with its KB and the products the replacement is stated for.
pub fn chain(out: &mut impl Write, c: &crate::products::Chain) -> io::Result<()> {
    let asked = match &c.product {
        Some(p) => format!("{} for {p}", c.bulletin),
        None => c.bulletin.clone(),
    };
    if c.links.is_empty() {
        writeln!(out, "{asked}: nothing in the index replaces it")?;
        return Ok(());
    }
    writeln!(out, "{asked} was replaced by:")?;
    for l in &c.links {
        let kb =
            l.kb.map(|k| format!("KB{k}"))
                .unwrap_or_else(|| "KB?".into());
        let products = if l.products.is_empty() {
            "the whole bulletin".to_string()
        } else {
            l.products.join("; ")
        };
        writeln!(
            out,
            "  {} {kb}  replaces {}  ({products})",
            l.bulletin, l.replaces
        )?;
    }
    let latest: Vec<String> = c.latest.iter().map(ToString::to_string).collect();
    writeln!(out, "latest: {}", latest.join(", "))?;
    Ok(())
}

/// Languages as their codes, space-separated.
fn codes(langs: &[crate::lang::TextLang]) -> String {
    langs.iter().map(|l| l.code()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;
    use crate::search::{Explain, PhraseTranslation, Translation};

    #[test]
    fn an_explained_search_prints_its_phrase_frames() {
        let r = SearchResponse {
            total: 0,
            query_lang: Some(Lang::De),
            took_ms: 1.0,
            hits: Vec::new(),
            facets: None,
            warnings: Vec::new(),
            explain: Some(Explain {
                plan: Default::default(),
                translation: Translation {
                    query_lang: Some(Lang::De),
                    detected_by: "given".into(),
                    phrases: vec![PhraseTranslation {
                        to: Lang::Nb,
                        tokens: vec!["kernel".into(), "sicherheitsanfall".into()],
                        translations: vec![(vec!["kjern".into(), "sikkerhetsproblem".into()], 1.0)],
                        anchors: vec!["windows".into()],
                    }],
                    ..Translation::default()
                },
            }),
            ids: None,
        };
        let mut out = Vec::new();
        search_results(&mut out, &r, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "query language: de (given)\n  phrase [kernel sicherheitsanfall] nb: kjern sikkerhetsproblem 1.00; anchors: windows\n0 results in 1.0 ms\n"
        );
    }
}
