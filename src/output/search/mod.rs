//! The full-text search index (DESIGN §9): the policies' shares of it ([`crate::clause_index`],
//! made when each policy was anchored) joined so that the status and organisation filters are
//! id ranges, their terms merged by [`index`], and written as small JSON files under
//! `/search-index/` (format in the README's "Search"), which `static/search.js` fetches.
//! Reads the loaded site; never renders pages, never tokenizes again.

mod index;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::OutputFile;
use crate::clause_index::{ClauseRecord, PolicyIndex};
use crate::error::{Diagnostic, Diagnostics};
use crate::permalinks;
use crate::site::Site;

/// The version of the index's format, in `meta.json`: changed when a file changes shape.
pub(super) const FORMAT: u32 = 1;

/// Records per file of `docs/`: a page of 20 results fetches one or a few.
pub(super) const CHUNK: usize = 200;

/// `meta.json`: what the client reads first.
#[derive(Serialize)]
struct Meta<'a> {
    format: u32,
    /// How many records there are; ids run from 0.
    records: usize,
    /// Records `0..latest` are in force, the rest are earlier wordings.
    latest: usize,
    /// Records per `docs/<n>.json`: record `id` is entry `id % chunk` of `docs/<id / chunk>.json`.
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
}

#[derive(Serialize)]
struct MetaTopic<'a> {
    slug: &'a str,
    title: &'a str,
}

/// One record of `docs/<n>.json`: what a result shows.
#[derive(Serialize)]
struct Doc<'a> {
    /// Site-relative, with the clause's fragment (`acme/privacy-policy/#retention-1`).
    url: &'a str,
    /// The section's heading (the policy's title before the first heading).
    title: &'a str,
    /// Index into `meta.json`'s `orgs`.
    org: usize,
    policy: &'a str,
    /// The long date of the version the link goes to.
    version: &'a str,
    text: &'a str,
}

/// A run of one policy's records with consecutive ids: its records in force, or its earlier
/// ones.
struct Run<'a> {
    org: usize,
    policy: &'a str,
    index: &'a PolicyIndex,
    /// The policy's records of the run: `index.records[local]`.
    local: std::ops::Range<usize>,
    /// The id of its first record.
    first: u32,
}

/// The search index of the whole site: every file under `/search-index/`, each handed to
/// `emit` as it is made (from any thread); every problem of every file together.
pub(crate) fn search_files(
    site: &Site,
    emit: &(dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync),
) -> Result<(), Diagnostics> {
    // In force first, then earlier wordings; each group org by org, policy by policy.
    let mut runs: Vec<Run> = Vec::new();
    let mut meta_orgs: Vec<MetaOrg> = site
        .orgs
        .iter()
        .map(|o| MetaOrg {
            slug: &o.slug,
            name: &o.name,
            latest: [0, 0],
            earlier: [0, 0],
        })
        .collect();
    let mut next = 0usize;
    for latest in [true, false] {
        for (o, org) in site.orgs.iter().enumerate() {
            let start = next;
            for record in &org.policies {
                let index = &record.index;
                let local = match latest {
                    true => 0..index.latest,
                    false => index.latest..index.records.len(),
                };
                let first = u32::try_from(next).expect("fewer than 2^32 records");
                next += local.len();
                runs.push(Run {
                    org: o,
                    policy: &record.policy.title,
                    index,
                    local,
                    first,
                });
            }
            let range = [start, next];
            match latest {
                true => meta_orgs[o].latest = range,
                false => meta_orgs[o].earlier = range,
            }
        }
    }
    let records = next;
    let latest = meta_orgs.last().map_or(0, |o| o.latest[1]);
    let docs: Vec<(usize, &str, &ClauseRecord)> = runs
        .iter()
        .flat_map(|run| {
            run.index.records[run.local.clone()]
                .iter()
                .map(|r| (run.org, run.policy, r))
        })
        .collect();
    let shards = index::shards(index::merge(&runs));
    let topics = topic_lists(site, &docs);

    // Each file is handed on as soon as it is made: the index of a large hub is not held whole.
    let problems: Vec<Diagnostic> = docs
        .par_chunks(CHUNK)
        .enumerate()
        .filter_map(|(n, chunk)| {
            let docs: Vec<Doc> = chunk
                .iter()
                .map(|&(org, policy, record)| doc(org, policy, record))
                .collect();
            emit(file(permalinks::search_docs(n), &docs)).err()
        })
        .chain(shards.par_iter().filter_map(|(shard, terms)| {
            let terms: BTreeMap<&str, Vec<u32>> = terms.iter().map(|(t, ids)| (*t, index::delta_encode(ids))).collect();
            emit(file(permalinks::search_terms(shard), &terms)).err()
        }))
        .collect();
    let mut problems = Diagnostics(problems);
    let topic_files = topics
        .iter()
        .map(|(t, ids)| file(permalinks::search_topic(t.slug), &index::delta_encode(ids)));
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

/// The topics that some record has, in the hub's order, with the ids of those records.
fn topic_lists<'a>(site: &'a Site, docs: &[(usize, &str, &ClauseRecord)]) -> Vec<(MetaTopic<'a>, Vec<u32>)> {
    let mut ids: Vec<Vec<u32>> = vec![Vec::new(); site.topics.topics.len()];
    for (id, (_, _, record)) in (0u32..).zip(docs) {
        for &t in &record.topics {
            if let Some(list) = ids.get_mut(t) {
                list.push(id);
            }
        }
    }
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

/// What `docs/` holds of a record of organisation `org`.
fn doc<'a>(org: usize, policy: &'a str, record: &'a ClauseRecord) -> Doc<'a> {
    Doc {
        url: &record.url,
        title: &record.title,
        org,
        policy,
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
