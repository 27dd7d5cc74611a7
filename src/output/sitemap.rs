//! `sitemap.xml` (every page a search engine should know, with `lastmod` from effective dates)
//! and `robots.txt` pointing to it.

use std::fmt::Write;

use super::OutputFile;
use crate::content::Date;
use crate::html::escape_html;
use crate::permalinks::{self, Urls};
use crate::site::{Site, SitePolicy};

/// The sitemap and robots.txt of a site.
pub(crate) fn sitemap_files(site: &Site) -> Vec<OutputFile> {
    let urls = Urls::new(&site.config.base_path, &site.config.base_url);
    let mut entries: Vec<(String, Option<Date>)> = Vec::new();
    let latest_of = |dates: &mut dyn Iterator<Item = Date>| dates.max();
    let hub_latest = latest_of(
        &mut site
            .policies()
            .flat_map(|(_, p)| p.policy.versions.iter().map(|v| v.effective)),
    );
    entries.push((permalinks::home().into(), hub_latest));
    entries.push((permalinks::recent_changes().into(), hub_latest));
    entries.push((permalinks::glossary().into(), hub_latest));
    entries.push((permalinks::topics().into(), hub_latest));
    for topic in &site.topics.topics {
        for path in permalinks::topic_pages(&topic.slug, site.orgs.len()) {
            entries.push((path, hub_latest));
        }
    }
    entries.push((permalinks::search().into(), hub_latest));
    for org in &site.orgs {
        let org_latest = latest_of(
            &mut org
                .policies
                .iter()
                .flat_map(|p| p.policy.versions.iter().map(|v| v.effective)),
        );
        entries.push((permalinks::org(&org.slug), org_latest));
        for SitePolicy { policy, .. } in &org.policies {
            let (o, p) = (&org.slug, &policy.slug);
            let latest = policy.versions.last().map(|v| v.effective);
            entries.push((permalinks::policy(o, p), latest));
            entries.push((permalinks::timeline(o, p), latest));
            entries.push((permalinks::clauses(o, p), latest));
            entries.push((permalinks::point_in_time(o, p), latest));
            entries.push((permalinks::compare(o, p), latest));
            for (i, version) in policy.versions.iter().enumerate() {
                entries.push((permalinks::version(o, p, &version.id), Some(version.effective)));
                if i > 0 {
                    entries.push((permalinks::redline(o, p, &version.id), Some(version.effective)));
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
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.absolute(permalinks::sitemap())
    );
    vec![
        OutputFile {
            path: permalinks::sitemap().into(),
            bytes: xml.into_bytes(),
        },
        OutputFile {
            path: permalinks::robots().into(),
            bytes: robots.into_bytes(),
        },
    ]
}
