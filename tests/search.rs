//! The search index: built with every site under `search-index/`, read here as the browser's
//! client reads it (README, "Search"). A phrase of a seed policy is found at its clause, by
//! whole words and by prefixes; earlier wordings point to the last version that had them and
//! are indexed once; the status and organisation filters are id ranges; the same site gives
//! the same index bytes.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::TempHub;
use serde_json::Value;

/// The built index of a hub, decoded.
struct Index {
    meta: Value,
    /// Every record, by id.
    docs: Vec<Value>,
    /// Every term of every shard, with its ids decoded.
    terms: BTreeMap<String, Vec<u64>>,
}

impl Index {
    fn read(hub: &TempHub) -> Index {
        let json = |rel: &str| -> Value {
            serde_json::from_str(&hub.read_output(&format!("search-index/{rel}")))
                .unwrap_or_else(|e| panic!("{rel}: {e}"))
        };
        let meta = json("meta.json");
        assert_eq!(meta["format"], 2);
        let records = meta["records"].as_u64().unwrap() as usize;
        let chunk = meta["chunk"].as_u64().unwrap() as usize;
        // Each policy's records, in its own docs files: in force first, then earlier wordings.
        let mut shown: BTreeMap<(usize, usize), Vec<Value>> = BTreeMap::new();
        let orgs = meta["orgs"].as_array().unwrap();
        for (o, org) in orgs.iter().enumerate() {
            for (p, policy) in org["policies"].as_array().unwrap().iter().enumerate() {
                let count = ["latest", "earlier"].map(|g| policy[g].as_u64().unwrap() as usize);
                let total = count[0] + count[1];
                let mut docs = Vec::new();
                for n in 0..total.div_ceil(chunk) {
                    let rel = format!(
                        "docs/{}/{}/{n}.json",
                        org["slug"].as_str().unwrap(),
                        policy["slug"].as_str().unwrap()
                    );
                    let part = json(&rel);
                    let part = part.as_array().unwrap();
                    assert!(part.len() == chunk || n == total / chunk, "{rel} has {}", part.len());
                    for doc in part {
                        // What the client adds from meta.json: its organisation and policy.
                        let mut doc = doc.clone();
                        doc["org"] = o.into();
                        doc["policy"] = policy["title"].clone();
                        docs.push(doc);
                    }
                }
                assert_eq!(docs.len(), total);
                shown.insert((o, p), docs);
            }
        }
        // Ids: the records in force, then the earlier ones, each group organisation by
        // organisation, policy by policy.
        let mut docs = Vec::new();
        for latest in [true, false] {
            for (&(o, p), records) in &shown {
                let policy = &orgs[o]["policies"][p];
                let split = policy["latest"].as_u64().unwrap() as usize;
                docs.extend_from_slice(if latest { &records[..split] } else { &records[split..] });
            }
        }
        assert_eq!(docs.len(), records);
        let mut terms = BTreeMap::new();
        for shard in meta["shards"].as_array().unwrap() {
            let shard = shard.as_str().unwrap();
            for (term, gaps) in json(&format!("terms/{shard}.json")).as_object().unwrap() {
                assert_eq!(shard_of(term), shard, "{term} is in the wrong shard");
                terms.insert(term.clone(), decode(gaps));
            }
        }
        Index { meta, docs, terms }
    }

    /// What the client does: the records that have, for every word of the query of two or
    /// more characters, a term that starts with it.
    fn search(&self, query: &str) -> BTreeSet<u64> {
        let words: Vec<String> = tokens(query).into_iter().filter(|w| w.chars().count() >= 2).collect();
        assert!(!words.is_empty());
        let mut found: Option<BTreeSet<u64>> = None;
        for word in &words {
            let ids: BTreeSet<u64> = self
                .terms
                .range(word.clone()..)
                .take_while(|(term, _)| term.starts_with(word.as_str()))
                .flat_map(|(_, ids)| ids.iter().copied())
                .collect();
            found = Some(match found {
                None => ids,
                Some(before) => before.intersection(&ids).copied().collect(),
            });
        }
        found.unwrap_or_default()
    }

    fn latest(&self) -> u64 {
        self.meta["latest"].as_u64().unwrap()
    }

    fn org_name(&self, record: &Value) -> &str {
        let org = record["org"].as_u64().unwrap() as usize;
        self.meta["orgs"][org]["name"].as_str().unwrap()
    }
}

/// The README's tokenizer: lowercase, then runs of letters and digits.
fn tokens(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The README's shard name: the hex UTF-8 bytes of a term's first two characters.
fn shard_of(term: &str) -> String {
    let prefix: String = term.chars().take(2).collect();
    prefix.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode(gaps: &Value) -> Vec<u64> {
    let mut id = 0;
    gaps.as_array()
        .unwrap()
        .iter()
        .map(|gap| {
            id += gap.as_u64().unwrap();
            id
        })
        .collect()
}

#[test]
fn the_index_finds_a_phrase_of_a_seed_policy_at_its_clause() {
    let hub = TempHub::repository();
    let (ok, _, stderr) = hub.build();
    assert!(ok, "{stderr}");
    assert!(hub.path("public/search/index.html").is_file());
    assert!(!hub.path("public/pagefind").exists());
    let index = Index::read(&hub);
    let found: Vec<(usize, &Value)> = index
        .docs
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r["text"]
                .as_str()
                .is_some_and(|c| c.contains("Work and salary history"))
        })
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let (id, record) = found[0];
    let url = record["url"].as_str().unwrap();
    let anchor = url
        .strip_prefix("xmatters/privacy-policy/#")
        .unwrap_or_else(|| panic!("{url}"));
    assert_eq!(index.org_name(record), "xMatters, Inc.");
    assert_eq!(record["policy"], "Privacy Policy");
    assert_eq!(record["version"], "10 December 2015");
    assert!((id as u64) < index.latest(), "in force");
    let xmatters = index.meta["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["slug"] == "xmatters")
        .unwrap();
    let range = &xmatters["latest"];
    assert!(range[0].as_u64().unwrap() <= id as u64 && (id as u64) < range[1].as_u64().unwrap());
    // The URL's fragment is that clause on the canonical page.
    let page = hub.read_output("xmatters/privacy-policy/index.html");
    let start = page
        .find(&format!("id=\"{anchor}\" data-clause=\"{anchor}\""))
        .expect("the anchor exists");
    assert!(page[start..]
        .split("</li>")
        .next()
        .unwrap()
        .contains("Work and salary history"));

    // The terms find it by whole words and by the starts of words, every word required.
    for query in [
        "Work and salary history",
        "salary",
        "SALAR",
        "work sal hist",
        "salaries history",
    ] {
        let hits = index.search(query);
        assert_eq!(
            hits.contains(&(id as u64)),
            query != "salaries history",
            "{query}: {hits:?}"
        );
    }
    for hit in index.search("sal hist") {
        let text = tokens(index.docs[hit as usize]["text"].as_str().unwrap());
        assert!(text.iter().any(|w| w.starts_with("sal")) && text.iter().any(|w| w.starts_with("hist")));
    }
    assert!(index.search("zzzqqq").is_empty());
}

#[test]
fn earlier_wordings_are_indexed_once_at_the_last_version_that_had_them() {
    let hub = TempHub::fixture("history");
    assert!(hub.build().0);
    let index = Index::read(&hub);
    let mut seen = std::collections::HashSet::new();
    for (id, r) in index.docs.iter().enumerate() {
        let url = r["url"].as_str().unwrap();
        let latest = !url.trim_start_matches("acme/privacy-policy/").starts_with("20");
        assert_eq!((id as u64) < index.latest(), latest, "{url}");
        let anchor = url.split('#').nth(1).unwrap();
        assert!(
            seen.insert((anchor.to_string(), r["text"].to_string())),
            "indexed twice: {r}"
        );
    }
    let versions = 3;
    let latest = index.latest() as usize;
    assert!(index.docs.len() < versions * latest, "{} records", index.docs.len());
    assert!(index.docs.len() > latest, "earlier wordings are searchable");
    let earlier = &index.docs[latest];
    assert!(earlier["version"].as_str().unwrap().ends_with("2021"), "{earlier}");
}

#[test]
fn the_status_and_organisation_filters_are_id_ranges() {
    let hub = TempHub::fixture("history");
    hub.write("content/zeta/org.toml", "name = \"Zeta Ltd\"\n");
    let version = |date: &str, days: &str| {
        format!("+++\neffective = {date}\n+++\n# Zeta privacy\n\n## Retention\n\nZeta keeps logs for {days} days.\n\nZeta never sells data.\n")
    };
    hub.write(
        "content/zeta/privacy-policy/2020-06-01.md",
        version("2020-06-01", "ninety"),
    );
    hub.write(
        "content/zeta/privacy-policy/2021-06-01.md",
        version("2021-06-01", "thirty"),
    );
    let (ok, _, stderr) = hub.build();
    assert!(ok, "{stderr}");
    let index = Index::read(&hub);
    let records = index.docs.len() as u64;
    let orgs = index.meta["orgs"].as_array().unwrap();
    let slugs: Vec<&str> = orgs.iter().map(|o| o["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["acme", "zeta"]);
    // The ranges tile the ids: all in force, org by org, then all earlier, org by org.
    let mut next = 0;
    for (group, end) in [("latest", index.latest()), ("earlier", records)] {
        for (o, org) in orgs.iter().enumerate() {
            let [start, stop] = [0, 1].map(|i| org[group][i].as_u64().unwrap());
            assert_eq!(start, next, "{group} of {}", org["slug"]);
            assert!(stop > start, "{group} of {} is empty", org["slug"]);
            for id in start..stop {
                let record = &index.docs[id as usize];
                assert_eq!(record["org"], o);
                assert!(record["url"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("{}/", org["slug"].as_str().unwrap())));
            }
            next = stop;
        }
        assert_eq!(next, end, "{group}");
    }
    let ninety: Vec<u64> = index.search("zeta logs ninety").into_iter().collect();
    assert_eq!(ninety.len(), 1);
    assert!(ninety[0] >= index.latest(), "an earlier wording of Zeta's");
    assert!(index.docs[ninety[0] as usize]["url"]
        .as_str()
        .unwrap()
        .starts_with("zeta/privacy-policy/2020-06-01/#"));
    // Topics: each listed one has its posting list, which names records of that topic.
    let topics = index.meta["topics"].as_array().unwrap();
    assert!(topics.iter().any(|t| t["slug"] == "data-retention"), "{topics:?}");
    for topic in topics {
        let slug = topic["slug"].as_str().unwrap();
        let ids = decode(&serde_json::from_str(&hub.read_output(&format!("search-index/topics/{slug}.json"))).unwrap());
        assert!(!ids.is_empty() && ids.iter().all(|&id| id < records), "{slug}");
    }
}

#[test]
fn the_index_is_the_same_for_the_same_site() {
    let one = TempHub::fixture("history");
    let two = TempHub::fixture("history");
    assert!(one.build().0 && two.build().0);
    let index = |hub: &TempHub| -> Vec<(String, Vec<u8>)> {
        hub.output_snapshot()
            .into_iter()
            .filter(|(p, _)| p.starts_with("search-index/"))
            .collect()
    };
    let a = index(&one);
    assert!(a.len() > 3, "{a:?}");
    assert_eq!(a, index(&two));
}
