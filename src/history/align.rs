//! Aligning a version with the one before it: which block of the new version continues which
//! block of the old. Exact matches first (a diff of the block sequences), then exact moves,
//! then edited blocks by word similarity. Headings align only with headings.

use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::fast::FixedState;
use foldhash::{HashMap, HashMapExt};

use similar::{capture_diff_slices, Algorithm, DiffOp};

use crate::document::{Block, BlockKind};

/// The least word similarity (0..1) at which an edited block still counts as the same block.
pub const MIN_SIMILARITY: f32 = 0.5;

/// Above this many (old, new) pairs of remaining blocks, edits are looked for near their place.
const MAX_PAIRS: usize = 40_000;
/// How many remaining old blocks around its place a new block is compared with, then.
const WINDOW: usize = 64;

/// A block's identity for exact matching: its class (heading or clause) and its text.
pub fn block_key(block: &Block) -> u64 {
    let mut hasher = FixedState::default().build_hasher();
    (block.kind == BlockKind::Heading).hash(&mut hasher);
    block.text.hash(&mut hasher);
    hasher.finish()
}

/// For each block of `new`, the block of `old` it continues, if any.
pub fn align(old: &[Block], new: &[Block]) -> Vec<Option<usize>> {
    let old_keys: Vec<u64> = old.iter().map(block_key).collect();
    let new_keys: Vec<u64> = new.iter().map(block_key).collect();
    let mut matches: Vec<Option<usize>> = vec![None; new.len()];
    let mut taken = vec![false; old.len()];
    let pair = |o: usize, n: usize, matches: &mut Vec<Option<usize>>, taken: &mut Vec<bool>| {
        matches[n] = Some(o);
        taken[o] = true;
    };

    // 1. Unchanged blocks in order: the equal runs of a diff of the two sequences.
    for op in capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                if old[old_index + k].kind.is_anchored() {
                    pair(old_index + k, new_index + k, &mut matches, &mut taken);
                }
            }
        }
    }

    // 2. Unchanged blocks that moved: the same text elsewhere.
    let mut by_key: HashMap<u64, Vec<usize>> = HashMap::new();
    for (o, key) in old_keys.iter().enumerate().rev() {
        if !taken[o] && old[o].kind.is_anchored() {
            by_key.entry(*key).or_default().push(o);
        }
    }
    for n in 0..new.len() {
        if matches[n].is_none() && new[n].kind.is_anchored() {
            if let Some(o) = by_key.get_mut(&new_keys[n]).and_then(Vec::pop) {
                pair(o, n, &mut matches, &mut taken);
            }
        }
    }

    // 3. Edited blocks, in place or moved: the most similar remaining pairs first.
    let free_old: Vec<usize> = (0..old.len())
        .filter(|&o| !taken[o] && old[o].kind.is_anchored())
        .collect();
    let free_new: Vec<usize> = (0..new.len())
        .filter(|&n| matches[n].is_none() && new[n].kind.is_anchored())
        .collect();
    if free_old.is_empty() || free_new.is_empty() {
        return matches;
    }
    let words = |b: &Block| word_set(&b.text);
    let old_words: HashMap<usize, Vec<u64>> = free_old.iter().map(|&o| (o, words(&old[o]))).collect();
    let mut candidates: Vec<(f32, usize, usize, usize)> = Vec::new();
    // Every pair when there are few; when a version rewrites thousands of blocks, only the
    // nearest WINDOW remaining old blocks (by position) for each new one, so time stays linear.
    let window = if free_old.len() * free_new.len() <= MAX_PAIRS {
        free_old.len()
    } else {
        WINDOW
    };
    for &n in &free_new {
        let new_set = words(&new[n]);
        let centre = free_old.partition_point(|&o| relative_position(o, old.len()) < relative_position(n, new.len()));
        let start = centre
            .saturating_sub(window / 2)
            .min(free_old.len().saturating_sub(window));
        for &o in &free_old[start..(start + window).min(free_old.len())] {
            if (old[o].kind == BlockKind::Heading) != (new[n].kind == BlockKind::Heading) {
                continue;
            }
            // A cheap filter on shared words before the word diff (short blocks go straight to it).
            if new_set.len() > 6 && jaccard(&old_words[&o], &new_set) < 0.3 {
                continue;
            }
            let score = similarity(&old[o].text, &new[n].text);
            if score >= MIN_SIMILARITY {
                let distance = relative_position(o, old.len()).abs_diff(relative_position(n, new.len()));
                candidates.push((score, distance, o, n));
            }
        }
    }
    candidates.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    for (_, _, o, n) in candidates {
        if !taken[o] && matches[n].is_none() {
            pair(o, n, &mut matches, &mut taken);
        }
    }
    matches
}

/// Position in thousandths of the document's length, to prefer nearby candidates on ties.
fn relative_position(index: usize, len: usize) -> usize {
    index * 1000 / len.max(1)
}

/// Word similarity of two texts, 0..1 (1 = same words in the same order), on
/// whitespace-separated words (spaces never count as shared).
pub fn similarity(old: &str, new: &str) -> f32 {
    let old: Vec<&str> = old.split_whitespace().collect();
    let new: Vec<&str> = new.split_whitespace().collect();
    let ops = capture_diff_slices(Algorithm::Myers, &old, &new);
    similar::diff_ratio(&ops, old.len(), new.len())
}

/// The distinct words of a text, lowercased, as hashes, sorted.
fn word_set(text: &str) -> Vec<u64> {
    let mut set: Vec<u64> = text.split_whitespace().map(word_hash).collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// The hash of a word's lowercase form (a word already lowercase is not copied).
fn word_hash(word: &str) -> u64 {
    let hasher = FixedState::default();
    if word.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        hasher.hash_one(word)
    } else {
        hasher.hash_one(word.to_lowercase())
    }
}

fn jaccard(a: &[u64], b: &[u64]) -> f32 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    if union == 0 {
        1.0
    } else {
        shared as f32 / union as f32
    }
}

/// Indexes of `matched` (old indexes in new order) that form a longest increasing run: the
/// blocks that stayed in place. The others moved.
pub fn in_place(matched: &[Option<usize>]) -> Vec<bool> {
    // Patience-sorting LIS over the matched entries.
    let entries: Vec<(usize, usize)> = matched
        .iter()
        .enumerate()
        .filter_map(|(n, o)| o.map(|o| (n, o)))
        .collect();
    let mut tails: Vec<usize> = Vec::new(); // index into entries
    let mut parent: Vec<Option<usize>> = vec![None; entries.len()];
    for (e, &(_, o)) in entries.iter().enumerate() {
        let pos = tails.partition_point(|&t| entries[t].1 < o);
        if pos > 0 {
            parent[e] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(e);
        } else {
            tails[pos] = e;
        }
    }
    let mut keep = vec![false; matched.len()];
    let mut cursor = tails.last().copied();
    while let Some(e) = cursor {
        keep[entries[e].0] = true;
        cursor = parent[e];
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;

    fn blocks(md: &str) -> Vec<Block> {
        parse(md).blocks
    }

    #[test]
    fn unchanged_blocks_align_in_order() {
        let old = blocks("# A\n\nOne two three.\n\nFour five six.\n");
        let new = blocks("# A\n\nNew first paragraph here.\n\nOne two three.\n\nFour five six.\n");
        assert_eq!(align(&old, &new), vec![Some(0), None, Some(1), Some(2)]);
    }

    #[test]
    fn edited_blocks_align_by_similarity() {
        let old = blocks("We keep your data for two years after you leave.\n\nUnrelated sentence about cookies.\n");
        let new =
            blocks("We keep your personal data for one year after you leave.\n\nUnrelated sentence about cookies.\n");
        assert_eq!(align(&old, &new), vec![Some(0), Some(1)]);
    }

    #[test]
    fn moved_blocks_align_across_sections() {
        let old = blocks("# A\n\nAlpha clause text here.\n\n# B\n\nBeta clause text here.\n");
        let new = blocks("# A\n\n# B\n\nBeta clause text here.\n\nAlpha clause text here.\n");
        let m = align(&old, &new);
        assert_eq!(m, vec![Some(0), Some(2), Some(3), Some(1)]);
        assert_eq!(in_place(&m), vec![true, true, true, false]);
    }

    #[test]
    fn rewritten_blocks_do_not_align() {
        let old = blocks("We sell nothing to anyone.\n");
        let new = blocks("Completely different words appear in this clause now.\n");
        assert_eq!(align(&old, &new), vec![None]);
    }

    #[test]
    fn a_rewrite_of_thousands_of_blocks_stays_fast_and_still_aligns_edits() {
        let old: String = (0..5000)
            .map(|i| format!("Clause number {i} says alpha beta gamma {i}.\n\n"))
            .collect();
        let new: String = (0..5000)
            .map(|i| format!("Clause number {i} says alpha beta delta {i}.\n\n"))
            .collect();
        let (old, new) = (blocks(&old), blocks(&new));
        let m = align(&old, &new);
        assert!(
            m.iter().enumerate().all(|(n, o)| *o == Some(n)),
            "edits lost their clause"
        );
    }

    #[test]
    fn headings_only_align_with_headings() {
        let old = blocks("# Security\n");
        let new = blocks("Security\n");
        assert_eq!(align(&old, &new), vec![None]);
    }
}
