//! Adapting an archived page for `/releases/NAME/`: internal links (`href`, `src`, `action`
//! starting with the release's base path) get the release's prefix, links to `/releases/` go to
//! the live releases index, and a banner after `<body>` names the release and links to the
//! live page. Absolute URLs (canonical, feeds, outside sites) are left as they are.

use crate::html::escape_html;
use crate::permalinks;

/// What a page of release `name` needs to know to be published at `new_base/releases/name/`.
pub(super) struct Adaptation<'a> {
    /// The release's name.
    pub name: &'a str,
    /// The release's date, `YYYY-MM-DD`.
    pub date: &'a str,
    /// The release's date for readers ("1 March 2024").
    pub date_long: &'a str,
    /// The base path the release was built for (`/hub`, or empty).
    pub old_base: &'a str,
    /// The base path of the live site now.
    pub new_base: &'a str,
}

/// The live site path of a page file: `a/b/index.html` → `a/b/`; `404.html` → the home page.
pub fn live_path(file: &str) -> String {
    if file == permalinks::not_found() {
        return permalinks::home().to_string();
    }
    permalinks::site_path(file)
}

/// The page at `file` of an archived site, adapted for its published place.
pub(super) fn adapt_page(html: &str, file: &str, how: &Adaptation) -> String {
    let mut out = rewrite_links(html, how);
    let banner = format!(
        "\n<div class=\"archive-banner\" role=\"note\">Archived release <strong>{}</strong>, <time datetime=\"{}\">{}</time> — <a href=\"{}/{}\">see the live version</a> · <a href=\"{}/{}\">all releases</a></div>",
        escape_html(how.name),
        how.date,
        escape_html(how.date_long),
        how.new_base,
        escape_html(&live_path(file)),
        how.new_base,
        permalinks::releases(),
    );
    if let Some(start) = out.find("<body") {
        if let Some(end) = out[start..].find('>') {
            out.insert_str(start + end + 1, &banner);
        }
    }
    out
}

fn rewrite_links(html: &str, how: &Adaptation) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some((at, attribute_len)) = next_attribute(rest) {
        let value_start = at + attribute_len;
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let value_end = rest.find('"').unwrap_or(rest.len());
        out.push_str(&rewrite_url(&rest[..value_end], how));
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    out
}

/// The next ` href="`, ` src="` or ` action="` (any whitespace before it): its offset and length.
fn next_attribute(html: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        let eq = from + html[from..].find("=\"")?;
        let before = &html[..eq];
        for name in ["href", "src", "action"] {
            if let Some(start) = before.strip_suffix(name).map(str::len) {
                if before[..start].ends_with([' ', '\n', '\t', '\r']) {
                    return Some((start, name.len() + 2));
                }
            }
        }
        from = eq + 2;
    }
}

fn rewrite_url(url: &str, how: &Adaptation) -> String {
    if url.starts_with("//") {
        return url.to_string();
    }
    let Some(rest) = url
        .strip_prefix(how.old_base)
        .and_then(|r| r.strip_prefix('/'))
        .filter(|_| url.starts_with('/'))
    else {
        return url.to_string();
    };
    if rest == permalinks::PUBLISH_DIR || rest.starts_with(&permalinks::releases()) {
        format!("{}/{rest}", how.new_base)
    } else {
        format!("{}/{}", how.new_base, permalinks::release_file(how.name, rest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn how<'a>(old_base: &'a str, new_base: &'a str) -> Adaptation<'a> {
        Adaptation {
            name: "r1",
            date: "2024-03-01",
            date_long: "1 March 2024",
            old_base,
            new_base,
        }
    }

    #[test]
    fn prefixes_internal_links_only() {
        let html = "<body class=\"x\"><a href=\"/hub/acme/\">a</a><img src=\"/hub/i.svg\" alt=\"\">\
<a href=\"/hub/releases/\">r</a><a href=\"https://e.org/hub/x\">e</a><a href=\"#top\">t</a>\
<a href=\"/other/\">o</a><link rel=\"canonical\" href=\"https://example.org/hub/\"><p>data-href=\"/hub/x\"</p></body>";
        let out = adapt_page(html, "acme/index.html", &how("/hub", "/hub"));
        assert!(out.contains("href=\"/hub/releases/r1/acme/\""), "{out}");
        assert!(out.contains("src=\"/hub/releases/r1/i.svg\""), "{out}");
        assert!(out.contains("<a href=\"/hub/releases/\">r</a>"), "{out}");
        assert!(out.contains("href=\"https://e.org/hub/x\""));
        assert!(out.contains("href=\"#top\""));
        assert!(out.contains("href=\"/other/\""), "outside the base path: left alone");
        assert!(out.contains("data-href=\"/hub/x\""), "not a link attribute");
        assert!(out.contains("href=\"https://example.org/hub/\""));
    }

    #[test]
    fn root_hub_and_moved_hub() {
        let out = adapt_page("<body><a href=\"/acme/\">a</a></body>", "index.html", &how("", ""));
        assert!(out.contains("href=\"/releases/r1/acme/\""), "{out}");
        let out = adapt_page("<body><a href=\"/acme/\">a</a></body>", "index.html", &how("", "/new"));
        assert!(out.contains("href=\"/new/releases/r1/acme/\""), "{out}");
        assert!(!out.contains("\"//"), "{out}");
    }

    #[test]
    fn banner_follows_body_and_links_the_live_page() {
        let out = adapt_page(
            "<html><body class=\"k\">\n<main></main></body>",
            "acme/p/index.html",
            &how("/hub", "/hub"),
        );
        let banner = out.find("archive-banner").unwrap();
        assert!(banner > out.find("<body").unwrap() && banner < out.find("<main").unwrap());
        assert!(out.contains("Archived release <strong>r1</strong>, <time datetime=\"2024-03-01\">1 March 2024</time>"));
        assert!(
            out.contains("<a href=\"/hub/acme/p/\">see the live version</a>"),
            "{out}"
        );
    }

    #[test]
    fn live_paths() {
        assert_eq!(live_path("index.html"), "");
        assert_eq!(live_path("404.html"), "");
        assert_eq!(live_path("a/b/index.html"), "a/b/");
    }
}
