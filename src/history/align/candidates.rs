//! Candidates for an edited block: the old blocks that share its rarest content words (an
//! inverted index), never a window around its old place, so a clause that moved far in a
//! document that grew or was reorganised is found as easily as one that stayed.

use foldhash::{HashMap, HashSet, HashSetExt};

use crate::history::words::Profile;

/// At most this many index entries are read for one block: a block made only of words that
/// every block has (a template) is compared with that many blocks, not with all of them.
pub(super) const MAX_POSTINGS: usize = 1024;

/// The free old blocks that share enough of the rarest content words of `profile` to reach
/// the least similarity: any block with a third of its words shares one of the rarest
/// two thirds (prefix filtering), so only those words' blocks are read. In a version of more
/// than [`MAX_POSTINGS`] blocks, at most that many are read once one is found, and of a word
/// in more blocks (a block of common words in a huge document) the ones nearest `near`, the
/// old index at the new block's relative place.
pub(super) fn sharing_rare_words(
    index: &HashMap<u64, Vec<usize>>,
    profile: &Profile,
    free: &[bool],
    near: usize,
) -> Vec<usize> {
    let mut words: Vec<&Vec<usize>> = profile.set.iter().filter_map(|w| index.get(w)).collect();
    words.sort_by_key(|blocks| blocks.len());
    let prefix = profile.size() - profile.size().div_ceil(3) + 1;
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    let mut read = 0;
    for blocks in words.into_iter().take(prefix) {
        read += blocks.len();
        if read > MAX_POSTINGS && !found.is_empty() && free.len() > MAX_POSTINGS {
            break;
        }
        for &o in nearest(blocks, near) {
            if free[o] && seen.insert(o) {
                found.push(o);
            }
        }
    }
    found
}

/// The [`MAX_POSTINGS`] entries of an index list (old indexes, ascending) nearest `near`; the
/// whole list when it is no longer.
pub(super) fn nearest(blocks: &[usize], near: usize) -> &[usize] {
    if blocks.len() <= MAX_POSTINGS {
        return blocks;
    }
    let at = blocks.partition_point(|&o| o < near);
    let start = at.saturating_sub(MAX_POSTINGS / 2).min(blocks.len() - MAX_POSTINGS);
    &blocks[start..start + MAX_POSTINGS]
}
