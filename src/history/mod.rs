//! Versions of one policy, anchored: every block of every version gets its id here.
//! This is where alignment between versions, lineages and redlines live (the only user of
//! `similar`); it reads documents and never renders.

mod ids;

pub use ids::IdMinter;

use crate::document::Document;

/// One version's document with the id of each block.
#[derive(Debug, Clone)]
pub struct AnchoredVersion {
    /// The parsed version.
    pub document: Document,
    /// The id of each block, parallel to `document.blocks` (empty for thematic breaks).
    pub ids: Vec<String>,
    /// For each block, the index of the heading whose section it is in.
    pub sections: Vec<Option<usize>>,
}

/// A policy's versions, oldest first, with their anchors.
#[derive(Debug, Clone)]
pub struct PolicyHistory {
    /// The versions, oldest first.
    pub versions: Vec<AnchoredVersion>,
}

/// Anchors every version of a policy (documents oldest first).
pub fn anchor_policy(documents: Vec<Document>) -> PolicyHistory {
    let versions = documents
        .into_iter()
        .map(|document| {
            let mut minter = IdMinter::default();
            let sections = sections_of(&document);
            let mut ids: Vec<String> = Vec::with_capacity(document.blocks.len());
            for (i, block) in document.blocks.iter().enumerate() {
                if !block.kind.is_anchored() {
                    ids.push(String::new());
                    continue;
                }
                let section = sections[i].filter(|&s| s < i).map(|s| ids[s].clone());
                ids.push(minter.block(block, section.as_deref()));
            }
            AnchoredVersion {
                document,
                ids,
                sections,
            }
        })
        .collect();
    PolicyHistory { versions }
}

/// For each block, the index of the nearest heading before it (a heading is its own section).
pub fn sections_of(document: &Document) -> Vec<Option<usize>> {
    let mut current = None;
    document
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if b.kind == crate::document::BlockKind::Heading {
                current = Some(i);
            }
            current
        })
        .collect()
}
