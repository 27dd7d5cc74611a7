//! A version compared with the one before it, as rows in reading order: each block of the new
//! version with how it changed, and each removed block where it used to be.

use super::{Change, PolicyHistory};

/// One row of a version's redline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffRow {
    /// How the block changed (`Removed` for a block of the old version only).
    pub change: Change,
    /// The block in the new version (none for removed blocks).
    pub new: Option<usize>,
    /// The block in the old version (none for added blocks).
    pub old: Option<usize>,
}

/// The rows of version `v` against version `v - 1` (for the first version: every block added).
pub fn version_diff(history: &PolicyHistory, v: usize) -> Vec<DiffRow> {
    let blocks = &history.versions[v].blocks;
    let anchored = |i: usize| blocks[i].block.kind.is_anchored();
    let Some(prev) = v.checked_sub(1).map(|p| &history.versions[p]) else {
        return (0..blocks.len())
            .filter(|&i| anchored(i))
            .map(|i| DiffRow {
                change: Change::Added,
                new: Some(i),
                old: None,
            })
            .collect();
    };
    reading_order(
        prev.blocks.len(),
        blocks.len(),
        &anchored,
        &|n| (blocks[n].previous, blocks[n].change),
        &history.versions[v].removed,
    )
}

/// Rows in reading order: each anchored block of the new version (`new_len` blocks;
/// `counterpart(n)` is block n's old block and how it changed), each removed old block after
/// the nearest block before it that survived.
pub(super) fn reading_order(
    old_len: usize,
    new_len: usize,
    anchored: &dyn Fn(usize) -> bool,
    counterpart: &dyn Fn(usize) -> (Option<usize>, Change),
    removed: &[usize],
) -> Vec<DiffRow> {
    let mut rows: Vec<DiffRow> = Vec::with_capacity(new_len + removed.len());
    // Where each old block went, to place removed blocks after their nearest surviving predecessor.
    let mut new_of_old: Vec<Option<usize>> = vec![None; old_len];
    for n in 0..new_len {
        if let (Some(o), _) = counterpart(n) {
            new_of_old[o] = Some(n);
        }
    }
    // The new block of each old block's nearest surviving predecessor, in one pass: a policy
    // that lost most of its blocks must not cost a scan per removed block.
    let mut survivor_before: Vec<Option<usize>> = Vec::with_capacity(old_len);
    let mut last = None;
    for went in &new_of_old {
        survivor_before.push(last);
        last = went.or(last);
    }
    let mut removed_after: Vec<(Option<usize>, usize)> = removed.iter().map(|&o| (survivor_before[o], o)).collect();
    removed_after.sort();
    let mut removed = removed_after.into_iter().peekable();
    while let Some((_, o)) = removed.next_if(|(after, _)| after.is_none()) {
        rows.push(DiffRow {
            change: Change::Removed,
            new: None,
            old: Some(o),
        });
    }
    for n in (0..new_len).filter(|&i| anchored(i)) {
        let (old, change) = counterpart(n);
        rows.push(DiffRow {
            change,
            new: Some(n),
            old,
        });
        while let Some((_, o)) = removed.next_if(|(after, _)| *after == Some(n)) {
            rows.push(DiffRow {
                change: Change::Removed,
                new: None,
                old: Some(o),
            });
        }
    }
    rows.extend(removed.map(|(_, o)| DiffRow {
        change: Change::Removed,
        new: None,
        old: Some(o),
    }));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;
    use crate::history::anchor_policy;

    #[test]
    fn rows_follow_the_new_version_with_removals_in_place() {
        let h = anchor_policy(vec![
            parse("First clause stays here.\n\nSecond clause goes away now.\n\nThird clause stays too.\n"),
            parse("First clause stays here.\n\nThird clause stays too.\n\nA new fourth clause arrives.\n"),
        ]);
        let rows = version_diff(&h, 1);
        let changes: Vec<Change> = rows.iter().map(|r| r.change).collect();
        assert_eq!(
            changes,
            vec![Change::Unchanged, Change::Removed, Change::Unchanged, Change::Added]
        );
        assert_eq!(rows[1].old, Some(1));
    }

    #[test]
    fn first_version_is_all_added() {
        let h = anchor_policy(vec![parse("# T\n\nOne.\n")]);
        assert!(version_diff(&h, 0).iter().all(|r| r.change == Change::Added));
    }
}
