//! HTML captures (saved web pages, Wayback Machine captures): finds the policy in the page,
//! drops everything that is not its text (scripts, styles, navigation, cookie banners, forms,
//! footers, the Wayback toolbar) and hands the policy as Markdown to the text pipeline
//! ([`super::convert`]). The only user of `dom_query` and `dom_smoothie`; it writes nothing.

mod clean;
mod extract;
mod links;
mod wayback;

use std::path::Path;

use dom_query::Document;

use super::header::Header;
use super::report::Found;
use super::{capture, Conversion, Overrides};
use crate::error::{Diagnostic, Diagnostics};

/// How to read an HTML page: the flags `--html`, `--select` and `--remove`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlOptions {
    /// Read the capture as HTML whatever its name and first bytes (`--html`, for stdin).
    pub force: bool,
    /// CSS selectors of the elements that hold the policy (all matches, in page order).
    pub select: Vec<String>,
    /// CSS selectors of elements to drop inside the policy.
    pub remove: Vec<String>,
}

/// The hint of every "no policy found" error.
const SELECT_HINT: &str =
    "pass --select CSS naming the element that holds the policy (e.g. --select 'div.legal-text'), \
and --remove CSS for parts of it to drop";

/// True when the capture is an HTML page: `--html`, a name ending in `.html`, `.htm` or
/// `.xhtml`, or text that starts (after a byte-order mark, blanks and comments) with
/// `<!doctype html` or `<html`.
pub(super) fn is_html(name: &Path, bytes: &[u8], options: &HtmlOptions) -> bool {
    let extension = name.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    options.force || matches!(extension.as_deref(), Some("html" | "htm" | "xhtml")) || sniff(bytes)
}

/// The start of the bytes looks like an HTML document.
fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let text = String::from_utf8_lossy(head);
    let mut text = text.trim_start_matches('\u{feff}').trim_start();
    // Comments and an XML declaration (XHTML) may come first.
    while let Some((open, close)) = [("<!--", "-->"), ("<?xml", "?>")]
        .into_iter()
        .find(|(open, _)| text.starts_with(open))
    {
        match text[open.len()..].find(close) {
            Some(end) => text = text[open.len() + end + close.len()..].trim_start(),
            None => return false,
        }
    }
    let lower = text.get(..14).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("<!doctype html") || lower.starts_with("<html")
}

/// `--select` and `--remove` name elements of an HTML page: on a text capture they are a mistake.
pub(super) fn refuse_flags(name: &str, options: &HtmlOptions) -> Result<(), Diagnostic> {
    if options.select.is_empty() && options.remove.is_empty() {
        return Ok(());
    }
    Err(Diagnostic::new(name, "--select and --remove apply to HTML pages, and this capture is not one")
        .hint("pass --html if it is an HTML page (its name does not end in .html and it does not start with <!doctype html> or <html>)"))
}

/// The policy of an HTML page, ready for the text pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Page {
    /// The policy as Markdown.
    pub markdown: String,
    /// Where and when the page was captured, from its markup.
    pub known: Header,
    /// What was kept and removed, for the report.
    pub found: Vec<Found>,
}

/// An HTML page → a version file: the policy found in the page, as Markdown, through the text
/// pipeline, with the page's Wayback address or canonical link in the front matter.
pub fn convert(
    name: &Path,
    bytes: &[u8],
    overrides: &Overrides,
    options: &HtmlOptions,
) -> Result<Conversion, Diagnostics> {
    let text = capture::decode(name, bytes)?;
    let page = read_page(name, &text, options, overrides.source.as_deref())?;
    let mut conversion = super::convert_with(name, page.markdown.as_bytes(), overrides, &page.known).map_err(|e| {
        Diagnostics(
            e.0.into_iter()
                .map(|d| as_markdown_problem(d, &page.markdown))
                .collect(),
        )
    })?;
    conversion.found.extend(page.found);
    Ok(conversion)
}

/// A problem found in the Markdown made from the page: its line is not a line of the page, so
/// the line's text goes in the message, and a page with nothing left gets the `--select` hint.
fn as_markdown_problem(mut d: Diagnostic, markdown: &str) -> Diagnostic {
    if let Some(line) = d.line.take() {
        d.column = None;
        let text = markdown.lines().nth(line.saturating_sub(1)).unwrap_or("").trim();
        d.message = format!(
            "{} (in the page's text: \"{}\")",
            d.message,
            super::report::shorten(text, 80)
        );
    }
    if d.message.starts_with("nothing of the policy is left") {
        d.hint = Some(SELECT_HINT.into());
    }
    d
}

/// Reads the page: its capture facts, its policy (by `--select`, else found) cleaned of chrome,
/// its links given back their original addresses (relative ones made absolute against
/// `address`, `--source`, else the page's own), and the policy as Markdown.
pub(super) fn read_page(
    name: &Path,
    text: &str,
    options: &HtmlOptions,
    address: Option<&str>,
) -> Result<Page, Diagnostic> {
    let (page, cut) = wayback::without_toolbar(text);
    let document = Document::from(crate::html::within_bounds(&page).as_ref());
    let snapshot = wayback::snapshot(name, text, &document);
    let canonical = wayback::canonical(&document);
    let source = address
        .map(str::to_string)
        .or_else(|| snapshot.as_ref().map(|s| s.source.clone()))
        .or_else(|| canonical.as_ref().map(|(url, _)| url.clone()));
    let mut removed = clean::Removed::default();
    if cut {
        removed.add("Wayback toolbar");
    }
    for _ in 0..clean::flatten_deep(&document).min(1) {
        removed.add("nesting deeper than 100 levels (flattened)");
    }
    clean::remove_wayback(&document, &mut removed);
    clean::remove_unsafe(&document, &mut removed);
    let extracted = extract::policy(name, &document, options, &mut removed)?;
    let markdown = extracted
        .roots
        .iter()
        .map(|root| {
            links::restore(root, source.as_deref());
            clean::simplify(root);
            // The Markdown of the element itself (a selected table or list stays one).
            root.wrap_html("<div></div>");
            root.parent().map_or_else(String::new, |wrapper| {
                crate::import::markdown::escape_text_references(wrapper.md(None).trim())
            })
        })
        .filter(|md| !md.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    if extract::word_count(&markdown) < extract::MIN_WORDS {
        return Err(Diagnostic::new(
            name,
            format!(
                "no policy found in this HTML page: {} holds {} words once {} is removed",
                extracted.from,
                extract::word_count(&markdown),
                removed.summary_or("nothing")
            ),
        )
        .hint(SELECT_HINT));
    }
    let mut known = Header::default();
    let from = |what: &str| format!("{what} of the HTML page");
    if let Some(s) = snapshot {
        known.found.push(Found {
            what: "captured",
            value: s.captured.to_string(),
            from: from(s.from),
        });
        known.found.push(Found {
            what: "source",
            value: s.source.clone(),
            from: from(s.from),
        });
        known.found.push(Found {
            what: "archive",
            value: s.archive.clone(),
            from: from(s.from),
        });
        known.captured = Some(s.captured);
        known.source = Some(s.source);
        known.archive = Some(s.archive);
    } else if let Some((url, place)) = canonical {
        known.found.push(Found {
            what: "source",
            value: url.clone(),
            from: from(place),
        });
        known.source = Some(url);
    }
    let mut found = vec![Found {
        what: "policy",
        value: format!("{} ({} words)", extracted.from, extract::word_count(&markdown)),
        from: "HTML page".into(),
    }];
    if !removed.is_empty() {
        found.push(Found {
            what: "removed",
            value: removed.summary_or(""),
            from: "HTML page".into(),
        });
    }
    Ok(Page {
        markdown: markdown + "\n",
        known,
        found,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_known_by_name_or_first_bytes() {
        let none = HtmlOptions::default();
        assert!(is_html(Path::new("p.HTML"), b"", &none));
        assert!(is_html(Path::new("p.htm"), b"", &none));
        assert!(is_html(Path::new("p.xhtml"), b"", &none));
        assert!(is_html(
            Path::new("p.txt"),
            b"\xef\xbb\xbf\n  <!DOCTYPE html><html>",
            &none
        ));
        assert!(is_html(Path::new("-"), b"<!-- saved -->\n<html lang=en>", &none));
        assert!(!is_html(Path::new("p.txt"), b"Privacy <html> policy", &none));
        let xhtml =
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\">";
        assert!(is_html(Path::new("-"), xhtml, &none));
        assert!(!is_html(Path::new("-"), b"<!-- unclosed", &none));
        assert!(!is_html(Path::new("p.md"), b"# Privacy", &none));
        let forced = HtmlOptions {
            force: true,
            ..HtmlOptions::default()
        };
        assert!(is_html(Path::new("-"), b"<p>Privacy</p>", &forced));
    }
}
