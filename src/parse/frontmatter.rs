//! Tolerant, line-by-line front matter: never a strict YAML parser, which
//! fails on real files (unquoted second `: `, NBSP after colons, junk
//! around the `---` delimiters, doubled blocks).

/// Splits `text` into its front-matter pairs (keys lower-cased) and the body.
/// A file without front matter gives no pairs and the whole text as body.
pub fn split(text: &str) -> (Vec<(String, String)>, &str) {
    let mut pairs = Vec::new();
    let mut offset = 0;
    let mut opened = false;
    for line in text.split_inclusive('\n') {
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
            return (pairs, &text[offset..]);
        }
        if let Some((key, value)) = key_value(trimmed) {
            pairs.push((key, value));
        } else if pairs.is_empty() && !trimmed.is_empty() && !looks_like_key_line(trimmed) {
            // Not front matter after all.
            return (Vec::new(), text);
        }
    }
    if opened && !pairs.is_empty() {
        // Never closed: everything was front matter, nothing is body.
        return (pairs, "");
    }
    (Vec::new(), text)
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
            let (pairs, body) = split(text);
            assert_eq!(get(&pairs, "title"), Some("A"), "{text:?}");
            assert_eq!(body, "body", "{text:?}");
        }
    }

    #[test]
    fn values_are_unquoted_and_keys_lower_cased() {
        let text = "---\nTitle: 'Veelgestelde vragen (FAQ''s) over RMS'\nTOCTitle: \"925568\"\nTitle2: 2007 Microsoft Office-Sicherheitshandbuch: Bedrohungen\nauthor: SharonSears\nms:mtpsurl: 'https://technet.microsoft.com/da-DK/library/ms07-mar(v=Security.10)'\n---\n# H";
        let (pairs, body) = split(text);
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
        assert_eq!(split(text), (Vec::new(), text));
        let text = "Intro\n\n---\n\nafter a rule";
        assert_eq!(split(text), (Vec::new(), text));
    }
}
