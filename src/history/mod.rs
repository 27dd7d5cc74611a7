//! A policy's versions, anchored: alignment between consecutive versions, the permanent id of
//! every section and clause, lineages (each id's life across versions) and redlines. The only
//! user of `similar`; it reads documents and never renders.

mod align;
mod classify;
mod compare;
mod diff;
mod ids;
mod myers;
mod redline;
mod script;
mod tokens;
mod words;

pub use align::{align, in_place, profiles, similarity, Alignment, MIN_SIMILARITY};
pub use classify::{
    classify_change, classify_history, classify_version, ChangeRules, Class, ClassCounts, ClauseVerdict, Verdict,
    VersionClasses,
};
pub use compare::{compare, Comparison};
pub use diff::{version_diff, DiffRow};
pub use ids::{IdMinter, RESERVED_IDS};
pub use redline::{redline, word_changes, word_counts, Segment};

use std::collections::VecDeque;

use foldhash::{HashMap, HashMapExt};

use crate::document::{Block, BlockKind, Document};

/// How a block differs from its counterpart in the previous version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Change {
    /// New in this version (or in the first version).
    Added,
    /// Same text, same place.
    Unchanged,
    /// Edited in place.
    Modified,
    /// Same text, moved.
    Moved,
    /// Edited and moved.
    MovedModified,
    /// Gone from this version.
    Removed,
    /// Back after having been removed, with the text it had.
    Restored,
}

impl Change {
    /// The name used in CSS classes and the JSON API.
    pub fn name(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Unchanged => "unchanged",
            Change::Modified => "modified",
            Change::Moved => "moved",
            Change::MovedModified => "moved-modified",
            Change::Removed => "removed",
            Change::Restored => "restored",
        }
    }

    /// True for the changes that count as the clause changing (edits and moves).
    pub fn is_revision(self) -> bool {
        matches!(self, Change::Modified | Change::Moved | Change::MovedModified)
    }
}

/// One version's blocks, each anchored, with what changed against the previous version.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AnchoredVersion {
    /// The version's blocks in reading order (its parsed [`Document`]'s), each with its id and
    /// history.
    pub blocks: Vec<AnchoredBlock>,
    /// Blocks of the previous version that this version dropped.
    pub removed: Vec<usize>,
    /// Change figures against the previous version.
    pub figures: ChangeFigures,
    /// Words of the whole version.
    pub words: usize,
    /// The words each edited block gained and lost, in block order (counted once, for the
    /// figures, and read again by the changes dataset).
    pub edited_words: Vec<EditedWords>,
    /// The class of each change against the previous version ([`classify_history`] fills it).
    pub classes: VersionClasses,
}

/// A heading or clause of a version with its permanent id and its place in the policy's
/// history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AnchoredBlock {
    /// The parsed block.
    pub block: Block,
    /// Its id (empty for thematic breaks).
    pub id: String,
    /// The index of the heading whose section it is in (a heading is its own section).
    pub section: Option<usize>,
    /// How it changed from the previous version.
    pub change: Change,
    /// Its counterpart in the previous version.
    pub previous: Option<usize>,
    /// How many times its lineage changed up to this version.
    pub revisions: u32,
}

/// Words an edited block inserted and deleted against its previous text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EditedWords {
    pub block: usize,
    pub added: usize,
    pub removed: usize,
}

impl AnchoredVersion {
    /// The words block `n` inserted and deleted, if it was edited.
    pub fn edited_words_of(&self, n: usize) -> Option<(usize, usize)> {
        self.edited_words
            .binary_search_by_key(&n, |e| e.block)
            .ok()
            .map(|k| (self.edited_words[k].added, self.edited_words[k].removed))
    }
}

/// What changed between a version and the one before it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChangeFigures {
    pub added: usize,
    pub removed: usize,
    pub modified: usize,
    pub moved: usize,
    pub unchanged: usize,
    pub words_added: usize,
    pub words_removed: usize,
}

impl ChangeFigures {
    /// A sentence for readers: "2 clauses added, 1 removed, 3 edited; 40 words added, 12 removed."
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        if self.added > 0 {
            parts.push(format!("{} clause{} added", self.added, plural(self.added)));
        }
        if self.removed > 0 {
            parts.push(format!("{} removed", self.removed));
        }
        if self.modified > 0 {
            parts.push(format!("{} edited", self.modified));
        }
        if self.moved > 0 {
            parts.push(format!("{} moved", self.moved));
        }
        if parts.is_empty() {
            return "No change to the text.".to_string();
        }
        format!(
            "{}; {} word{} added, {} removed.",
            parts.join(", "),
            self.words_added,
            plural(self.words_added),
            self.words_removed
        )
    }
}

/// One event in the life of an id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineageEvent {
    /// The version (index) in which it happened.
    pub version: usize,
    /// What happened.
    pub change: Change,
    /// The block in that version (for `Removed`: the block in the version before).
    pub block: usize,
}

/// The life of one id across a policy's versions: every version in which it appeared,
/// changed, or went away.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Lineage {
    /// The permanent id.
    pub id: String,
    /// Heading or clause kind (as of its last appearance).
    pub kind: BlockKind,
    /// Events oldest first; unchanged versions are not listed.
    pub events: Vec<LineageEvent>,
    /// The last version (index) in which the id is present.
    pub last_version: usize,
    /// Its block in that version.
    pub last_block: usize,
    /// When it began as part of another clause's text (a split), that clause's id.
    pub split_from: Option<String>,
    /// Each time its text went into another clause as it was removed (a merge): the version
    /// (index) and that clause's id, oldest first. A clause can be merged, come back and be
    /// merged again.
    pub merges: Vec<(usize, String)>,
}

impl Lineage {
    /// The first version (index) the id appeared in.
    pub fn first_version(&self) -> usize {
        self.events.first().map_or(0, |e| e.version)
    }

    /// How many times it was edited or moved.
    pub fn revisions(&self) -> usize {
        self.events.iter().filter(|e| e.change.is_revision()).count()
    }

    /// The version (index) that removed it, when it is gone.
    pub fn removed_in(&self) -> Option<usize> {
        self.events
            .last()
            .filter(|e| e.change == Change::Removed)
            .map(|e| e.version)
    }

    /// The clause its text went into when version `v` removed it, if it was merged then.
    pub fn merged_into_at(&self, v: usize) -> Option<&str> {
        self.merges
            .iter()
            .find(|(at, _)| *at == v)
            .map(|(_, into)| into.as_str())
    }

    /// The clause its text went into, when it is gone and was merged as it went.
    pub fn merged_into(&self) -> Option<&str> {
        self.merged_into_at(self.removed_in()?)
    }
}

/// A policy's versions, oldest first, with their anchors and the lineage of every id.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PolicyHistory {
    /// The versions, oldest first.
    pub versions: Vec<AnchoredVersion>,
    /// Every id ever minted, in order of first appearance.
    pub lineages: Vec<Lineage>,
    /// The policy's own links that lead nowhere (shown as text), for `policyhub check`.
    pub unresolved_links: Vec<UnresolvedLink>,
}

/// A link of a version's text that could not be made to work on the hub.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnresolvedLink {
    /// The version (index into `versions`).
    pub version: usize,
    /// The 1-based line of the version's body where the link's block starts.
    pub line: usize,
    /// The link as written.
    pub href: String,
}

/// Anchors every version of a policy (documents oldest first): aligns each with the one
/// before, keeps the ids of aligned blocks, restores ids of removed blocks whose words
/// return, and mints new ids for the rest.
pub fn anchor_policy(documents: Vec<Document>) -> PolicyHistory {
    let mut minter = IdMinter::default();
    RESERVED_IDS.iter().for_each(|id| minter.reserve(id));
    let mut history = PolicyHistory::default();
    let mut lineage_of: HashMap<String, usize> = HashMap::new();
    // Removed blocks by their words → their ids in document order, so clauses that come back
    // get their ids back, in the order they had.
    let mut graveyard: HashMap<u64, VecDeque<String>> = HashMap::new();
    let mut previous_profiles = Vec::new();
    // Each block's word count, for the version before: most blocks' texts carry over.
    let mut previous_counts: Vec<usize> = Vec::new();
    for (v, document) in documents.into_iter().enumerate() {
        let sections = sections_of(&document);
        let profiles = profiles(
            &document.blocks,
            history
                .versions
                .last()
                .map(|prev| (prev.blocks.as_slice(), previous_profiles.as_slice())),
        );
        let alignment = match history.versions.last() {
            Some(_) => align(&previous_profiles, &profiles),
            None => Alignment {
                previous: vec![None; document.blocks.len()],
                ..Alignment::default()
            },
        };
        let previous = alignment.previous;
        let counts: Vec<usize> = document
            .blocks
            .iter()
            .zip(&previous)
            .map(|(block, &o)| {
                let old = o
                    .zip(history.versions.last())
                    .map(|(o, prev)| (o, &prev.blocks[o].block));
                match old {
                    Some((o, old)) if old.text == block.text => previous_counts[o],
                    _ => block.word_count(),
                }
            })
            .collect();
        let words = counts.iter().sum();
        let stayed = in_place(&previous);
        let split_from: HashMap<usize, usize> = alignment.splits.iter().copied().collect();
        let merged_into: HashMap<usize, usize> = alignment.merges.iter().copied().collect();
        let mut anchored: Vec<AnchoredBlock> = Vec::with_capacity(document.blocks.len());
        let mut figures = ChangeFigures::default();
        let mut edited_words = Vec::new();
        for (i, block) in document.blocks.into_iter().enumerate() {
            let Some(profile) = &profiles[i] else {
                anchored.push(AnchoredBlock {
                    block,
                    id: String::new(),
                    section: sections[i],
                    change: Change::Unchanged,
                    previous: previous[i],
                    revisions: 0,
                });
                continue;
            };
            let mut origin = None;
            let (id, change, count) = match (previous[i], history.versions.last()) {
                (Some(o), Some(prev)) => {
                    let old = &prev.blocks[o];
                    let same = old.block.text == block.text;
                    let change = match (same, stayed[i]) {
                        (true, true) => Change::Unchanged,
                        (true, false) => Change::Moved,
                        (false, true) => Change::Modified,
                        (false, false) => Change::MovedModified,
                    };
                    if matches!(change, Change::Modified | Change::MovedModified) {
                        let (ins, del) = word_changes(&old.block.text, &block.text);
                        figures.words_added += ins;
                        figures.words_removed += del;
                        edited_words.push(EditedWords {
                            block: i,
                            added: ins,
                            removed: del,
                        });
                    }
                    let count = old.revisions + u32::from(change.is_revision());
                    (old.id.clone(), change, count)
                }
                _ => {
                    figures.words_added += counts[i];
                    match graveyard.get_mut(&profile.key).and_then(VecDeque::pop_front) {
                        Some(id) => {
                            let count = lineage_of
                                .get(&id)
                                .map_or(0, |&l| history.lineages[l].revisions() as u32);
                            (id, Change::Restored, count)
                        }
                        None => {
                            let section = sections[i].filter(|&s| s < i).map(|s| anchored[s].id.as_str());
                            origin = split_from
                                .get(&i)
                                .zip(history.versions.last())
                                .map(|(&o, prev)| prev.blocks[o].id.clone());
                            (minter.block(&block, section), Change::Added, 0)
                        }
                    }
                }
            };
            match change {
                Change::Added | Change::Restored => figures.added += 1,
                Change::Modified => figures.modified += 1,
                Change::Moved => figures.moved += 1,
                Change::MovedModified => {
                    figures.moved += 1;
                    figures.modified += 1;
                }
                _ => figures.unchanged += 1,
            }
            let lineage = match lineage_of.get(&id) {
                Some(&lineage) => lineage,
                None => {
                    history.lineages.push(Lineage {
                        id: id.clone(),
                        kind: block.kind,
                        events: Vec::new(),
                        last_version: v,
                        last_block: i,
                        split_from: origin,
                        merges: Vec::new(),
                    });
                    lineage_of.insert(id.clone(), history.lineages.len() - 1);
                    history.lineages.len() - 1
                }
            };
            let lineage = &mut history.lineages[lineage];
            lineage.kind = block.kind;
            lineage.last_version = v;
            lineage.last_block = i;
            if change != Change::Unchanged {
                lineage.events.push(LineageEvent {
                    version: v,
                    change,
                    block: i,
                });
            }
            anchored.push(AnchoredBlock {
                block,
                id,
                section: sections[i],
                change,
                previous: previous[i],
                revisions: count,
            });
        }
        let mut removed = Vec::new();
        if let Some(prev) = history.versions.last() {
            let mut kept = vec![false; prev.blocks.len()];
            previous.iter().flatten().for_each(|&o| kept[o] = true);
            for (o, old) in prev.blocks.iter().enumerate() {
                let Some(profile) = previous_profiles[o].as_ref().filter(|_| !kept[o]) else {
                    continue;
                };
                removed.push(o);
                figures.removed += 1;
                figures.words_removed += previous_counts[o];
                graveyard.entry(profile.key).or_default().push_back(old.id.clone());
                if let Some(&l) = lineage_of.get(&old.id) {
                    let lineage = &mut history.lineages[l];
                    if let Some(&n) = merged_into.get(&o) {
                        lineage.merges.push((v, anchored[n].id.clone()));
                    }
                    lineage.events.push(LineageEvent {
                        version: v,
                        change: Change::Removed,
                        block: o,
                    });
                }
            }
        }
        previous_profiles = profiles;
        previous_counts = counts;
        history.versions.push(AnchoredVersion {
            words,
            blocks: anchored,
            removed,
            figures,
            edited_words,
            classes: VersionClasses::default(),
        });
    }
    history
}

/// For each block, the index of the nearest heading before it (a heading is its own section).
pub fn sections_of(document: &Document) -> Vec<Option<usize>> {
    let mut current = None;
    document
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if b.kind == BlockKind::Heading {
                current = Some(i);
            }
            current
        })
        .collect()
}

#[cfg(test)]
mod tests;
