//! Captured policies are untrusted: raw HTML goes through ammonia, and every URL a Markdown
//! link or image carries is checked against a short list of safe schemes. The anchor names raw
//! HTML gives its elements (`id`, `<a name>`) are taken out here and handed back, never left in
//! the HTML: the hub's ids are its own, and a page never carries an id twice.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

/// Sanitized HTML and the anchor names its elements had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CleanHtml {
    /// The HTML, safe to publish, with no `id` and no `name` left.
    pub html: String,
    /// The valid ids the source gave its elements (`id="x"` on any element, `name="x"` on a
    /// link), in document order.
    pub anchors: Vec<String>,
}

thread_local! {
    /// The anchor names taken out of the HTML being cleaned on this thread.
    static TAKEN_ANCHORS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Cleans a fragment of HTML: no script, no event handler, no style, no class, no frame, no
/// unsafe URL, no id, no nesting past [`crate::html::within_bounds`]'s bound; the anchor names are returned beside
/// it.
pub(super) fn clean_html(html: &str) -> CleanHtml {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let cleaner = CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
            .add_generic_attributes(["id"].iter().copied())
            // A capture's classes would borrow the hub's own styles (hide its words, pass for
            // the hub's clause tools): only the footnote references the parser writes keep one.
            .add_allowed_classes("sup", ["footnote-ref"].iter().copied())
            .add_tag_attributes("a", ["name"].iter().copied())
            .attribute_filter(filter_attribute)
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(Some("nofollow noopener noreferrer"));
        b
    });
    TAKEN_ANCHORS.with_borrow_mut(Vec::clear);
    let html = cleaner
        .clean(&crate::html::within_bounds(html))
        .to_string()
        // A link whose unsafe href was removed keeps only ammonia's rel, which HTML forbids
        // without an href; a named anchor (`<a name="x"></a>`) is then an empty link.
        .replace("<a rel=\"nofollow noopener noreferrer\">", "<a>")
        .replace("<a></a>", "");
    let anchors = TAKEN_ANCHORS.with_borrow_mut(std::mem::take);
    CleanHtml { html, anchors }
}

/// ammonia's attribute filter: an anchor name is taken out of the element and kept aside
/// (when it is a valid id), a `cite` with an unsafe URL is dropped, every other attribute
/// stays as it is.
fn filter_attribute<'v>(element: &str, attribute: &str, value: &'v str) -> Option<Cow<'v, str>> {
    // ammonia checks the schemes of `href` and `src`, not of a quote's source.
    if attribute == "cite" {
        return is_safe_url(value).then_some(Cow::Borrowed(value));
    }
    let anchor = attribute == "id" || (attribute == "name" && element == "a");
    if !anchor {
        return Some(Cow::Borrowed(value));
    }
    if is_valid_id(value) {
        TAKEN_ANCHORS.with_borrow_mut(|anchors| anchors.push(value.to_string()));
    }
    None
}

/// True when a name can be an HTML id: not empty, no whitespace.
pub(super) fn is_valid_id(name: &str) -> bool {
    !name.is_empty() && !name.contains(|c: char| c.is_ascii_whitespace())
}

/// True when a link or image destination is safe to publish: relative, a fragment, or one of
/// http, https, mailto and tel.
pub(super) fn is_safe_url(url: &str) -> bool {
    let url = url.trim_start();
    let scheme_end = url.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')));
    match scheme_end {
        Some(i) if i > 0 && url[i..].starts_with(':') => match url[..i].to_ascii_lowercase().as_str() {
            // A web link must also be a valid URL: captures carry broken ones
            // ("http://www.example.eu%20/"), which browsers and validators refuse.
            "http" | "https" => {
                !url.contains(char::is_whitespace) && url::Url::parse(url).is_ok_and(|u| valid_host(&u))
            }
            "mailto" | "tel" => true,
            _ => false,
        },
        // A colon later than the first '/', '?' or '#' is not a scheme.
        _ => !url.chars().any(char::is_control),
    }
}

/// A host of letters, digits, dots and dashes (or an IP address): no escapes, no spaces.
fn valid_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => {
            !domain.is_empty()
                && domain
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        }
        Some(_) => true,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_script_urls() {
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JavaScript:alert(1)"));
        assert!(!is_safe_url("data:text/html;base64,xx"));
        assert!(!is_safe_url("vbscript:x"));
        assert!(is_safe_url("https://example.org/a:b"));
        assert!(is_safe_url("/relative/path"));
        assert!(is_safe_url("#fragment"));
        assert!(is_safe_url("mailto:privacy@example.org"));
        assert!(!is_safe_url("http://www.youronlinechoices.eu%20/"));
    }

    #[test]
    fn cleans_hostile_html() {
        let out = clean_html(
            "<p onclick=\"x()\">Hi<script>alert(1)</script><iframe src=x></iframe><a href=\"javascript:x\">l</a></p>",
        )
        .html;
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        assert!(!out.contains("iframe"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(out.contains("Hi"), "{out}");
        // A quote's source is a URL too.
        let quotes = clean_html(
            "<blockquote cite=\"javascript:alert(3)\">a</blockquote><q cite=\"java&#x09;script:x\">b</q><q cite=\"https://example.org/src\">c</q>",
        )
        .html;
        assert!(!quotes.contains("script"), "{quotes}");
        assert!(quotes.contains("cite=\"https://example.org/src\""), "{quotes}");
    }

    #[test]
    fn anchor_names_are_taken_out_in_document_order() {
        let out = clean_html(
            "<h2 id=\"intro\">Intro</h2><p><a name=\"old-name\"></a>Text <span id=x>in</span> <a href=\"#intro\" id=\"self\">up</a></p><p id=\"a b\" name=\"no\">.</p>",
        );
        assert_eq!(out.anchors, ["intro", "old-name", "x", "self"]);
        assert!(!out.html.contains("id="), "{}", out.html);
        assert!(!out.html.contains("name="), "{}", out.html);
        assert!(!out.html.contains("<a></a>"), "{}", out.html);
        assert!(out.html.contains("<a href=\"#intro\""), "{}", out.html);
        assert!(clean_html("<p>none</p>").anchors.is_empty());
    }
}
