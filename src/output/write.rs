//! Atomic output: build into `.<name>.building-<pid>` beside the target, then swap it in.
//! Files are written as they are rendered; files whose bytes did not change are linked to the
//! previous output's, and parts of it may be carried into the new one by renaming.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::Diagnostic;
use crate::output_file::OutputFile;

/// Refuses output folders that would destroy the hub: the hub's root itself, a folder that
/// contains it, or one of its source folders.
pub(crate) fn guard_output(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let absolute =
        |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()));
    let root = absolute(root);
    let out = absolute(output);
    let sources = [
        "content",
        "templates",
        "static",
        "archive",
        "src",
        ".git",
        crate::cache::CACHE_DIR,
    ];
    let dangerous = root.starts_with(&out) || sources.iter().any(|s| out.starts_with(root.join(s)));
    if dangerous || out.join("site.toml").exists() {
        return Err(Diagnostic::new(
            output,
            "refusing to write the site here: it would replace the hub's own files",
        )
        .hint("choose an output folder outside content/, templates/, static/ and archive/, e.g. public/"));
    }
    Ok(())
}

/// A new output being written in a folder beside the old one (`.<name>.building-<pid>`),
/// file by file as pages are rendered, and swapped in whole by [`Staging::commit`]. Dropped
/// without a commit, it is removed and the previous output is untouched.
pub(crate) struct Staging {
    output: PathBuf,
    dir: PathBuf,
    retired: PathBuf,
    /// Folders known to exist in `dir`.
    folders: Mutex<HashSet<PathBuf>>,
    /// True when there is a previous output to link unchanged files to.
    previous: bool,
    committed: bool,
}

fn failure(what: &str, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::new(path, format!("cannot {what}: {e}"))
}

impl Staging {
    /// Starts a new output for `output`.
    pub(crate) fn new(output: &Path) -> Result<Staging, Diagnostic> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| failure("create the output's parent folder", &parent, e))?;
        if output.exists() && !output.is_dir() {
            return Err(Diagnostic::new(output, "the output path exists and is not a folder")
                .hint("pass --output with a folder path"));
        }
        let name = output
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.building-{pid}"));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| failure("create", &dir, e))?;
        Ok(Staging {
            output: output.to_path_buf(),
            retired: parent.join(format!(".{name}.old-{pid}")),
            folders: Mutex::new(HashSet::from([dir.clone()])),
            dir,
            previous: output.is_dir(),
            committed: false,
        })
    }

    /// Writes one file of the new output (from any thread). A file whose bytes equal the
    /// previous output's is linked to it rather than written again, so it keeps its
    /// modification time and an upload tool (rsync, a CDN sync) sees only what changed.
    pub(crate) fn write(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        let path = self.dir.join(&file.path);
        if let Some(folder) = path.parent() {
            let known = self.folders.lock().is_ok_and(|f| f.contains(folder));
            if !known {
                fs::create_dir_all(folder).map_err(|e| failure("create", folder, e))?;
                if let Ok(mut folders) = self.folders.lock() {
                    folders.insert(folder.to_path_buf());
                }
            }
        }
        if self.previous {
            let previous = self.output.join(&file.path);
            if same_bytes(&previous, &file.bytes) && fs::hard_link(&previous, &path).is_ok() {
                return Ok(());
            }
        }
        fs::write(&path, &file.bytes).map_err(|e| failure("write", &path, e))
    }

    /// Swaps the new output in, and carries the `carried` paths (files or folders, relative
    /// to the output) of the previous output into it unchanged. They are moved by renaming
    /// (cheap, whatever their size) once the previous output is set aside, and moved back if
    /// the new site cannot be swapped in, so a failure leaves the previous output as it was.
    pub(crate) fn commit(mut self, carried: &[String]) -> Result<(), Diagnostic> {
        let (output, staging, retired) = (&self.output, &self.dir, &self.retired);
        let had_output = output.exists();
        if had_output {
            fs::rename(output, retired).map_err(|e| failure("move the previous output aside", output, e))?;
        }
        let restore = |moved: &[&String]| {
            // Put the previous site back: the failure leaves things as they were.
            move_all(staging, retired, moved);
            if had_output {
                let _ = fs::rename(retired, output);
            }
        };
        let mut moved: Vec<&String> = Vec::with_capacity(carried.len());
        for rel in carried {
            let (from, to) = (retired.join(rel), staging.join(rel));
            let result = match to.parent() {
                Some(dir) => fs::create_dir_all(dir).and_then(|()| fs::rename(&from, &to)),
                None => fs::rename(&from, &to),
            };
            if let Err(e) = result {
                restore(&moved);
                return Err(failure("carry over from the previous output", &output.join(rel), e));
            }
            moved.push(rel);
        }
        if let Err(e) = fs::rename(staging, output) {
            restore(&moved);
            return Err(failure("move the new site into place", output, e));
        }
        self.committed = true;
        remove_tree(retired);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            remove_tree(&self.dir);
        }
    }
}

/// True when the file at `path` holds exactly `bytes` (sizes are compared first).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    let same_size = fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    same_size && fs::read(path).is_ok_and(|old| old == bytes)
}

/// Threads that remove a tree together: unlinking waits on the file system's journal far more
/// than on a core, so more threads than cores help (on ext4, 16 remove a 40,000-file site in a
/// third of the time one takes).
const REMOVERS: usize = 16;

/// Removes the folder `dir` and everything in it, as far as it goes, its subtrees shared out
/// among [`REMOVERS`] threads.
fn remove_tree(dir: &Path) {
    // Subtrees to share out: the folder's entries, and those of its subfolders while there are
    // fewer than a few per thread (a hub of one organisation has a single folder at the top).
    let (mut units, mut opened) = (vec![dir.to_path_buf()], Vec::new());
    while units.len() < 4 * REMOVERS {
        let Some(at) = units.iter().position(|u| u.is_dir() && !u.is_symlink()) else {
            break;
        };
        let folder = units.swap_remove(at);
        units.extend(fs::read_dir(&folder).into_iter().flatten().flatten().map(|e| e.path()));
        opened.push(folder);
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..REMOVERS.min(units.len()) {
            scope.spawn(|| {
                while let Some(unit) = units.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                    let _ = match unit.is_dir() && !unit.is_symlink() {
                        true => fs::remove_dir_all(unit),
                        false => fs::remove_file(unit),
                    };
                }
            });
        }
    });
    // The folders opened to find the subtrees, the deepest first.
    for folder in opened.iter().rev() {
        let _ = fs::remove_dir(folder);
    }
}

/// Moves each of `paths` from `from/` back to `to/`, as far as it goes.
fn move_all(from: &Path, to: &Path, paths: &[&String]) {
    for rel in paths {
        let _ = fs::rename(from.join(rel), to.join(rel));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    /// Writes `files` as the complete new content of `output`, atomically.
    fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
        let staging = Staging::new(output)?;
        files.par_iter().try_for_each(|file| staging.write(file))?;
        staging.commit(&[])
    }

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_previous_output_completely() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("a/index.html", "one"), file("old.txt", "x")]).unwrap();
        write_site(&out, &[file("a/index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("old.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn carries_parts_of_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(
            &out,
            &[file("keep/a/index.html", "kept"), file("keep.txt", "k"), file("x", "1")],
        )
        .unwrap();
        let carried = ["keep".to_string(), "keep.txt".to_string()];
        let carry = |x: &str, carried: &[String]| {
            let staging = Staging::new(&out).unwrap();
            staging.write(&file("x", x)).unwrap();
            staging.commit(carried)
        };
        carry("2", &carried).unwrap();
        assert_eq!(fs::read_to_string(out.join("keep/a/index.html")).unwrap(), "kept");
        assert_eq!(fs::read_to_string(out.join("keep.txt")).unwrap(), "k");
        assert_eq!(fs::read_to_string(out.join("x")).unwrap(), "2");
        // Carrying what is not there fails and leaves the previous output as it was.
        assert!(carry("3", &["gone".to_string()]).is_err());
        assert_eq!(fs::read_to_string(out.join("x")).unwrap(), "2");
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_not_rewritten() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("same.html", "same"), file("edited.html", "one")]).unwrap();
        let inode = |rel: &str| fs::metadata(out.join(rel)).unwrap().ino();
        let (same, edited) = (inode("same.html"), inode("edited.html"));
        write_site(&out, &[file("same.html", "same"), file("edited.html", "two")]).unwrap();
        assert_eq!(inode("same.html"), same, "an unchanged file is the previous one");
        assert_ne!(inode("edited.html"), edited);
        assert_eq!(fs::read_to_string(out.join("edited.html")).unwrap(), "two");
        // A failed write of a new site leaves the previous one, links and all.
        let staging = Staging::new(&out).unwrap();
        staging.write(&file("same.html", "same")).unwrap();
        drop(staging);
        assert_eq!(fs::read_to_string(out.join("same.html")).unwrap(), "same");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "no staging folder left");
    }

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

    #[test]
    fn refuses_to_overwrite_the_hub() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("content")).unwrap();
        assert!(guard_output(tmp.path(), tmp.path()).is_err());
        assert!(guard_output(tmp.path(), &tmp.path().join("content/x")).is_err());
        assert!(guard_output(tmp.path(), &tmp.path().join("public")).is_ok());
    }
}
