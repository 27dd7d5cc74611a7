//! A small scanner over sanitized inner HTML: where its text runs are, and whether each one
//! sits inside a link or code. It only reads; the links stage turns what it finds into spans.

/// A run of text between tags, as byte offsets into the HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TextRun {
    pub start: usize,
    pub end: usize,
    /// Inside `<a>`, `<code>` or `<pre>`: never linked.
    pub shielded: bool,
}

/// An `<a href>` of the HTML: where its `href` value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Href {
    pub start: usize,
    pub end: usize,
}

/// The text runs and link targets of an HTML fragment.
#[derive(Debug, Default)]
pub(super) struct Scan {
    pub runs: Vec<TextRun>,
    pub hrefs: Vec<Href>,
}

/// Scans sanitized HTML (quoted attributes, balanced tags).
pub(super) fn scan(html: &str) -> Scan {
    let bytes = html.as_bytes();
    let mut scan = Scan::default();
    let mut shield = 0usize;
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if text_start < i {
            scan.runs.push(TextRun {
                start: text_start,
                end: i,
                shielded: shield > 0,
            });
        }
        let end = tag_end(bytes, i);
        let tag = &html[i..end];
        let closing = tag.starts_with("</");
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if matches!(name.as_str(), "a" | "code" | "pre") {
            if closing {
                shield = shield.saturating_sub(1);
            } else {
                shield += 1;
                if name == "a" {
                    if let Some(href) = href_of(tag) {
                        scan.hrefs.push(Href {
                            start: i + href.0,
                            end: i + href.1,
                        });
                    }
                }
            }
        }
        i = end;
        text_start = end;
    }
    if text_start < bytes.len() {
        scan.runs.push(TextRun {
            start: text_start,
            end: bytes.len(),
            shielded: shield > 0,
        });
    }
    scan
}

/// The end (exclusive) of the tag starting at `start`, skipping quoted attribute values.
fn tag_end(bytes: &[u8], start: usize) -> usize {
    let mut quote = None;
    for (j, &b) in bytes.iter().enumerate().skip(start + 1) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return j + 1,
            _ => {}
        }
    }
    bytes.len()
}

/// The byte range of the value of `href="…"` inside a tag.
fn href_of(tag: &str) -> Option<(usize, usize)> {
    let at = tag.find(" href=\"")? + " href=\"".len();
    let len = tag[at..].find('"')?;
    Some((at, at + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_know_links_and_code() {
        let html = "See <a href=\"x\" title=\"a > b\">the Site</a> and <code>Site</code> or Site";
        let s = scan(html);
        let texts: Vec<(&str, bool)> = s.runs.iter().map(|r| (&html[r.start..r.end], r.shielded)).collect();
        assert_eq!(
            texts,
            vec![
                ("See ", false),
                ("the Site", true),
                (" and ", false),
                ("Site", true),
                (" or Site", false)
            ]
        );
        assert_eq!(&html[s.hrefs[0].start..s.hrefs[0].end], "x");
    }
}
