//! Wayback Machine captures: where and when the page was captured (from the toolbar's markup,
//! the canonical link, `og:url` or the saved file's name), the toolbar cut out, and the archive's
//! rewritten addresses (`/web/20150312083015/https://…`) read back into the original ones.

use std::borrow::Cow;
use std::path::Path;
use std::sync::LazyLock;

use dom_query::Document;
use regex::Regex;

use super::super::header::{decode_scheme, timestamp_date};
use crate::content::Date;

/// A Wayback Machine capture of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Snapshot {
    /// The day of the capture (the timestamp's).
    pub captured: Date,
    /// The original page's address.
    pub source: String,
    /// The capture's address: `https://web.archive.org/web/<timestamp>/<source>`.
    pub archive: String,
    /// Where in the page it was read, for the report ("the Wayback toolbar").
    pub from: &'static str,
}

/// An archived address: its timestamp and the original address (scheme decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Archived {
    /// `20150312083015` (4 to 14 digits).
    pub timestamp: String,
    /// `https://www.example.com/privacy`.
    pub original: String,
}

/// `https://web.archive.org/web/20150312083015/https://x.org/p`, `//web.archive.org/web/…`,
/// `/web/2015…im_/http%3A//x.org/p`: the timestamp, an optional replay modifier, the original.
static ARCHIVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:(?:https?:)?//(?:web|wayback)\.archive\.org)?/web/(\d{4,14})(?:[a-z]{2}_|\*)?/+(.+)$")
        .expect("a valid pattern")
});

/// Reads an archived address back: `None` when it is not one.
pub(super) fn archived(href: &str) -> Option<Archived> {
    let captures = ARCHIVED.captures(href.trim())?;
    let original = captures[2].to_string();
    let lower = original.to_ascii_lowercase();
    // The original has a scheme (`https://`, `https%3A//`, wget's `https:/`) or a host name.
    let original = if let Some(rest) = ["https:/", "http:/"]
        .iter()
        .find_map(|s| lower.starts_with(s).then(|| &original[s.len()..]))
        .filter(|rest| !rest.starts_with('/'))
    {
        let scheme = if lower.starts_with("https") { "https" } else { "http" };
        format!("{scheme}://{rest}")
    } else if lower.starts_with("http") || original.split('/').next().is_some_and(|host| host.contains('.')) {
        decode_scheme(&original)
    } else {
        return None;
    };
    Some(Archived {
        timestamp: captures[1].to_string(),
        original,
    })
}

impl Archived {
    /// The snapshot this address names, when its timestamp has a whole day. The archive writes
    /// the default port into old captures' addresses (`http://example.com:80/privacy`): it is
    /// left out.
    fn snapshot(&self, from: &'static str) -> Option<Snapshot> {
        let source = without_default_port(&self.original);
        Some(Snapshot {
            captured: timestamp_date(&self.timestamp)?,
            archive: format!("https://web.archive.org/web/{}/{source}", self.timestamp),
            source,
            from,
        })
    }
}

/// `http://example.com:80/p` → `http://example.com/p` (and `:443` after `https`).
fn without_default_port(url: &str) -> String {
    for (scheme, port) in [("http://", ":80"), ("https://", ":443")] {
        if let Some(rest) = url.strip_prefix(scheme) {
            let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            if let Some(host) = rest[..host_end].strip_suffix(port) {
                return format!("{scheme}{host}{}", &rest[host_end..]);
            }
        }
    }
    url.to_string()
}

/// The toolbar's own record of the capture: `__wm.wombat("https://x.org/p","20150312083015",…)`.
static WOMBAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"__wm\.wombat\(\s*["']([^"']+)["']\s*,\s*["'](\d{8,14})["']"#).expect("a valid pattern")
});

/// The toolbar's form: `<input … id="wmtbURL" value="https://x.org/p">` and the date field.
static TOOLBAR_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<input[^>]*\bid=["']wmtbURL["'][^>]*\bvalue=["']([^"']+)["']"#).expect("a valid pattern")
});
static TOOLBAR_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<input[^>]*\bname=["']date["'][^>]*\bvalue=["'](\d{8,14})["']"#).expect("a valid pattern")
});

/// Where and when the page was captured, when it is a Wayback Machine capture: from the
/// toolbar's script or form, else the canonical link or `og:url` when they are archived
/// addresses, else the saved file's name (`…/web/20150312083015/https:/x.org/p.html`).
pub(super) fn snapshot(name: &Path, html: &str, document: &Document) -> Option<Snapshot> {
    if let Some(c) = WOMBAT.captures(html) {
        let found = Archived {
            timestamp: c[2].to_string(),
            original: decode_scheme(&c[1]),
        };
        if let Some(s) = found.snapshot("the Wayback toolbar's script") {
            return Some(s);
        }
    }
    if let (Some(url), Some(date)) = (TOOLBAR_URL.captures(html), TOOLBAR_DATE.captures(html)) {
        let found = Archived {
            timestamp: date[1].to_string(),
            original: decode_scheme(&url[1]),
        };
        if let Some(s) = found.snapshot("the Wayback toolbar") {
            return Some(s);
        }
    }
    for (selector, attribute, from) in [
        ("link[rel~=canonical]", "href", "the canonical link"),
        ("meta[property='og:url']", "content", "og:url"),
    ] {
        let value = document.select(selector).attr(attribute);
        if let Some(s) = value.and_then(|v| archived(&v)).and_then(|a| a.snapshot(from)) {
            return Some(s);
        }
    }
    let name = name.to_string_lossy().replace('\\', "/");
    let at = name.find("web/")?;
    archived(&format!("/{}", &name[at..])).and_then(|a| a.snapshot("the file name"))
}

/// The page's own address when it names one that is not archived, and where: its canonical
/// link, else its `og:url` (only `http` and `https` addresses).
pub(super) fn canonical(document: &Document) -> Option<(String, &'static str)> {
    [
        ("link[rel~=canonical]", "href", "the canonical link"),
        ("meta[property='og:url']", "content", "og:url"),
    ]
    .iter()
    .filter_map(|(selector, attribute, from)| {
        let value = document.select(selector).attr(attribute)?.trim().to_string();
        let lower = value.to_ascii_lowercase();
        let web = lower.starts_with("https://") || lower.starts_with("http://");
        (web && archived(&value).is_none()).then_some((value, *from))
    })
    .next()
}

/// The page without the toolbar the Wayback Machine inserts (between its
/// `BEGIN WAYBACK TOOLBAR INSERT` and `END WAYBACK TOOLBAR INSERT` comments); true when cut.
pub(super) fn without_toolbar(html: &str) -> (Cow<'_, str>, bool) {
    const BEGIN: &str = "<!-- BEGIN WAYBACK TOOLBAR INSERT -->";
    const END: &str = "<!-- END WAYBACK TOOLBAR INSERT -->";
    match (html.find(BEGIN), html.find(END)) {
        (Some(begin), Some(end)) if begin < end => (
            Cow::Owned(format!("{}{}", &html[..begin], &html[end + END.len()..])),
            true,
        ),
        _ => (Cow::Borrowed(html), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_archived_addresses_back() {
        let a = archived("https://web.archive.org/web/20150312083015/https://www.example.com/privacy#x").unwrap();
        assert_eq!(a.timestamp, "20150312083015");
        assert_eq!(a.original, "https://www.example.com/privacy#x");
        let a = archived("/web/20150312083015im_/http%3A//example.com/logo.png").unwrap();
        assert_eq!(a.original, "http://example.com/logo.png");
        let a = archived("//web.archive.org/web/2015*/example.com/").unwrap();
        assert_eq!(a.original, "http://example.com/");
        let a = archived("/web/20150312083015/https:/www.example.com/p.html").unwrap();
        assert_eq!(a.original, "https://www.example.com/p.html");
        assert_eq!(archived("https://example.com/web/2015/https://x.org"), None);
        assert_eq!(archived("/web/about"), None);
        assert_eq!(archived("/web/20150312/"), None);
        let old = archived("https://web.archive.org/web/20050101000000/http://www.example.com:80/privacy").unwrap();
        let s = old.snapshot("test").unwrap();
        assert_eq!(s.source, "http://www.example.com/privacy");
        assert_eq!(
            s.archive,
            "https://web.archive.org/web/20050101000000/http://www.example.com/privacy"
        );
        assert_eq!(without_default_port("https://a.org:8443/x"), "https://a.org:8443/x");
    }

    #[test]
    fn finds_the_snapshot_in_the_file_name() {
        let document = Document::from("<p>x</p>");
        let name = Path::new("saves/web.archive.org/web/20150312083015/https:/www.example.com/privacy.html");
        let s = snapshot(name, "", &document).unwrap();
        assert_eq!(s.captured.to_string(), "2015-03-12");
        assert_eq!(s.source, "https://www.example.com/privacy.html");
        assert_eq!(s.from, "the file name");
        assert_eq!(snapshot(Path::new("privacy.html"), "", &document), None);
    }

    #[test]
    fn cuts_the_toolbar() {
        let (text, cut) =
            without_toolbar("a<!-- BEGIN WAYBACK TOOLBAR INSERT -->toolbar<!-- END WAYBACK TOOLBAR INSERT -->b");
        assert_eq!((text.as_ref(), cut), ("ab", true));
        assert!(!without_toolbar("<p>plain</p>").1);
    }
}
