//! The token edits under a redline: a longest common subsequence ([`common`]) written out as
//! an edit script, then each pure insertion or deletion slid to where it reads best, as diff
//! tools compact their hunks: joined with the neighbours of its kind it can reach, then as low
//! as it goes ("we <ins>also </ins>keep", not "we<ins> also</ins> keep"; "see it<ins> and
//! use it</ins>.", not "see <ins>it and use </ins>it."). `static/compare.js` repeats it step
//! for step.

use super::myers::common;

/// What happened to a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Edit {
    /// In both texts.
    Same,
    /// Only in the old text.
    Deleted,
    /// Only in the new text.
    Inserted,
}

/// The edit script from `old` to `new`: every token of both with what happened to it, in
/// reading order (between two common tokens, the deleted ones, then the inserted ones), slid.
pub(super) fn edit_script<'t>(old: &[&'t str], new: &[&'t str]) -> Vec<(Edit, &'t str)> {
    let mut script = Vec::with_capacity(old.len().max(new.len()));
    let (mut i, mut j) = (0, 0);
    let ends = [(old.len(), new.len())];
    for &(a, b) in common(old, new).iter().chain(&ends) {
        script.extend(old[i..a].iter().map(|t| (Edit::Deleted, *t)));
        script.extend(new[j..b].iter().map(|t| (Edit::Inserted, *t)));
        if a < old.len() {
            script.push((Edit::Same, old[a]));
        }
        (i, j) = (a + 1, b + 1);
    }
    slide(&mut script);
    script
}

/// Slides each run of insertions or of deletions that is not part of a replacement (no edit of
/// the other kind beside it): up while the common token before it equals its last token, then
/// down while the common token after it equals its first, joining any run of its kind it meets
/// on the way. Both texts stay as they were: a slide only swaps which of two equal tokens is the
/// common one.
fn slide(script: &mut [(Edit, &str)]) {
    let len = script.len();
    let mut s = 0;
    while s < len {
        let edit = script[s].0;
        if edit == Edit::Same {
            s += 1;
            continue;
        }
        let mut e = s;
        while e < len && script[e].0 == edit {
            e += 1;
        }
        let other = if edit == Edit::Inserted {
            Edit::Deleted
        } else {
            Edit::Inserted
        };
        let pure = (s == 0 || script[s - 1].0 != other) && (e == len || script[e].0 != other);
        if pure {
            let can_go_up = |script: &[(Edit, &str)], s: usize, e: usize| {
                s > 0 && script[s - 1].0 == Edit::Same && script[s - 1].1 == script[e - 1].1
            };
            while can_go_up(script, s, e) {
                (s, e) = up(script, s, e);
            }
            while e < len
                && script[e].0 == Edit::Same
                && script[e].1 == script[s].1
                && (s == 0 || script[s - 1].0 != other)
            {
                script[s].0 = Edit::Same;
                script[e].0 = edit;
                s += 1;
                e += 1;
                while e < len && script[e].0 == edit {
                    e += 1;
                }
            }
        }
        s = e;
    }
}

/// Moves the run `script[s..e]` up one token (the common token before it takes the place of
/// its last), joining a run of its kind it then touches; returns its new bounds.
fn up(script: &mut [(Edit, &str)], mut s: usize, mut e: usize) -> (usize, usize) {
    let edit = script[s].0;
    script[s - 1].0 = edit;
    script[e - 1].0 = Edit::Same;
    s -= 1;
    e -= 1;
    while s > 0 && script[s - 1].0 == edit {
        s -= 1;
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::tokens::word_tokens;

    /// The script as text: `[-deleted-]` and `{+inserted+}`.
    fn marked(old: &str, new: &str) -> String {
        let (old, new) = (word_tokens(old), word_tokens(new));
        let mut out = String::new();
        let mut open = Edit::Same;
        for (edit, token) in edit_script(&old, &new) {
            if edit != open {
                out.push_str(match open {
                    Edit::Deleted => "-]",
                    Edit::Inserted => "+}",
                    Edit::Same => "",
                });
                out.push_str(match edit {
                    Edit::Deleted => "[-",
                    Edit::Inserted => "{+",
                    Edit::Same => "",
                });
                open = edit;
            }
            out.push_str(token);
        }
        out.push_str(match open {
            Edit::Deleted => "-]",
            Edit::Inserted => "+}",
            Edit::Same => "",
        });
        out
    }

    #[test]
    fn insertions_start_on_a_word_and_join_their_neighbours() {
        assert_eq!(
            marked("a very good day", "a very very good day"),
            "a very {+very +}good day"
        );
        assert_eq!(marked("keep it", "keep it safe"), "keep it{+ safe+}");
        assert_eq!(marked("we keep it", "we also keep it"), "we {+also +}keep it");
        assert_eq!(
            marked("we see it.", "we see it and use it."),
            "we see it{+ and use it+}."
        );
        assert_eq!(
            marked(
                "We collect, improve and optimize.",
                "We collect, analyze, improve and optimize."
            ),
            "We collect, {+analyze, +}improve and optimize."
        );
        assert_eq!(
            marked(
                "See the Privacy Statement.",
                "See the Privacy Statement. We translated the Privacy Statement."
            ),
            "See the Privacy Statement.{+ We translated the Privacy Statement.+}"
        );
        assert_eq!(
            marked(
                "If you visit from the EU, please see.",
                "If you visit from the European Union (EU), the EEA, Switzerland, or the UK, please see."
            ),
            "If you visit from the {+European Union (+}EU{+), the EEA, Switzerland, or the UK+}, please see."
        );
        assert_eq!(marked("keep it safe", "keep it"), "keep it[- safe-]");
        assert_eq!(marked("two years", "one year"), "[-two-]{+one+} [-years-]{+year+}");
    }

    fn text_of(script: &[(Edit, &str)], skip: Edit) -> String {
        script.iter().filter(|(e, _)| *e != skip).map(|(_, t)| *t).collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 1000, .. Default::default() })]
        /// Sliding never changes either text, and every common token is the same in both.
        #[test]
        fn slid_scripts_keep_both_texts(
            old in proptest::collection::vec(proptest::sample::select(vec!["we", "keep", "it", " ", ",", ".", "data"]), 0..30),
            new in proptest::collection::vec(proptest::sample::select(vec!["we", "keep", "it", " ", ",", ".", "data"]), 0..30),
        ) {
            let script = edit_script(&old, &new);
            proptest::prop_assert_eq!(text_of(&script, Edit::Inserted), old.concat());
            proptest::prop_assert_eq!(text_of(&script, Edit::Deleted), new.concat());
            let common = script.iter().filter(|(e, _)| *e == Edit::Same).count();
            proptest::prop_assert_eq!(common, super::common(&old, &new).len());
        }
    }

    #[test]
    fn both_texts_are_kept() {
        let (old, new) = (
            "the cat and the dog and the bird",
            "the dog and the cat and the the bird",
        );
        let script = edit_script(&word_tokens(old), &word_tokens(new));
        let text = |skip: Edit| -> String { script.iter().filter(|(e, _)| *e != skip).map(|(_, t)| *t).collect() };
        assert_eq!(
            (text(Edit::Inserted), text(Edit::Deleted)),
            (old.to_string(), new.to_string())
        );
    }
}
