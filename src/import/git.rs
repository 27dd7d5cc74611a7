//! Reading what a git branch published (gix, pure Rust: no `git` program needed; the only reader
//! of git repositories, as `export/repository.rs` is the only writer): HEAD's first-parent chain
//! with each commit's day in its committer's own time zone, the blob a document's path holds at
//! each commit, blobs' bytes, and the folders of the latest tree. It never writes to the
//! repository.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use gix::bstr::{BString, ByteSlice};
use gix::ObjectId;

use crate::content::Date;
use crate::error::Diagnostic;

/// One commit of the first-parent chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Commit {
    /// Its full hexadecimal id.
    pub id: String,
    /// Its root tree.
    tree: ObjectId,
    /// The calendar day of its committer date, in the committer's time zone.
    pub day: Date,
}

#[cfg(test)]
impl Commit {
    /// A commit of no repository, for tests of what is made of commits.
    pub(crate) fn for_tests(id: &str, day: Date) -> Commit {
        Commit {
            id: id.to_string(),
            tree: ObjectId::null(gix::hash::Kind::Sha1),
            day,
        }
    }
}

/// A repository opened for reading.
pub(super) struct Repository {
    repo: gix::Repository,
    path: PathBuf,
    trees: HashMap<ObjectId, Rc<Entries>>,
}

/// A tree's entries by name: the object and what it is.
type Entries = HashMap<BString, (ObjectId, Entry)>;

/// What a tree entry is, as far as an import cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Tree,
    /// A file (executable or not): a capture may be there.
    File,
    /// A symbolic link or a submodule: never a capture (a link's blob is the path it points to).
    Other,
}

/// Trees kept decoded at most (a root tree changes with every commit; folders rarely do).
const TREE_CACHE: usize = 4096;

impl Repository {
    /// Opens the repository (a work tree or a bare repository) at `path`.
    pub(super) fn open(path: &Path) -> Result<Repository, Diagnostic> {
        let repo = gix::open(path).map_err(|e| {
            let why = if path.exists() {
                format!("not a git repository: {e}")
            } else {
                "no such folder".to_string()
            };
            Diagnostic::new(path, format!("cannot open the repository: {why}"))
                .hint("pass the folder of a git clone (`git clone URL DIR`; a bundle: `git clone FILE.bundle DIR`)")
        })?;
        // Versions of one document are deltas of each other in a pack: caching decoded objects
        // spares re-inflating the same delta bases for every version.
        let mut repo = repo;
        repo.object_cache_size_if_unset(32 * 1024 * 1024);
        Ok(Repository {
            repo,
            path: path.to_path_buf(),
            trees: HashMap::new(),
        })
    }

    /// HEAD's first-parent chain, oldest first: what the branch published, a merged pull
    /// request being one commit.
    pub(super) fn first_parent_chain(&self) -> Result<Vec<Commit>, Diagnostic> {
        let head = self.repo.head_commit().map_err(|e| {
            Diagnostic::new(&self.path, format!("the repository has no commit to read: {e}"))
                .hint("pass a repository whose current branch has commits")
        })?;
        let mut chain = Vec::new();
        let mut next = Some(head.id);
        while let Some(id) = next {
            let commit = self.repo.find_commit(id).map_err(|e| self.broken(e))?;
            let time = commit.time().map_err(|e| self.broken(e))?;
            let local_day = (time.seconds + i64::from(time.offset)).div_euclid(86_400);
            let day = Date::from_days_since_epoch(local_day).ok_or_else(|| {
                Diagnostic::new(
                    &self.path,
                    format!("commit {id} has an impossible date ({})", time.seconds),
                )
            })?;
            chain.push(Commit {
                id: id.to_string(),
                tree: commit.tree_id().map_err(|e| self.broken(e))?.detach(),
                day,
            });
            next = commit.parent_ids().next().map(|p| p.detach());
        }
        chain.reverse();
        Ok(chain)
    }

    /// The blob at `path` (slash-separated, from the root) in `commit`'s tree, if a file is there
    /// (not a symbolic link).
    pub(super) fn blob_at(&mut self, commit: &Commit, path: &str) -> Result<Option<ObjectId>, Diagnostic> {
        let mut tree = commit.tree;
        let mut parts = path.split('/').filter(|p| !p.is_empty()).peekable();
        while let Some(part) = parts.next() {
            let entries = self.entries(tree)?;
            // A name that is not UTF-8 was listed as its lossy reading (`Bad\u{fffd}Name`).
            let by_lossy_name = || entries.iter().find(|(name, _)| name.to_str_lossy() == part);
            let found = match entries.get(part.as_bytes().as_bstr()) {
                Some(found) => Some(found),
                None if part.contains('\u{fffd}') => by_lossy_name().map(|(_, found)| found),
                None => None,
            };
            let Some(&(id, entry)) = found else {
                return Ok(None);
            };
            match (parts.peek().is_some(), entry) {
                (true, Entry::Tree) => tree = id,
                (false, Entry::File) => return Ok(Some(id)),
                _ => return Ok(None),
            }
        }
        Ok(None)
    }

    /// A blob's bytes.
    pub(super) fn blob(&self, id: ObjectId) -> Result<Vec<u8>, Diagnostic> {
        let blob = self.repo.find_blob(id).map_err(|e| self.broken(e))?;
        Ok(blob.data.clone())
    }

    /// The latest tree's folders at the root, each with the names of the files directly in it,
    /// sorted by name.
    pub(super) fn folders_at_head(&mut self) -> Result<Vec<(String, Vec<String>)>, Diagnostic> {
        let root = {
            let head = self.repo.head_commit().map_err(|e| self.broken(e))?;
            let tree = head.tree_id().map_err(|e| self.broken(e))?.detach();
            tree
        };
        let mut folders = Vec::new();
        for (name, (id, entry)) in self.entries(root)?.iter() {
            // A hidden folder (`.github/` and its templates) is the repository's, not a service.
            if *entry != Entry::Tree || name.starts_with(b".") {
                continue;
            }
            let mut files: Vec<String> = self
                .entries(*id)?
                .iter()
                .filter(|(_, (_, entry))| *entry == Entry::File)
                .map(|(name, _)| name.to_str_lossy().into_owned())
                .collect();
            files.sort();
            folders.push((name.to_str_lossy().into_owned(), files));
        }
        folders.sort();
        Ok(folders)
    }

    /// The names of the folders at the root of `commit`'s tree (hidden ones aside).
    pub(super) fn root_folders(&mut self, commit: &Commit) -> Result<Vec<String>, Diagnostic> {
        let entries = self.entries(commit.tree)?;
        let mut folders: Vec<String> = entries
            .iter()
            .filter(|(name, (_, entry))| *entry == Entry::Tree && !name.starts_with(b"."))
            .map(|(name, _)| name.to_str_lossy().into_owned())
            .collect();
        folders.sort();
        Ok(folders)
    }

    /// A tree's entries, decoded once while they are in the cache.
    fn entries(&mut self, tree: ObjectId) -> Result<Rc<Entries>, Diagnostic> {
        if let Some(entries) = self.trees.get(&tree) {
            return Ok(Rc::clone(entries));
        }
        let object = self.repo.find_tree(tree).map_err(|e| self.broken(e))?;
        let decoded = object.decode().map_err(|e| self.broken(e))?;
        let entries: Entries = decoded
            .entries
            .iter()
            .map(|e| {
                let entry = if e.mode.is_tree() {
                    Entry::Tree
                } else if e.mode.is_blob() {
                    Entry::File
                } else {
                    Entry::Other
                };
                (e.filename.to_owned(), (e.oid.to_owned(), entry))
            })
            .collect();
        if self.trees.len() >= TREE_CACHE {
            self.trees.clear();
        }
        let entries = Rc::new(entries);
        self.trees.insert(tree, Rc::clone(&entries));
        Ok(entries)
    }

    /// The error for a repository whose objects cannot be read.
    fn broken(&self, e: impl std::fmt::Display) -> Diagnostic {
        Diagnostic::new(&self.path, format!("cannot read the repository: {e}"))
            .hint("check the clone with `git fsck`; a shallow or partial clone lacks history: clone it in full")
    }
}
