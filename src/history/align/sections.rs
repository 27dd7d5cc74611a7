//! Renamed sections: a heading whose section holds clauses that continue the clauses of an
//! old heading's section is that heading renamed, when the two share a word, or, in the old
//! heading's place, when the section gives two or more witnesses or all that lives on of the
//! old section is under the new heading and makes half or more of the old section and more
//! than half of the new one. A reader following a link to the old heading lands where the
//! same clauses are; a title in other words elsewhere names another section.

use foldhash::{HashMap, HashMapExt};

use super::similarity::Scorer;
use super::{Pairs, Place};
use crate::history::words::Profile;

/// Pairs free new headings with the free old headings their sections continue.
pub(super) fn renamed(old: &[Option<Profile>], new: &[Option<Profile>], scorer: &Scorer, pairs: &mut Pairs) {
    let parent = parents(old);
    // Where free blocks sit between kept neighbours: found only when a rename rests on one
    // witness.
    let places = std::cell::OnceCell::new();
    let mut found: Vec<Renamed> = Vec::new();
    for n in 0..new.len() {
        let Some(heading) = new[n].as_ref().filter(|p| p.is_heading() && pairs.matches[n].is_none()) else {
            continue;
        };
        let mut votes: HashMap<usize, usize> = HashMap::new();
        let (mut witnesses, mut size) = (0, 0);
        for member in members(new, n, heading.level) {
            size += 1;
            if let Some(o) = pairs.matches[member] {
                witnesses += 1;
                if let Some(h) = parent[o].filter(|&h| !pairs.taken[h]) {
                    *votes.entry(h).or_default() += 1;
                }
            }
        }
        let Some((&h, &count)) = votes.iter().max_by_key(|&(&h, &count)| (count, std::cmp::Reverse(h))) else {
            continue;
        };
        if 2 * count <= witnesses {
            continue;
        }
        let Some(survivors) = Survivors::of(old, h, n, new, pairs) else {
            continue;
        };
        let shares_a_word = scorer.plausible(h, n, Place::SameSection).is_some();
        // One witness is enough for a heading in the old one's place (between the same kept
        // neighbours), not for one that went far with it.
        let in_place = || {
            places
                .get_or_init(|| super::gap_places(old, new, pairs))
                .contains_key(&(h, n))
        };
        // A title in other words is a rename only in the old one's place: one that went
        // elsewhere over the same clauses is more often a new section that took them in.
        let witnessed = shares_a_word || (in_place() && (count >= 2 || survivors.same_section(size)));
        if witnessed && survivors.mostly_inside() {
            found.push(Renamed {
                votes: count,
                shares_a_word,
                size,
                old: h,
                new: n,
            });
        }
    }
    found.sort_unstable_by_key(|r| (std::cmp::Reverse((r.votes, r.shares_a_word)), r.size, r.old, r.new));
    for Renamed { old: o, new: n, .. } in found {
        if pairs.is_free(o, n) && old[o].as_ref().is_some_and(Profile::is_heading) {
            pairs.pair(o, n);
        }
    }
}

/// A new heading whose section continues an old heading's. Of two new headings that continue
/// the same old one as much, the one that shares a word with it takes it, else the nearer one
/// (the smaller section: a title or a part over the whole section and its neighbours is not
/// taken for it).
struct Renamed {
    /// The clauses of the new section that continue the old section's.
    votes: usize,
    shares_a_word: bool,
    /// The new section's blocks.
    size: usize,
    old: usize,
    new: usize,
}

/// Where the clauses of an old heading's section that live on went, seen from a new heading.
struct Survivors {
    /// Those in the new heading's section.
    inside: usize,
    /// Those elsewhere.
    outside: usize,
    /// The old section's blocks.
    old_size: usize,
}

impl Survivors {
    /// Counts where the clauses of old heading `h`'s section went, against new heading `n`'s
    /// section.
    fn of(old: &[Option<Profile>], h: usize, n: usize, new: &[Option<Profile>], pairs: &Pairs) -> Option<Survivors> {
        let level = old[h].as_ref()?.level;
        let new_level = new[n].as_ref()?.level;
        let section = n + 1..n + 1 + members(new, n, new_level).count();
        let old_section = h + 1..h + 1 + members(old, h, level).count();
        let (mut inside, mut outside) = (0, 0);
        for m in pairs
            .matches
            .iter()
            .enumerate()
            .filter_map(|(m, o)| o.filter(|o| old_section.contains(o)).map(|_| m))
        {
            if section.contains(&m) {
                inside += 1;
            } else {
                outside += 1;
            }
        }
        Some(Survivors {
            inside,
            outside,
            old_size: old_section.len(),
        })
    }

    /// Most of the old section that lives on is in the new one (a title over the whole policy
    /// does not become the heading of one section of it).
    fn mostly_inside(&self) -> bool {
        self.inside > self.outside
    }

    /// All of it is, and it is at least half of the old section and more than half of the new
    /// one (of `new_size` blocks): the same section under a renamed heading, even with one
    /// clause to witness it (`Tracking and analytics` → `DNT` over the Do Not Track
    /// paragraph, once the analytics one was dropped), but not a clause that moved into a
    /// larger section.
    fn same_section(&self, new_size: usize) -> bool {
        self.outside == 0 && 2 * self.inside >= self.old_size && 2 * self.inside > new_size
    }
}

/// For each block, the nearest heading before it.
fn parents(blocks: &[Option<Profile>]) -> Vec<Option<usize>> {
    let mut current = None;
    blocks
        .iter()
        .enumerate()
        .map(|(i, profile)| {
            let parent = current;
            if profile.as_ref().is_some_and(Profile::is_heading) {
                current = Some(i);
            }
            parent
        })
        .collect()
}

/// The blocks of the section a heading of `level` at `at` opens, up to the next heading of
/// that level or a higher one.
fn members(blocks: &[Option<Profile>], at: usize, level: u8) -> impl Iterator<Item = usize> + '_ {
    (at + 1..blocks.len()).take_while(move |&i| blocks[i].as_ref().is_none_or(|p| !p.is_heading() || p.level > level))
}
