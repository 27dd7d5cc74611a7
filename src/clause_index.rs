//! Each policy's share of the full-text search index, made once when the policy is anchored
//! (and kept with it in the build cache): one record per distinct clause text, and the terms
//! of those records. The latest version's headings and clauses point to the canonical page;
//! an older text (an earlier wording, or a clause since removed) is recorded once, pointing to
//! the last version that had it, so the index grows with changes, not with versions. The
//! tokenizer is the one `static/search.js` repeats word for word. `output::search` joins the
//! policies' shares into the hub's index; a rebuild re-tokenizes only the policies that
//! changed.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::content::{Policy, Version};
use crate::document::shared_text;
use crate::history::{AnchoredBlock, PolicyHistory};
use crate::links::PolicyLinks;
use crate::permalinks;

/// Terms shorter than this (in characters) are neither indexed nor searched.
pub(crate) const MIN_TERM: usize = 2;

/// A policy's records and their terms.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PolicyIndex {
    /// The records: the latest version's first (`..latest`), then the earlier wordings (none
    /// in an organisation's summary, which keeps their count, terms and topics).
    pub records: Vec<ClauseRecord>,
    /// How many records there are: `records.len()` where the records are kept.
    pub count: usize,
    /// How many records are in force on the canonical page.
    pub latest: usize,
    /// Each topic that some record has (an index into the hub's topic rules), in order, with
    /// the ascending indexes (`0..count`) of those records.
    pub topics: Vec<(usize, Vec<u32>)>,
    /// Every term of the records with the ascending indexes (`0..count`) of the records that
    /// contain it, sorted by term.
    pub terms: Terms,
}

/// Terms with their lists of record indexes, sorted by term, in four flat lists (what a
/// policy's index costs to read back from the build cache is four allocations, not two per
/// term).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Terms {
    /// The terms, one after the other.
    text: String,
    /// Where each term ends in `text`.
    ends: Vec<u32>,
    /// The lists, one after the other.
    ids: Vec<u32>,
    /// Where each list ends in `ids`.
    id_ends: Vec<u32>,
}

impl Terms {
    /// Terms and their lists from pairs sorted by term.
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a [u32])>) -> Terms {
        let mut terms = Terms::default();
        for (term, ids) in pairs {
            terms.text.push_str(term);
            terms.ends.push(offset(terms.text.len()));
            terms.ids.extend_from_slice(ids);
            terms.id_ends.push(offset(terms.ids.len()));
        }
        terms
    }

    /// Each term with its list, in term order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u32])> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        let id_starts = std::iter::once(0).chain(self.id_ends.iter().copied());
        let spans = starts.zip(&self.ends).zip(id_starts.zip(&self.id_ends));
        spans.map(|((start, &end), (id_start, &id_end))| {
            let term = self.text.get(start as usize..end as usize).unwrap_or_default();
            let ids = self.ids.get(id_start as usize..id_end as usize).unwrap_or_default();
            (term, ids)
        })
    }

    /// How many terms there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// A length as an offset of [`Terms`]: a policy's index is far below 4 GiB.
fn offset(len: usize) -> u32 {
    u32::try_from(len).expect("a policy's index under 4 GiB")
}

/// One searchable clause or heading: what a result shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClauseRecord {
    /// Site-relative URL without the base path, with the clause's fragment
    /// (`acme/privacy-policy/#retention-1`); the browser resolves it against the site's root.
    pub url: String,
    /// The clause's plain text: what is searched and excerpted (shared with its block).
    #[serde(with = "shared_text")]
    pub text: Arc<str>,
    /// The heading of the clause's section, or the policy's title before the first heading.
    #[serde(with = "shared_text")]
    pub title: Arc<str>,
    /// The long date of the version the link goes to: the latest, or the last one that had
    /// this text.
    pub version: String,
}

impl PolicyIndex {
    /// The records and terms of a policy of organisation `org` (its slug), its versions
    /// anchored as `history` and cross-linked as `links`.
    pub fn new(org: &str, policy: &Policy, history: &PolicyHistory, links: &PolicyLinks) -> PolicyIndex {
        let Records {
            records,
            latest,
            topics,
        } = records(org, policy, history, links);
        let pairs = invert(records.iter().map(|r| &*r.text));
        let terms = Terms::new(pairs.iter().map(|(term, ids)| (term.as_str(), ids.as_slice())));
        PolicyIndex {
            count: records.len(),
            records,
            latest,
            topics: topics.into_iter().collect(),
            terms,
        }
    }

    /// The index as the hub-wide files read it (an organisation's summary): the records'
    /// count, terms and topics, without what a result shows, which the policy's own `docs/`
    /// files hold.
    pub fn summary(&self) -> PolicyIndex {
        PolicyIndex {
            records: Vec::new(),
            count: self.count,
            latest: self.latest,
            topics: self.topics.clone(),
            terms: self.terms.clone(),
        }
    }
}

/// A policy's records, how many of them are in force, and each topic's records.
struct Records {
    records: Vec<ClauseRecord>,
    latest: usize,
    topics: BTreeMap<usize, Vec<u32>>,
}

/// A policy's records: its latest version's blocks, then the other distinct texts, newest
/// version first; how many are the latest version's; and the records of each topic.
fn records(org: &str, policy: &Policy, history: &PolicyHistory, links: &PolicyLinks) -> Records {
    let mut records = Vec::new();
    let mut in_force = 0;
    let mut by_topic: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    // The texts already recorded under each id: a clause's identity is its id and exact text.
    let mut seen: foldhash::HashMap<&str, Vec<&Arc<str>>> = foldhash::HashMap::default();
    let policy_title: Arc<str> = Arc::from(policy.title.as_str());
    let latest = history.versions.len().saturating_sub(1);
    for v in (0..history.versions.len()).rev() {
        let anchored = &history.versions[v];
        let Some(version) = policy.versions.get(v) else {
            continue;
        };
        let page = page_of(org, policy, version, v == latest);
        let date = version.effective.long();
        for (i, AnchoredBlock { block, id, section, .. }) in anchored.blocks.iter().enumerate() {
            if !block.kind.is_anchored() || block.text.trim().is_empty() {
                continue;
            }
            let texts = seen.entry(id.as_str()).or_default();
            // Versions share one copy of a text they repeat: most are found by their copy.
            if texts.iter().any(|t| Arc::ptr_eq(t, &block.text) || ***t == *block.text) {
                continue;
            }
            texts.push(&block.text);
            let title = section
                .map(|s| &anchored.blocks[s].block.text)
                .filter(|t| !t.is_empty())
                .unwrap_or(&policy_title);
            let topics = links.versions.get(v).and_then(|l| l.topics.get(i));
            let local = u32::try_from(records.len()).expect("fewer than 2^32 records in a policy");
            for &topic in topics.into_iter().flatten() {
                by_topic.entry(topic).or_default().push(local);
            }
            records.push(ClauseRecord {
                url: permalinks::anchor(&page, id),
                text: block.text.clone(),
                title: title.clone(),
                version: date.clone(),
            });
        }
        if v == latest {
            in_force = records.len();
        }
    }
    Records {
        records,
        latest: in_force,
        topics: by_topic,
    }
}

/// The page a record of `version` links to: the canonical page for the latest version.
fn page_of(org: &str, policy: &Policy, version: &Version, latest: bool) -> String {
    match latest {
        true => permalinks::policy(org, &policy.slug),
        false => permalinks::version(org, &policy.slug, &version.id),
    }
}

/// The words of an already lowercased text (Rust `to_lowercase`, JS `toLowerCase` of the whole
/// text) as search sees them: every run of alphanumeric characters (`char::is_alphanumeric`,
/// JS `/[\p{Alphabetic}\p{N}]+/gu`). "don't" gives `don` and `t`, "e-mail" `e` and `mail`.
pub(crate) fn words(lower: &str) -> impl Iterator<Item = &str> {
    lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// Whether a word is long enough to be indexed: [`MIN_TERM`] characters or more.
pub(crate) fn is_term(word: &str) -> bool {
    // A character takes at most 4 bytes: only short words need counting.
    word.len() >= 4 * MIN_TERM || word.chars().nth(MIN_TERM - 1).is_some()
}

/// Every term of at least [`MIN_TERM`] characters of `texts`, with the ascending indexes of
/// the texts that contain it, sorted by term.
pub(crate) fn invert<'t>(texts: impl Iterator<Item = &'t str>) -> Vec<(String, Vec<u32>)> {
    let mut postings: foldhash::HashMap<String, Vec<u32>> = foldhash::HashMap::default();
    for (id, text) in (0u32..).zip(texts) {
        let lower = text.to_lowercase();
        for term in words(&lower).filter(|w| is_term(w)) {
            match postings.get_mut(term) {
                Some(ids) if ids.last() == Some(&id) => {}
                Some(ids) => ids.push(id),
                None => {
                    postings.insert(term.to_string(), vec![id]);
                }
            }
        }
    }
    let mut terms: Vec<(String, Vec<u32>)> = postings.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Date, Version};
    use crate::document::parse;
    use crate::history::anchor_policy;

    /// What the client does to a text or a query: lowercase, then [`words`].
    fn tokenize(text: &str) -> Vec<String> {
        words(&text.to_lowercase()).map(str::to_string).collect()
    }

    /// Texts and their words, shared with the client's test (`tests/browser/tokenizer.test.mjs`),
    /// so that both sides split "don't", "e-mail", "Données", numbers and Greek alike.
    const CASES: &str = include_str!("../tests/fixtures/search-tokens.json");

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
    fn every_term_of_two_characters_or_more_lists_its_texts_once_in_order() {
        let texts = ["We keep data.", "Data, data and a database", "x", "ΣΟΦΟΣ database"];
        let terms = invert(texts.into_iter());
        let find = |t: &str| terms.iter().find(|(term, _)| term == t).map(|(_, ids)| ids.clone());
        assert_eq!(find("data"), Some(vec![0, 1]));
        assert_eq!(find("database"), Some(vec![1, 3]));
        assert_eq!(find("we"), Some(vec![0]));
        // The final sigma, as the client's toLowerCase writes it.
        assert_eq!(find("σοφος"), Some(vec![3]));
        assert_eq!(find("a"), None);
        assert_eq!(find("x"), None);
        let sorted: Vec<&str> = terms.iter().map(|(t, _)| t.as_str()).collect();
        assert!(sorted.windows(2).all(|w| w[0] < w[1]), "{sorted:?}");
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
    }

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
    fn unchanged_clauses_are_recorded_once_and_changed_ones_keep_their_earlier_wording() {
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
        let policy = Policy {
            slug: "privacy-policy".into(),
            title: "Privacy policy".into(),
            url: None,
            versions,
        };
        let index = PolicyIndex::new("acme", &policy, &history, &PolicyLinks::default());
        let urls: Vec<(&str, &str)> = index.records.iter().map(|r| (r.url.as_str(), &*r.text)).collect();
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
        assert_eq!(index.latest, 3);
        assert_eq!(&*index.records[1].title, "Data");
        assert_eq!(index.records[3].version, "1 January 2021");
        let years = index
            .terms
            .iter()
            .find(|(t, _)| *t == "years")
            .map(|(_, ids)| ids.to_vec());
        assert_eq!(years, Some(vec![3, 4]));
        let pairs: Vec<(&str, &[u32])> = index.terms.iter().collect();
        assert_eq!(pairs.len(), index.terms.len());
        assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(pairs.first(), Some(&("data", &[0, 1, 2, 3, 4][..])));
    }
}
