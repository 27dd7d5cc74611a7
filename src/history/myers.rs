//! The word diff under every redline: the longest common subsequence of two token lists by
//! Myers' O(ND) algorithm in linear space (the "middle snake" recursion of Myers 1986, §4b),
//! after the common prefix and suffix are set aside. Small and deterministic on purpose:
//! `static/compare.js` repeats it step for step, so that a redline made in the browser is the
//! one the hub's pages and `policyhub diff` show (`similar`'s Myers adds heuristics that could
//! not be mirrored in a small script).

use std::hash::Hash;

use foldhash::HashMap;

/// The pairs `(i, j)` with `old[i] == new[j]` of a longest common subsequence, in order.
///
/// The shared prefix and suffix are paired as they are; the tokens between them, when there
/// are [`NUMBERED`] or more on each side, are compared as numbers: each distinct token is given
/// one (the same pairs as comparing the tokens themselves, as equal tokens get equal numbers,
/// for a fraction of the time when tokens are words).
pub(super) fn common<T: Eq + Hash>(old: &[T], new: &[T]) -> Vec<(usize, usize)> {
    // The shared prefix and suffix are pairs as they are (the diff below sets them aside
    // first too): only the middle, usually a few words of a long clause, is numbered.
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let (old_rest, new_rest) = (&old[prefix..], &new[prefix..]);
    let suffix = old_rest
        .iter()
        .rev()
        .zip(new_rest.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (middle_old, middle_new) = (
        &old_rest[..old_rest.len() - suffix],
        &new_rest[..new_rest.len() - suffix],
    );
    let mut pairs: Vec<(usize, usize)> = (0..prefix).map(|k| (k, k)).collect();
    let middle = if middle_old.len().min(middle_new.len()) < NUMBERED {
        common_of(middle_old, middle_new)
    } else {
        let mut numbers: HashMap<&T, u32> =
            HashMap::with_capacity_and_hasher(middle_old.len() + middle_new.len(), Default::default());
        let mut number = |token| {
            let next = numbers.len() as u32;
            *numbers.entry(token).or_insert(next)
        };
        let a: Vec<u32> = middle_old.iter().map(&mut number).collect();
        let b: Vec<u32> = middle_new.iter().map(&mut number).collect();
        common_of(&a, &b)
    };
    pairs.extend(middle.into_iter().map(|(i, j)| (i + prefix, j + prefix)));
    let (old_end, new_end) = (prefix + middle_old.len(), prefix + middle_new.len());
    pairs.extend((0..suffix).map(|k| (old_end + k, new_end + k)));
    pairs
}

/// Middles shorter than this are diffed as they are.
const NUMBERED: usize = 8;

fn common_of<T: PartialEq>(old: &[T], new: &[T]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::with_capacity(old.len().min(new.len()));
    // An explicit stack of boxes to diff, the one to do next on top; a `Match` entry emits the
    // pairs of a snake once everything before it is done.
    let mut stack = vec![Task::Box(0, old.len(), 0, new.len())];
    while let Some(task) = stack.pop() {
        match task {
            Task::Match(i, j, len) => pairs.extend((0..len).map(|k| (i + k, j + k))),
            Task::Box(mut a0, mut a1, mut b0, mut b1) => {
                let mut prefix = 0;
                while a0 + prefix < a1 && b0 + prefix < b1 && old[a0 + prefix] == new[b0 + prefix] {
                    prefix += 1;
                }
                pairs.extend((0..prefix).map(|k| (a0 + k, b0 + k)));
                a0 += prefix;
                b0 += prefix;
                let mut suffix = 0;
                while a1 - suffix > a0 && b1 - suffix > b0 && old[a1 - suffix - 1] == new[b1 - suffix - 1] {
                    suffix += 1;
                }
                a1 -= suffix;
                b1 -= suffix;
                stack.push(Task::Match(a1, b1, suffix));
                if a0 < a1 && b0 < b1 {
                    let snake = middle_snake(old, new, a0, a1, b0, b1);
                    stack.push(Task::Box(snake.x1, a1, snake.y1, b1));
                    stack.push(Task::Match(snake.x0, snake.y0, snake.x1 - snake.x0));
                    stack.push(Task::Box(a0, snake.x0, b0, snake.y0));
                }
            }
        }
    }
    pairs
}

/// Work left to do, in [`common`]'s stack.
enum Task {
    /// Diff `old[a0..a1]` against `new[b0..b1]`.
    Box(usize, usize, usize, usize),
    /// Emit `len` pairs from `(i, j)`.
    Match(usize, usize, usize),
}

/// A run of equal tokens from `(x0, y0)` to `(x1, y1)` (absolute indexes, end excluded).
struct Snake {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
}

/// About the most steps the diff of two long, unrelated texts takes. A middle snake is
/// searched for [`cost_limit`] edits at most, past which its box is split where the forward
/// paths got furthest ([`furthest_forward`]): a search of `L` edits costs about `L²` steps and
/// moves at least `L` tokens on, so a box of `len` tokens costs about `L × len` in all, and a
/// limit of `WORK / len` bounds it by about `WORK` (a rewritten 300,000-word clause, a replaced
/// 20,000-row table), not `len²`. Exact for any box whose halves differ by fewer edits than
/// that: every real edit seen so far (a 5,300-word clause rewritten is about 10⁸ steps).
const WORK: isize = 1 << 27;

/// The least edits a middle snake is searched for, however long its box.
const MIN_COST_LIMIT: isize = 64;

/// The edits a middle snake of a box of `len` tokens (both sides) is searched for, at most.
fn cost_limit(len: isize) -> isize {
    (WORK / len.max(1)).max(MIN_COST_LIMIT)
}

/// The middle snake of a shortest edit path through `old[a0..a1]` × `new[b0..b1]`, whose
/// first and last tokens differ (so at least two edits are needed): forward paths from the
/// top-left and reverse paths from the bottom-right grow one edit at a time until they overlap
/// on a diagonal. `forward[k]` is the furthest x reached on diagonal k = x − y; `reverse[k]`
/// the furthest distance from the end reached on reverse diagonal k (in the reversed box).
/// After [`cost_limit`] edits without overlap, an empty snake where the forward paths got
/// furthest.
fn middle_snake<T: PartialEq>(old: &[T], new: &[T], a0: usize, a1: usize, b0: usize, b1: usize) -> Snake {
    let (n, m) = ((a1 - a0) as isize, (b1 - b0) as isize);
    let delta = n - m;
    let odd = delta.rem_euclid(2) == 1;
    let max = ((n + m + 1) / 2).min(cost_limit(n + m));
    let offset = max + 1;
    let size = (2 * max + 3) as usize;
    let (mut forward, mut reverse) = (vec![0isize; size], vec![0isize; size]);
    let at = |k: isize| (k + offset) as usize;
    let same = |x: isize, y: isize| old[a0 + x as usize] == new[b0 + y as usize];
    let same_from_end = |x: isize, y: isize| old[a1 - 1 - x as usize] == new[b1 - 1 - y as usize];
    for d in 0..=max {
        for k in (-d..=d).step_by(2) {
            let mut x = if k == -d || (k != d && forward[at(k - 1)] < forward[at(k + 1)]) {
                forward[at(k + 1)]
            } else {
                forward[at(k - 1)] + 1
            };
            let mut y = x - k;
            let (x0, y0) = (x, y);
            while x < n && y < m && same(x, y) {
                x += 1;
                y += 1;
            }
            forward[at(k)] = x;
            let kr = delta - k;
            if odd && (-(d - 1)..=d - 1).contains(&kr) && x + reverse[at(kr)] >= n {
                return Snake {
                    x0: a0 + x0 as usize,
                    y0: b0 + y0 as usize,
                    x1: a0 + x as usize,
                    y1: b0 + y as usize,
                };
            }
        }
        for k in (-d..=d).step_by(2) {
            let mut x = if k == -d || (k != d && reverse[at(k - 1)] < reverse[at(k + 1)]) {
                reverse[at(k + 1)]
            } else {
                reverse[at(k - 1)] + 1
            };
            let mut y = x - k;
            let (x0, y0) = (x, y);
            while x < n && y < m && same_from_end(x, y) {
                x += 1;
                y += 1;
            }
            reverse[at(k)] = x;
            let kf = delta - k;
            if !odd && (-d..=d).contains(&kf) && x + forward[at(kf)] >= n {
                return Snake {
                    x0: a1 - x as usize,
                    y0: b1 - y as usize,
                    x1: a1 - x0 as usize,
                    y1: b1 - y0 as usize,
                };
            }
        }
    }
    // Reached only past the cost limit (without it the paths meet by d = ⌈(n + m) / 2⌉).
    let (x, y) = furthest_forward(&forward, max, n, m);
    Snake {
        x0: a0 + x,
        y0: b0 + y,
        x1: a0 + x,
        y1: b0 + y,
    }
}

/// The point inside an `n` × `m` box that the forward paths of `max` edits got furthest along
/// (most tokens consumed; of equals, the lowest diagonal), strictly between its corners, so
/// that both halves are smaller; the box's centre if none is (not seen: `max` ≥ 1 edits move
/// every path off the start, and a path that reached the end met the reverse ones).
fn furthest_forward(forward: &[isize], max: isize, n: isize, m: isize) -> (usize, usize) {
    let offset = max + 1;
    let mut best = None;
    for k in (-max..=max).step_by(2) {
        let x = forward[(k + offset) as usize];
        let y = x - k;
        let inside = (0..=n).contains(&x) && (0..=m).contains(&y) && 0 < x + y && x + y < n + m;
        if inside && best.is_none_or(|(bx, by)| x + y > bx + by) {
            best = Some((x, y));
        }
    }
    let (x, y) = best.unwrap_or((n / 2, m / 2));
    (x as usize, y as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The length of a longest common subsequence, by dynamic programming.
    fn lcs_length(a: &[u8], b: &[u8]) -> usize {
        let mut row = vec![0usize; b.len() + 1];
        for x in a {
            let mut diagonal = 0;
            for (j, y) in b.iter().enumerate() {
                let up = row[j + 1];
                row[j + 1] = if x == y { diagonal + 1 } else { up.max(row[j]) };
                diagonal = up;
            }
        }
        row[b.len()]
    }

    fn check(a: &[u8], b: &[u8]) {
        let pairs = common(a, b);
        for (k, &(i, j)) in pairs.iter().enumerate() {
            assert_eq!(a[i], b[j], "{a:?} {b:?}: pair {k} is no match");
            if k > 0 {
                let (pi, pj) = pairs[k - 1];
                assert!(i > pi && j > pj, "{a:?} {b:?}: pairs out of order");
            }
        }
        assert_eq!(
            pairs.len(),
            lcs_length(a, b),
            "{a:?} {b:?}: not a longest common subsequence"
        );
    }

    #[test]
    fn finds_a_longest_common_subsequence() {
        check(b"abcabba", b"cbabac");
        check(b"", b"abc");
        check(b"abc", b"");
        check(b"same", b"same");
        check(b"ab", b"ba");
        assert_eq!(common(b"a b c", b"a x c"), [(0, 0), (1, 1), (3, 3), (4, 4)]);
    }

    /// Tokens of a small vocabulary drawn by a fixed generator (two such lists share many
    /// tokens, in no order: an edit distance far past the cost limit).
    fn drawn(seed: u32, len: usize) -> Vec<u8> {
        let mut state = seed;
        (0..len)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (state >> 16) as u8 % 6
            })
            .collect()
    }

    #[test]
    fn past_the_cost_limit_still_a_common_subsequence_and_nearly_a_longest() {
        let (a, b) = (drawn(1, 20_000), drawn(2, 20_000));
        let pairs = common(&a, &b);
        for (k, &(i, j)) in pairs.iter().enumerate() {
            assert_eq!(a[i], b[j], "pair {k} is no match");
            assert!(
                k == 0 || (i > pairs[k - 1].0 && j > pairs[k - 1].1),
                "pairs out of order"
            );
        }
        let longest = lcs_length(&a, &b);
        assert!(pairs.len() < longest, "the limit was not reached: no test of it");
        assert!(pairs.len() * 100 >= longest * 95, "{} of {longest}", pairs.len());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]
        #[test]
        fn always_a_longest_common_subsequence(
            a in prop::collection::vec(0u8..4, 0..40),
            b in prop::collection::vec(0u8..4, 0..40),
        ) {
            check(&a, &b);
        }

        /// Setting the shared prefix and suffix aside and numbering the tokens changes no pair:
        /// `static/compare.js` diffs the tokens as they are.
        #[test]
        fn the_same_pairs_as_the_plain_diff(
            a in prop::collection::vec(0u8..4, 0..40),
            b in prop::collection::vec(0u8..4, 0..40),
        ) {
            prop_assert_eq!(common(&a, &b), common_of(&a, &b));
        }
    }
}
