//! Word-level redlines: what words a change removed and inserted. The edits are
//! [`edit_script`]'s, merged by this module's rules, all of which `static/compare.js` repeats.

use super::myers::common;
use super::script::{edit_script, Edit};
use super::tokens::word_tokens;
use super::words::whitespace_tokens;
use crate::document::count_words;

/// A run of words in a redline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Words in both texts.
    Same(String),
    /// Words only in the new text.
    Inserted(String),
    /// Words only in the old text.
    Deleted(String),
}

/// The word-level redline from `old` to `new` (cut at Unicode's word boundaries): the edit
/// script's tokens, consecutive ones of one kind merged into a segment.
pub fn redline(old: &str, new: &str) -> Vec<Segment> {
    let (old, new) = (word_tokens(old), word_tokens(new));
    let mut segments: Vec<Segment> = Vec::new();
    for (edit, token) in edit_script(&old, &new) {
        match (segments.last_mut(), edit) {
            (Some(Segment::Same(s)), Edit::Same)
            | (Some(Segment::Inserted(s)), Edit::Inserted)
            | (Some(Segment::Deleted(s)), Edit::Deleted) => s.push_str(token),
            (_, Edit::Same) => segments.push(Segment::Same(token.to_string())),
            (_, Edit::Inserted) => segments.push(Segment::Inserted(token.to_string())),
            (_, Edit::Deleted) => segments.push(Segment::Deleted(token.to_string())),
        }
    }
    merge_replacements(segments)
}

/// Joins replacement runs split only by spaces ("-two +one  -years +year" becomes
/// "-two years +one year"), which reads as one change.
fn merge_replacements(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    let (mut deleted, mut inserted) = (String::new(), String::new());
    let flush = |out: &mut Vec<Segment>, deleted: &mut String, inserted: &mut String| {
        if !deleted.is_empty() {
            out.push(Segment::Deleted(std::mem::take(deleted)));
        }
        if !inserted.is_empty() {
            out.push(Segment::Inserted(std::mem::take(inserted)));
        }
    };
    for (i, segment) in segments.iter().enumerate() {
        match segment {
            Segment::Deleted(t) => deleted.push_str(t),
            Segment::Inserted(t) => inserted.push_str(t),
            Segment::Same(t) => {
                let replacing = !deleted.is_empty() && !inserted.is_empty();
                let change_follows = matches!(segments.get(i + 1), Some(Segment::Deleted(_) | Segment::Inserted(_)));
                if replacing && change_follows && t.trim().is_empty() {
                    deleted.push_str(t);
                    inserted.push_str(t);
                } else {
                    flush(&mut out, &mut deleted, &mut inserted);
                    out.push(Segment::Same(t.clone()));
                }
            }
        }
    }
    flush(&mut out, &mut deleted, &mut inserted);
    out
}

/// Words inserted and deleted from `old` to `new`, diffed and counted on whitespace-separated
/// words (cheaper than the display redline's Unicode segmentation, and what "words" means to
/// readers): the words of each text outside a longest common subsequence.
pub fn word_changes(old: &str, new: &str) -> (usize, usize) {
    // Most edits change a few words of a long clause: the words before and after them, the
    // same bytes in both texts, are set aside before the texts are cut into words.
    let (old, new) = changed_middle(old, new);
    unpaired_words(old, new)
}

/// Words of `new` and of `old` outside a longest common subsequence of their
/// whitespace-separated tokens.
fn unpaired_words(old: &str, new: &str) -> (usize, usize) {
    let (old, new): (Vec<&str>, Vec<&str>) = (whitespace_tokens(old).collect(), whitespace_tokens(new).collect());
    let (mut paired_old, mut paired_new) = (vec![false; old.len()], vec![false; new.len()]);
    for (i, j) in common(&old, &new) {
        (paired_old[i], paired_new[j]) = (true, true);
    }
    // The words of the tokens outside the common subsequence (most tokens are in it).
    let outside = |tokens: &[&str], paired: &[bool]| {
        tokens
            .iter()
            .zip(paired)
            .filter(|(_, &p)| !p)
            .map(|(t, _)| count_words(t))
            .sum::<usize>()
    };
    (outside(&new, &paired_new), outside(&old, &paired_old))
}

/// The parts of `old` and `new` that hold their differences: the whole words both texts begin
/// with (up to their first differing byte) and end with (not reaching back into those) set
/// aside, cut where whitespace separates them from the rest. The word diff pairs those words
/// too (its own prefix may run a word or two further, pairing other copies of the same words:
/// the counts of what is left unpaired are the same).
fn changed_middle<'a>(old: &'a str, new: &'a str) -> (&'a str, &'a str) {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let prefix_len = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    // Back to just after a whitespace character (the same in both texts), or to the start.
    let start = old[..char_boundary_at_or_before(old, prefix_len)]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(at, c)| at + c.len_utf8());
    let room = (a.len() - prefix_len).min(b.len() - prefix_len);
    let suffix_len = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    // Forward to a whitespace character (the same in both texts), or to the end.
    let tail = &old[char_boundary_at_or_after(old, a.len() - suffix_len)..];
    let cut_from_end = tail
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(at, _)| tail.len() - at);
    (
        &old[start..old.len() - cut_from_end],
        &new[start..new.len() - cut_from_end],
    )
}

/// The nearest char boundary of `text` at or before byte `i`.
fn char_boundary_at_or_before(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The nearest char boundary of `text` at or after byte `i`.
fn char_boundary_at_or_after(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Words inserted and deleted by a redline.
pub fn word_counts(segments: &[Segment]) -> (usize, usize) {
    segments.iter().fold((0, 0), |(ins, del), s| match s {
        Segment::Inserted(t) => (ins + count_words(t), del),
        Segment::Deleted(t) => (ins, del + count_words(t)),
        Segment::Same(_) => (ins, del),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_changed_words() {
        let r = redline("We keep data for two years.", "We keep data for one year.");
        assert!(r.contains(&Segment::Deleted("two years".into())), "{r:?}");
        assert!(r.contains(&Segment::Inserted("one year".into())), "{r:?}");
        assert_eq!(word_counts(&r), (2, 2));
        assert_eq!(
            word_changes("We keep data for two years.", "We keep data for one year."),
            (2, 2)
        );
    }

    #[test]
    fn reconstructs_both_texts() {
        let (old, new) = ("a b c d e", "a x c d y e z");
        let r = redline(old, new);
        let rebuilt_old: String = r
            .iter()
            .filter_map(|s| match s {
                Segment::Same(t) | Segment::Deleted(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        let rebuilt_new: String = r
            .iter()
            .filter_map(|s| match s {
                Segment::Same(t) | Segment::Inserted(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!((rebuilt_old.as_str(), rebuilt_new.as_str()), (old, new));
    }

    #[test]
    fn counts_set_the_shared_words_aside() {
        assert_eq!(changed_middle("We keep data.", "We keep logs."), ("data.", "logs."));
        assert_eq!(changed_middle("a b c d", "a b x c d"), ("c", "x c"));
        assert_eq!(changed_middle("data base", "database"), ("data base", "database"));
        assert_eq!(changed_middle("x\u{a0}é y", "x\u{a0}è y"), ("é", "è"));
        assert_eq!(word_changes("x x", "x x x"), (1, 0));
    }

    proptest::proptest! {
        /// Setting the shared words aside first changes no count ([`unpaired_words`] is the
        /// count on the whole texts).
        #[test]
        fn the_same_counts_as_on_the_whole_texts(
            old in proptest::collection::vec(proptest::sample::select(vec!["a", "b", "ab", " ", " ", "\u{a0}", "é", "—", ".", "\n"]), 0..24),
            new in proptest::collection::vec(proptest::sample::select(vec!["a", "b", "ab", " ", " ", "\u{a0}", "é", "—", ".", "\n"]), 0..24),
        ) {
            let (old, new) = (old.concat(), new.concat());
            proptest::prop_assert_eq!(word_changes(&old, &new), unpaired_words(&old, &new));
        }

        /// Texts that share a long beginning or end, as an edited clause does.
        #[test]
        fn the_same_counts_on_edited_clauses(
            shared in proptest::collection::vec(proptest::sample::select(vec!["a", "b", " ", "é", "—", "\u{3000}"]), 0..16),
            old in proptest::collection::vec(proptest::sample::select(vec!["a", "b", " ", "é", "—"]), 0..8),
            new in proptest::collection::vec(proptest::sample::select(vec!["a", "b", " ", "é", "—"]), 0..8),
        ) {
            let shared = shared.concat();
            let (old, new) = (format!("{shared}{}{shared}", old.concat()), format!("{shared}{}{shared}", new.concat()));
            proptest::prop_assert_eq!(word_changes(&old, &new), unpaired_words(&old, &new));
        }
    }
}
