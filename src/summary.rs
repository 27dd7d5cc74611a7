//! What the hub-wide pages and files read of an organisation, apart from its own pages: each
//! policy's changed clauses as one flat list ([`ClauseChange`], made when the policy is
//! anchored, read by the changes dataset and the topic feeds), and an organisation's summary
//! ([`summarize`]): its record without what only its own pages read (the earlier versions'
//! clauses, the link spans, what its search records show, the changed clauses' texts beyond
//! what a feed quotes), which stands for it once its pages are written, in the build cache
//! and while the hub-wide pages are made.

use std::collections::HashSet;
use std::sync::Arc;

use crate::document::{shared_text, BlockKind};
use crate::history::{AnchoredBlock, AnchoredVersion, Change, PolicyHistory, Verdict};
use crate::links::{PolicyLinks, VersionLinks};
use crate::site::{SiteOrg, SitePolicy};

/// A clause that a version changed, with what the hub-wide lists of changes say of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClauseChange {
    /// The version (index) that changed it.
    pub version: usize,
    /// The clause's id: in that version, or in the one before for a removed clause.
    pub id: String,
    pub kind: BlockKind,
    /// How it changed (`Unchanged` for a clause only restyled).
    pub change: Change,
    pub verdict: Verdict,
    /// Its topics (indexes into the hub's topic rules) as tagged in the version that changed
    /// it, or in the one before for a removed clause.
    pub topics: Vec<usize>,
    /// Words it gained and lost.
    pub added: usize,
    pub removed: usize,
    /// Its text: the new one, or the last one for a removed clause (in a summary, only as
    /// much as a feed quotes, [`QUOTED_CHARS`] and one more to tell whether there was more,
    /// unless the latest version's clauses hold the same text).
    #[serde(with = "shared_text")]
    pub text: Arc<str>,
}

/// How many characters of a changed clause's text a feed quotes.
pub const QUOTED_CHARS: usize = 200;

/// Every changed clause of a policy: versions oldest first, each in reading order.
pub fn clause_changes(history: &PolicyHistory, links: &PolicyLinks) -> Vec<ClauseChange> {
    let tags = |v: usize, block: usize| -> Vec<usize> {
        let topics = links.versions.get(v).and_then(|l| l.topics.get(block));
        topics.cloned().unwrap_or_default()
    };
    let mut changes = Vec::new();
    for v in 1..history.versions.len() {
        let (prev, version) = (&history.versions[v - 1], &history.versions[v]);
        for clause in &version.classes.clauses {
            let (anchored, topics) = match (clause.new, clause.old) {
                (Some(n), _) => (&version.blocks[n], tags(v, n)),
                (None, Some(o)) => (&prev.blocks[o], tags(v - 1, o)),
                (None, None) => continue,
            };
            let (added, removed) = match (clause.old, clause.new) {
                // Counted once, when the version was anchored.
                (Some(_), Some(n)) => version.edited_words_of(n).unwrap_or((0, 0)),
                (None, Some(n)) => (version.blocks[n].block.word_count(), 0),
                (Some(o), None) => (0, prev.blocks[o].block.word_count()),
                (None, None) => (0, 0),
            };
            changes.push(ClauseChange {
                version: v,
                id: anchored.id.clone(),
                kind: anchored.block.kind,
                change: clause.change,
                verdict: clause.verdict.clone(),
                topics,
                added,
                removed,
                text: anchored.block.text.clone(),
            });
        }
    }
    changes
}

/// The organisation as the hub-wide pages read it once its own pages are written: each policy's
/// latest version's clauses as text (the topic pages and the glossary quote them), the earlier
/// versions without their clauses, no link spans, and of its search records only their count,
/// terms and topics (the policy's own `docs/` files hold what a result shows). A summary never
/// renders the organisation's own pages.
pub fn summarize(org: &SiteOrg) -> SiteOrg {
    let policies = org.policies.iter().map(summarize_policy).collect();
    SiteOrg {
        slug: org.slug.clone(),
        name: org.name.clone(),
        website: org.website.clone(),
        description: org.description.clone(),
        country: org.country.clone(),
        policies,
    }
}

fn summarize_policy(record: &SitePolicy) -> SitePolicy {
    let last = record.history.versions.len().saturating_sub(1);
    let versions = record
        .history
        .versions
        .iter()
        .enumerate()
        .map(|(v, version)| match v == last {
            true => AnchoredVersion {
                blocks: version.blocks.iter().map(without_markup).collect(),
                removed: Vec::new(),
                edited_words: Vec::new(),
                ..version.clone()
            },
            false => AnchoredVersion {
                blocks: Vec::new(),
                removed: Vec::new(),
                figures: version.figures,
                words: version.words,
                edited_words: Vec::new(),
                classes: version.classes.clone(),
            },
        });
    let links = record
        .links
        .versions
        .iter()
        .enumerate()
        .map(|(v, links)| match v == last {
            true => VersionLinks {
                definitions: links.definitions.clone(),
                spans: Vec::new(),
                topics: links.topics.clone(),
                unlinked_definitions: links.unlinked_definitions,
            },
            // What the build warns of, every time.
            false => VersionLinks {
                unlinked_definitions: links.unlinked_definitions,
                ..VersionLinks::default()
            },
        });
    SitePolicy {
        policy: record.policy.clone(),
        history: PolicyHistory {
            versions: versions.collect(),
            lineages: record.history.lineages.clone(),
            unresolved_links: record.history.unresolved_links.clone(),
        },
        links: PolicyLinks {
            versions: links.collect(),
        },
        index: record.index.summary(),
        changes: changes_quoted(record),
    }
}

/// The policy's changed clauses with only as much of their texts as a feed quotes, but for
/// the texts that the latest version's clauses (which the summary keeps) share.
fn changes_quoted(record: &SitePolicy) -> Vec<ClauseChange> {
    let latest = record
        .history
        .versions
        .last()
        .map(|v| v.blocks.as_slice())
        .unwrap_or_default();
    let kept: HashSet<&str> = latest.iter().map(|b| &*b.block.text).collect();
    let as_quoted = |change: &ClauseChange| ClauseChange {
        text: match kept.contains(&*change.text) {
            true => change.text.clone(),
            false => quoted(&change.text),
        },
        ..change.clone()
    };
    record.changes.iter().map(as_quoted).collect()
}

/// The start of `text` that a feed quotes: [`QUOTED_CHARS`] characters and one more.
pub(crate) fn quoted(text: &Arc<str>) -> Arc<str> {
    match text.char_indices().nth(QUOTED_CHARS + 1) {
        Some((end, _)) => Arc::from(&text[..end]),
        None => text.clone(),
    }
}

/// A block as plain text: its HTML and the anchors in it are its own pages' alone.
fn without_markup(anchored: &AnchoredBlock) -> AnchoredBlock {
    let mut anchored = anchored.clone();
    anchored.block.html = Arc::from("");
    anchored.block.anchors = Vec::new();
    anchored
}
