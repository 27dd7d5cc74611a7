//! Word-level redlines: what words a change removed and inserted. The edits are
//! [`edit_script`]'s, merged by this module's rules, all of which `static/compare.js` repeats.

use super::myers::common;
use super::script::{edit_script, Edit};
use super::tokens::word_tokens;
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
    let (old, new): (Vec<&str>, Vec<&str>) = (old.split_whitespace().collect(), new.split_whitespace().collect());
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
}
