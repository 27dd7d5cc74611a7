//! Splits and merges, once every block that continues another is paired: a new block whose
//! words almost all come from one old block is a part of it (a split), an old block whose
//! words almost all went into one new block was merged into it. When the old block of a split
//! (or the new block of a merge) found no partner of its own, the part that carries most of
//! its words continues it and keeps its id; the other parts are recorded as splits or merges.

use foldhash::{HashMap, HashMapExt};

use super::candidates::{nearest, MAX_POSTINGS};
use super::similarity::shared_words;
use crate::history::words::Profile;

/// A part has at least this many distinct content words (fewer say too little to trace).
const MIN_PART: usize = 3;
/// The share of a part's content words that must come from (or go into) the whole.
const CONTAINED: f32 = 0.8;
/// The share of the whole that its parts must cover to continue it.
const COVERED: f32 = 0.5;

/// Pairs of blocks of the two versions: (new, old) for splits, (old, new) for merges.
type Links = Vec<(usize, usize)>;

/// Finds splits (new, old) and merges (old, new) and pairs the whole a main part continues.
pub(super) fn splits_and_merges(
    old: &[Option<Profile>],
    new: &[Option<Profile>],
    matches: &mut [Option<usize>],
    taken: &mut [bool],
) -> (Links, Links) {
    let mut partner_of_old = partner_of(old.len(), matches);
    let changed = |profile: &Option<Profile>, partner: Option<&Option<Profile>>| match (profile, partner) {
        (Some(p), Some(Some(q))) => p.key != q.key && p.size() >= MIN_PART,
        (Some(p), None) => p.size() >= MIN_PART,
        _ => false,
    };
    // Wholes: blocks that are free or were edited; parts: free blocks.
    let old_wholes: Vec<usize> = (0..old.len())
        .filter(|&o| changed(&old[o], partner_of_old[o].map(|n| &new[n])))
        .collect();
    let new_parts: Vec<usize> = (0..new.len())
        .filter(|&n| matches[n].is_none() && changed(&new[n], None))
        .collect();
    let mut splits = Vec::new();
    for (whole, mut parts) in group(old, &old_wholes, new, &new_parts) {
        // The block that continues the whole, when it is one of its parts, is weighed with
        // the others; when it is not, it keeps the id. A lead that opens the whole's words
        // before its parts (an item become a lead and sub-items) continues it.
        let continued = partner_of_old[whole];
        let main = match continued {
            Some(c) if !is_within(&new[c], &old[whole]) => Some(c),
            _ => {
                parts.extend(continued);
                lead(&old[whole], &parts, new, matches)
                    .or_else(|| main_part(&old[whole], &parts, new))
                    .or(continued)
            }
        };
        let Some(main) = main else { continue };
        if let Some(c) = continued.filter(|&c| c != main) {
            matches[c] = None;
        }
        matches[main] = Some(whole);
        taken[whole] = true;
        partner_of_old[whole] = Some(main);
        splits.extend(parts.into_iter().filter(|&n| n != main).map(|n| (n, whole)));
    }
    let new_wholes: Vec<usize> = (0..new.len())
        .filter(|&n| changed(&new[n], matches[n].map(|o| &old[o])))
        .collect();
    let old_parts: Vec<usize> = (0..old.len())
        .filter(|&o| !taken[o] && changed(&old[o], None))
        .collect();
    let mut merges = Vec::new();
    for (whole, mut parts) in group(new, &new_wholes, old, &old_parts) {
        let continued = matches[whole];
        let main = match continued {
            Some(c) if !is_within(&old[c], &new[whole]) => Some(c),
            Some(c) => {
                parts.push(c);
                main_part(&new[whole], &parts, old).or(continued)
            }
            None => main_part(&new[whole], &parts, old),
        };
        let Some(main) = main else { continue };
        if let Some(c) = continued.filter(|&c| c != main) {
            taken[c] = false;
        }
        matches[whole] = Some(main);
        taken[main] = true;
        merges.extend(parts.into_iter().filter(|&o| o != main).map(|o| (o, whole)));
    }
    short_neighbours(new, old, matches, |n| matches[n].is_none(), false, &mut splits);
    let old_of: Vec<Option<usize>> = partner_of(old.len(), matches);
    short_neighbours(old, new, &old_of, |o| !taken[o], true, &mut merges);
    splits.sort_unstable();
    merges.sort_unstable();
    (splits, merges)
}

/// For each block of `side`, the block of the other side paired with it (`matches` read
/// the other way).
fn partner_of(len: usize, matches: &[Option<usize>]) -> Vec<Option<usize>> {
    let mut partner = vec![None; len];
    for (n, o) in matches.iter().enumerate() {
        if let Some(o) = *o {
            partner[o] = Some(n);
        }
    }
    partner
}

/// Parts too short to trace by their words alone ([`MIN_PART`]), traced by their place: a
/// run of free blocks of `part_side` right next to the block that continues an edited whole
/// (or next to its other parts), each with every content word in the whole, is part of it.
/// Items folded into their neighbour (`- Wufoo`, `- Apply` into `Other services: TechValidate
/// Apply Wufoo …`) and a line split off next to its paragraph are traced so, not only long
/// ones. A heading is part of a clause this way only with `titles` (merges: a contact block
/// flattened into one paragraph took its `VAT ID` heading along); a heading that appears
/// beside an edited paragraph is a new title, not a piece of it. `partner[p]` is the block of
/// the whole's side that block `p` continues; `free(p)` says whether block `p` is still free;
/// `links` holds (part, whole) pairs and gains these.
fn short_neighbours(
    part_side: &[Option<Profile>],
    whole_side: &[Option<Profile>],
    partner: &[Option<usize>],
    free: impl Fn(usize) -> bool,
    titles: bool,
    links: &mut Links,
) {
    // The whole each block is already a part of.
    let mut part_of: Vec<Option<usize>> = vec![None; part_side.len()];
    for &(p, w) in links.iter() {
        part_of[p] = Some(w);
    }
    let mut found = Vec::new();
    for (p, w) in partner.iter().enumerate() {
        let (Some(w), Some(continued)) = (*w, &part_side[p]) else {
            continue;
        };
        let Some(whole) = &whole_side[w] else { continue };
        if whole.key == continued.key {
            continue;
        }
        let short_part = |q: usize| {
            free(q)
                && part_of[q].is_none()
                && part_side[q].as_ref().is_some_and(|part| {
                    let title = titles && part.is_heading() && !whole.is_heading();
                    let short = (1..MIN_PART).contains(&part.size()) && part.is_heading() == whole.is_heading();
                    (short || title) && part.size() > 0 && shared_words(&part.set, &whole.set) == part.size()
                })
        };
        for step in [-1isize, 1] {
            let mut q = p;
            while let Some(next) = q.checked_add_signed(step).filter(|&q| q < part_side.len()) {
                q = next;
                if short_part(q) {
                    found.push((q, w));
                } else if part_of[q] != Some(w) {
                    break;
                }
            }
        }
    }
    for (q, w) in found {
        if part_of[q].is_none() {
            part_of[q] = Some(w);
            links.push((q, w));
        }
    }
}

/// The parts of each whole: every part goes to the whole that contains most of its words,
/// when that is at least [`CONTAINED`] of them. As for a block's candidates, when there are
/// more than [`MAX_POSTINGS`] wholes, at most that many are read for a part once one is found,
/// those nearest its place: a version of thousands of clauses in a few common words is not
/// read pair by pair.
fn group(
    whole_side: &[Option<Profile>],
    wholes: &[usize],
    part_side: &[Option<Profile>],
    parts: &[usize],
) -> Vec<(usize, Vec<usize>)> {
    if wholes.is_empty() || parts.is_empty() {
        return Vec::new();
    }
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    for &w in wholes {
        for &word in whole_side[w].iter().flat_map(|p| &p.set) {
            index.entry(word).or_default().push(w);
        }
    }
    let bounded = wholes.len() > MAX_POSTINGS;
    let mut grouped: HashMap<usize, Vec<usize>> = HashMap::new();
    for &p in parts {
        let Some(part) = &part_side[p] else { continue };
        // A whole with CONTAINED of the part's words has one of its rarest words: those
        // words' wholes are read (within the bound).
        let mut words: Vec<&Vec<usize>> = part.set.iter().filter_map(|w| index.get(w)).collect();
        words.sort_by_key(|wholes| wholes.len());
        let prefix = part.size() - (part.size() as f32 * CONTAINED).ceil() as usize + 1;
        let near = p * whole_side.len() / part_side.len().max(1);
        let mut best: Option<(usize, usize)> = None;
        let mut read = 0;
        for list in words.into_iter().take(prefix) {
            read += list.len();
            if read > MAX_POSTINGS && best.is_some() && bounded {
                break;
            }
            for &w in nearest(list, near) {
                let Some(whole) = whole_side[w].as_ref().filter(|whole| fits(part, whole)) else {
                    continue;
                };
                let shared = shared_words(&part.set, &whole.set);
                // Of wholes that hold as many of its words, the one nearest its place (an
                // address repeated in two sections is split from the one where the part is).
                let closer = |b: usize| (w.abs_diff(near), w) < (b.abs_diff(near), b);
                if shared as f32 >= CONTAINED * part.size() as f32
                    && best.is_none_or(|(s, b)| shared > s || (shared == s && closer(b)))
                {
                    best = Some((shared, w));
                }
            }
        }
        if let Some((_, w)) = best {
            grouped.entry(w).or_default().push(p);
        }
    }
    let mut grouped: Vec<(usize, Vec<usize>)> = grouped.into_iter().collect();
    grouped.sort_unstable();
    grouped
}

/// True when a block of this role can be a part of that whole: a heading of a clause only when
/// the clause opened with its words (`**Cookies.** We use…` become a heading and a paragraph),
/// a clause never of a heading. A title whose words a long clause only happens to hold is no
/// part of it.
fn fits(part: &Profile, whole: &Profile) -> bool {
    match (part.is_heading(), whole.is_heading()) {
        (true, false) => whole.extends(part),
        (false, true) => false,
        _ => true,
    }
}

/// Of the parts of a whole that found no partner, the one that carries most of its words,
/// when together they carry [`COVERED`] of them and there are at least two.
fn main_part(whole: &Option<Profile>, parts: &[usize], side: &[Option<Profile>]) -> Option<usize> {
    let whole = whole.as_ref()?;
    if parts.len() < 2 {
        return None;
    }
    let carried = |p: usize| side[p].as_ref().map_or(0, |part| shared_words(&part.set, &whole.set));
    let covered: usize = parts.iter().map(|&p| carried(p)).sum();
    if (covered as f32) < COVERED * whole.size() as f32 {
        return None;
    }
    // Every part is mostly made of the whole's words: the longest carries most of its text.
    let words = |p: usize| side[p].as_ref().map_or(0, |part| part.words);
    parts
        .iter()
        .copied()
        .max_by_key(|&p| (words(p), carried(p), std::cmp::Reverse(p)))
}

/// The free block at most [`LEAD_REACH`] blocks before a split's first part that opens the
/// whole's words and introduces what follows with a colon (`To communicate with you. This includes:` before the items `Sending you
/// messages …`, `Responding to your questions …` of an old item that held them all). An
/// inline heading split off as a heading is no lead: the text after it carries the clause.
fn lead(whole: &Option<Profile>, parts: &[usize], new: &[Option<Profile>], matches: &[Option<usize>]) -> Option<usize> {
    let whole = whole.as_ref()?;
    let first = *parts.iter().min()?;
    (first.saturating_sub(LEAD_REACH)..first).rev().find(|&n| {
        matches[n].is_none()
            && new[n]
                .as_ref()
                .is_some_and(|p| p.introduces && p.is_heading() == whole.is_heading() && whole.extends(p))
    })
}

/// How far before a split's first part its lead may be.
const LEAD_REACH: usize = 2;

/// True when [`CONTAINED`] of a block's content words are in `whole`, however few they are
/// (a title split off a paragraph is within it).
fn is_within(part: &Option<Profile>, whole: &Option<Profile>) -> bool {
    match (part, whole) {
        (Some(part), Some(whole)) => {
            part.size() > 0 && shared_words(&part.set, &whole.set) as f32 >= CONTAINED * part.size() as f32
        }
        _ => false,
    }
}
