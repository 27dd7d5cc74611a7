//! The policy's links as its readers knew them: archived addresses read back into the original
//! ones, relative addresses made absolute against the page's own, links to the page itself
//! made `#fragment`s, and every other kind of link (`javascript:`, `data:`) turned into its text.

use dom_query::NodeRef;
use url::Url;

use super::clean::self_and_find_all;
use super::wayback::archived;

/// The schemes a version's links may have.
const SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Rewrites every link in `root` (itself included: Readability may find the policy in an `<a>`
/// that the parser put around a whole table); `page` is the original page's address, when known.
pub(super) fn restore(root: &NodeRef, page: Option<&str>) {
    let base = page.and_then(|p| Url::parse(p).ok());
    for link in self_and_find_all(root, "a") {
        let href = link.attr("href").map(|h| h.trim().to_string()).unwrap_or_default();
        match original(&href, base.as_ref()) {
            Some(href) => link.set_attr("href", &href),
            None => {
                link.remove_all_attrs();
                link.rename("span");
            }
        }
    }
}

/// The address a link had on the original page, or `None` for a link a version must not carry
/// (no address, or a scheme other than http, https, mailto and tel).
fn original(href: &str, base: Option<&Url>) -> Option<String> {
    if href.is_empty() {
        return None;
    }
    if href.starts_with('#') {
        return Some(href.to_string());
    }
    let href = archived(href).map_or_else(|| href.to_string(), |a| a.original);
    let absolute = match Url::parse(&href) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => match base {
            Some(base) => base.join(&href).ok()?,
            // Without the page's address a relative link has nothing to point at.
            None => return Some(href),
        },
        Err(_) => return None,
    };
    if !SCHEMES.contains(&absolute.scheme()) {
        return None;
    }
    if let (Some(base), Some(fragment)) = (base, absolute.fragment()) {
        let mut page = absolute.clone();
        page.set_fragment(None);
        let mut own = base.clone();
        own.set_fragment(None);
        if page == own {
            return Some(format!("#{fragment}"));
        }
    }
    Some(absolute.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_get_their_original_addresses() {
        let base = Url::parse("https://www.example.com/legal/privacy").ok();
        let base = base.as_ref();
        let cases = [
            (
                "/web/20150312083015/https://www.example.com/terms",
                Some("https://www.example.com/terms"),
            ),
            (
                "https://web.archive.org/web/20150312083015/https://www.example.com/legal/privacy#cookies",
                Some("#cookies"),
            ),
            ("data.html", Some("https://www.example.com/legal/data.html")),
            ("mailto:dpo@example.com", Some("mailto:dpo@example.com")),
            ("#rights", Some("#rights")),
            ("javascript:void(0)", None),
            ("JavaScript:alert(1)", None),
            ("data:text/html,<script>x</script>", None),
            ("", None),
        ];
        for (href, want) in cases {
            assert_eq!(original(href, base).as_deref(), want, "{href}");
        }
        assert_eq!(original("/terms", None).as_deref(), Some("/terms"));
    }
}
