//! What the search index holds, as plain data: one record per distinct clause text of each
//! policy. The latest version's headings and clauses point to the canonical page; an older
//! text (an earlier wording, or a clause since removed) is indexed once, pointing to the last
//! version that had it. So the index grows with changes, not with versions.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};

use crate::content::{Org, Policy};
use crate::history::PolicyHistory;
use crate::site::Site;

/// The `status` filter of a record in force on the canonical page.
pub const LATEST: &str = "latest";
/// The `status` filter of an earlier wording or a removed clause.
pub const EARLIER: &str = "earlier";

/// One searchable clause or heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRecord {
    /// Site-relative URL without the base path, with the clause's fragment
    /// (`acme/privacy-policy/#retention-1`); the browser resolves it against the site's root.
    pub url: String,
    /// The clause's plain text: what is searched and excerpted.
    pub content: String,
    /// What a result shows: `title` (the section heading), `org`, `policy`, `version` (the
    /// long date of the version the link goes to).
    pub meta: BTreeMap<String, String>,
    /// `org` (slug), `topic` (the clause's topics), `status` ([`LATEST`] or [`EARLIER`]).
    pub filters: BTreeMap<String, Vec<String>>,
}

/// The topic slugs of block `block` of version `v` of policy `p` of organisation `o`: what
/// the `topic` filter offers (from the cross-links stage).
pub fn clause_topics(site: &Site, (o, p): (usize, usize), v: usize, block: usize) -> Vec<String> {
    site.links
        .get(o)
        .and_then(|org| org.get(p))
        .and_then(|policy| policy.versions.get(v))
        .and_then(|version| version.topics.get(block))
        .map(|topics| {
            topics
                .iter()
                .filter_map(|&t| site.topics.topics.get(t))
                .map(|t| t.slug.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Every record of the site, policy by policy, in a fixed order.
pub fn search_records(site: &Site) -> Vec<SearchRecord> {
    let mut records = Vec::new();
    for (o, org) in site.content.orgs.iter().enumerate() {
        for (p, policy) in org.policies.iter().enumerate() {
            let topics = |v: usize, i: usize| clause_topics(site, (o, p), v, i);
            records.extend(policy_records(org, policy, &site.histories[o][p], &topics));
        }
    }
    records
}

/// A policy's records: its latest version's blocks, then the other distinct texts, newest
/// version first, each pointing to the last version that had it.
pub fn policy_records(
    org: &Org,
    policy: &Policy,
    history: &PolicyHistory,
    topics_of: &dyn Fn(usize, usize) -> Vec<String>,
) -> Vec<SearchRecord> {
    let mut records = Vec::new();
    let mut seen: HashSet<u64> = HashSet::new();
    let latest = history.versions.len().saturating_sub(1);
    for v in (0..history.versions.len()).rev() {
        let anchored = &history.versions[v];
        let version = &policy.versions[v];
        let is_latest = v == latest;
        let page = if is_latest {
            format!("{}/{}/", org.slug, policy.slug)
        } else {
            format!("{}/{}/{}/", org.slug, policy.slug, version.id)
        };
        for (i, block) in anchored.document.blocks.iter().enumerate() {
            let id = &anchored.ids[i];
            if !block.kind.is_anchored() || block.text.trim().is_empty() || !seen.insert(key(id, &block.text)) {
                continue;
            }
            let title = anchored.sections[i]
                .map(|s| anchored.document.blocks[s].text.clone())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| policy.title.clone());
            let status = if is_latest { LATEST } else { EARLIER };
            let meta = BTreeMap::from([
                ("title".to_string(), title),
                ("org".to_string(), org.name.clone()),
                ("policy".to_string(), policy.title.clone()),
                ("version".to_string(), version.effective.long()),
            ]);
            let mut filters = BTreeMap::from([
                ("org".to_string(), vec![org.slug.clone()]),
                ("status".to_string(), vec![status.to_string()]),
            ]);
            let topics = topics_of(v, i);
            if !topics.is_empty() {
                filters.insert("topic".to_string(), topics);
            }
            records.push(SearchRecord {
                url: format!("{page}#{id}"),
                content: block.text.clone(),
                meta,
                filters,
            });
        }
    }
    records
}

/// A clause's identity in the index: its id and exact text.
fn key(id: &str, text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    (id, text).hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Date, Version};
    use crate::document::parse;
    use crate::history::anchor_policy;

    fn version(id: &str, body: &str) -> Version {
        let date: Date = id.parse().expect("date");
        Version {
            id: id.to_string(),
            effective: date,
            sequence: 1,
            captured: None,
            source: None,
            archive: None,
            summary: None,
            path: std::path::PathBuf::from(format!("{id}.md")),
            body: body.to_string(),
            body_line: 1,
        }
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
        let urls: Vec<(&str, &str)> = records.iter().map(|r| (r.url.as_str(), r.content.as_str())).collect();
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
        assert_eq!(records[1].meta["title"], "Data");
        assert_eq!(records[1].filters["status"], [LATEST]);
        assert_eq!(records[3].filters["status"], [EARLIER]);
        assert_eq!(records[3].meta["version"], "1 January 2021");
    }
}
