//! `sitemap.xml` (every page a search engine should know, with `lastmod` from effective dates)
//! and `robots.txt` pointing to it.

use std::fmt::Write;

use super::OutputFile;
use crate::content::Date;
use crate::html::escape_html;
use crate::render::{topic_page_paths, Urls};
use crate::site::Site;

/// The sitemap and robots.txt of a site.
pub fn sitemap_files(site: &Site) -> Vec<OutputFile> {
    let urls = Urls::new(&site.config);
    let mut entries: Vec<(String, Option<Date>)> = Vec::new();
    let latest_of = |dates: &mut dyn Iterator<Item = Date>| dates.max();
    let hub_latest = latest_of(
        &mut site
            .content
            .orgs
            .iter()
            .flat_map(|o| o.policies.iter().flat_map(|p| p.versions.iter().map(|v| v.effective))),
    );
    entries.push((String::new(), hub_latest));
    entries.push(("changes/".into(), hub_latest));
    entries.push(("glossary/".into(), hub_latest));
    entries.push(("topics/".into(), hub_latest));
    for topic in &site.topics.topics {
        for path in topic_page_paths(&topic.slug, site.content.orgs.len()) {
            entries.push((path, hub_latest));
        }
    }
    entries.push(("search/".into(), hub_latest));
    for org in &site.content.orgs {
        let org_latest = latest_of(&mut org.policies.iter().flat_map(|p| p.versions.iter().map(|v| v.effective)));
        entries.push((format!("{}/", org.slug), org_latest));
        for policy in &org.policies {
            let base = format!("{}/{}/", org.slug, policy.slug);
            let latest = policy.versions.last().map(|v| v.effective);
            entries.push((base.clone(), latest));
            entries.push((format!("{base}changes/"), latest));
            entries.push((format!("{base}clauses/"), latest));
            entries.push((format!("{base}at/"), latest));
            entries.push((format!("{base}compare/"), latest));
            for (i, version) in policy.versions.iter().enumerate() {
                entries.push((format!("{base}{}/", version.id), Some(version.effective)));
                if i > 0 {
                    entries.push((format!("{base}{}/diff/", version.id), Some(version.effective)));
                }
            }
        }
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in entries {
        let _ = write!(xml, "  <url><loc>{}</loc>", escape_html(&urls.absolute(&path)));
        if let Some(date) = lastmod {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", urls.absolute("sitemap.xml"));
    vec![
        OutputFile {
            path: "sitemap.xml".into(),
            bytes: xml.into_bytes(),
        },
        OutputFile {
            path: "robots.txt".into(),
            bytes: robots.into_bytes(),
        },
    ]
}
