//! Aligning a version with the one before it: which block of the new version continues which
//! block of the old, whatever its markup (a heading, a paragraph, a list item or a table cell
//! with the same words is the same clause). By order of evidence:
//! 1. the same words in order (the equal runs of a diff of the two sequences), the same
//!    text first, then the same words;
//! 2. the same text, then the same words, elsewhere (a move); then a block that is one link
//!    and nothing else continues the one that led to the same place ([`same_link`]);
//! 3. edited blocks, the most similar pairs first: a block alone between two neighbours that
//!    kept their ids needs less similarity than one in a run of edited blocks, which needs
//!    less than one that moved; candidates come from the rare words two blocks share
//!    ([`candidates`]), so a document that doubled in length aligns as well as a short one;
//! 4. a heading whose section's clauses continue those of an old heading's section, even
//!    when its words changed a lot (`Privacy Policy Changes` → `Policy changes`; [`sections`]);
//! 5. splits and merges ([`parts`]): a new block made of part of an old block's words, an
//!    old block whose words went into a new one.

mod candidates;
mod parts;
mod sections;
mod similarity;

use std::num::NonZeroU64;

use foldhash::{HashMap, HashMapExt};
use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::words::Profile;
use super::AnchoredBlock;
use crate::document::Block;

pub use similarity::{similarity, MIN_SIMILARITY};

use similarity::Scorer;

/// Which block of the new version continues which block of the old.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alignment {
    /// For each block of the new version, the block of the old one it continues.
    pub previous: Vec<Option<usize>>,
    /// New blocks made of part of an old block's text whose id lives on elsewhere: (new, old).
    pub splits: Vec<(usize, usize)>,
    /// Old blocks whose text went into a new block that continues another: (old, new).
    pub merges: Vec<(usize, usize)>,
}

/// The word profiles of a version's blocks (`None` for blocks without an id). A block whose
/// text the previous version had (most blocks, from one version to the next) takes its
/// profile from there instead of reading its words again: found by the text's copy, which the
/// versions of a policy share ([`crate::document::share_texts`]), else by its hash.
pub fn profiles(blocks: &[Block], previous: Option<(&[AnchoredBlock], &[Option<Profile>])>) -> Vec<Option<Profile>> {
    let (mut by_hash, mut by_copy): (HashMap<u64, usize>, HashMap<*const u8, usize>) = Default::default();
    if let Some((old_blocks, old_profiles)) = previous {
        for (o, profile) in old_profiles.iter().enumerate() {
            if let Some(p) = profile {
                by_hash.entry(p.text).or_insert(o);
                by_copy.entry(old_blocks[o].block.text.as_ptr()).or_insert(o);
            }
        }
    }
    blocks
        .iter()
        .map(|b| {
            b.kind.is_anchored().then(|| {
                let carried = previous.and_then(|(old_blocks, old_profiles)| {
                    let &o = by_copy
                        .get(&b.text.as_ptr())
                        .or_else(|| by_hash.get(&Profile::text_hash(&b.text)))?;
                    let old = &old_blocks[o].block;
                    (old.text == b.text && old.level == b.level).then(|| old_profiles[o].clone())?
                });
                carried
                    .unwrap_or_else(|| Profile::of(&b.text, b.level))
                    .with_link(b.sole_link())
            })
        })
        .collect()
}

/// Aligns `new` with `old`, given the word profiles of both ([`profiles`]).
pub fn align(old: &[Option<Profile>], new: &[Option<Profile>]) -> Alignment {
    let mut pairs = Pairs::new(old.len(), new.len());
    // The same text in the same role (heading or clause) first, then the same words in any
    // markup: a table of contents entry and the heading it names stay apart.
    for key in [|p: &Profile| p.text ^ u64::from(p.is_heading()), |p: &Profile| p.key] {
        same_in_order(old, new, &mut pairs, key);
        same_moved(old, new, &mut pairs, key);
    }
    same_link(old, new, &mut pairs);
    let free_old = pairs.free_old(old);
    let free_new = pairs.free_new(new);
    if free_old.is_empty() && free_new.is_empty() {
        return Alignment {
            previous: pairs.matches,
            ..Alignment::default()
        };
    }
    let scorer = Scorer::new(old, new, &free_old, &free_new);
    edited(old, new, &scorer, &mut pairs);
    sections::renamed(old, new, &scorer, &mut pairs);
    // Pairs found by similarity leave new gaps of one block between kept neighbours.
    edited_in_gaps(old, new, &scorer, &mut pairs);
    let (splits, merges) = parts::splits_and_merges(old, new, &mut pairs.matches, &mut pairs.taken);
    Alignment {
        previous: pairs.matches,
        splits,
        merges,
    }
}

/// The pairs made so far.
struct Pairs {
    matches: Vec<Option<usize>>,
    taken: Vec<bool>,
}

impl Pairs {
    fn new(old: usize, new: usize) -> Self {
        Pairs {
            matches: vec![None; new],
            taken: vec![false; old],
        }
    }

    fn pair(&mut self, o: usize, n: usize) {
        self.matches[n] = Some(o);
        self.taken[o] = true;
    }

    fn is_free(&self, o: usize, n: usize) -> bool {
        !self.taken[o] && self.matches[n].is_none()
    }

    /// The blocks of the old version (those with an id) not yet paired.
    fn free_old(&self, old: &[Option<Profile>]) -> Vec<usize> {
        (0..old.len()).filter(|&o| old[o].is_some() && !self.taken[o]).collect()
    }

    /// The blocks of the new version (those with an id) not yet paired.
    fn free_new(&self, new: &[Option<Profile>]) -> Vec<usize> {
        (0..new.len())
            .filter(|&n| new[n].is_some() && self.matches[n].is_none())
            .collect()
    }
}

/// 1. Unchanged blocks in order: the equal runs of a diff of the free blocks' sequences,
///    compared by `key`.
fn same_in_order(old: &[Option<Profile>], new: &[Option<Profile>], pairs: &mut Pairs, key: fn(&Profile) -> u64) {
    let free_old = pairs.free_old(old);
    let free_new = pairs.free_new(new);
    let keys = |side: &[Option<Profile>], free: &[usize]| -> Vec<u64> {
        free.iter().filter_map(|&i| side[i].as_ref()).map(key).collect()
    };
    let (old_keys, new_keys) = (keys(old, &free_old), keys(new, &free_new));
    for op in capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                pairs.pair(free_old[old_index + k], free_new[new_index + k]);
            }
        }
    }
}

/// 2. Unchanged blocks that moved: the same `key` elsewhere, paired in document order.
fn same_moved(old: &[Option<Profile>], new: &[Option<Profile>], pairs: &mut Pairs, key: fn(&Profile) -> u64) {
    let mut by_key: HashMap<u64, Vec<usize>> = HashMap::new();
    for (o, profile) in old.iter().enumerate().rev() {
        if let Some(p) = profile.as_ref().filter(|_| !pairs.taken[o]) {
            by_key.entry(key(p)).or_default().push(o);
        }
    }
    for (n, profile) in new.iter().enumerate() {
        if let Some(p) = profile.as_ref().filter(|_| pairs.matches[n].is_none()) {
            if let Some(o) = by_key.get_mut(&key(p)).and_then(Vec::pop) {
                pairs.pair(o, n);
            }
        }
    }
}

/// 2b. Links that lead where they led: a block that is one link and nothing else continues
///    the one, in the same role (heading or clause), that led to the same place, whatever its
///    words (`Shop all tax books` → `Shop all`), when no other free block of either version
///    leads there, and neither has another free partner that goes on with all its words
///    (`Shop all tax books` → `Shop all tax books and guides`, now leading elsewhere).
fn same_link(old: &[Option<Profile>], new: &[Option<Profile>], pairs: &mut Pairs) {
    let free_links = |side: &[Option<Profile>], free: &dyn Fn(usize) -> bool| {
        let mut by_link: HashMap<(NonZeroU64, bool), Option<usize>> = HashMap::new();
        for (i, p) in side.iter().enumerate().filter(|&(i, _)| free(i)) {
            if let Some((link, p)) = p.as_ref().and_then(|p| Some((p.link?, p))) {
                // A second block that leads there makes it ambiguous.
                by_link
                    .entry((link, p.is_heading()))
                    .and_modify(|e| *e = None)
                    .or_insert(Some(i));
            }
        }
        by_link
    };
    let old_links = free_links(old, &|o| !pairs.taken[o]);
    if old_links.is_empty() {
        return;
    }
    let new_links = free_links(new, &|n| pairs.matches[n].is_none());
    let mut found: Vec<(usize, usize)> = new_links
        .into_iter()
        .filter_map(|(link, n)| Some((old_links.get(&link).copied()??, n?)))
        .collect();
    found.sort_unstable();
    // Words that go on are stronger evidence than a place: such a pair is left to them.
    let extended = |o: usize, n: usize| {
        let (a, b) = (old[o].as_ref(), new[n].as_ref());
        a.zip(b).is_some_and(|(a, b)| a.words >= 2 && b.extends(a))
    };
    let free_old = pairs.free_old(old);
    let free_new = pairs.free_new(new);
    for (o, n) in found {
        let elsewhere =
            free_new.iter().any(|&m| m != n && extended(o, m)) || free_old.iter().any(|&p| p != o && extended(p, n));
        if !elsewhere {
            pairs.pair(o, n);
        }
    }
}

/// How much a pair's place says it is the same block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Place {
    /// Anywhere else: a move.
    Elsewhere,
    /// Between the same two kept neighbours, in a gap with more blocks on one side.
    InGap,
    /// The same rank in a run of edited blocks between two kept neighbours (k:k).
    InRun,
    /// The only free block on both sides between two kept neighbours (1:1).
    Alone,
    /// Headings whose sections hold the same clauses.
    SameSection,
}

/// 3. Edited blocks: every plausible pair, the most similar first.
fn edited(old: &[Option<Profile>], new: &[Option<Profile>], scorer: &Scorer, pairs: &mut Pairs) {
    let places = gap_places(old, new, pairs);
    let entry = |o: usize, n: usize, place: Place| {
        scorer.plausible(o, n, place).map(|score| {
            let distance = relative_position(o, old.len()).abs_diff(relative_position(n, new.len()));
            (score, place, distance, o, n)
        })
    };
    let mut plausible: Vec<(f32, Place, usize, usize, usize)> = places
        .iter()
        .filter_map(|(&(o, n), &place)| entry(o, n, place))
        .collect();
    let free_old: Vec<bool> = (0..old.len()).map(|o| !pairs.taken[o] && old[o].is_some()).collect();
    for n in (0..new.len()).filter(|&n| pairs.matches[n].is_none()) {
        if let Some(profile) = &new[n] {
            let near = n * old.len() / new.len().max(1);
            let from = plausible.len();
            for o in candidates::sharing_rare_words(scorer.index(), profile, &free_old, near) {
                if !places.contains_key(&(o, n)) {
                    plausible.extend(entry(o, n, Place::Elsewhere));
                }
            }
            // A block of common words may be plausible beside thousands: its best few are
            // enough for the greedy pairing below, and keep memory linear in the blocks.
            let found = &mut plausible[from..];
            if found.len() > BEST_ELSEWHERE {
                found.select_nth_unstable_by(BEST_ELSEWHERE, most_similar_first);
                plausible.truncate(from + BEST_ELSEWHERE);
            }
        }
    }
    plausible.sort_by(most_similar_first);
    for (_, _, _, o, n) in plausible {
        if pairs.is_free(o, n) {
            pairs.pair(o, n);
        }
    }
}

/// Plausible pairs kept for a new block beyond its place: the most similar.
const BEST_ELSEWHERE: usize = 64;

/// The order pairs are taken in: the most similar first; of equals, the one in place, then
/// the nearest, then by old and new index.
fn most_similar_first(
    a: &(f32, Place, usize, usize, usize),
    b: &(f32, Place, usize, usize, usize),
) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0)
        .then(b.1.cmp(&a.1))
        .then(a.2.cmp(&b.2))
        .then(a.3.cmp(&b.3))
        .then(a.4.cmp(&b.4))
}

/// 3b. What is left in gaps of one block on both sides, once more pairs are known.
fn edited_in_gaps(old: &[Option<Profile>], new: &[Option<Profile>], scorer: &Scorer, pairs: &mut Pairs) {
    let places = gap_places(old, new, pairs);
    let mut found: Vec<(usize, usize)> = places
        .into_iter()
        .filter(|&((o, n), place)| scorer.plausible(o, n, place).is_some())
        .map(|(pair, _)| pair)
        .collect();
    found.sort_unstable();
    for (o, n) in found {
        if pairs.is_free(o, n) {
            pairs.pair(o, n);
        }
    }
}

/// The free pairs that positional evidence supports: between two consecutive pairs that
/// stayed in order, the free blocks of both sides paired by rank when both sides have as many.
fn gap_places(old: &[Option<Profile>], new: &[Option<Profile>], pairs: &Pairs) -> HashMap<(usize, usize), Place> {
    let kept = in_place(&pairs.matches);
    // (A version that kept nothing in place is one gap: no evidence of place.)
    let any_kept = kept.contains(&true);
    let fences = pairs
        .matches
        .iter()
        .enumerate()
        .filter_map(|(n, o)| o.filter(|_| kept[n]).map(|o| (o, n)))
        .chain([(old.len(), new.len())]);
    let mut places = HashMap::new();
    let (mut old_start, mut new_start) = (0, 0);
    for (old_end, new_end) in fences {
        let free_old: Vec<usize> = (old_start..old_end)
            .filter(|&o| !pairs.taken[o] && old[o].is_some())
            .collect();
        let free_new: Vec<usize> = (new_start..new_end)
            .filter(|&n| pairs.matches[n].is_none() && new[n].is_some())
            .collect();
        if !free_old.is_empty() && free_old.len() == free_new.len() {
            let place = if free_old.len() == 1 {
                Place::Alone
            } else {
                Place::InRun
            };
            for (&o, &n) in free_old.iter().zip(&free_new) {
                places.insert((o, n), place);
            }
        } else if any_kept && free_old.len() * free_new.len() <= MAX_GAP_PAIRS {
            for &o in &free_old {
                for &n in &free_new {
                    places.insert((o, n), Place::InGap);
                }
            }
        }
        (old_start, new_start) = (old_end + 1, new_end + 1);
    }
    places
}

/// Gaps of unequal sides are searched pair by pair up to this many pairs.
const MAX_GAP_PAIRS: usize = 400;

/// Position in thousandths of the document's length, to prefer nearby candidates on ties.
fn relative_position(index: usize, len: usize) -> usize {
    index * 1000 / len.max(1)
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
mod tests;
