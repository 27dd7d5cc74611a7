//! A policy's clause-history page (`/<org>/<policy>/clauses/`): for every id the policy ever
//! minted, every version in which it appeared, changed, moved or went away, with redlines.

use serde::Serialize;

use super::body::snippet;
use super::context::VersionLink;
use super::partial::{write_each, LineageEventInput, LineageInput};
use super::redline::Redlines;
use super::Theme;
use crate::error::Diagnostic;
use crate::history::{Change, PolicyHistory};
use crate::permalinks;

/// A clause's lineage on the clause-history page: what `_lineage.html` receives as `lineage`.
#[derive(Debug, Clone, Serialize)]
pub(super) struct LineageView {
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
    /// The `<li>` of every event, as `_lineage_event.html` writes them (see [`lineages_html`]).
    pub events_html: String,
}

/// One event of a lineage.
#[derive(Debug, Clone, Serialize)]
pub(super) struct EventView {
    /// added, modified, moved, moved-modified, removed, restored.
    pub change: &'static str,
    /// A sentence for readers: "Added", "Edited", "Moved", …
    pub label: &'static str,
    pub version: VersionLink,
    /// The clause whose text it split from (added) or merged into (removed).
    pub related: Option<String>,
    /// The clause's text at that point (for additions and removals), escaped by the template.
    pub text: Option<String>,
    /// The word-level redline from the previous version (for edits), as HTML.
    pub redline: Option<String>,
}

/// The lineages of a policy, current ones in the latest version's order, then removed ones.
pub(super) fn lineage_views(
    history: &PolicyHistory,
    links: &[VersionLink],
    latest_url: &str,
    redlines: &Redlines<'_>,
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
            let text_at = |v: usize, b: usize| history.versions[v].blocks[b].block.text.to_string();
            let events: Vec<EventView> = lineage
                .events
                .iter()
                .map(|e| {
                    let related = match e.change {
                        Change::Added => lineage.split_from.clone(),
                        Change::Removed => lineage.merged_into_at(e.version).map(str::to_string),
                        _ => None,
                    };
                    let (label, text, redline) = match e.change {
                        Change::Added if related.is_some() => ("Split from", Some(text_at(e.version, e.block)), None),
                        Change::Removed if related.is_some() => {
                            ("Merged into", Some(text_at(e.version - 1, e.block)), None)
                        }
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
                        related,
                        text,
                        redline,
                    }
                })
                .collect();
            let url = if current {
                permalinks::anchor(latest_url, &lineage.id)
            } else {
                permalinks::anchor(&links[lineage.last_version].url, &lineage.id)
            };
            LineageView {
                events_html: String::new(),
                id: lineage.id.clone(),
                kind: lineage.kind.name(),
                status: if current { "current" } else { "removed" },
                title: snippet(&last.blocks[lineage.last_block].block.text, 12),
                url,
                revisions: lineage.revisions(),
                events,
            }
        })
        .collect()
}

/// Every lineage's `<section>` as `_lineage.html` writes it, with its events as
/// `_lineage_event.html` writes them (each lineage's `events_html`).
pub(super) fn lineages_html(theme: &Theme, lineages: &mut [LineageView]) -> Result<String, Diagnostic> {
    for lineage in lineages.iter_mut() {
        let events = lineage
            .events
            .iter()
            .map(|event| LineageEventInput { id: &lineage.id, event });
        lineage.events_html = write_each(theme, events)?;
    }
    write_each(theme, lineages.iter().map(|lineage| LineageInput { lineage }))
}
