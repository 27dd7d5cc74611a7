//! Atom feeds (RFC 4287), one entry per version linking to its redline: the hub's recent
//! changes at `/feed.xml`, an organisation's at `/<org>/feed.xml`, a policy's at
//! `/<org>/<policy>/feed.xml`; the hub's and each policy's substantive changes only at
//! `feed-substantive.xml` beside them; and per topic, every substantive change to a clause of
//! that topic across the hub at `/topics/<topic>/feed.xml`, each entry opening the redline at
//! the clause. A pending version's entry says so, with its notice, and is dated by its
//! announcement; every entry says its class and why.

use std::fmt::Write;

use super::OutputFile;
use crate::content::Date;
use crate::content::Policy;
use crate::history::Class;
use crate::html::escape_html;
use crate::permalinks::{self, Urls};
use crate::render::{class_label, org_timeline, policy_timeline, recent_changes, ChangeView};
use crate::site::{Scope, Site, SiteOrg, SitePolicy};
use crate::summary::{ClauseChange, QUOTED_CHARS};

/// How many entries the hub's and each topic's feeds carry.
pub(super) const HUB_FEED_ENTRIES: usize = 50;

/// The feeds of one scope.
pub(crate) fn feed_files(site: &Site, scope: &Scope) -> Vec<OutputFile> {
    let urls = Urls::new(&site.config.base_path, &site.config.base_url);
    let title = &site.config.title;
    match scope {
        Scope::Hub => {
            let home = urls.absolute(permalinks::recent_changes());
            let all = recent_changes(site, &urls, HUB_FEED_ENTRIES, None);
            let substantive = recent_changes(site, &urls, HUB_FEED_ENTRIES, Some(Class::Substantive));
            vec![
                feed(
                    &urls,
                    permalinks::hub_feed(),
                    &format!("{title}: recent changes"),
                    &home,
                    title,
                    &versions(&urls, &all),
                ),
                feed(
                    &urls,
                    permalinks::hub_substantive_feed(),
                    &format!("{title}: recent substantive changes"),
                    &home,
                    title,
                    &versions(&urls, &substantive),
                ),
            ]
        }
        Scope::Org(slug) => {
            let Some(org) = site.org(slug) else {
                return Vec::new();
            };
            let entries = org_timeline(&urls, org, site.reference);
            vec![feed(
                &urls,
                &permalinks::org_feed(&org.slug),
                &format!("{}: every version of its policies", org.name),
                &urls.absolute(&permalinks::org(&org.slug)),
                title,
                &versions(&urls, &entries),
            )]
        }
        Scope::Policy(org, policy) => {
            let Some((org, SitePolicy { policy, history, .. })) = site.policy(org, policy) else {
                return Vec::new();
            };
            let mut entries = policy_timeline(&urls, org, policy, history, site.reference);
            entries.reverse();
            let home = urls.absolute(&permalinks::timeline(&org.slug, &policy.slug));
            let substantive: Vec<ChangeView> = entries
                .iter()
                .filter(|e| e.class == Some(Class::Substantive.name()))
                .cloned()
                .collect();
            vec![
                feed(
                    &urls,
                    &permalinks::policy_feed(&org.slug, &policy.slug),
                    &format!("{} — {}: every version", policy.title, org.name),
                    &home,
                    title,
                    &versions(&urls, &entries),
                ),
                feed(
                    &urls,
                    &permalinks::policy_substantive_feed(&org.slug, &policy.slug),
                    &format!("{} — {}: substantive changes", policy.title, org.name),
                    &home,
                    title,
                    &versions(&urls, &substantive),
                ),
            ]
        }
        Scope::Topics => topic_feeds(site, &urls),
        _ => Vec::new(),
    }
}

/// One entry of a feed.
struct Entry {
    title: String,
    id: String,
    link: String,
    /// The day it was last updated (ISO).
    updated: String,
    summary: String,
}

/// The entries of versions.
fn versions(urls: &Urls, entries: &[ChangeView]) -> Vec<Entry> {
    entries.iter().map(|e| version_entry(urls, e)).collect()
}

fn version_entry(urls: &Urls, entry: &ChangeView) -> Entry {
    let link = entry.diff_url.as_deref().unwrap_or(&entry.version.url);
    let link = urls.to_absolute(link);
    let class = entry.class.map(|c| format!(" ({c})")).unwrap_or_default();
    let title = if entry.pending {
        format!(
            "{}: {} changes on {} (pending{})",
            entry.org_name,
            entry.policy_title,
            entry.version.effective_long,
            entry.class.map(|c| format!(", {c}")).unwrap_or_default()
        )
    } else if entry.first {
        format!(
            "{}: {} (first captured version, {})",
            entry.org_name, entry.policy_title, entry.version.effective_long
        )
    } else {
        format!(
            "{}: {} changed on {}{}",
            entry.org_name, entry.policy_title, entry.version.effective_long, class
        )
    };
    let mut summary = match &entry.summary {
        Some(s) => format!("{s} — {}", entry.description),
        None => entry.description.clone(),
    };
    if let (Some(label), Some(reason)) = (entry.class_label, &entry.class_reason) {
        summary = format!("{label}: {reason}. {summary}");
    }
    // The notice first, then the warning, then the class and the figures.
    for said in [&entry.warning, &entry.notice].into_iter().flatten() {
        summary = format!("{said} {summary}");
    }
    Entry {
        title,
        id: urls.to_absolute(&entry.version.url),
        link,
        updated: updated(entry).to_string(),
        summary,
    }
}

/// `/topics/<topic>/feed.xml` for every topic: the newest substantive changes to a clause of
/// that topic (as the clause was tagged in the version that changed it, or for a removed
/// clause in the version before), across the hub.
fn topic_feeds(site: &Site, urls: &Urls) -> Vec<OutputFile> {
    let topics = &site.topics.topics;
    let mut per_topic: Vec<Vec<(Date, &SiteOrg, &Policy, &ClauseChange)>> = vec![Vec::new(); topics.len()];
    for (org, SitePolicy { policy, changes, .. }) in site.policies() {
        for clause in changes.iter().filter(|c| c.verdict.class == Class::Substantive) {
            let effective = policy.versions[clause.version].effective;
            for &t in &clause.topics {
                if let Some(entries) = per_topic.get_mut(t) {
                    entries.push((effective, org, policy, clause));
                }
            }
        }
    }
    per_topic
        .into_iter()
        .zip(topics)
        .map(|(mut changes, topic)| {
            // Newest first; among one day's, in the hub's order. Only those kept are written.
            changes.sort_by_key(|e| std::cmp::Reverse(e.0));
            changes.truncate(HUB_FEED_ENTRIES);
            let entries: Vec<Entry> = changes
                .into_iter()
                .map(|(_, org, policy, clause)| clause_entry(urls, org, policy, clause))
                .collect();
            let home = urls.absolute(&permalinks::topic(&topic.slug));
            feed(
                urls,
                &permalinks::topic_feed(&topic.slug),
                &format!("{}: substantive changes to {}", site.config.title, topic.title),
                &home,
                &site.config.title,
                &entries,
            )
        })
        .collect()
}

/// The entry of a topic's feed for a changed clause: the redline at the clause.
fn clause_entry(urls: &Urls, org: &SiteOrg, policy: &Policy, clause: &ClauseChange) -> Entry {
    let version = &policy.versions[clause.version];
    let redline = urls.absolute(&permalinks::redline(&org.slug, &policy.slug, &version.id));
    let link = permalinks::anchor(&redline, &clause.id);
    let change = match clause.change.name() {
        "modified" | "moved-modified" => "edited",
        other => other,
    };
    Entry {
        title: format!(
            "{}: {}, clause {} {change} on {}",
            org.name,
            policy.title,
            clause.id,
            version.effective.long()
        ),
        id: link.clone(),
        link,
        updated: version.effective.to_string(),
        summary: format!(
            "{}: {}. {}",
            class_label(clause.verdict.class),
            clause.verdict.reason,
            snippet(&clause.text)
        ),
    }
}

/// The first words of a clause, for a feed's summary.
fn snippet(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((i, _)) => format!("“{}…”", text[..i].trim_end()),
        None => format!("“{text}”"),
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

fn feed(urls: &Urls, path: &str, title: &str, alternate: &str, author: &str, entries: &[Entry]) -> OutputFile {
    let self_url = urls.absolute(path);
    let updated_at = entries.iter().map(|e| e.updated.as_str()).max().unwrap_or("1970-01-01");
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
        xml.push_str("  <entry>\n");
        let _ = writeln!(xml, "    <title>{}</title>", escape_html(&entry.title));
        let _ = writeln!(xml, "    <id>{}</id>", escape_html(&entry.id));
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape_html(&entry.link)
        );
        let _ = writeln!(xml, "    <updated>{}</updated>", timestamp(&entry.updated));
        let _ = writeln!(xml, "    <summary>{}</summary>", escape_html(&entry.summary));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    OutputFile {
        path: path.to_string(),
        bytes: xml.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::snippet;
    use crate::summary::quoted;

    #[test]
    fn a_summary_keeps_what_a_feed_quotes_of_a_changed_clause() {
        for chars in [0, 1, 199, 200, 201, 202, 500] {
            let text: Arc<str> = Arc::from("é".repeat(chars));
            let kept = quoted(&text);
            assert_eq!(snippet(&kept), snippet(&text), "{chars} characters");
            assert!(kept.chars().count() <= 201);
        }
        assert_eq!(snippet(&"a".repeat(201)), format!("“{}…”", "a".repeat(200)));
        assert_eq!(snippet(&"a".repeat(200)), format!("“{}”", "a".repeat(200)));
    }
}
