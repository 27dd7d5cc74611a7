//! The inverted index of the search as pure functions over terms and record ids: the
//! policies' term lists ([`crate::clause_index`]) merged into the hub's, the term shards by
//! two-character prefix, and delta-encoded posting lists. Knows nothing of files.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use super::Placed;
use crate::clause_index::MIN_TERM;

/// The shard that holds `term`: the hexadecimal UTF-8 bytes of its first two characters
/// (`data` → `6461`, `été` → `c3a974`), safe in any file name.
pub(super) fn shard_of(term: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let prefix = shard_prefix(term);
    let mut shard = String::with_capacity(2 * prefix.len());
    for b in prefix.bytes() {
        shard.push(char::from(HEX[usize::from(b >> 4)]));
        shard.push(char::from(HEX[usize::from(b & 15)]));
    }
    shard
}

/// The first two characters of `term`: what its shard is named after.
fn shard_prefix(term: &str) -> &str {
    let end = term.char_indices().nth(MIN_TERM).map_or(term.len(), |(i, _)| i);
    &term[..end]
}

/// A sorted list of ids as the gaps between them, the first from 0: `[3, 5, 9]` → `[3, 2, 4]`.
pub(super) fn delta_encode(ids: &[u32]) -> impl Iterator<Item = u32> + '_ {
    let mut previous = 0;
    ids.iter().map(move |&id| {
        let gap = id - previous;
        previous = id;
        gap
    })
}

/// Every term of the policies' records with the ascending ids of the records that contain
/// it, sorted by term. Policies come in the hub's order and every id in force is below every
/// earlier one, so each term's list is its ids in force, policy by policy, then its earlier
/// ones: one look-up per term of a policy.
pub(super) fn merge<'a>(policies: &[Placed<'a>]) -> Postings<'a> {
    let mut postings: HashMap<&'a str, [Vec<u32>; 2]> = HashMap::with_capacity(1 << 16);
    for policy in policies {
        let split = policy.index.latest as u32;
        for (term, ids) in policy.index.terms.iter() {
            let (latest, earlier) = ids.split_at(ids.partition_point(|&id| id < split));
            let lists = postings.entry(term).or_default();
            lists[0].extend(latest.iter().map(|&local| policy.latest_id(local)));
            lists[1].extend(earlier.iter().map(|&local| policy.earlier_id(local)));
        }
    }
    let mut terms: Vec<(&str, Vec<u32>)> = postings
        .into_iter()
        .map(|(term, [mut latest, earlier])| {
            latest.extend(earlier);
            (term, latest)
        })
        .collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    terms
}

/// The terms of [`merge`] grouped by [`shard_of`], each shard's terms in order.
pub(super) fn shards(terms: Postings) -> BTreeMap<String, Postings> {
    // Sorted terms come a shard at a time: each run's name is made once.
    let mut runs: Vec<(&str, Postings)> = Vec::new();
    for (term, ids) in terms {
        let prefix = shard_prefix(term);
        match runs.last_mut() {
            Some((last, run)) if *last == prefix => run.push((term, ids)),
            _ => runs.push((prefix, vec![(term, ids)])),
        }
    }
    let mut shards: BTreeMap<String, Postings> = BTreeMap::new();
    for (prefix, run) in runs {
        shards.entry(shard_of(prefix)).or_default().extend(run);
    }
    shards
}

/// Terms, each with its ascending ids.
pub(super) type Postings<'a> = Vec<(&'a str, Vec<u32>)>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clause_index::PolicyIndex;

    /// The inverse of [`delta_encode`], as the client decodes a posting list.
    fn delta_decode(gaps: &[u32]) -> Vec<u32> {
        gaps.iter()
            .scan(0, |id, gap| {
                *id += gap;
                Some(*id)
            })
            .collect()
    }

    fn index(terms: &[(&str, &[u32])], records: usize, latest: usize) -> PolicyIndex {
        let record = crate::clause_index::ClauseRecord {
            url: String::new(),
            text: "".into(),
            title: "".into(),
            version: String::new(),
        };
        PolicyIndex {
            records: vec![record; records],
            count: records,
            latest,
            topics: Vec::new(),
            terms: crate::clause_index::Terms::new(terms.iter().copied()),
        }
    }

    #[test]
    fn merged_terms_list_each_policys_records_at_their_place_in_the_hub() {
        // Two policies: records in force first (theirs, one after the other), then earlier ones.
        let a = index(&[("data", &[0, 2]), ("keep", &[1])], 3, 2);
        let b = index(&[("data", &[0, 1]), ("sell", &[1])], 2, 1);
        let place = |index, latest, earlier| Placed { index, latest, earlier };
        // Ids: a's two records in force, b's one, then a's earlier one, b's earlier one.
        let runs = [place(&a, 0, 3), place(&b, 2, 4)];
        let merged = merge(&runs);
        assert_eq!(
            merged,
            [("data", vec![0, 2, 3, 4]), ("keep", vec![1]), ("sell", vec![4])]
        );
    }

    #[test]
    fn a_shard_is_named_by_the_bytes_of_the_first_two_characters() {
        assert_eq!(shard_of("data"), "6461");
        assert_eq!(shard_of("da"), "6461");
        assert_eq!(shard_of("données"), "646f");
        assert_eq!(shard_of("éè"), "c3a9c3a8");
        assert_eq!(shard_of("30"), "3330");
        assert_eq!(shard_of("数据保护"), "e695b0e68dae");
    }

    #[test]
    fn sorted_terms_are_grouped_into_their_shards_in_order() {
        let terms = ["da", "data", "db", "dé", "défi", "éa", "éé"];
        let postings: Postings = terms.iter().enumerate().map(|(n, t)| (*t, vec![n as u32])).collect();
        let shards = shards(postings);
        let names: Vec<(&str, Vec<&str>)> = shards
            .iter()
            .map(|(name, terms)| (name.as_str(), terms.iter().map(|(t, _)| *t).collect()))
            .collect();
        assert_eq!(
            names,
            [
                ("6461", vec!["da", "data"]),
                ("6462", vec!["db"]),
                ("64c3a9", vec!["dé", "défi"]),
                ("c3a961", vec!["éa"]),
                ("c3a9c3a9", vec!["éé"]),
            ]
        );
        assert_eq!(shards["6461"][1].1, [1]);
    }

    #[test]
    fn delta_encoding_round_trips() {
        let ids = [0, 3, 5, 9, 10, 4_000_000];
        let gaps: Vec<u32> = delta_encode(&ids).collect();
        assert_eq!(gaps, [0, 3, 2, 4, 1, 3_999_990]);
        assert_eq!(delta_decode(&gaps), ids);
        assert_eq!(delta_encode(&[]).count(), 0);
    }
}
