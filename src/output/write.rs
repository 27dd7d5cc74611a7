//! The new output of a build: files are staged in `.<name>.building-<pid>` beside the output
//! as they are rendered, only those whose bytes differ from the previous output's, and moved
//! into place at the end (by [`super::journal`], undoably); parts of the previous output may be
//! carried into the new one as they are. One build at a time writes an output.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::journal::{remove_tree, Journal};
use crate::error::Diagnostic;
use crate::io_threads::{share_out, THREADS};
use crate::output_file::OutputFile;

/// Refuses output folders that would destroy the hub (the hub's root itself, a folder that
/// contains it, or one of its source folders) or someone's files: a folder with files in it
/// that holds no site policyhub built (no `search-index/meta.json`), whose files a build would
/// delete as the previous output's. Its hidden entries do not count: a build leaves them be
/// ([`stale_entries`]), so a new `git` worktree of a publishing branch is a fine output.
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
    if holds_others_files(output) {
        return Err(Diagnostic::new(
            output,
            "refusing to write the site here: the folder holds files that are not a site policyhub built, and a build would delete them",
        )
        .hint("choose a new or empty folder for --output, or empty this one first"));
    }
    Ok(())
}

/// True when `output` is a folder with entries other than hidden ones and no
/// `search-index/meta.json`, which every site policyhub builds has.
fn holds_others_files(output: &Path) -> bool {
    let Ok(entries) = fs::read_dir(output) else {
        return false;
    };
    let visible = entries.flatten().any(|e| !is_hidden(&e.file_name()));
    visible && !output.join(crate::permalinks::search_meta()).is_file()
}

/// True for a hidden name (`.git`, `.nojekyll`): at the output's top level, the publisher's,
/// never the site's to remove.
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// A new output, made beside the old one: the files that differ from the previous output's
/// (or all of them, when there is none) are written in a staging folder
/// (`.<name>.building-<pid>`) as pages are rendered, and [`Staging::commit`] moves them into
/// place. Dropped without a commit, it is removed and the previous output is untouched. One
/// build at a time writes an output: a second is refused while the first holds its lock.
pub(crate) struct Staging {
    /// The output folder (where a link leads, when it is one).
    output: PathBuf,
    dir: PathBuf,
    /// Where the commit sets the previous output's replaced and stale files aside.
    retired: PathBuf,
    /// Folders known to exist in `dir`.
    folders: Mutex<HashSet<PathBuf>>,
    /// True when there is a previous output to compare files with.
    previous: bool,
    /// The files of the new output, each with whether its last write went to the staging
    /// folder (true) or, its bytes equal to the previous output's, left it in place (false).
    files: Mutex<HashMap<String, bool>>,
    /// The paths written by [`Staging::write_static`].
    statics: Mutex<Vec<String>>,
    committed: bool,
    /// The output folder, locked while this build may write into it.
    _lock: Option<fs::File>,
    /// The staging folder, locked while this build lives: a staging folder nobody holds is
    /// what a killed build left.
    _staging_lock: Option<fs::File>,
}

fn failure(what: &str, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::new(path, format!("cannot {what}: {e}"))
}

impl Staging {
    /// Starts a new output for `output`.
    pub(crate) fn new(output: &Path) -> Result<Staging, Diagnostic> {
        let (output, parent) = written_at(output);
        fs::create_dir_all(&parent).map_err(|e| failure("create the output's parent folder", &parent, e))?;
        if output.exists() && !output.is_dir() {
            return Err(Diagnostic::new(&output, "the output path exists and is not a folder")
                .hint("pass --output with a folder path"));
        }
        let name = output
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let lock = lock_output(&output)?;
        remove_leftovers(&parent, &name, lock.is_some());
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.building-{pid}"));
        remove_tree(&dir);
        fs::create_dir_all(&dir).map_err(|e| failure("create", &dir, e))?;
        let staging_lock = crate::folder_lock::lock_folder(&dir, || {
            Diagnostic::new(&dir, "another build is writing this staging folder")
                .hint("wait for it to finish, then build again")
        })?;
        Ok(Staging {
            retired: parent.join(format!(".{name}.old-{pid}")),
            folders: Mutex::new(HashSet::from([dir.clone()])),
            dir,
            previous: output.is_dir(),
            output,
            files: Mutex::new(HashMap::new()),
            statics: Mutex::new(Vec::new()),
            committed: false,
            _lock: lock,
            _staging_lock: staging_lock,
        })
    }

    /// Writes one file of the new output (from any thread). A file whose bytes equal the
    /// previous output's is not written at all: the previous one stays, with its modification
    /// time, so an upload tool (rsync, a CDN sync) sees only what changed. A path written
    /// twice (a static file over a page) holds what it was given last.
    pub(crate) fn write(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        let same = self.previous && same_bytes(&self.output.join(&file.path), &file.bytes);
        if !same {
            let path = self.staged(&file.path)?;
            fs::write(&path, &file.bytes).map_err(|e| failure("write", &path, e))?;
        }
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.insert(file.path.clone(), !same);
        Ok(())
    }

    /// Writes a static file of the theme, which replaces a page written at its path but may
    /// not stand where the site has a folder, nor need a folder where it has a file: that is
    /// an error naming the file of `static/` (checked here as far as the files written so far
    /// tell, and against the whole new output by [`Staging::commit`]).
    pub(crate) fn write_static(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        if let Err(failed) = self.write(file) {
            let files = self.files.lock().unwrap_or_else(|p| p.into_inner());
            let mut paths: Vec<&str> = files.keys().map(String::as_str).collect();
            paths.sort_unstable();
            return Err(collision(&file.path, &paths, |p| files.contains_key(p)).unwrap_or(failed));
        }
        let mut statics = self.statics.lock().unwrap_or_else(|p| p.into_inner());
        statics.push(file.path.clone());
        Ok(())
    }

    /// Makes the new output the output. With no previous output, the staging folder is
    /// renamed into place. Otherwise the written files are moved into the previous output,
    /// whose replaced files, files the new output lacks and empty folders are set aside first;
    /// the `carried` paths (files or folders, relative to the output) stay as they are. A
    /// failure on the way moves everything back, leaving the previous output as it was.
    pub(crate) fn commit(mut self, carried: &[String]) -> Result<(), Diagnostic> {
        self.refuse_collisions(carried)?;
        let carried: HashSet<&Path> = carried.iter().map(Path::new).collect();
        if !self.previous {
            self.holds_all(&carried)?;
            fs::rename(&self.dir, &self.output).map_err(|e| match self.output.exists() {
                // There was no output when this build began (so none to lock): another build
                // made one meanwhile.
                true => Diagnostic::new(&self.output, "another build wrote this output meanwhile")
                    .hint("nothing of this build was written: build again"),
                false => failure("move the new site into place", &self.output, e),
            })?;
            self.committed = true;
            return Ok(());
        }
        let mut files: Vec<(String, bool)> = std::mem::take(self.files.get_mut().unwrap_or_else(|p| p.into_inner()))
            .into_iter()
            .collect();
        files.sort_unstable();
        let new: HashSet<&Path> = files.iter().map(|(path, _)| Path::new(path.as_str())).collect();
        let Previous {
            stale,
            empty,
            carried_met,
        } = stale_entries(&self.output, &new, &carried)
            .map_err(|e| failure("read the previous output", &self.output, e))?;
        drop(new);
        // Unless the reading met every carried path (it never enters a carried folder, so a
        // path inside one, or behind a link, is not met), each is checked with a `stat`.
        if carried_met < carried.len() {
            self.holds_all(&carried)?;
        }
        self.stage_kept_among_stale(&mut files, &stale)?;
        let mut written = files
            .iter()
            .filter(|(_, written)| *written)
            .map(|(path, _)| Path::new(path.as_str()));
        // The build cache knows an output by its folder's modification time: stamped before
        // the first move, so that a build killed among them (cached or not) leaves an output
        // no manifest describes, and again after the last.
        let moving = !stale.is_empty() || !empty.is_empty() || files.iter().any(|(_, written)| *written);
        if moving {
            touch(&self.output);
        }
        let mut journal = Journal::new(&self.output, &self.dir, &self.retired);
        let moved = stale
            .iter()
            .chain(&empty)
            .try_for_each(|rel| journal.set_aside(rel))
            .and_then(|()| written.try_for_each(|rel| journal.place(rel)));
        let changed = journal.moved_any();
        let result = match moved {
            Ok(()) => {
                journal.prune();
                self.committed = true;
                remove_tree(&self.retired);
                remove_tree(&self.dir);
                Ok(())
            }
            Err((what, path, e)) => match journal.undo() {
                true => {
                    remove_tree(&self.retired);
                    Err(failure(what, &path, e))
                }
                false => Err(failure(what, &path, e).hint(format!(
                    "some files of the previous output could not be put back: they are in {}",
                    self.retired.display()
                ))),
            },
        };
        if changed {
            touch(&self.output);
        }
        result
    }
}

impl Staging {
    /// Fails when a static file collides with the new output: its own files, and the
    /// `carried` paths of the previous output (whose files a carried folder holds count too).
    fn refuse_collisions(&self, carried: &[String]) -> Result<(), Diagnostic> {
        let statics = self.statics.lock().unwrap_or_else(|p| p.into_inner());
        if statics.is_empty() {
            return Ok(());
        }
        let files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        let mut paths: Vec<&str> = files.keys().chain(carried).map(String::as_str).collect();
        paths.sort_unstable();
        let carried: HashSet<&str> = carried.iter().map(String::as_str).collect();
        let is_file = |p: &str| match carried.contains(p) {
            true => self.output.join(p).is_file(),
            false => files.contains_key(p),
        };
        statics
            .iter()
            .find_map(|path| collision(path, &paths, is_file))
            .map_or(Ok(()), Err)
    }

    /// Fails unless the previous output holds every `carried` path.
    fn holds_all(&self, carried: &HashSet<&Path>) -> Result<(), Diagnostic> {
        let missing = carried
            .iter()
            .find(|rel| fs::symlink_metadata(self.output.join(rel)).is_err());
        match missing {
            Some(missing) => {
                let e = io::Error::new(io::ErrorKind::NotFound, "the previous output lacks it");
                Err(failure(
                    "carry over from the previous output",
                    &self.output.join(missing),
                    e,
                ))
            }
            None => Ok(()),
        }
    }

    /// Where the file `rel` of the new output is staged, its folder made.
    fn staged(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        let path = self.dir.join(rel);
        if let Some(folder) = path.parent() {
            let known = self.folders.lock().is_ok_and(|f| f.contains(folder));
            if !known {
                fs::create_dir_all(folder).map_err(|e| failure("create", folder, e))?;
                if let Ok(mut folders) = self.folders.lock() {
                    folders.insert(folder.to_path_buf());
                }
            }
        }
        Ok(path)
    }

    /// Stages a copy of each file left in place that setting the stale entries aside would
    /// take away: one behind a link of the previous output (a folder the new output makes
    /// real), or one whose name differs only in case from a stale one (the same file, on a
    /// file system that ignores case).
    fn stage_kept_among_stale(&self, files: &mut [(String, bool)], stale: &[PathBuf]) -> Result<(), Diagnostic> {
        if stale.is_empty() {
            return Ok(());
        }
        let links: Vec<&PathBuf> = stale
            .iter()
            .filter(|rel| fs::symlink_metadata(self.output.join(rel)).is_ok_and(|m| m.is_symlink()))
            .collect();
        let folded: HashSet<String> = stale.iter().map(|rel| rel.to_string_lossy().to_lowercase()).collect();
        for (path, written) in files.iter_mut().filter(|(_, written)| !*written) {
            let behind_link = links.iter().any(|link| Path::new(path.as_str()).starts_with(link));
            if behind_link || folded.contains(&path.to_lowercase()) {
                let (from, to) = (self.output.join(&*path), self.staged(path)?);
                fs::copy(&from, &to).map_err(|e| failure("copy", &from, e))?;
                *written = true;
            }
        }
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

/// Sets the folder's modification time to now (where the file system lets this process).
fn touch(folder: &Path) {
    let _ = fs::File::open(folder).and_then(|f| f.set_modified(std::time::SystemTime::now()));
}

/// Locks the output folder for this process, so that two builds never write into the same
/// one at once. `None` when there is no output yet (two first builds cannot both rename theirs
/// into place) or the file system cannot lock folders.
fn lock_output(output: &Path) -> Result<Option<fs::File>, Diagnostic> {
    crate::folder_lock::lock_folder(output, || {
        Diagnostic::new(output, "another build is writing this output").hint("wait for it to finish, then build again")
    })
}

/// Removes the staging and retired folders that builds of `output` which were killed left
/// beside it, unless a build is writing it now: what a build that finds nothing to change
/// does in place of [`Staging::new`].
pub(crate) fn remove_stopped_builds(output: &Path) {
    let (output, parent) = written_at(output);
    let Some(name) = output.file_name() else { return };
    if let Ok(lock) = lock_output(&output) {
        remove_leftovers(&parent, &name.to_string_lossy(), lock.is_some());
    }
}

/// The folder a build of `output` writes, and the folder that holds it (where its staging
/// folder goes). An output that is a link to a folder is written where it leads, so that the
/// staging folder is on the same file system as the files it replaces.
fn written_at(output: &Path) -> (PathBuf, PathBuf) {
    let output = match fs::symlink_metadata(output).is_ok_and(|m| m.is_symlink()) {
        true => fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf()),
        false => output.to_path_buf(),
    };
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (output, parent)
}

/// Removes the staging and retired folders that stopped builds of the output `name` left in
/// `parent` (a build that was killed cannot remove its own): the staging folders no running
/// build holds locked (even when there is no output yet, as after a killed first build), and,
/// with the output locked (`output_locked`: no other build of it runs), the retired folders
/// and, on a file system without locks, every staging folder.
fn remove_leftovers(parent: &Path, name: &str, output_locked: bool) {
    let (building, old) = (format!(".{name}.building-"), format!(".{name}.old-"));
    let is_pid = |pid: &str| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    for entry in fs::read_dir(parent).into_iter().flatten().flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let stopped = match (file_name.strip_prefix(&building), file_name.strip_prefix(&old)) {
            (Some(pid), _) if is_pid(pid) => abandoned(&entry.path()).unwrap_or(output_locked),
            (_, Some(pid)) if is_pid(pid) => output_locked,
            _ => false,
        };
        if stopped {
            remove_tree(&entry.path());
        }
    }
}

/// Whether no running build holds the staging folder locked (`None`: the file system cannot
/// tell).
fn abandoned(staging: &Path) -> Option<bool> {
    match crate::folder_lock::lock_folder(staging, || Diagnostic::new(staging, "busy")) {
        Ok(Some(_)) => Some(true),
        Err(_) => Some(false),
        Ok(None) => None,
    }
}

/// How a static file at `path` collides with the paths of the new output (`paths`, sorted;
/// `is_file` tells a file from a folder among them): it stands where they have a folder, or
/// needs a folder where they have a file.
fn collision(path: &str, paths: &[&str], is_file: impl Fn(&str) -> bool) -> Option<Diagnostic> {
    let shown = Path::new("static").join(path);
    let hint = "move or rename it: a file of static/ replaces one of the site's files, never a folder of them";
    let folder = format!("{path}/");
    let inside = paths[paths.partition_point(|p| *p < folder.as_str())..]
        .first()
        .is_some_and(|p| p.starts_with(&folder));
    if inside || (paths.binary_search(&path).is_ok() && !is_file(path)) {
        let why = format!("a file here would replace the site's folder {folder}");
        return Some(Diagnostic::new(shown, why).hint(hint));
    }
    let ancestors = path.match_indices('/').map(|(at, _)| &path[..at]);
    let under = ancestors
        .into_iter()
        .find(|a| paths.binary_search(a).is_ok() && is_file(a))?;
    let why = format!("the site has a file at {under}, where this file needs a folder");
    Some(Diagnostic::new(shown, why).hint(hint))
}

/// True when the file at `path` holds exactly `bytes` (sizes are compared first).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    let same_size = fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    same_size && fs::read(path).is_ok_and(|old| old == bytes)
}

/// What [`stale_entries`] found in the previous output.
struct Previous {
    /// Its files and links that the new output lacks, sorted.
    stale: Vec<PathBuf>,
    /// Its empty folders, sorted.
    empty: Vec<PathBuf>,
    /// How many of the carried paths it met on the way.
    carried_met: usize,
}

/// The entries of the previous output at `output` that the new output lacks, relative to it,
/// the `carried` paths and what they hold aside: its files and links that are not among the
/// `new` output's files (but a link that holds a carried path), and its folders that are
/// empty. Hidden entries at its top level (`.git`, `.nojekyll` of a publishing worktree) are
/// the publisher's: never stale, never read. The subtrees two levels down are read by
/// [`THREADS`] threads.
fn stale_entries(output: &Path, new: &HashSet<&Path>, carried: &HashSet<&Path>) -> io::Result<Previous> {
    let is_stale = |rel: &Path| !new.contains(rel) && !carried.iter().any(|c| c.starts_with(rel));
    let (mut stale, mut empty, mut units) = (Vec::new(), Vec::new(), Vec::new());
    let mut carried_met = 0;
    for entry in fs::read_dir(output)? {
        let name = entry?.file_name();
        if is_hidden(&name) {
            continue;
        }
        let rel = PathBuf::from(name);
        if carried.contains(rel.as_path()) {
            carried_met += 1;
            continue;
        }
        if fs::symlink_metadata(output.join(&rel)).is_ok_and(|m| m.is_dir()) {
            let children = fs::read_dir(output.join(&rel))?
                .map(|e| e.map(|e| rel.join(e.file_name())))
                .collect::<io::Result<Vec<PathBuf>>>()?;
            if children.is_empty() {
                empty.push(rel);
            }
            units.extend(children);
        } else if is_stale(&rel) {
            stale.push(rel);
        }
    }
    let read = share_out(&units, THREADS, |unit, found: &mut Found| {
        if found.error.is_none() {
            found.error = walk_unit(output, unit, carried, &is_stale, found).err();
        }
    });
    for found in read {
        let Ok(found) = found else {
            return Err(io::Error::other("a reader of the previous output failed"));
        };
        if let Some(e) = found.error {
            return Err(e);
        }
        stale.extend(found.stale);
        empty.extend(found.folders.into_iter().filter(|(_, n)| *n == 0).map(|(f, _)| f));
        carried_met += found.carried_met;
    }
    stale.sort();
    empty.sort();
    Ok(Previous {
        stale,
        empty,
        carried_met,
    })
}

/// What one reader of the previous output found.
#[derive(Default)]
struct Found {
    stale: Vec<PathBuf>,
    /// Folders, each with how many entries it holds.
    folders: HashMap<PathBuf, usize>,
    carried_met: usize,
    /// Its first error.
    error: Option<io::Error>,
}

/// Reads the subtree `unit` (relative to `output`) into `found`, skipping (and counting) the
/// carried paths.
fn walk_unit(
    output: &Path,
    unit: &Path,
    carried: &HashSet<&Path>,
    is_stale: &dyn Fn(&Path) -> bool,
    found: &mut Found,
) -> io::Result<()> {
    let mut walk = walkdir::WalkDir::new(output.join(unit))
        .follow_root_links(false)
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry?;
        let Ok(rel) = entry.path().strip_prefix(output).map(Path::to_path_buf) else {
            continue;
        };
        if let Some(count) = rel.parent().and_then(|folder| found.folders.get_mut(folder)) {
            *count += 1;
        }
        if carried.contains(rel.as_path()) {
            found.carried_met += 1;
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_dir() {
            found.folders.insert(rel, 0);
        } else if is_stale(&rel) {
            found.stale.push(rel);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` in order as the complete new content of `output`, atomically (in
    /// order, as a build writes a static file after the page it replaces).
    fn write_site(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
        let staging = Staging::new(output)?;
        files.iter().try_for_each(|file| staging.write(file))?;
        staging.commit(&[])
    }

    /// A temporary folder and the output path `public` in it (not made yet).
    fn new_output() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        (tmp, out)
    }

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_first_build_that_finds_its_output_made_meanwhile_says_so_and_leaves_it() {
        let (_tmp, out) = new_output();
        let first = Staging::new(&out).unwrap();
        first.write(&file("index.html", "first")).unwrap();
        write_site(&out, &[file("index.html", "second")]).unwrap();
        let e = first.commit(&[]).unwrap_err();
        assert!(
            e.to_string().contains("another build wrote this output meanwhile"),
            "{e}"
        );
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "second");
    }

    #[test]
    fn replaces_previous_output_completely() {
        let (tmp, out) = new_output();
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
        let (_tmp, out) = new_output();
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
        // Deeper down alike: a carried file stays, one that is not there fails.
        assert!(carry("4", &["keep/a/gone.html".to_string()]).is_err());
        // A carried path inside a carried folder is not met by the reading: checked alike.
        assert!(carry("4", &["keep".to_string(), "keep/a/gone.html".to_string()]).is_err());
        carry(
            "4",
            &[
                "keep".to_string(),
                "keep/a/index.html".to_string(),
                "keep.txt".to_string(),
            ],
        )
        .unwrap();
        assert_eq!(fs::read_to_string(out.join("keep.txt")).unwrap(), "k");
        carry("5", &["keep/a/index.html".to_string()]).unwrap();
        assert_eq!(fs::read_to_string(out.join("keep/a/index.html")).unwrap(), "kept");
        assert!(!out.join("keep.txt").exists());
        assert_eq!(fs::read_to_string(out.join("x")).unwrap(), "5");
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_left_in_place() {
        use std::os::unix::fs::MetadataExt;
        let (tmp, out) = new_output();
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

    /// Every file under `dir` with its text, and every folder (as `path/`), sorted.
    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                match e.file_type().is_dir() {
                    true => (format!("{rel}/"), String::new()),
                    false => (rel, fs::read_to_string(e.path()).unwrap()),
                }
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn files_and_folders_trade_places_and_emptied_folders_go() {
        let (tmp, out) = new_output();
        let old = [
            file("a", "a file"),
            file("b/index.html", "b"),
            file("gone/deep/index.html", "g"),
            file("kept/x.html", "x"),
            file("kept/stale.html", "s"),
        ];
        write_site(&out, &old).unwrap();
        let new = [
            file("a/index.html", "now a folder"),
            file("b", "now a file"),
            file("kept/x.html", "x"),
        ];
        write_site(&out, &new).unwrap();
        let want: Vec<(String, String)> = [
            ("a/", ""),
            ("a/index.html", "now a folder"),
            ("b", "now a file"),
            ("kept/", ""),
            ("kept/x.html", "x"),
        ]
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
        assert_eq!(tree(&out), want);
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "nothing left beside the output"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_kept_behind_a_link_of_the_previous_output_is_not_lost() {
        let (tmp, out) = new_output();
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("page.html"), "same").unwrap();
        write_site(&out, &[file("index.html", "home")]).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("linked")).unwrap();
        write_site(&out, &[file("index.html", "home"), file("linked/page.html", "same")]).unwrap();
        assert!(!fs::symlink_metadata(out.join("linked")).unwrap().is_symlink());
        assert_eq!(fs::read_to_string(out.join("linked/page.html")).unwrap(), "same");
        assert_eq!(
            fs::read_to_string(elsewhere.join("page.html")).unwrap(),
            "same",
            "the link's target is left alone"
        );
    }

    #[test]
    fn a_path_written_twice_holds_its_last_bytes() {
        let (_tmp, out) = new_output();
        // A page and then a static file of the same path: the static file wins, whether the
        // previous output had the page's bytes, the static file's, or other ones.
        for previous in ["page", "static", "other"] {
            write_site(&out, &[file("404.html", previous)]).unwrap();
            write_site(&out, &[file("404.html", "page"), file("404.html", "static")]).unwrap();
            assert_eq!(
                fs::read_to_string(out.join("404.html")).unwrap(),
                "static",
                "after {previous}"
            );
        }
    }

    #[test]
    fn empty_folders_of_the_previous_output_go_and_carried_ones_stay() {
        let (_tmp, out) = new_output();
        write_site(&out, &[file("index.html", "home"), file("kept/a/page.html", "a")]).unwrap();
        fs::create_dir_all(out.join("old/img/empty")).unwrap();
        fs::create_dir_all(out.join("kept/empty")).unwrap();
        let staging = Staging::new(&out).unwrap();
        staging.write(&file("index.html", "home")).unwrap();
        staging.commit(&["kept".to_string()]).unwrap();
        let want: Vec<(String, String)> = [
            ("index.html", "home"),
            ("kept/", ""),
            ("kept/a/", ""),
            ("kept/a/page.html", "a"),
            ("kept/empty/", ""),
        ]
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
        assert_eq!(tree(&out), want);
    }

    #[cfg(unix)]
    #[test]
    fn a_carried_path_behind_a_link_stays() {
        let (tmp, out) = new_output();
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir_all(elsewhere.join("r1")).unwrap();
        fs::write(elsewhere.join("r1/index.html"), "release").unwrap();
        write_site(&out, &[file("index.html", "home")]).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("releases")).unwrap();
        let staging = Staging::new(&out).unwrap();
        staging.write(&file("index.html", "home")).unwrap();
        staging.write(&file("releases/index.html", "list")).unwrap();
        staging.commit(&["releases/r1".to_string()]).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("releases/r1/index.html")).unwrap(),
            "release"
        );
        assert_eq!(fs::read_to_string(out.join("releases/index.html")).unwrap(), "list");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_deep_in_the_previous_output_is_set_aside_not_followed() {
        let (tmp, out) = new_output();
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("precious.txt"), "keep").unwrap();
        write_site(
            &out,
            &[file("org/policy/index.html", "page"), file("org/index.html", "org")],
        )
        .unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("org/linked")).unwrap();
        write_site(
            &out,
            &[file("org/policy/index.html", "page"), file("org/index.html", "org")],
        )
        .unwrap();
        assert!(
            fs::symlink_metadata(out.join("org/linked")).is_err(),
            "the stale link goes"
        );
        assert_eq!(fs::read_to_string(elsewhere.join("precious.txt")).unwrap(), "keep");
    }

    #[test]
    fn a_second_build_of_the_same_output_is_refused_and_leftovers_of_stopped_ones_go() {
        let (tmp, out) = new_output();
        write_site(&out, &[file("index.html", "home")]).unwrap();
        let first = Staging::new(&out).unwrap();
        let beside = Staging::new(&tmp.path().join("other")).expect("another output of the folder is free");
        let refused = Staging::new(&out).map(|_| ()).unwrap_err();
        assert!(
            refused.to_string().contains("another build is writing this output"),
            "{refused}"
        );
        drop((first, beside));
        // What a killed build leaves beside the output is removed by the next one.
        for leftover in [".public.building-1", ".public.old-2/files"] {
            fs::create_dir_all(tmp.path().join(leftover).join("a")).unwrap();
        }
        fs::create_dir_all(tmp.path().join(".public.old-notapid")).unwrap();
        write_site(&out, &[file("index.html", "home")]).unwrap();
        let mut beside: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        beside.sort();
        assert_eq!(beside, [".public.old-notapid", "public"]);
    }

    #[test]
    fn a_killed_first_builds_staging_goes_even_without_an_output_but_a_running_ones_stays() {
        let (tmp, out) = new_output();
        let killed = tmp.path().join(".public.building-1");
        let running = tmp.path().join(".public.building-2");
        for staging in [&killed, &running] {
            fs::create_dir_all(staging.join("a")).unwrap();
        }
        let _held = crate::folder_lock::lock_folder(&running, || unreachable!()).unwrap();
        assert!(!out.exists(), "no output yet: nothing to lock");
        write_site(&out, &[file("index.html", "home")]).unwrap();
        assert!(!killed.exists(), "the staging folder of a killed build goes");
        assert!(running.join("a").is_dir(), "the one a running build holds stays");
    }

    #[test]
    fn a_commit_that_changes_a_file_changes_the_output_folders_time() {
        let (_tmp, out) = new_output();
        write_site(&out, &[file("a/b/index.html", "one")]).unwrap();
        let long_ago = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        fs::File::open(&out).unwrap().set_modified(long_ago).unwrap();
        write_site(&out, &[file("a/b/index.html", "one")]).unwrap();
        assert_eq!(
            fs::metadata(&out).unwrap().modified().unwrap(),
            long_ago,
            "nothing moved"
        );
        write_site(&out, &[file("a/b/index.html", "two")]).unwrap();
        assert_ne!(fs::metadata(&out).unwrap().modified().unwrap(), long_ago);
    }

    #[test]
    fn a_commit_that_fails_half_way_puts_the_previous_output_back() {
        let (tmp, out) = new_output();
        let old = [
            file("index.html", "old home"),
            file("old/page.html", "stale"),
            file("same.html", "same"),
            file("b", "a file that becomes a folder"),
        ];
        write_site(&out, &old).unwrap();
        let before = tree(&out);
        let staging = Staging::new(&out).unwrap();
        for f in [
            file("index.html", "new home"),
            file("same.html", "same"),
            file("b/index.html", "new"),
            file("new/deep/page.html", "new"),
            file("z.html", "the last to be moved"),
        ] {
            staging.write(&f).unwrap();
        }
        // The last move fails: its staged file is gone.
        fs::remove_file(staging.dir.join("z.html")).unwrap();
        let error = staging.commit(&[]).unwrap_err();
        assert!(error.to_string().contains("z.html"), "{error}");
        assert_eq!(tree(&out), before);
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "nothing left beside the output"
        );
    }

    #[test]
    fn refuses_to_overwrite_the_hub() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("content")).unwrap();
        assert!(guard_output(tmp.path(), tmp.path()).is_err());
        assert!(guard_output(tmp.path(), &tmp.path().join("content/x")).is_err());
        assert!(guard_output(tmp.path(), &tmp.path().join("public")).is_ok());
    }

    #[test]
    fn refuses_a_folder_of_someone_elses_files_and_keeps_hidden_entries() {
        let tmp = tempfile::tempdir().unwrap();
        let (hub, out) = (tmp.path().join("hub"), tmp.path().join("home"));
        fs::create_dir_all(out.join("Documents")).unwrap();
        fs::write(out.join("Documents/thesis.tex"), "thesis").unwrap();
        let refused = guard_output(&hub, &out).unwrap_err();
        assert!(refused.message.contains("not a site policyhub built"), "{refused:?}");
        assert_eq!(fs::read_to_string(out.join("Documents/thesis.tex")).unwrap(), "thesis");
        // A folder with only hidden entries (a new worktree of a publishing branch) is fine,
        // and a build keeps them, as it keeps those of a site it built before.
        fs::remove_dir_all(out.join("Documents")).unwrap();
        fs::create_dir_all(out.join(".git")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref").unwrap();
        fs::write(out.join(".nojekyll"), "").unwrap();
        assert!(guard_output(&hub, &out).is_ok());
        let site = [file("index.html", "one"), file("search-index/meta.json", "{}")];
        write_site(&out, &site).unwrap();
        assert!(guard_output(&hub, &out).is_ok(), "a site policyhub built");
        write_site(&out, &[file("index.html", "two"), file("search-index/meta.json", "{}")]).unwrap();
        assert_eq!(fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref");
        assert!(out.join(".nojekyll").exists());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
    }
}
