//! Atom feeds (RFC 4287): the hub's recent changes at `/feed.xml` and each policy's versions
//! at `/<org>/<policy>/feed.xml`, one entry per version, linking to its redline.

use std::fmt::Write;

use super::OutputFile;
use crate::render::{change_view, escape_html, recent_changes, ChangeView, Urls};
use crate::site::{Scope, Site};

/// How many entries the hub feed carries.
pub const HUB_FEED_ENTRIES: usize = 50;

/// The feed of one scope: the hub's recent changes, or every version of a policy.
pub fn feed_files(site: &Site, scope: &Scope) -> Vec<OutputFile> {
    let urls = Urls::new(&site.config);
    let title = &site.config.title;
    match scope {
        Scope::Hub => {
            let entries = recent_changes(site, &urls, HUB_FEED_ENTRIES);
            vec![feed(
                &urls,
                "feed.xml",
                &format!("{title}: recent changes"),
                &urls.absolute("changes/"),
                title,
                &entries,
            )]
        }
        Scope::Policy(org, policy) => {
            let Some((o, p)) = site.policy_index(org, policy) else {
                return Vec::new();
            };
            let (org, history) = (&site.content.orgs[o], &site.histories[o][p]);
            let policy = &org.policies[p];
            let mut entries: Vec<ChangeView> = (0..policy.versions.len())
                .map(|v| change_view(&urls, org, policy, history, v))
                .collect();
            entries.reverse();
            let path = format!("{}/{}/feed.xml", org.slug, policy.slug);
            let feed_title = format!("{} — {}: every version", policy.title, org.name);
            let home = urls.absolute(&format!("{}/{}/changes/", org.slug, policy.slug));
            vec![feed(&urls, &path, &feed_title, &home, title, &entries)]
        }
        _ => Vec::new(),
    }
}

/// An RFC 3339 timestamp for a date at midnight UTC.
fn timestamp(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

fn feed(urls: &Urls, path: &str, title: &str, alternate: &str, author: &str, entries: &[ChangeView]) -> OutputFile {
    let self_url = urls.absolute(path);
    let updated = entries
        .iter()
        .map(|e| e.version.effective.as_str())
        .max()
        .unwrap_or("1970-01-01");
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(xml, "  <title>{}</title>", escape_html(title));
    let _ = writeln!(xml, "  <id>{}</id>", escape_html(&self_url));
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape_html(&self_url)
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape_html(alternate)
    );
    let _ = writeln!(xml, "  <updated>{}</updated>", timestamp(updated));
    let _ = writeln!(xml, "  <author><name>{}</name></author>", escape_html(author));
    let _ = writeln!(xml, "  <generator>policyhub</generator>");
    for entry in entries {
        let link = entry.diff_url.as_deref().unwrap_or(&entry.version.url);
        let link = urls.absolute(link.trim_start_matches(&urls.path("")));
        let entry_title = if entry.first {
            format!(
                "{}: {} (first captured version, {})",
                entry.org_name, entry.policy_title, entry.version.effective_long
            )
        } else {
            format!(
                "{}: {} changed on {}",
                entry.org_name, entry.policy_title, entry.version.effective_long
            )
        };
        let summary = match &entry.summary {
            Some(s) => format!("{s} — {}", entry.description),
            None => entry.description.clone(),
        };
        let id = urls.absolute(entry.version.url.trim_start_matches(&urls.path("")));
        xml.push_str("  <entry>\n");
        let _ = writeln!(xml, "    <title>{}</title>", escape_html(&entry_title));
        let _ = writeln!(xml, "    <id>{}</id>", escape_html(&id));
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape_html(&link)
        );
        let _ = writeln!(xml, "    <updated>{}</updated>", timestamp(&entry.version.effective));
        let _ = writeln!(xml, "    <summary>{}</summary>", escape_html(&summary));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    OutputFile {
        path: path.to_string(),
        bytes: xml.into_bytes(),
    }
}
