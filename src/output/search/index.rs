//! The inverted index of the search, as pure functions over texts and record ids: the
//! tokenizer (which `static/search.js` repeats word for word), the term shards by two-character
//! prefix, and delta-encoded posting lists. Knows nothing of the site, records or files.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

/// Terms shorter than this (in characters) are neither indexed nor searched.
pub(super) const MIN_TERM: usize = 2;

/// The words of an already lowercased text (Rust `to_lowercase`, JS `toLowerCase` of the whole
/// text) as search sees them: every run of alphanumeric characters (`char::is_alphanumeric`,
/// JS `/[\p{Alphabetic}\p{N}]+/gu`). "don't" gives `don` and `t`, "e-mail" `e` and `mail`.
fn words(lower: &str) -> impl Iterator<Item = &str> {
    lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// Whether a word is long enough to be indexed: [`MIN_TERM`] characters or more.
fn is_term(word: &str) -> bool {
    // A character takes at most 4 bytes: only short words need counting.
    word.len() >= 4 * MIN_TERM || word.chars().nth(MIN_TERM - 1).is_some()
}

/// The shard that holds `term`: the hexadecimal UTF-8 bytes of its first two characters
/// (`data` → `6461`, `été` → `c3a974`), safe in any file name.
pub(super) fn shard_of(term: &str) -> String {
    let end = term.char_indices().nth(MIN_TERM).map_or(term.len(), |(i, _)| i);
    term.as_bytes()[..end].iter().map(|b| format!("{b:02x}")).collect()
}

/// A sorted list of ids as the gaps between them, the first from 0: `[3, 5, 9]` → `[3, 2, 4]`.
pub(super) fn delta_encode(ids: &[u32]) -> Vec<u32> {
    let mut previous = 0;
    ids.iter()
        .map(|&id| {
            let gap = id - previous;
            previous = id;
            gap
        })
        .collect()
}

/// Every term of at least [`MIN_TERM`] characters of `texts`, with the ascending ids (indexes
/// into `texts`) of the texts that contain it, sorted by term. Runs of texts are inverted in
/// parallel and their lists joined left to right (rayon keeps the order), so ids stay sorted.
pub(super) fn invert<S: AsRef<str> + Sync>(texts: &[S]) -> BTreeMap<String, Vec<u32>> {
    let postings = texts
        .par_iter()
        .enumerate()
        .with_min_len(4096)
        .fold(Postings::new, |mut postings, (id, text)| {
            let id = u32::try_from(id).expect("fewer than 2^32 records");
            let lower = text.as_ref().to_lowercase();
            for term in words(&lower).filter(|w| is_term(w)) {
                match postings.get_mut(term) {
                    Some(ids) if ids.last() == Some(&id) => {}
                    Some(ids) => ids.push(id),
                    None => {
                        postings.insert(term.to_string(), vec![id]);
                    }
                }
            }
            postings
        })
        .reduce(Postings::new, |mut left, right| {
            for (term, ids) in right {
                left.entry(term).or_default().extend(ids);
            }
            left
        });
    postings.into_iter().collect()
}

/// Term → ids, while inverting.
type Postings = HashMap<String, Vec<u32>>;

/// The terms of [`invert`] grouped by [`shard_of`], each shard's terms in order.
pub(super) fn shards(terms: BTreeMap<String, Vec<u32>>) -> BTreeMap<String, Vec<(String, Vec<u32>)>> {
    let mut shards: BTreeMap<String, Vec<(String, Vec<u32>)>> = BTreeMap::new();
    for (term, ids) in terms {
        shards.entry(shard_of(&term)).or_default().push((term, ids));
    }
    shards
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the client does to a text or a query: lowercase, then [`words`].
    fn tokenize(text: &str) -> Vec<String> {
        words(&text.to_lowercase()).map(str::to_string).collect()
    }

    /// The inverse of [`delta_encode`], as the client decodes a posting list.
    fn delta_decode(gaps: &[u32]) -> Vec<u32> {
        gaps.iter()
            .scan(0, |id, gap| {
                *id += gap;
                Some(*id)
            })
            .collect()
    }

    /// Texts and their words, shared with the client's test (`tests/browser/tokenizer.test.mjs`),
    /// so that both sides split "don't", "e-mail", "Données", numbers and Greek alike.
    const CASES: &str = include_str!("../../../tests/fixtures/search-tokens.json");

    #[test]
    fn the_tokenizer_lowercases_and_splits_at_anything_not_alphanumeric_as_the_client_does() {
        let cases: Vec<serde_json::Value> = serde_json::from_str(CASES).expect("JSON");
        assert!(cases.len() >= 10);
        for case in cases {
            let text = case["text"].as_str().expect("text");
            let tokens: Vec<&str> = case["tokens"]
                .as_array()
                .expect("tokens")
                .iter()
                .filter_map(|t| t.as_str())
                .collect();
            assert_eq!(tokenize(text), tokens, "{text}");
        }
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
    fn delta_encoding_round_trips() {
        let ids = [0, 3, 5, 9, 10, 4_000_000];
        let gaps = delta_encode(&ids);
        assert_eq!(gaps, [0, 3, 2, 4, 1, 3_999_990]);
        assert_eq!(delta_decode(&gaps), ids);
        assert!(delta_encode(&[]).is_empty());
    }

    #[test]
    fn every_term_of_two_characters_or_more_lists_its_texts_once_in_order() {
        let mut texts: Vec<String> = vec!["We keep data.".into(), "Data, data and a database".into(), "x".into()];
        // Enough texts to be split among workers: their lists still come out in order.
        texts.extend((0..50_000).map(|i| {
            if i % 1000 == 0 {
                "database".to_string()
            } else {
                "nothing".to_string()
            }
        }));
        let terms = invert(&texts);
        assert_eq!(terms["data"], [0, 1]);
        let database: Vec<u32> = [1].into_iter().chain((0..50).map(|i| 3 + i * 1000)).collect();
        assert_eq!(terms["database"], database);
        assert_eq!(terms["nothing"].len(), 50_000 - 50);
        assert_eq!(terms["we"], [0]);
        assert!(!terms.contains_key("a") && !terms.contains_key("x"));
        for (word, long_enough) in [
            ("é", false),
            ("数", false),
            ("𝔸", false),
            ("ab", true),
            ("éé", true),
            ("数据", true),
        ] {
            assert_eq!(is_term(word), long_enough, "{word}");
        }
        let shards = shards(terms);
        let da: Vec<&str> = shards["6461"].iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(da, ["data", "database"]);
    }
}
