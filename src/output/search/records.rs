//! What the search index holds, as plain data: one record per distinct clause text of each
//! policy. The latest version's headings and clauses point to the canonical page; an older
//! text (an earlier wording, or a clause since removed) is indexed once, pointing to the last
//! version that had it. So the index grows with changes, not with versions.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::content::{Policy, Version};
use crate::history::{AnchoredBlock, PolicyHistory};
use crate::links::{PolicyLinks, TopicRules};
use crate::permalinks;
use crate::site::{Site, SiteOrg};

/// One searchable clause or heading, borrowing its texts from the site.
#[derive(Debug, Clone)]
pub(crate) struct SearchRecord<'a> {
    /// Site-relative URL without the base path, with the clause's fragment
    /// (`acme/privacy-policy/#retention-1`); the browser resolves it against the site's root.
    pub url: String,
    /// The clause's plain text: what is searched and excerpted.
    pub text: &'a str,
    /// The heading of the clause's section, or the policy's title before the first heading.
    pub title: &'a str,
    pub org: &'a SiteOrg,
    pub policy: &'a Policy,
    /// The version the link goes to: the latest, or the last one that had this text.
    pub version: &'a Version,
    /// In force on the canonical page (`status` latest), or an earlier wording or a removed
    /// clause (`status` earlier).
    pub latest: bool,
    /// The slugs of the clause's topics.
    pub topics: Vec<&'a str>,
}

/// The topic slugs (by the hub's `rules`) of block `block` of version `v` of a policy whose
/// cross-links are `links`: what the `topic` filter offers.
pub(crate) fn clause_topics<'a>(rules: &'a TopicRules, links: &PolicyLinks, v: usize, block: usize) -> Vec<&'a str> {
    links
        .versions
        .get(v)
        .and_then(|version| version.topics.get(block))
        .map(|topics| {
            topics
                .iter()
                .filter_map(|&t| rules.topics.get(t))
                .map(|t| t.slug.as_str())
                .collect()
        })
        .unwrap_or_default()
}

/// Every record of the site, policy by policy, in a fixed order (organisations in parallel).
pub(crate) fn search_records(site: &Site) -> Vec<SearchRecord<'_>> {
    site.orgs
        .par_iter()
        .flat_map_iter(|org| {
            org.policies.iter().flat_map(move |record| {
                let topics = move |v: usize, i: usize| clause_topics(&site.topics, &record.links, v, i);
                policy_records(org, &record.policy, &record.history, &topics)
            })
        })
        .collect()
}

/// A policy's records: its latest version's blocks, then the other distinct texts, newest
/// version first, each pointing to the last version that had it.
pub(crate) fn policy_records<'a>(
    org: &'a SiteOrg,
    policy: &'a Policy,
    history: &'a PolicyHistory,
    topics_of: &dyn Fn(usize, usize) -> Vec<&'a str>,
) -> Vec<SearchRecord<'a>> {
    let mut records = Vec::new();
    // The texts already indexed under each id: a clause's identity is its id and exact text.
    let mut seen: HashMap<&str, Vec<&str>> = HashMap::new();
    let latest = history.versions.len().saturating_sub(1);
    for v in (0..history.versions.len()).rev() {
        let anchored = &history.versions[v];
        let version = &policy.versions[v];
        let is_latest = v == latest;
        let page = if is_latest {
            permalinks::policy(&org.slug, &policy.slug)
        } else {
            permalinks::version(&org.slug, &policy.slug, &version.id)
        };
        for (i, AnchoredBlock { block, id, section, .. }) in anchored.blocks.iter().enumerate() {
            if !block.kind.is_anchored() || block.text.trim().is_empty() {
                continue;
            }
            let texts = seen.entry(id.as_str()).or_default();
            if texts.contains(&&*block.text) {
                continue;
            }
            texts.push(&block.text);
            let title = section
                .map(|s| &*anchored.blocks[s].block.text)
                .filter(|t| !t.is_empty())
                .unwrap_or(&policy.title);
            records.push(SearchRecord {
                url: permalinks::anchor(&page, id),
                text: &block.text,
                title,
                org,
                policy,
                version,
                latest: is_latest,
                topics: topics_of(v, i),
            });
        }
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Date, Org, Version};
    use crate::document::parse;
    use crate::history::anchor_policy;

    fn version(id: &str, body: &str) -> Version {
        let date: Date = id.parse().expect("date");
        Version {
            id: id.to_string(),
            announced: None,
            effective: date,
            sequence: 1,
            captured: None,
            source: None,
            archive: None,
            summary: None,
            path: std::path::PathBuf::from(format!("{id}.md")),
            body: String::new(),
            digest: 0,
            body_line: 1,
        }
        .with_body(body)
    }

    #[test]
    fn unchanged_clauses_are_indexed_once_and_changed_ones_keep_their_earlier_wording() {
        let bodies = [
            "# Data\n\nWe keep data for ten years.\n\nWe never sell data.\n",
            "# Data\n\nWe keep data for five years.\n\nWe never sell data.\n",
            "# Data\n\nWe keep data for one year.\n\nWe never sell data.\n",
        ];
        let versions: Vec<Version> = ["2020-01-01", "2021-01-01", "2022-01-01"]
            .iter()
            .zip(bodies)
            .map(|(id, body)| version(id, body))
            .collect();
        let history = anchor_policy(versions.iter().map(|v| parse(&v.body)).collect());
        let org = Org {
            slug: "acme".into(),
            name: "Acme".into(),
            website: None,
            description: None,
            country: None,
            policies: Vec::new(),
        };
        let policy = Policy {
            slug: "privacy-policy".into(),
            title: "Privacy policy".into(),
            url: None,
            versions,
        };
        let records = policy_records(&org, &policy, &history, &|_, _| Vec::new());
        let urls: Vec<(&str, &str)> = records.iter().map(|r| (r.url.as_str(), r.text)).collect();
        assert_eq!(
            urls,
            [
                ("acme/privacy-policy/#data", "Data"),
                ("acme/privacy-policy/#data-1", "We keep data for one year."),
                ("acme/privacy-policy/#data-2", "We never sell data."),
                ("acme/privacy-policy/2021-01-01/#data-1", "We keep data for five years."),
                ("acme/privacy-policy/2020-01-01/#data-1", "We keep data for ten years."),
            ]
        );
        assert_eq!(records[1].title, "Data");
        assert!(records[1].latest);
        assert!(!records[3].latest);
        assert_eq!(records[3].version.effective.long(), "1 January 2021");
    }
}
