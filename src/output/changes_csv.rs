//! `/api/changes.csv`: the hub's changes dataset, one row per changed clause of every version
//! against the one before it (organisation, policy, version and dates, clause, kind of change,
//! class and reason, topics, words added and removed, the redline at the clause). The only
//! user of `csv`.

use super::OutputFile;
use crate::history::Change;
use crate::permalinks::{self, Urls};
use crate::site::{Site, SitePolicy};

/// The columns, in order (documented in README.md, "The changes dataset").
pub(super) const COLUMNS: [&str; 15] = [
    "org",
    "policy",
    "version",
    "previous_version",
    "effective",
    "captured",
    "clause",
    "kind",
    "change",
    "class",
    "reason",
    "topics",
    "words_added",
    "words_removed",
    "url",
];

/// The dataset of every change on the hub, policies in the hub's order, versions oldest first,
/// clauses in reading order.
pub(super) fn changes_csv(site: &Site, urls: &Urls) -> OutputFile {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(COLUMNS);
    for (
        org,
        SitePolicy {
            policy, history, links, ..
        },
    ) in site.policies()
    {
        for v in 1..history.versions.len() {
            let (prev, version) = (&history.versions[v - 1], &history.versions[v]);
            let meta = &policy.versions[v];
            let redline = urls.absolute(&permalinks::redline(&org.slug, &policy.slug, &meta.id));
            for clause in &version.classes.clauses {
                let old = clause.old.map(|o| &prev.blocks[o].block);
                let new = clause.new.map(|n| &version.blocks[n].block);
                let (anchored, topics) = match (clause.new, clause.old) {
                    (Some(n), _) => (&version.blocks[n], links.topic_slugs(&site.topics, v, n).join(" ")),
                    (None, Some(old)) => (&prev.blocks[old], links.topic_slugs(&site.topics, v - 1, old).join(" ")),
                    (None, None) => continue,
                };
                let (added, removed) = match (old, new) {
                    // Counted once, when the version was anchored.
                    (Some(_), Some(_)) => clause.new.and_then(|n| version.edited_words_of(n)).unwrap_or((0, 0)),
                    (None, Some(new)) => (new.word_count(), 0),
                    (Some(old), None) => (0, old.word_count()),
                    (None, None) => (0, 0),
                };
                let change = match clause.change {
                    Change::Unchanged => "restyled",
                    change => change.name(),
                };
                let _ = out.write_record([
                    org.slug.as_str(),
                    policy.slug.as_str(),
                    meta.id.as_str(),
                    policy.versions[v - 1].id.as_str(),
                    &meta.effective.to_string(),
                    &meta.captured.map(|d| d.to_string()).unwrap_or_default(),
                    &anchored.id,
                    anchored.block.kind.name(),
                    change,
                    clause.verdict.class.name(),
                    &clause.verdict.reason,
                    &topics,
                    &added.to_string(),
                    &removed.to_string(),
                    &permalinks::anchor(&redline, &anchored.id),
                ]);
            }
        }
    }
    OutputFile {
        path: permalinks::changes_csv().to_string(),
        bytes: out.into_inner().unwrap_or_default(),
    }
}
