//! Moving a new output's files into the previous output's place, undoably: every move is
//! recorded, and a failure moves everything back. Also removing whole trees fast.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::io_threads::{share_out, THREADS};

/// What went wrong with one move: what was being done, to which path, and the error.
pub(crate) type MoveError = (&'static str, PathBuf, io::Error);

/// One move done, to undo on failure.
enum Step {
    /// A file or folder of the output (relative) was set aside at a path of the retired folder.
    SetAside(PathBuf, PathBuf),
    /// A staged file was moved into the output.
    Placed(PathBuf),
    /// A folder was made in the output (the outermost of those `create_dir_all` made).
    Made(PathBuf),
}

/// The moves of one commit, relative to the output, the staging folder and the retired
/// folder (where what the output loses waits until the commit is done).
pub(crate) struct Journal<'a> {
    output: &'a Path,
    staging: &'a Path,
    retired: &'a Path,
    steps: Vec<Step>,
}

impl<'a> Journal<'a> {
    pub(crate) fn new(output: &'a Path, staging: &'a Path, retired: &'a Path) -> Self {
        Journal {
            output,
            staging,
            retired,
            steps: Vec::new(),
        }
    }

    /// Moves `rel` (a file, link or folder of the output) to the retired folder.
    pub(crate) fn set_aside(&mut self, rel: &Path) -> Result<(), MoveError> {
        let mut to = self.retired.join("files").join(rel);
        if fs::symlink_metadata(&to).is_ok() {
            // A folder that becomes a file: its files were set aside where it goes.
            to = self.retired.join(format!("again-{}", self.steps.len())).join(rel);
        }
        if let Some(folder) = to.parent() {
            fs::create_dir_all(folder).map_err(|e| ("create", folder.to_path_buf(), e))?;
        }
        let from = self.output.join(rel);
        fs::rename(&from, &to).map_err(|e| ("set aside the previous output's file", from, e))?;
        self.steps.push(Step::SetAside(rel.to_path_buf(), to));
        Ok(())
    }

    /// Moves the staged file `rel` into the output, setting aside what is there.
    pub(crate) fn place(&mut self, rel: &Path) -> Result<(), MoveError> {
        let to = self.output.join(rel);
        if fs::symlink_metadata(&to).is_ok() {
            self.set_aside(rel)?;
        }
        if let Some(folder) = to.parent() {
            let outermost = folder
                .ancestors()
                .take_while(|f| !f.exists())
                .last()
                .map(Path::to_path_buf);
            fs::create_dir_all(folder).map_err(|e| ("create", folder.to_path_buf(), e))?;
            self.steps.extend(outermost.map(Step::Made));
        }
        fs::rename(self.staging.join(rel), &to).map_err(|e| ("move the new file into place", to, e))?;
        self.steps.push(Step::Placed(rel.to_path_buf()));
        Ok(())
    }

    /// Whether anything was moved or made.
    pub(crate) fn moved_any(&self) -> bool {
        !self.steps.is_empty()
    }

    /// Undoes every move, the last first, as far as it goes: true when all of it went.
    pub(crate) fn undo(self) -> bool {
        let mut undone = true;
        for step in self.steps.into_iter().rev() {
            let result = match step {
                Step::Placed(rel) => fs::rename(self.output.join(&rel), self.staging.join(&rel)),
                Step::SetAside(rel, at) => fs::rename(at, self.output.join(&rel)),
                Step::Made(folder) => match fs::remove_dir_all(folder) {
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                    other => other,
                },
            };
            undone &= result.is_ok();
        }
        undone
    }

    /// Removes the output's folders that setting files aside left empty.
    pub(crate) fn prune(self) {
        let folders: BTreeSet<&Path> = self
            .steps
            .iter()
            .filter_map(|step| match step {
                Step::SetAside(rel, _) => rel.parent(),
                _ => None,
            })
            .collect();
        let mut folders: Vec<&Path> = folders.into_iter().collect();
        folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
        for folder in folders {
            // Up from the folder, while each is empty, never the output itself.
            for rel in folder.ancestors().filter(|rel| !rel.as_os_str().is_empty()) {
                if fs::remove_dir(self.output.join(rel)).is_err() {
                    break;
                }
            }
        }
    }
}

/// Removes the folder `dir` and everything in it, as far as it goes, its subtrees shared out
/// among [`THREADS`] threads. Links are removed, never followed.
pub(crate) fn remove_tree(dir: &Path) {
    // Subtrees to share out: the folder's entries, and those of its subfolders while there are
    // fewer than a few per thread (a hub of one organisation has a single folder at the top).
    let (mut units, mut opened) = (vec![dir.to_path_buf()], Vec::new());
    while units.len() < 4 * THREADS {
        let Some(at) = units.iter().position(|u| is_folder(u)) else {
            break;
        };
        let folder = units.swap_remove(at);
        units.extend(fs::read_dir(&folder).into_iter().flatten().flatten().map(|e| e.path()));
        opened.push(folder);
    }
    share_out(&units, THREADS, |unit, _: &mut ()| {
        let _ = match is_folder(unit) {
            true => fs::remove_dir_all(unit),
            false => fs::remove_file(unit),
        };
    });
    // The folders opened to find the subtrees: each after those opened in it.
    for folder in opened.iter().rev() {
        let _ = fs::remove_dir(folder);
    }
}

/// A folder itself, not a link to one.
fn is_folder(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_tree_is_removed_whole_without_following_links_out_of_it() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("keep.txt"), "kept").unwrap();
        // One folder at the top, many below it, files at every depth, links to the outside.
        let tree = tmp.path().join("tree");
        for org in 0..100 {
            let folder = tree.join(format!("hub/org-{org}/policy/2020-01-0{}", org % 9 + 1));
            fs::create_dir_all(&folder).unwrap();
            fs::write(folder.join("index.html"), "page").unwrap();
        }
        fs::write(tree.join("hub/index.html"), "hub").unwrap();
        std::os::unix::fs::symlink(&outside, tree.join("hub/org-7/link")).unwrap();
        std::os::unix::fs::symlink(&outside, tree.join("hub/link")).unwrap();
        remove_tree(&tree);
        assert!(!tree.exists());
        assert_eq!(fs::read_to_string(outside.join("keep.txt")).unwrap(), "kept");
        remove_tree(&tree); // what is not there is not an error
    }
}
