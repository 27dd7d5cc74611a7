//! The hub's current git commit, for a release's record: read from `.git` (HEAD, the ref file
//! or packed-refs; worktrees too), else asked of `git rev-parse HEAD`; absent when neither works.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The commit `HEAD` points at in the repository holding `root`, if there is one.
pub(crate) fn head_commit(root: &Path) -> Option<String> {
    let root = std::path::absolute(root).ok()?;
    let git_dir = root.ancestors().find_map(git_dir_of)?;
    read_head(&git_dir).or_else(|| rev_parse(&root))
}

/// The git folder of a repository whose top is `dir` (a `.git` folder, or the folder a `.git`
/// file points to in a worktree).
fn git_dir_of(dir: &Path) -> Option<PathBuf> {
    let dot_git = dir.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git);
    }
    let text = fs::read_to_string(&dot_git).ok()?;
    let target = text.trim().strip_prefix("gitdir:")?.trim();
    Some(dir.join(target))
}

fn read_head(git_dir: &Path) -> Option<String> {
    let head = fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(reference) = head.strip_prefix("ref:") else {
        return is_object_id(head).then(|| head.to_string());
    };
    let reference = reference.trim();
    if reference.split('/').any(|p| p.is_empty() || p == "..") {
        return None;
    }
    // Refs live in the common folder of a worktree (named by its `commondir` file).
    let common = fs::read_to_string(git_dir.join("commondir"))
        .map(|c| git_dir.join(c.trim()))
        .unwrap_or_else(|_| git_dir.to_path_buf());
    for dir in [git_dir, common.as_path()] {
        if let Ok(id) = fs::read_to_string(dir.join(reference)) {
            let id = id.trim();
            if is_object_id(id) {
                return Some(id.to_string());
            }
        }
    }
    let packed = fs::read_to_string(common.join("packed-refs")).ok()?;
    packed.lines().find_map(|line| {
        let (id, name) = line.split_once(' ')?;
        (name == reference && is_object_id(id)).then(|| id.to_string())
    })
}

fn rev_parse(root: &Path) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--verify", "-q", "HEAD"])
        .output()
        .ok()?;
    let id = String::from_utf8(out.stdout).ok()?;
    let id = id.trim();
    (out.status.success() && is_object_id(id)).then(|| id.to_string())
}

fn is_object_id(text: &str) -> bool {
    (text.len() == 40 || text.len() == 64) && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_loose_and_packed_refs_and_detached_heads() {
        let tmp = tempfile::tempdir().unwrap();
        let git = tmp.path().join(".git");
        fs::create_dir_all(git.join("refs/heads")).unwrap();
        let a = "a".repeat(40);
        let b = "b".repeat(40);
        fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::write(git.join("refs/heads/main"), format!("{a}\n")).unwrap();
        assert_eq!(head_commit(tmp.path()), Some(a.clone()));
        fs::remove_file(git.join("refs/heads/main")).unwrap();
        fs::write(git.join("packed-refs"), format!("# pack-refs\n{b} refs/heads/main\n")).unwrap();
        assert_eq!(head_commit(&tmp.path().join("sub/dir")), Some(b));
        fs::write(git.join("HEAD"), format!("{a}\n")).unwrap();
        assert_eq!(head_commit(tmp.path()), Some(a));
    }

    #[test]
    fn no_repository_no_commit() {
        let tmp = tempfile::tempdir().unwrap();
        // A temporary folder may sit inside some repository; only assert on a clean path.
        if tmp.path().ancestors().all(|d| !d.join(".git").exists()) {
            assert_eq!(head_commit(tmp.path()), None);
        }
    }
}
