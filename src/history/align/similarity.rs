//! How alike two blocks' words are, as a reader weighs them: the share of content words they
//! have in common, each word weighted by how rare it is in the two versions (a word of every
//! clause, like a company's name or a template's "posted by", says little), and the least
//! similarity a pair needs given where it sits.

use foldhash::{HashMap, HashMapExt};

use super::Place;
use crate::history::words::Profile;

/// The least similarity (0..1) at which an edited block that moved is the same block.
pub const MIN_SIMILARITY: f32 = 0.5;
/// ... a block at the same rank in a run of edited blocks between two kept neighbours.
const IN_RUN_SIMILARITY: f32 = 0.25;
/// ... a block between the same two kept neighbours, in a gap with more blocks on one side.
const IN_GAP_SIMILARITY: f32 = 0.4;
/// ... a block alone between two neighbours that kept their ids.
const ALONE_SIMILARITY: f32 = 0.25;
/// ... an edited block that also changed between heading and clause, and moved.
const RESTYLED_SIMILARITY: f32 = 0.75;
/// ... a heading whose section's clauses continue those of the old heading's section.
const SAME_SECTION_SIMILARITY: f32 = 0.1;
/// How many words a title that moved must have gained to be the same title with a description.
const DESCRIPTION: u32 = 8;
/// What the same opening words add to a plausible pair's score, to rank it above partners
/// that share as many words further on.
const OPENING_BONUS: f32 = 0.2;
/// A block of this many distinct content words or fewer needs all its words in the other
/// when it moves: two short blocks sharing one word of two are not the same clause.
const SHORT: usize = 3;

/// Word similarity of two texts, 0..1: the weight of the content words they share over the
/// weight of all of theirs, every word weighing the same.
pub fn similarity(old: &str, new: &str) -> f32 {
    let (old, new) = (Profile::of(old, 0), Profile::of(new, 0));
    let shared = shared_words(&old.set, &new.set);
    let total = old.set.len() + new.set.len();
    if total == 0 {
        return f32::from(u8::from(old.key == new.key));
    }
    (2 * shared) as f32 / total as f32
}

/// Scores pairs of blocks of two versions.
pub(super) struct Scorer<'a> {
    old: &'a [Option<Profile>],
    new: &'a [Option<Profile>],
    /// For each content word of the old version, the old blocks that have it.
    index: HashMap<u64, Vec<usize>>,
    /// For each content word, its weight: the rarer in both versions, the heavier.
    weight: HashMap<u64, f32>,
    /// For each block, the weight of its distinct content words.
    old_total: Vec<f32>,
    new_total: Vec<f32>,
}

impl<'a> Scorer<'a> {
    /// Weighs the words of the blocks of two versions still to pair (`free`): a word weighs
    /// `ln(1 + N / f)`, where `f` is how many free blocks have it and `N` how many blocks
    /// both versions have in all (with an id or not), so the words every candidate shares (a
    /// template's, a company's name) decide little. `N` counts all blocks: over the free ones
    /// alone, an edit that left few of them would weigh a word two of them share (as a
    /// rewritten clause's are) well below the words each has alone. `f` counts only the free
    /// ones: over all blocks, the labelled pairs of real edits lose one.
    pub(super) fn new(
        old: &'a [Option<Profile>],
        new: &'a [Option<Profile>],
        free_old: &[usize],
        free_new: &[usize],
    ) -> Self {
        let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
        for &o in free_old {
            for &word in old[o].iter().flat_map(|p| &p.set) {
                index.entry(word).or_default().push(o);
            }
        }
        let mut frequency: HashMap<u64, u32> = HashMap::with_capacity(index.len());
        for (&word, blocks) in &index {
            frequency.insert(word, blocks.len() as u32);
        }
        for &n in free_new {
            for &word in new[n].iter().flat_map(|p| &p.set) {
                *frequency.entry(word).or_default() += 1;
            }
        }
        let blocks = (old.len() + new.len()) as f32;
        let weight: HashMap<u64, f32> = frequency
            .into_iter()
            .map(|(word, f)| (word, weigh(blocks, f as f32)))
            .collect();
        let total = |profile: &Option<Profile>| profile.iter().flat_map(|p| &p.set).map(|w| weight[w]).sum();
        let mut old_total = vec![0.0; old.len()];
        for &o in free_old {
            old_total[o] = total(&old[o]);
        }
        let mut new_total = vec![0.0; new.len()];
        for &n in free_new {
            new_total[n] = total(&new[n]);
        }
        Scorer {
            old_total,
            new_total,
            old,
            new,
            index,
            weight,
        }
    }

    /// The old blocks of each content word.
    pub(super) fn index(&self) -> &HashMap<u64, Vec<usize>> {
        &self.index
    }

    /// The similarity of `old[o]` and `new[n]` (both free) when it is enough for a pair at `place`.
    pub(super) fn plausible(&self, o: usize, n: usize, place: Place) -> Option<f32> {
        let (a, b) = (self.old[o].as_ref()?, self.new[n].as_ref()?);
        if a.set.is_empty() || b.set.is_empty() {
            return None; // Words without content match only as they are.
        }
        let score = self.weighted(a, b, self.old_total[o] + self.new_total[n]);
        // A title that gained a description keeps its id: in place, or wherever it went when
        // the description is a sentence (a few more words on a list item that moved are not).
        let extended = a.is_heading() == b.is_heading()
            && a.words >= 2
            && b.extends(a)
            && (place != Place::Elsewhere || b.words >= a.words + DESCRIPTION);
        let enough = extended
            || match place {
                Place::SameSection => score >= SAME_SECTION_SIMILARITY,
                Place::Alone => score >= ALONE_SIMILARITY,
                Place::InRun => score >= IN_RUN_SIMILARITY,
                Place::InGap | Place::Elsewhere if a.is_heading() != b.is_heading() => {
                    score >= RESTYLED_SIMILARITY && (a.size().min(b.size()) > SHORT || a.set == b.set)
                }
                Place::InGap if a.size().min(b.size()) <= SHORT => short_match(a, b),
                Place::InGap => score >= IN_GAP_SIMILARITY,
                Place::Elsewhere if a.size().min(b.size()) <= SHORT => short_match(a, b),
                Place::Elsewhere => score >= MIN_SIMILARITY,
            };
        // Of the plausible partners, the one that begins with the same words is preferred.
        let opening = if a.same_opening(b) { OPENING_BONUS } else { 0.0 };
        enough.then_some(score + opening)
    }

    fn weighted(&self, a: &Profile, b: &Profile, total: f32) -> f32 {
        let mut shared = 0.0;
        let (mut i, mut j) = (0, 0);
        while i < a.set.len() && j < b.set.len() {
            match a.set[i].cmp(&b.set[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += self.weight[&a.set[i]];
                    i += 1;
                    j += 1;
                }
            }
        }
        if total > 0.0 {
            2.0 * shared / total
        } else {
            0.0
        }
    }
}

/// A word's weight: the rarer in the blocks of the two versions, the heavier (`ln(1 + N/f)`).
fn weigh(blocks: f32, frequency: f32) -> f32 {
    (1.0 + blocks / frequency).ln()
}

/// Two blocks of which one is short match when they have the same words, or all of the
/// short one's words and one more (`Public information` and `Public information on GitHub`).
fn short_match(a: &Profile, b: &Profile) -> bool {
    let (short, long) = if a.size() <= b.size() { (a, b) } else { (b, a) };
    a.set == b.set
        || (short.size() >= 2 && long.size() == short.size() + 1 && shared_words(&a.set, &b.set) == short.size())
}

/// How many words two sorted sets share.
pub(super) fn shared_words(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
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
    shared
}
