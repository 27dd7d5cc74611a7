//! `sitemap.xml` parses as XML, lists every page with a `lastmod`, and names only pages that
//! exist; `robots.txt` points to it.

mod common;

use std::collections::BTreeSet;

use common::TempHub;

fn check(hub: &TempHub, base_url: &str) {
    let xml = hub.read_output("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is not XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let mut listed = BTreeSet::new();
    for url in root.children().filter(|n| n.has_tag_name("url")) {
        let loc = url
            .children()
            .find(|n| n.has_tag_name("loc"))
            .and_then(|n| n.text())
            .expect("url without loc");
        let lastmod = url
            .children()
            .find(|n| n.has_tag_name("lastmod"))
            .and_then(|n| n.text())
            .expect("url without lastmod");
        assert_eq!(lastmod.len(), 10, "lastmod {lastmod} is not a date");
        let rel = loc
            .strip_prefix(base_url)
            .unwrap_or_else(|| panic!("{loc} is not under {base_url}"));
        let file = format!("{}index.html", rel.trim_start_matches('/'));
        assert!(
            hub.path("public").join(&file).exists(),
            "{loc} is in the sitemap but {file} does not exist"
        );
        listed.insert(file);
    }
    let pages: BTreeSet<String> = hub
        .output_snapshot()
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.ends_with("index.html") && !p.starts_with("releases/"))
        .collect();
    let missing: Vec<_> = pages.difference(&listed).collect();
    assert!(missing.is_empty(), "pages missing from the sitemap: {missing:?}");
    let robots = hub.read_output("robots.txt");
    assert!(robots.contains(&format!("Sitemap: {base_url}/sitemap.xml")), "{robots}");
}

#[test]
fn sitemap_lists_every_page_of_a_multi_version_hub() {
    let hub = TempHub::fixture("history");
    assert!(hub.build().0);
    check(&hub, "https://example.org");
    let xml = hub.read_output("sitemap.xml");
    assert!(xml.contains("<loc>https://example.org/acme/privacy-policy/2021-01-01/</loc><lastmod>2021-01-01</lastmod>"));
}

#[test]
fn sitemap_carries_the_sub_path() {
    let hub = TempHub::fixture("basic");
    assert!(hub.build().0);
    check(&hub, "https://example.org/hub");
}
