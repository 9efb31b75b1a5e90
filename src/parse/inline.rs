//! Inline Markdown and inline HTML to plain text, collecting links and
//! bold spans on the way. Used for paragraphs, headings, list items and
//! table cells (whose inner HTML often carries Markdown).

/// A link found in inline text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The visible text, rendered.
    pub text: String,
    /// The target, as written.
    pub href: String,
}

/// Rendered inline content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inline {
    /// Plain text; `<br>` and hard breaks become `\n`, soft breaks a space.
    pub text: String,
    /// Every link, in order.
    pub links: Vec<Link>,
    /// Every bold span (`**…**`, `<strong>`, `<b>`), rendered, in order.
    pub strong: Vec<String>,
}

impl Inline {
    /// Whether all visible text is bold (a bold paragraph used as a heading).
    pub fn is_all_strong(&self) -> bool {
        let visible: String = self.text.chars().filter(|c| !c.is_whitespace()).collect();
        let bold: String = self
            .strong
            .iter()
            .flat_map(|s| s.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        let visible = visible.trim_end_matches([':', '.']);
        !visible.is_empty() && bold.trim_end_matches([':', '.']) == visible
    }
}

/// Renders inline Markdown/HTML `src` to plain text.
pub fn render(src: &str) -> Inline {
    let mut r = Renderer::default();
    r.run(src);
    r.finish()
}

#[derive(Default)]
struct Renderer {
    out: String,
    links: Vec<Link>,
    strong: Vec<String>,
    strong_start: Option<usize>,
    /// Open HTML `<a>` links: (start offset in `out`, href).
    html_links: Vec<(usize, String)>,
}

impl Renderer {
    fn run(&mut self, src: &str) {
        let bytes = src.as_bytes();
        let mut i = 0;
        while i < src.len() {
            let c = bytes[i];
            match c {
                b'\\' if i + 1 < src.len() && bytes[i + 1].is_ascii_punctuation() => {
                    self.out.push(bytes[i + 1] as char);
                    i += 2;
                }
                b'\\' if src[i + 1..].starts_with('\n') => {
                    self.out.push('\n');
                    i += 2;
                }
                b'!' if src[i + 1..].starts_with('[') => {
                    // Images: keep the alt text only.
                    match parse_link(&src[i + 1..]) {
                        Some((text, _, len)) => {
                            self.run(text);
                            i += 1 + len;
                        }
                        None => {
                            self.out.push('!');
                            i += 1;
                        }
                    }
                }
                b'[' => match parse_link(&src[i..]) {
                    Some((text, href, len)) => {
                        // A link glued to a word (`von[iDefense](…)`) is its own word.
                        if self
                            .out
                            .chars()
                            .next_back()
                            .is_some_and(char::is_alphanumeric)
                        {
                            self.out.push(' ');
                        }
                        let start = self.out.len();
                        self.run(text);
                        let text = collapse(&self.out[start..]);
                        self.links.push(Link {
                            text,
                            href: href.split_whitespace().collect(),
                        });
                        i += len;
                        if src[i..]
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_alphanumeric() || c == '[')
                        {
                            self.out.push(' ');
                        }
                    }
                    None => {
                        self.out.push('[');
                        i += 1;
                    }
                },
                b'*' | b'_' if src[i + 1..].starts_with(c as char) => {
                    self.toggle_strong();
                    i += 2;
                }
                b'*' => i += 1,
                b'`' => i += 1,
                b'<' => i += self.tag(&src[i..]),
                b'&' => i += self.entity(&src[i..]),
                b' ' if src[i..].starts_with("  \n") => {
                    self.out.push('\n');
                    i += 3;
                }
                b'\n' => {
                    self.out.push(' ');
                    i += 1;
                }
                _ => {
                    let ch = src[i..].chars().next().unwrap_or(' ');
                    self.out.push(ch);
                    i += ch.len_utf8();
                }
            }
        }
    }

    fn toggle_strong(&mut self) {
        match self.strong_start.take() {
            Some(start) => {
                let s = collapse(&self.out[start..]);
                if !s.is_empty() {
                    self.strong.push(s);
                }
            }
            None => self.strong_start = Some(self.out.len()),
        }
    }

    /// Handles an HTML tag at the start of `s`; returns the bytes consumed.
    fn tag(&mut self, s: &str) -> usize {
        let Some(end) = s.find('>') else {
            self.out.push('<');
            return 1;
        };
        let inner = &s[1..end];
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || inner.contains('<') {
            self.out.push('<');
            return 1;
        }
        let closing = inner.starts_with('/');
        match name.as_str() {
            "br" => self.out.push('\n'),
            "p" | "div" | "li" | "tr" => self.out.push(' '),
            "strong" | "b" if closing == self.strong_start.is_some() => {
                self.toggle_strong();
            }
            "a" if !closing => {
                let href = attr(inner, "href").unwrap_or_default();
                self.html_links.push((self.out.len(), href));
            }
            "a" => {
                if let Some((start, href)) = self.html_links.pop() {
                    let text = collapse(&self.out[start..]);
                    self.links.push(Link { text, href });
                }
            }
            _ => {}
        }
        end + 1
    }

    fn entity(&mut self, s: &str) -> usize {
        let window = s
            .char_indices()
            .take(12)
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8());
        let Some(end) = s[..window].find(';') else {
            self.out.push('&');
            return 1;
        };
        let name = &s[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                self.out.push(if c.is_whitespace() && c != '\n' {
                    ' '
                } else {
                    c
                });
                end + 1
            }
            None => {
                self.out.push('&');
                1
            }
        }
    }

    fn finish(mut self) -> Inline {
        if self.strong_start.is_some() {
            self.toggle_strong();
        }
        let text = self
            .out
            .split('\n')
            .map(collapse)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        Inline {
            text,
            links: self.links,
            strong: self.strong,
        }
    }
}

/// Parses `[text](href)` at the start of `s`: (text, href, bytes consumed).
fn parse_link(s: &str) -> Option<(&str, &str, usize)> {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut close = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            b'\n' if i > 0 && bytes[i - 1] == b'\n' => return None,
            _ => {}
        }
        i += 1;
    }
    let close = close?;
    if bytes.get(close + 1) != Some(&b'(') {
        return None;
    }
    let mut depth = 0usize;
    for (j, &b) in bytes.iter().enumerate().skip(close + 1) {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    let href = s[close + 2..j].trim();
                    let href = href.split(" \"").next().unwrap_or(href);
                    return Some((&s[1..close], href, j + 1));
                }
            }
            b'\n' if j > 0 && bytes[j - 1] == b'\n' => return None,
            _ => {}
        }
    }
    None
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let pos = lower.find(&format!("{name}="))?;
    let rest = &tag[pos + name.len() + 1..];
    let (quote, rest) = match rest.chars().next()? {
        q @ ('"' | '\'') => (q, &rest[1..]),
        _ => (' ', rest),
    };
    Some(rest.split(quote).next().unwrap_or("").to_string())
}

/// Collapses runs of whitespace into one space and trims.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_links_bold_and_escapes_become_plain_text() {
        let r = render(
            "**Bemærk\\!** Se [MS07-020.](http://go.microsoft.com/fwlink/?linkid=85164) og \\[5\\]",
        );
        assert_eq!(r.text, "Bemærk! Se MS07-020. og [5]");
        assert_eq!(r.strong, vec!["Bemærk!"]);
        assert_eq!(
            r.links,
            vec![Link {
                text: "MS07-020.".into(),
                href: "http://go.microsoft.com/fwlink/?linkid=85164".into()
            }]
        );
    }

    #[test]
    fn html_cells_keep_breaks_bold_and_links() {
        let r = render(
            "<a href=\"http://x/kb/925902\">Kritisk</a><br />\nFjernudførelse&nbsp;af kode &amp; mere",
        );
        assert_eq!(r.text, "Kritisk\nFjernudførelse af kode & mere");
        assert_eq!(r.links[0].href, "http://x/kb/925902");
        let r =
            render("<strong>Sårbarheder i GDI (925902)</strong><br />\n<br />\nDenne opdatering");
        assert_eq!(r.text, "Sårbarheder i GDI (925902)\nDenne opdatering");
        assert_eq!(r.strong, vec!["Sårbarheder i GDI (925902)"]);
        assert!(!r.is_all_strong());
        assert!(render("**Tak til:**").is_all_strong());
    }

    #[test]
    fn wrapped_link_targets_and_nested_parentheses_parse() {
        let r = render(
            "[816458](https://support.microsoft.com/kb/816458\n) and [x](https://t/ms07-mar(v=Security.10))",
        );
        assert_eq!(r.text, "816458 and x");
        assert_eq!(r.links[0].href, "https://support.microsoft.com/kb/816458");
        assert_eq!(r.links[1].href, "https://t/ms07-mar(v=Security.10)");
    }

    #[test]
    fn stray_brackets_and_angles_survive() {
        assert_eq!(render("a [b] c < d & e").text, "a [b] c < d & e");
        assert_eq!(render("![alt](img.png) text").text, "alt text");
        assert_eq!(render("&lt;完全なパス&gt; &amp").text, "<完全なパス> &amp");
        assert_eq!(
            render("von[iDefense](x)für [A](y)[B](z)").text,
            "von iDefense für A B"
        );
    }
}
