//! Any two versions of a policy compared by clause id: the alignment the hub made between
//! consecutive versions, carried through every version in between by the permanent ids. The
//! same id in both is the same clause (unchanged, edited, moved), an id in one only was added
//! or removed. `policyhub diff` prints it; `static/compare.js` repeats it from the version JSON
//! for the compare page. For consecutive versions it is the version's own redline.

use std::collections::HashMap;

use super::align::in_place;
use super::diff::reading_order;
use super::{word_changes, AnchoredBlock, Change, ChangeFigures, DiffRow, PolicyHistory};

/// Version `to` against version `from`: rows in reading order (`old` indexes blocks of
/// `from`, `new` blocks of `to`) and their figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub rows: Vec<DiffRow>,
    pub figures: ChangeFigures,
}

/// Compares version `to` of a policy with version `from` (either may be the earlier).
pub fn compare(history: &PolicyHistory, from: usize, to: usize) -> Comparison {
    let (old, new) = (&history.versions[from], &history.versions[to]);
    let (old_blocks, new_blocks) = (&old.blocks, &new.blocks);
    let anchored = |blocks: &[AnchoredBlock], i: usize| blocks[i].block.kind.is_anchored();
    let old_of_id: HashMap<&str, usize> = (0..old_blocks.len())
        .filter(|&o| anchored(old_blocks, o))
        .map(|o| (old_blocks[o].id.as_str(), o))
        .collect();
    let previous: Vec<Option<usize>> = (0..new_blocks.len())
        .map(|n| {
            anchored(new_blocks, n)
                .then(|| old_of_id.get(new_blocks[n].id.as_str()).copied())
                .flatten()
        })
        .collect();
    let stayed = in_place(&previous);
    let mut figures = ChangeFigures::default();
    let changes: Vec<Change> = previous
        .iter()
        .enumerate()
        .map(|(n, &o)| {
            if !anchored(new_blocks, n) {
                return Change::Unchanged;
            }
            let block = &new_blocks[n].block;
            let Some(o) = o else {
                figures.added += 1;
                figures.words_added += block.word_count();
                return Change::Added;
            };
            let old_text = &old_blocks[o].block.text;
            let same_text = *old_text == block.text;
            if !same_text {
                figures.modified += 1;
                let (inserted, deleted) = word_changes(old_text, &block.text);
                figures.words_added += inserted;
                figures.words_removed += deleted;
            }
            if !stayed[n] {
                figures.moved += 1;
            }
            match (same_text, stayed[n]) {
                (true, true) => {
                    figures.unchanged += 1;
                    Change::Unchanged
                }
                (true, false) => Change::Moved,
                (false, true) => Change::Modified,
                (false, false) => Change::MovedModified,
            }
        })
        .collect();
    let mut kept = vec![false; old_blocks.len()];
    previous.iter().flatten().for_each(|&o| kept[o] = true);
    let removed: Vec<usize> = (0..old_blocks.len())
        .filter(|&o| anchored(old_blocks, o) && !kept[o])
        .collect();
    for &o in &removed {
        figures.removed += 1;
        figures.words_removed += old_blocks[o].block.word_count();
    }
    let rows = reading_order(
        old_blocks.len(),
        new_blocks.len(),
        &|n| anchored(new_blocks, n),
        &|n| (previous[n], changes[n]),
        &removed,
    );
    Comparison { rows, figures }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;
    use crate::history::{anchor_policy, version_diff};

    fn history(texts: &[&str]) -> PolicyHistory {
        anchor_policy(texts.iter().map(|t| parse(t)).collect())
    }

    /// A restored clause is an addition when two versions are compared.
    fn as_compared(change: Change) -> Change {
        if change == Change::Restored {
            Change::Added
        } else {
            change
        }
    }

    #[test]
    fn consecutive_versions_compare_as_their_redline() {
        let h = history(&[
            "# T\n\nWe keep data for two years.\n\nWe never sell data.\n\nBackups go after a month.\n",
            "# T\n\nWe never sell data.\n\nWe keep data for one year.\n\nCookies keep you signed in.\n",
            "# T\n\nWe never sell data.\n\nWe keep data for one year.\n\nBackups go after a month.\n",
        ]);
        for v in 1..h.versions.len() {
            let compared = compare(&h, v - 1, v);
            let expected: Vec<DiffRow> = version_diff(&h, v)
                .into_iter()
                .map(|row| DiffRow {
                    change: as_compared(row.change),
                    ..row
                })
                .collect();
            assert_eq!(compared.rows, expected, "version {v}");
            assert_eq!(compared.figures, h.versions[v].figures, "version {v}");
        }
    }

    #[test]
    fn distant_versions_are_aligned_by_the_ids_between_them() {
        // The retention clause is edited twice: the ids carry it from the first version to the
        // last, where a direct comparison would find it too different.
        let h = history(&[
            "We keep your data for two years after you close your account.\n\nWe never sell data.\n",
            "We keep your data for one year after you close your account.\n\nWe never sell data.\n",
            "We keep your data for one year after you leave.\n\nWe never sell data.\n",
            "We hold your data for one year after you leave us.\n\nWe never sell data.\n",
        ]);
        let compared = compare(&h, 0, 3);
        let changes: Vec<Change> = compared.rows.iter().map(|r| r.change).collect();
        assert_eq!(changes, [Change::Modified, Change::Unchanged]);
        assert_eq!(compared.rows[0].old, Some(0));
        // And backwards, the same rows the other way round.
        let back = compare(&h, 3, 0);
        assert_eq!(back.rows[0].change, Change::Modified);
        assert_eq!(
            (back.figures.words_added, back.figures.words_removed),
            (compared.figures.words_removed, compared.figures.words_added)
        );
    }
}
