//! Renamed sections: a heading whose section holds clauses that continue the clauses of an
//! old heading's section is that heading renamed, when the two share a word or the section
//! gives two or more witnesses. A reader following a link to the old heading lands where the
//! same clauses are.

use foldhash::{HashMap, HashMapExt};

use super::similarity::Scorer;
use super::{Pairs, Place};
use crate::history::words::Profile;

/// Pairs free new headings with the free old headings their sections continue.
pub(super) fn renamed(old: &[Option<Profile>], new: &[Option<Profile>], scorer: &Scorer, pairs: &mut Pairs) {
    let parent = parents(old);
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
        let shares_a_word = scorer.plausible(h, n, Place::SameSection).is_some();
        if 2 * count > witnesses && (shares_a_word || count >= 2) && continues_most_of(old, h, n, new, pairs) {
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

/// True when most of the old heading's section that lives on is in the new heading's section
/// (a title over the whole policy does not become the heading of one section of it).
fn continues_most_of(old: &[Option<Profile>], h: usize, n: usize, new: &[Option<Profile>], pairs: &Pairs) -> bool {
    let Some(level) = old[h].as_ref().map(|p| p.level) else {
        return false;
    };
    let Some(new_level) = new[n].as_ref().map(|p| p.level) else {
        return false;
    };
    let section = n + 1..n + 1 + members(new, n, new_level).count();
    let partners: Vec<usize> = pairs
        .matches
        .iter()
        .enumerate()
        .filter_map(|(m, o)| o.map(|o| (o, m)))
        .filter(|&(o, _)| o > h && members(old, h, level).last().is_some_and(|last| o <= last))
        .map(|(_, m)| m)
        .collect();
    2 * partners.iter().filter(|m| section.contains(m)).count() > partners.len()
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
