//! The hub-wide cross-link pages: `/glossary/` (every defined term, grouped by its normalised
//! key, with each organisation's definition) and `/topics/`, `/topics/<topic>/` (what each
//! organisation's latest policy says on a topic, side by side, and when that last changed).

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Policy;
use crate::history::{AnchoredBlock, Change, PolicyHistory};
use crate::links::PolicyLinks;
use crate::permalinks::{self, Urls};
use crate::site::{Site, SiteOrg};

/// One organisation's definition of a term.
#[derive(Debug, Clone, Serialize)]
pub(super) struct GlossaryDefinition {
    pub term: String,
    pub org: String,
    pub org_url: String,
    pub policy: String,
    /// The defining clause on the policy's latest page.
    pub url: String,
    pub sentence: String,
}

/// A term of the glossary.
#[derive(Debug, Clone, Serialize)]
pub(super) struct GlossaryEntry {
    /// Normalised key (lowercase, singular).
    pub key: String,
    /// Its fragment on the glossary page.
    pub id: String,
    /// The term as first written.
    pub term: String,
    pub definitions: Vec<GlossaryDefinition>,
}

/// A topic with its figures.
#[derive(Debug, Clone, Serialize)]
pub(super) struct TopicSummary {
    pub slug: String,
    pub title: String,
    pub url: String,
    /// Clauses tagged with it in the latest versions.
    pub clauses: usize,
    /// Organisations with at least one.
    pub orgs: usize,
}

/// A clause on a topic page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct TopicClause {
    pub id: String,
    pub url: String,
    pub section: Option<String>,
    pub text: String,
    /// When its text last changed (ISO date and long form).
    pub changed: String,
    pub changed_long: String,
}

/// A policy's clauses on a topic.
#[derive(Debug, Clone, Serialize)]
pub(super) struct TopicPolicy {
    pub title: String,
    pub url: String,
    pub version: String,
    pub version_long: String,
    /// The latest change to any of its clauses on the topic.
    pub last_changed: String,
    pub last_changed_long: String,
    pub clauses: Vec<TopicClause>,
}

/// An organisation on a topic page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct TopicOrg {
    pub name: String,
    pub url: String,
    /// Its policies with clauses on the topic (empty: it says nothing the rules recognise).
    pub policies: Vec<TopicPolicy>,
}

fn latest(history: &PolicyHistory, links: &PolicyLinks) -> Option<usize> {
    let v = history.versions.len().checked_sub(1)?;
    links.versions.get(v).map(|_| v)
}

/// Every policy with its organisation (and the organisation's index), history and links.
fn policies(site: &Site) -> impl Iterator<Item = (usize, &SiteOrg, &Policy, &PolicyHistory, &PolicyLinks)> {
    site.orgs.iter().enumerate().flat_map(|(o, org)| {
        org.policies
            .iter()
            .map(move |p| (o, &**org, &p.policy, &p.history, &p.links))
    })
}

/// The glossary: every term defined in a latest version, grouped by key.
pub(super) fn glossary(site: &Site, urls: &Urls) -> Vec<GlossaryEntry> {
    let mut entries: BTreeMap<String, GlossaryEntry> = BTreeMap::new();
    for (_, org, policy, history, links) in policies(site) {
        let Some(v) = latest(history, links) else { continue };
        let blocks = &history.versions[v].blocks;
        for def in &links.versions[v].definitions {
            let entry = entries.entry(def.key.clone()).or_insert_with(|| GlossaryEntry {
                key: def.key.clone(),
                id: format!("term-{}", slug(&def.key)),
                term: def.term.clone(),
                definitions: Vec::new(),
            });
            entry.definitions.push(GlossaryDefinition {
                term: def.term.clone(),
                org: org.name.clone(),
                org_url: urls.path(&permalinks::org(&org.slug)),
                policy: policy.title.clone(),
                url: urls.path(&permalinks::anchor(
                    &permalinks::policy(&org.slug, &policy.slug),
                    &blocks[def.block].id,
                )),
                sentence: def.sentence.clone(),
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut entries: Vec<GlossaryEntry> = entries.into_values().collect();
    for entry in &mut entries {
        let base = entry.id.clone();
        let mut n = 1;
        while !seen.insert(entry.id.clone()) {
            n += 1;
            entry.id = format!("{base}-{n}");
        }
    }
    entries
}

/// `personal information` → `personal-information`.
fn slug(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Each topic's page content: what every organisation's latest policies say on it.
pub(super) fn topics(site: &Site, urls: &Urls) -> Vec<(TopicSummary, Vec<TopicOrg>)> {
    let mut pages: Vec<(TopicSummary, Vec<TopicOrg>)> = site
        .topics
        .topics
        .iter()
        .map(|t| {
            let summary = TopicSummary {
                slug: t.slug.clone(),
                title: t.title.clone(),
                url: urls.path(&permalinks::topic(&t.slug)),
                clauses: 0,
                orgs: 0,
            };
            let orgs = site
                .orgs
                .iter()
                .map(|o| TopicOrg {
                    name: o.name.clone(),
                    url: urls.path(&permalinks::org(&o.slug)),
                    policies: Vec::new(),
                })
                .collect();
            (summary, orgs)
        })
        .collect();
    // Each policy's clauses on each topic, policies in parallel, then put in their places.
    let found: Vec<(usize, usize, TopicPolicy)> = site
        .orgs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(o, org)| {
            let policies = org.policies.iter().map(|p| (&p.policy, &p.history, &p.links));
            policies.flat_map(move |(policy, history, links)| {
                topic_policies(urls, org, policy, history, links)
                    .into_iter()
                    .map(move |(t, found)| (o, t, found))
            })
        })
        .collect();
    for (o, t, policy) in found {
        let Some((summary, orgs)) = pages.get_mut(t) else {
            continue;
        };
        summary.clauses += policy.clauses.len();
        orgs[o].policies.push(policy);
    }
    for (summary, orgs) in &mut pages {
        summary.orgs = orgs.iter().filter(|o| !o.policies.is_empty()).count();
    }
    pages
}

/// A policy's clauses on each topic in its latest version, by topic (in no set order: each
/// topic's policies keep the order they come in).
fn topic_policies(
    urls: &Urls,
    org: &SiteOrg,
    policy: &Policy,
    history: &PolicyHistory,
    links: &PolicyLinks,
) -> Vec<(usize, TopicPolicy)> {
    let Some(v) = latest(history, links) else {
        return Vec::new();
    };
    let version = &history.versions[v];
    let changed = last_changes(history);
    let dates: Vec<(String, String)> = policy
        .versions
        .iter()
        .map(|v| (v.effective.to_string(), v.effective.long()))
        .collect();
    let mut by_topic: HashMap<usize, Vec<TopicClause>> = HashMap::new();
    for (b, tags) in links.versions[v].topics.iter().enumerate() {
        for &t in tags {
            let AnchoredBlock { block, id, section, .. } = &version.blocks[b];
            let when = changed.get(id.as_str()).copied().unwrap_or(v);
            let (changed, changed_long) = dates.get(when).cloned().unwrap_or_default();
            by_topic.entry(t).or_default().push(TopicClause {
                id: id.clone(),
                url: urls.path(&permalinks::anchor(&permalinks::policy(&org.slug, &policy.slug), id)),
                section: section.map(|h| version.blocks[h].block.text.to_string()),
                text: block.text.to_string(),
                changed,
                changed_long,
            });
        }
    }
    by_topic
        .into_iter()
        .map(|(t, clauses)| {
            let newest = clauses.iter().max_by(|a, b| a.changed.cmp(&b.changed));
            let (last_changed, last_changed_long) = newest
                .map(|c| (c.changed.clone(), c.changed_long.clone()))
                .unwrap_or_default();
            let found = TopicPolicy {
                title: policy.title.clone(),
                url: urls.path(&permalinks::policy(&org.slug, &policy.slug)),
                version: dates[v].0.clone(),
                version_long: dates[v].1.clone(),
                last_changed,
                last_changed_long,
                clauses,
            };
            (t, found)
        })
        .collect()
}

/// For each id present in the latest version, the version in which its text last changed.
fn last_changes(history: &PolicyHistory) -> HashMap<&str, usize> {
    history
        .lineages
        .iter()
        .filter_map(|l| {
            let e = l
                .events
                .iter()
                .rev()
                .find(|e| !matches!(e.change, Change::Unchanged | Change::Moved | Change::Removed))?;
            Some((l.id.as_str(), e.version))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn term_slugs() {
        assert_eq!(super::slug("personal information"), "personal-information");
        assert_eq!(super::slug("e.u. data"), "e-u-data");
    }
}
