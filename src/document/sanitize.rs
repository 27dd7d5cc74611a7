//! Captured policies are untrusted: raw HTML goes through ammonia, and every URL a Markdown
//! link or image carries is checked against a short list of safe schemes.

use std::sync::OnceLock;

/// Cleans a fragment of HTML: no script, no event handler, no style, no frame, no unsafe URL.
pub fn clean_html(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut b = ammonia::Builder::default();
            b.url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
                .add_generic_attributes(["class"].iter().copied())
                .url_relative(ammonia::UrlRelative::PassThrough)
                .link_rel(Some("nofollow noopener noreferrer"));
            b
        })
        .clean(html)
        .to_string()
        // A link whose unsafe href was removed keeps only ammonia's rel, which HTML forbids
        // without an href.
        .replace("<a rel=\"nofollow noopener noreferrer\">", "<a>")
}

/// True when a link or image destination is safe to publish: relative, a fragment, or one of
/// http, https, mailto and tel.
pub fn is_safe_url(url: &str) -> bool {
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
        );
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("onclick"), "{out}");
        assert!(!out.contains("iframe"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(out.contains("Hi"), "{out}");
    }
}
