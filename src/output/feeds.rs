//! Atom feeds (RFC 4287): the hub's recent changes at `/feed.xml` and each policy's versions
//! at `/<org>/<policy>/feed.xml`, one entry per version, linking to its redline. A pending
//! version's entry says so, with its notice, and is dated by its announcement.

use std::fmt::Write;

use super::OutputFile;
use crate::render::{escape_html, policy_timeline, recent_changes, ChangeView, Urls};
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
            let mut entries = policy_timeline(&urls, org, policy, history, site.reference);
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

/// The day an entry was last updated: its effective date, or for a pending version (whose
/// effective date is still to come) the day it was announced or else captured.
fn updated(entry: &ChangeView) -> &str {
    let known = if entry.pending {
        entry.announced.as_deref().or(entry.captured.as_deref())
    } else {
        None
    };
    known.unwrap_or(&entry.version.effective)
}

fn feed(urls: &Urls, path: &str, title: &str, alternate: &str, author: &str, entries: &[ChangeView]) -> OutputFile {
    let self_url = urls.absolute(path);
    let updated_at = entries.iter().map(updated).max().unwrap_or("1970-01-01");
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
    let _ = writeln!(xml, "  <updated>{}</updated>", timestamp(updated_at));
    let _ = writeln!(xml, "  <author><name>{}</name></author>", escape_html(author));
    let _ = writeln!(xml, "  <generator>policyhub</generator>");
    for entry in entries {
        let link = entry.diff_url.as_deref().unwrap_or(&entry.version.url);
        let link = urls.absolute(link.trim_start_matches(&urls.path("")));
        let entry_title = if entry.pending {
            format!(
                "{}: {} changes on {} (pending)",
                entry.org_name, entry.policy_title, entry.version.effective_long
            )
        } else if entry.first {
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
        let mut summary = match &entry.summary {
            Some(s) => format!("{s} — {}", entry.description),
            None => entry.description.clone(),
        };
        // The notice first, then the warning, then the figures.
        for said in [&entry.warning, &entry.notice].into_iter().flatten() {
            summary = format!("{said} {summary}");
        }
        let id = urls.absolute(entry.version.url.trim_start_matches(&urls.path("")));
        xml.push_str("  <entry>\n");
        let _ = writeln!(xml, "    <title>{}</title>", escape_html(&entry_title));
        let _ = writeln!(xml, "    <id>{}</id>", escape_html(&id));
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape_html(&link)
        );
        let _ = writeln!(xml, "    <updated>{}</updated>", timestamp(updated(entry)));
        let _ = writeln!(xml, "    <summary>{}</summary>", escape_html(&summary));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    OutputFile {
        path: path.to_string(),
        bytes: xml.into_bytes(),
    }
}
