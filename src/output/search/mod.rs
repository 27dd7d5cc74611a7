//! The full-text search index (DESIGN §9): the policies' shares of it ([`crate::clause_index`],
//! made when each policy was anchored) joined so that the status and organisation filters are
//! id ranges, their terms merged by [`index`], and written as small JSON files under
//! `/search-index/` (format in the README's "Search"), which `static/search.js` fetches. The
//! hub-wide files ([`search_files`]: `meta.json`, the term shards, the topic lists) read only
//! each policy's terms, topics and record counts; what a result shows is in each policy's own
//! `docs/` files ([`policy_docs`]), written with the policy's own pages, so a rebuild after
//! one policy changed writes that policy's alone. Reads the loaded site; never renders pages,
//! never tokenizes again.

mod index;

use rayon::prelude::*;
use serde::Serialize;

use super::OutputFile;
use crate::clause_index::{ClauseRecord, PolicyIndex};
use crate::error::{Diagnostic, Diagnostics};
use crate::permalinks;
use crate::site::{Site, SitePolicy};

/// The version of the index's format, in `meta.json`: changed when a file changes shape.
pub(super) const FORMAT: u32 = 2;

/// A policy's records per file of `docs/`: a page of 20 results fetches one or a few per
/// policy it shows.
pub(super) const CHUNK: usize = 100;

/// `meta.json`: what the client reads first.
#[derive(Serialize)]
struct Meta<'a> {
    format: u32,
    /// How many records there are; ids run from 0.
    records: usize,
    /// Records `0..latest` are in force, the rest are earlier wordings.
    latest: usize,
    /// Records per file of a policy's `docs/`.
    chunk: usize,
    orgs: Vec<MetaOrg<'a>>,
    /// The topics that some record has, in the hub's order; each has `topics/<slug>.json`.
    topics: Vec<MetaTopic<'a>>,
    /// The names of the files of `terms/`, sorted.
    shards: Vec<String>,
}

/// An organisation and its records in each group, as `[start, end)` id ranges.
#[derive(Serialize)]
struct MetaOrg<'a> {
    slug: &'a str,
    name: &'a str,
    latest: [usize; 2],
    earlier: [usize; 2],
    policies: Vec<MetaPolicy<'a>>,
}

/// A policy and how many records it has in each group: ids are given group by group, in each
/// organisation by organisation and policy by policy, so these counts place every record.
#[derive(Serialize)]
struct MetaPolicy<'a> {
    slug: &'a str,
    title: &'a str,
    latest: usize,
    earlier: usize,
}

#[derive(Serialize)]
struct MetaTopic<'a> {
    slug: &'a str,
    title: &'a str,
}

/// One record of a policy's `docs/<n>.json`: what a result shows.
#[derive(Serialize)]
struct Doc<'a> {
    /// Site-relative, with the clause's fragment (`acme/privacy-policy/#retention-1`).
    url: &'a str,
    /// The section's heading (the policy's title before the first heading).
    title: &'a str,
    /// The long date of the version the link goes to.
    version: &'a str,
    text: &'a str,
}

/// A policy's records as the hub numbers them: those in force (indexes `0..index.latest`)
/// from id `latest` on, the earlier ones (`index.latest..index.count`) from id `earlier` on.
struct Placed<'a> {
    index: &'a PolicyIndex,
    latest: u32,
    earlier: u32,
}

impl Placed<'_> {
    /// The hub's id of the policy's record `local`, one in force.
    fn latest_id(&self, local: u32) -> u32 {
        self.latest + local
    }

    /// The hub's id of the policy's record `local`, an earlier one.
    fn earlier_id(&self, local: u32) -> u32 {
        self.earlier + local - self.index.latest as u32
    }
}

/// The hub-wide files of the search index (`meta.json`, `terms/`, `topics/`), each handed to
/// `emit` as it is made (from any thread); every problem of every file together.
pub(crate) fn search_files(
    site: &Site,
    emit: &(dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync),
) -> Result<(), Diagnostics> {
    // Ids: the records in force first, then the earlier ones; each group org by org, policy
    // by policy.
    let latest: usize = site.orgs.iter().flat_map(|o| &o.policies).map(|p| p.index.latest).sum();
    let (mut next_latest, mut next_earlier) = (0, latest);
    let id = |n: usize| u32::try_from(n).expect("fewer than 2^32 records");
    let mut placed: Vec<Placed> = Vec::new();
    let mut meta_orgs: Vec<MetaOrg> = Vec::with_capacity(site.orgs.len());
    for org in &site.orgs {
        let (latest_start, earlier_start) = (next_latest, next_earlier);
        let mut policies = Vec::with_capacity(org.policies.len());
        for record in &org.policies {
            let index = &record.index;
            placed.push(Placed {
                index,
                latest: id(next_latest),
                earlier: id(next_earlier),
            });
            let earlier = index.count - index.latest;
            next_latest += index.latest;
            next_earlier += earlier;
            policies.push(MetaPolicy {
                slug: &record.policy.slug,
                title: &record.policy.title,
                latest: index.latest,
                earlier,
            });
        }
        meta_orgs.push(MetaOrg {
            slug: &org.slug,
            name: &org.name,
            latest: [latest_start, next_latest],
            earlier: [earlier_start, next_earlier],
            policies,
        });
    }
    let records = next_earlier;
    let shards = index::shards(index::merge(&placed));
    let topics = topic_lists(site, &placed);

    // Each file is handed on as soon as it is made: the index of a large hub is not held whole.
    let problems: Vec<Diagnostic> = shards
        .par_iter()
        .filter_map(|(shard, terms)| emit(file(permalinks::search_terms(shard), &Shard(terms))).err())
        .collect();
    let mut problems = Diagnostics(problems);
    let topic_files = topics
        .iter()
        .map(|(t, ids)| file(permalinks::search_topic(t.slug), &Gaps(ids)));
    problems.0.extend(topic_files.filter_map(|f| emit(f).err()));
    let meta = Meta {
        format: FORMAT,
        records,
        latest,
        chunk: CHUNK,
        orgs: meta_orgs,
        topics: topics.into_iter().map(|(t, _)| t).collect(),
        shards: shards.into_keys().collect(),
    };
    problems.0.extend(emit(file(permalinks::search_meta(), &meta)).err());
    problems.into_result(())
}

/// What each record of a policy of organisation `org` shows, [`CHUNK`] records a file, in
/// the policy's record order (in force first, then earlier wordings): its share of the index,
/// which only its own changes change.
pub(crate) fn policy_docs(org: &str, policy: &SitePolicy) -> Vec<OutputFile> {
    let chunks = policy.index.records.chunks(CHUNK).enumerate();
    chunks
        .map(|(n, chunk)| {
            let docs: Vec<Doc> = chunk.iter().map(doc).collect();
            file(permalinks::search_docs(org, &policy.policy.slug, n), &docs)
        })
        .collect()
}

/// The topics that some record has, in the hub's order, with the ids of those records.
fn topic_lists<'a>(site: &'a Site, placed: &[Placed]) -> Vec<(MetaTopic<'a>, Vec<u32>)> {
    // Per topic, its records in force and its earlier ones: every id of the first is below
    // every id of the second.
    let mut lists: Vec<[Vec<u32>; 2]> = vec![[Vec::new(), Vec::new()]; site.topics.topics.len()];
    for policy in placed {
        for (topic, locals) in &policy.index.topics {
            let Some(list) = lists.get_mut(*topic) else {
                continue;
            };
            for &local in locals {
                match (local as usize) < policy.index.latest {
                    true => list[0].push(policy.latest_id(local)),
                    false => list[1].push(policy.earlier_id(local)),
                }
            }
        }
    }
    let ids = lists.into_iter().map(|[mut latest, earlier]| {
        latest.extend(earlier);
        latest
    });
    site.topics
        .topics
        .iter()
        .zip(ids)
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(t, ids)| {
            let topic = MetaTopic {
                slug: &t.slug,
                title: &t.title,
            };
            (topic, ids)
        })
        .collect()
}

/// A shard of `terms/` as JSON: each of its terms (sorted) with its ids delta-encoded.
struct Shard<'a>(&'a [(&'a str, Vec<u32>)]);

impl Serialize for Shard<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(term, ids)| (term, Gaps(ids))))
    }
}

/// A sorted list of ids as JSON, delta-encoded ([`index::delta_encode`]) as it is written.
struct Gaps<'a>(&'a [u32]);

impl Serialize for Gaps<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(index::delta_encode(self.0))
    }
}

/// What `docs/` holds of a record.
fn doc(record: &ClauseRecord) -> Doc<'_> {
    Doc {
        url: &record.url,
        title: &record.title,
        version: &record.version,
        text: &record.text,
    }
}

/// `value` as compact JSON at `path`.
fn file(path: String, value: &impl Serialize) -> OutputFile {
    OutputFile {
        path,
        bytes: serde_json::to_vec(value).expect("the index is plain data: strings, numbers, lists"),
    }
}
