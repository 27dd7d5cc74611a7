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
                id: term_id(&def.key),
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
    // Keys that slug alike are numbered, each base counting on from its last number.
    let mut seen = std::collections::HashSet::new();
    let mut last: HashMap<String, usize> = HashMap::new();
    let mut entries: Vec<GlossaryEntry> = entries.into_values().collect();
    for entry in &mut entries {
        let base = entry.id.clone();
        let n = last.entry(base.clone()).or_insert(1);
        while !seen.insert(entry.id.clone()) {
            *n += 1;
            entry.id = format!("{base}-{n}");
        }
    }
    entries
}

/// `personal information` → `term-personal-information`; a term of any script transliterated
/// (`données personnelles` → `term-donnees-personnelles`, `персональные данные` →
/// `term-personal-nye-dannye`), not left without its letters.
fn term_id(key: &str) -> String {
    match crate::content::transliterated_slug(key) {
        slug if slug.is_empty() => "term".to_string(),
        slug => format!("term-{slug}"),
    }
}

/// Each topic with its figures: how many clauses of the latest versions it tags, and how
/// many organisations have one.
pub(super) fn topic_summaries(site: &Site, urls: &Urls) -> Vec<TopicSummary> {
    let figures = topic_figures(site);
    site.topics
        .topics
        .iter()
        .zip(figures)
        .map(|(topic, (_, clauses, orgs))| TopicSummary {
            slug: topic.slug.clone(),
            title: topic.title.clone(),
            url: urls.path(&permalinks::topic(&topic.slug)),
            clauses,
            orgs,
        })
        .collect()
}

/// A topic's slug, how many clauses of the latest versions it tags and how many
/// organisations have one: what every page of the topic shows of the whole hub.
pub(crate) type TopicFigure = (String, usize, usize);

/// Each topic's [`TopicFigure`].
pub(crate) fn topic_figures(site: &Site) -> Vec<TopicFigure> {
    let topics = &site.topics.topics;
    // Per organisation, how many of its latest clauses each topic tags.
    let counts: Vec<Vec<usize>> = site
        .orgs
        .par_iter()
        .map(|org| {
            let mut counts = vec![0; topics.len()];
            for record in &org.policies {
                let Some(v) = latest(&record.history, &record.links) else {
                    continue;
                };
                for &t in record.links.versions[v].topics.iter().flatten() {
                    if let Some(count) = counts.get_mut(t) {
                        *count += 1;
                    }
                }
            }
            counts
        })
        .collect();
    topics
        .iter()
        .enumerate()
        .map(|(t, topic)| {
            let clauses = counts.iter().map(|c| c[t]).sum();
            (topic.slug.clone(), clauses, counts.iter().filter(|c| c[t] > 0).count())
        })
        .collect()
}

/// What the organisations `orgs` (a range of the hub's) say on each topic: for each topic of
/// the hub that is `wanted` (by index), one entry per organisation of the range, its policies
/// with clauses on the topic; none for the other topics.
pub(super) fn topic_orgs(
    site: &Site,
    urls: &Urls,
    orgs: std::ops::Range<usize>,
    wanted: &[bool],
) -> Vec<Vec<TopicOrg>> {
    let topics = site.topics.topics.len();
    let is_wanted = |t: usize| wanted.get(t).copied().unwrap_or(false);
    let mut pages: Vec<Vec<TopicOrg>> = (0..topics)
        .map(|t| Vec::with_capacity(if is_wanted(t) { orgs.len() } else { 0 }))
        .collect();
    for org in &site.orgs[orgs] {
        for (page, _) in pages.iter_mut().zip(wanted).filter(|(_, &wanted)| wanted) {
            page.push(TopicOrg {
                name: org.name.clone(),
                url: urls.path(&permalinks::org(&org.slug)),
                policies: Vec::new(),
            });
        }
        for record in &org.policies {
            let found = topic_policies(urls, org, &record.policy, &record.history, &record.links, &is_wanted);
            for (t, policy) in found {
                if let Some(entry) = pages.get_mut(t).and_then(|page| page.last_mut()) {
                    entry.policies.push(policy);
                }
            }
        }
    }
    pages
}

/// A policy's clauses on each `wanted` topic in its latest version, by topic (in no set order:
/// each topic's policies keep the order they come in).
fn topic_policies(
    urls: &Urls,
    org: &SiteOrg,
    policy: &Policy,
    history: &PolicyHistory,
    links: &PolicyLinks,
    wanted: &dyn Fn(usize) -> bool,
) -> Vec<(usize, TopicPolicy)> {
    let Some(v) = latest(history, links) else {
        return Vec::new();
    };
    if !links.versions[v].topics.iter().flatten().any(|&t| wanted(t)) {
        return Vec::new();
    }
    let version = &history.versions[v];
    let changed = last_changes(history);
    let dates: Vec<(String, String)> = policy
        .versions
        .iter()
        .map(|v| (v.effective.to_string(), v.effective.long()))
        .collect();
    let mut by_topic: HashMap<usize, Vec<TopicClause>> = HashMap::new();
    for (b, tags) in links.versions[v].topics.iter().enumerate() {
        for &t in tags.iter().filter(|&&t| wanted(t)) {
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
    fn term_ids_keep_the_letters_of_any_script() {
        assert_eq!(super::term_id("personal information"), "term-personal-information");
        assert_eq!(super::term_id("e.u. data"), "term-e-u-data");
        assert_eq!(super::term_id("données personnelles"), "term-donnees-personnelles");
        assert_eq!(super::term_id("персональные данные"), "term-personal-nye-dannye");
        assert_eq!(super::term_id("“ ”"), "term");
    }
}
