//! A policy's clause-history page (`/<org>/<policy>/clauses/`): for every id the policy ever
//! minted, every version in which it appeared, changed, moved or went away, with redlines.

use serde::Serialize;

use super::body::snippet;
use super::context::VersionLink;
use super::redline::Redlines;
use crate::history::{Change, PolicyHistory};

/// `lineages[]` on the clause-history page.
#[derive(Debug, Clone, Serialize)]
pub struct LineageView {
    pub id: String,
    pub kind: &'static str,
    /// `current` or `removed`.
    pub status: &'static str,
    /// The first words of its latest text.
    pub title: String,
    /// Where it is now: the latest page, or the last version that had it, with `#id`.
    pub url: String,
    pub revisions: usize,
    pub events: Vec<EventView>,
}

/// One event of a lineage.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// added, modified, moved, moved-modified, removed, restored.
    pub change: &'static str,
    /// A sentence for readers: "Added", "Edited", "Moved", …
    pub label: &'static str,
    pub version: VersionLink,
    /// The clause's text at that point (for additions and removals), escaped by the template.
    pub text: Option<String>,
    /// The word-level redline from the previous version (for edits), as HTML.
    pub redline: Option<String>,
}

/// The lineages of a policy, current ones in the latest version's order, then removed ones.
pub fn lineage_views(
    history: &PolicyHistory,
    links: &[VersionLink],
    latest_url: &str,
    redlines: &mut Redlines<'_>,
) -> Vec<LineageView> {
    let Some(latest_version) = history.versions.len().checked_sub(1) else {
        return Vec::new();
    };
    let mut order: Vec<usize> = (0..history.lineages.len()).collect();
    let position = |l: usize| {
        let lineage = &history.lineages[l];
        if lineage.last_version == latest_version {
            (0, lineage.last_block, 0)
        } else {
            (1, lineage.removed_in().unwrap_or(0), l)
        }
    };
    order.sort_by_key(|&l| position(l));
    order
        .into_iter()
        .map(|l| {
            let lineage = &history.lineages[l];
            let current = lineage.last_version == latest_version;
            let last = &history.versions[lineage.last_version];
            let text_at = |v: usize, b: usize| history.versions[v].document.blocks[b].text.clone();
            let events = lineage
                .events
                .iter()
                .map(|e| {
                    let (label, text, redline) = match e.change {
                        Change::Added => ("Added", Some(text_at(e.version, e.block)), None),
                        Change::Restored => ("Restored", Some(text_at(e.version, e.block)), None),
                        Change::Removed => ("Removed", Some(text_at(e.version - 1, e.block)), None),
                        Change::Moved => ("Moved", None, None),
                        Change::Modified | Change::MovedModified => {
                            let label = if e.change == Change::Modified {
                                "Edited"
                            } else {
                                "Moved and edited"
                            };
                            (label, None, Some(redlines.of(e.version, e.block).to_string()))
                        }
                        Change::Unchanged => ("Unchanged", None, None),
                    };
                    EventView {
                        change: e.change.name(),
                        label,
                        version: links[e.version].clone(),
                        text,
                        redline,
                    }
                })
                .collect();
            let url = if current {
                format!("{latest_url}#{}", lineage.id)
            } else {
                format!("{}#{}", links[lineage.last_version].url, lineage.id)
            };
            LineageView {
                id: lineage.id.clone(),
                kind: lineage.kind.name(),
                status: if current { "current" } else { "removed" },
                title: snippet(&last.document.blocks[lineage.last_block].text, 12),
                url,
                revisions: lineage.revisions(),
                events,
            }
        })
        .collect()
}
