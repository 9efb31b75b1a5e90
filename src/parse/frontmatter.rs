//! Tolerant, line-by-line front matter: never a strict YAML parser, which
//! fails on real files (unquoted second `: `, NBSP after colons, junk
//! around the `---` delimiters, doubled blocks).

/// A text split into its front matter and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front-matter pairs, keys lower-cased.
    pub pairs: Vec<(String, String)>,
    /// The body after the front matter.
    pub body: &'a str,
    /// The front matter was opened and never closed: the body starts at its
    /// first line that is not `key: value`.
    pub unclosed: bool,
}

/// Splits `text` into its front-matter pairs (keys lower-cased) and the body.
/// A file without front matter gives no pairs and the whole text as body; a
/// block that is never closed ends at its first line that is no pair, so
/// its body is kept (it used to be dropped whole).
pub fn split(text: &str) -> Split<'_> {
    let none = Split {
        pairs: Vec::new(),
        body: text,
        unclosed: false,
    };
    let mut pairs = Vec::new();
    let mut offset = 0;
    let mut opened = false;
    // Where the body starts if the block is never closed.
    let mut first_other: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if !opened {
            if trimmed.is_empty() {
                continue;
            }
            if is_delimiter(trimmed) {
                opened = true;
                continue;
            }
            // The first non-blank line is not a delimiter: no front matter.
            break;
        }
        if is_delimiter(trimmed) {
            if pairs.is_empty() {
                // A doubled opening `---\n---`: the first block is empty.
                continue;
            }
            return Split {
                pairs,
                body: &text[offset..],
                unclosed: false,
            };
        }
        if let Some((key, value)) = key_value(trimmed) {
            if first_other.is_none() {
                pairs.push((key, value));
            }
        } else if pairs.is_empty() && !trimmed.is_empty() && !looks_like_key_line(trimmed) {
            // Not front matter after all.
            return none;
        } else if !pairs.is_empty() {
            first_other.get_or_insert(line_start);
        }
    }
    if opened && !pairs.is_empty() {
        return Split {
            pairs,
            body: first_other.map_or("", |at| &text[at..]),
            unclosed: true,
        };
    }
    none
}

fn is_delimiter(line: &str) -> bool {
    let core = line.trim_matches(|c: char| c.is_whitespace() || c == '.' || c == '0');
    core == "---"
}

fn looks_like_key_line(line: &str) -> bool {
    line.contains(':')
}

fn key_value(line: &str) -> Option<(String, String)> {
    let colon = line
        .find(": ")
        .or_else(|| line.strip_suffix(':').map(|s| s.len()))?;
    let key = line[..colon].trim();
    if key.is_empty()
        || key.len() > 40
        || !key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ':' | '.' | '_' | '-'))
    {
        return None;
    }
    let value = line[colon + 1..].trim();
    Some((key.to_lowercase(), unquote(value)))
}

fn unquote(value: &str) -> String {
    if value.len() >= 2 && value.starts_with('\'') && value.ends_with('\'') {
        value[1..value.len() - 1].replace("''", "'")
    } else if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
        value[1..value.len() - 1].replace("\\\"", "\"")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn real_delimiter_anomalies_are_accepted() {
        for text in [
            "---\ntitle: A\n---\nbody",
            "\n---\ntitle: A\n---\nbody",
            " ---\ntitle: A\n---\nbody",
            "    ---\ntitle: A\n--- \nbody",
            "\t---\ntitle: A\n---.\nbody",
            "\n0---\ntitle: A\n---\nbody",
            "---\n---\ntitle: A\n---\nbody",
        ] {
            let split = split(text);
            assert_eq!(get(&split.pairs, "title"), Some("A"), "{text:?}");
            assert_eq!(split.body, "body", "{text:?}");
            assert!(!split.unclosed);
        }
    }

    #[test]
    fn values_are_unquoted_and_keys_lower_cased() {
        let text = "---\nTitle: 'Veelgestelde vragen (FAQ''s) over RMS'\nTOCTitle: \"925568\"\nTitle2: 2007 Microsoft Office-Sicherheitshandbuch: Bedrohungen\nauthor: SharonSears\nms:mtpsurl: 'https://technet.microsoft.com/da-DK/library/ms07-mar(v=Security.10)'\n---\n# H";
        let Split { pairs, body, .. } = split(text);
        assert_eq!(
            get(&pairs, "title"),
            Some("Veelgestelde vragen (FAQ's) over RMS")
        );
        assert_eq!(get(&pairs, "toctitle"), Some("925568"));
        assert_eq!(
            get(&pairs, "title2"),
            Some("2007 Microsoft Office-Sicherheitshandbuch: Bedrohungen")
        );
        assert_eq!(get(&pairs, "author"), Some("SharonSears"));
        assert_eq!(
            get(&pairs, "ms:mtpsurl"),
            Some("https://technet.microsoft.com/da-DK/library/ms07-mar(v=Security.10)")
        );
        assert_eq!(body, "# H");
    }

    #[test]
    fn a_file_without_front_matter_is_all_body() {
        let text = "# Microsoft-Sicherheitsempfehlung 4092731\n\ntext";
        assert_eq!((split(text).pairs, split(text).body), (Vec::new(), text));
        let text = "Intro\n\n---\n\nafter a rule";
        assert_eq!((split(text).pairs, split(text).body), (Vec::new(), text));
    }

    #[test]
    fn a_block_never_closed_ends_at_its_first_line_that_is_no_pair() {
        let text = "---\ntitle: A\nTOCTitle: MS07-017\n\n# Heading\n\nbody\n";
        let split = split(text);
        assert_eq!(get(&split.pairs, "toctitle"), Some("MS07-017"));
        assert_eq!(split.pairs.len(), 2);
        assert_eq!(split.body, "\n# Heading\n\nbody\n");
        assert!(split.unclosed);
        let only_pairs = split_only("---\ntitle: A\n");
        assert_eq!(only_pairs, ("", true));
    }

    fn split_only(text: &str) -> (&str, bool) {
        let s = split(text);
        (s.body, s.unclosed)
    }
}
