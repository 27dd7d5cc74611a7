//! The full-text search index (DESIGN §9): the records of [`records`] ordered so that the
//! status and organisation filters are id ranges, inverted by [`index`], and written as small
//! JSON files under `/search-index/` (format in the README's "Search"), which
//! `static/search.js` fetches. Reads the loaded site; never renders pages.

mod index;
mod records;

pub(crate) use records::{clause_topics, search_records, SearchRecord};

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use super::OutputFile;
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
    version: String,
    text: &'a str,
}

/// The search index of the whole site: every file under `/search-index/`, sorted by path.
pub(crate) fn search_files(site: &Site) -> Vec<OutputFile> {
    let orgs = &site.orgs;
    let org_index: HashMap<&str, usize> = orgs.iter().enumerate().map(|(i, o)| (o.slug.as_str(), i)).collect();
    let mut records: Vec<(usize, SearchRecord)> = search_records(site)
        .into_iter()
        .map(|r| (org_index[r.org.slug.as_str()], r))
        .collect();
    // In force first, then earlier wordings; each group org by org, in site order (stable).
    let group = |(org, record): &(usize, SearchRecord)| (!record.latest, *org);
    records.sort_by_key(group);
    let latest = records.partition_point(|(_, r)| r.latest);
    let range = |org: usize, latest: bool| -> [usize; 2] {
        let key = (!latest, org);
        [
            records.partition_point(|r| group(r) < key),
            records.partition_point(|r| group(r) <= key),
        ]
    };
    let meta_orgs: Vec<MetaOrg> = orgs
        .iter()
        .enumerate()
        .map(|(i, o)| MetaOrg {
            slug: &o.slug,
            name: &o.name,
            latest: range(i, true),
            earlier: range(i, false),
        })
        .collect();

    let texts: Vec<&str> = records.iter().map(|(_, r)| r.text).collect();
    let shards = index::shards(index::invert(&texts));

    let topics = topic_lists(site, &records);

    let mut files: Vec<OutputFile> = records
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let docs: Vec<Doc> = chunk.iter().map(|(org, record)| doc(*org, record)).collect();
            file(permalinks::search_docs(n), &docs)
        })
        .collect();
    files.par_extend(shards.par_iter().map(|(shard, terms)| {
        let terms: BTreeMap<&str, Vec<u32>> = terms
            .iter()
            .map(|(t, ids)| (t.as_str(), index::delta_encode(ids)))
            .collect();
        file(permalinks::search_terms(shard), &terms)
    }));
    files.extend(
        topics
            .iter()
            .map(|(t, ids)| file(permalinks::search_topic(t.slug), &index::delta_encode(ids))),
    );
    let meta = Meta {
        format: FORMAT,
        records: records.len(),
        latest,
        chunk: CHUNK,
        orgs: meta_orgs,
        topics: topics.into_iter().map(|(t, _)| t).collect(),
        shards: shards.into_keys().collect(),
    };
    files.push(file(permalinks::search_meta(), &meta));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The topics that some record has, in the hub's order, with the ids of those records.
fn topic_lists<'a>(site: &'a Site, records: &[(usize, SearchRecord)]) -> Vec<(MetaTopic<'a>, Vec<u32>)> {
    let mut ids: HashMap<&str, Vec<u32>> = HashMap::new();
    for (id, (_, record)) in (0u32..).zip(records) {
        for &slug in &record.topics {
            ids.entry(slug).or_default().push(id);
        }
    }
    site.topics
        .topics
        .iter()
        .filter_map(|t| {
            let topic = MetaTopic {
                slug: &t.slug,
                title: &t.title,
            };
            Some((topic, ids.remove(t.slug.as_str())?))
        })
        .collect()
}

/// What `docs/` holds of a record of organisation `org`.
fn doc<'a>(org: usize, record: &'a SearchRecord) -> Doc<'a> {
    Doc {
        url: &record.url,
        title: record.title,
        org,
        policy: &record.policy.title,
        version: record.version.effective.long(),
        text: record.text,
    }
}

/// `value` as compact JSON at `path`.
fn file(path: String, value: &impl Serialize) -> OutputFile {
    OutputFile {
        path,
        bytes: serde_json::to_vec(value).expect("the index is plain data: strings, numbers, lists"),
    }
}
