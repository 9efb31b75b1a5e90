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
///
/// Linear in the input: bracket and parenthesis partners are found once, in
/// one pass, and tag ends with one forward cursor (each `[` used to scan
/// ahead for its partner: 44 s for `[`×200,000 + `](`×200,000). Links and
/// HTML anchors nest at most [`MAX_NESTING`] deep; deeper ones are text.
pub fn render(src: &str) -> Inline {
    let mut r = Renderer {
        pairs: Pairs::of(src),
        gt: NextByte::new(src.as_bytes(), b'>'),
        lt: NextByte::new(src.as_bytes(), b'<'),
        ..Renderer::default()
    };
    r.run(src, 0, src.len(), 0);
    r.finish()
}

/// How deep links (Markdown or HTML) may nest inside one another.
pub const MAX_NESTING: usize = 8;

#[derive(Default)]
struct Renderer<'a> {
    out: String,
    links: Vec<Link>,
    strong: Vec<String>,
    strong_start: Option<usize>,
    /// Open HTML `<a>` links: (start offset in `out`, href).
    html_links: Vec<(usize, String)>,
    pairs: Pairs,
    gt: NextByte<'a>,
    lt: NextByte<'a>,
}

/// The partners of `[` and `(`, by byte offset: `]` by nesting (a backslash
/// escapes the next byte), `)` by nesting; a blank line ends every open one.
#[derive(Default)]
struct Pairs {
    bracket: std::collections::HashMap<usize, usize>,
    paren: std::collections::HashMap<usize, usize>,
}

impl Pairs {
    fn of(src: &str) -> Pairs {
        let mut pairs = Pairs::default();
        if !src.contains('[') {
            return pairs;
        }
        let bytes = src.as_bytes();
        let (mut brackets, mut parens) = (Vec::new(), Vec::new());
        let mut escape_next = false;
        for (i, &b) in bytes.iter().enumerate() {
            let escaped = std::mem::take(&mut escape_next);
            let blank_line = b == b'\n' && i > 0 && bytes[i - 1] == b'\n';
            // Parentheses know no escapes.
            match b {
                b'(' => parens.push(i),
                b')' => {
                    if let Some(open) = parens.pop() {
                        pairs.paren.insert(open, i);
                    }
                }
                _ if blank_line => parens.clear(),
                _ => {}
            }
            if escaped {
                continue;
            }
            match b {
                b'\\' => escape_next = true,
                b'[' => brackets.push(i),
                b']' => {
                    if let Some(open) = brackets.pop() {
                        pairs.bracket.insert(open, i);
                    }
                }
                _ if blank_line => brackets.clear(),
                _ => {}
            }
        }
        pairs
    }

    /// `[text](href)` at `at` within `..end`: (text range, href, end offset).
    fn link<'s>(
        &self,
        src: &'s str,
        at: usize,
        end: usize,
    ) -> Option<(usize, usize, &'s str, usize)> {
        let close = *self.bracket.get(&at)?;
        if src.as_bytes().get(close + 1) != Some(&b'(') {
            return None;
        }
        let paren = *self.paren.get(&(close + 1))?;
        if paren >= end {
            return None;
        }
        let href = src[close + 2..paren].trim();
        let href = href.split(" \"").next().unwrap_or(href);
        Some((at + 1, close, href, paren + 1))
    }
}

impl<'a> Renderer<'a> {
    /// Renders `src[from..to]`, links nested `depth` deep.
    fn run(&mut self, src: &'a str, from: usize, to: usize, depth: usize) {
        let bytes = src.as_bytes();
        let mut i = from;
        while i < to {
            let c = bytes[i];
            let next = bytes.get(i + 1).copied().filter(|_| i + 1 < to);
            match c {
                b'\\' if next.is_some_and(|n| n.is_ascii_punctuation()) => {
                    self.out.push(next.unwrap_or(b' ') as char);
                    i += 2;
                }
                b'\\' if next == Some(b'\n') => {
                    self.out.push('\n');
                    i += 2;
                }
                b'!' if next == Some(b'[') => {
                    // Images: keep the alt text only.
                    match self
                        .pairs
                        .link(src, i + 1, to)
                        .filter(|_| depth < MAX_NESTING)
                    {
                        Some((start, close, _, end)) => {
                            self.run(src, start, close, depth + 1);
                            i = end;
                        }
                        None => {
                            self.out.push('!');
                            i += 1;
                        }
                    }
                }
                b'[' => match self.pairs.link(src, i, to).filter(|_| depth < MAX_NESTING) {
                    Some((start, close, href, end)) => {
                        // A link glued to a word (`von[iDefense](…)`) is its own word.
                        if self
                            .out
                            .chars()
                            .next_back()
                            .is_some_and(char::is_alphanumeric)
                        {
                            self.out.push(' ');
                        }
                        let out_start = self.out.len();
                        self.run(src, start, close, depth + 1);
                        let text = collapse(&self.out[out_start..]);
                        self.links.push(Link {
                            text,
                            href: href.split_whitespace().collect(),
                        });
                        i = end;
                        if src[i..to]
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
                b'*' | b'_' if next == Some(c) => {
                    self.toggle_strong();
                    i += 2;
                }
                b'*' => i += 1,
                b'`' => i += 1,
                b'<' => i += self.tag(src, i, to),
                b'&' => i += self.entity(&src[i..to]),
                b' ' if src[i..to].starts_with("  \n") => {
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

    /// Handles an HTML tag at `at` (a `<`) within `..to`; returns the bytes consumed.
    fn tag(&mut self, src: &str, at: usize, to: usize) -> usize {
        let Some(end) = self.gt.at_or_after(at).filter(|&e| e < to) else {
            self.out.push('<');
            return 1;
        };
        let inner = &src[at + 1..end];
        let nested_lt = self.lt.at_or_after(at + 1).is_some_and(|l| l < end);
        let rest = inner.strip_prefix('/');
        let closing = rest.is_some();
        let rest = rest.unwrap_or(inner);
        let name =
            rest[..rest.bytes().take_while(u8::is_ascii_alphanumeric).count()].to_ascii_lowercase();
        if name.is_empty() || nested_lt {
            self.out.push('<');
            return 1;
        }
        match name.as_str() {
            "br" => self.out.push('\n'),
            "p" | "div" | "li" | "tr" => self.out.push(' '),
            "strong" | "b" if closing == self.strong_start.is_some() => {
                self.toggle_strong();
            }
            "a" if !closing && self.html_links.len() < MAX_NESTING => {
                let href = attr(inner, "href").unwrap_or_default();
                self.html_links.push((self.out.len(), href));
            }
            "a" if !closing => {}
            "a" => {
                if let Some((start, href)) = self.html_links.pop() {
                    let text = collapse(&self.out[start..]);
                    self.links.push(Link { text, href });
                }
            }
            _ => {}
        }
        end - at + 1
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

/// The next position of one byte at or after a position, for positions
/// asked in non-decreasing order: amortised linear over all the questions.
#[derive(Default)]
pub(crate) struct NextByte<'a> {
    bytes: &'a [u8],
    byte: u8,
    /// The last answer: `Some(None)` when the byte does not occur again.
    last: Option<Option<usize>>,
}

impl<'a> NextByte<'a> {
    pub(crate) fn new(bytes: &'a [u8], byte: u8) -> NextByte<'a> {
        NextByte {
            bytes,
            byte,
            last: None,
        }
    }

    pub(crate) fn at_or_after(&mut self, at: usize) -> Option<usize> {
        match self.last {
            Some(Some(i)) if i >= at => return Some(i),
            Some(None) => return None,
            _ => {}
        }
        let from = at.min(self.bytes.len());
        let found = self.bytes[from..]
            .iter()
            .position(|&b| b == self.byte)
            .map(|i| from + i);
        self.last = Some(found);
        found
    }
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
