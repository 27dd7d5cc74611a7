//! Fingerprints of a build's inputs: a content hash (xxh3, 128 bits) per file, taken again
//! only when the file's size or modification time moved since the last build (as git's index
//! does), and one hash per organisation, per source folder and for the settings.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::content::OrgFiles;
use crate::digest::{digest, Digester};

/// A 128-bit content hash.
pub(crate) type Hash = u128;

/// What a build knew of one input file: what the file system said of it when it was hashed
/// (size, modification and change times, inode: as git's index keeps), and the hash of its
/// bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    seen: Seen,
    hash: Hash,
}

/// What the file system says of a file, cheaply (one `stat`): when it differs, the file may
/// have changed. The change time moves with any write, even one that restores the
/// modification time (`cp -p`, `rsync -t`, `tar x`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Seen {
    len: u64,
    modified: i128,
    changed: i128,
    inode: u64,
}

impl Seen {
    /// What the file system says now of the file at `path`.
    pub(crate) fn of(path: &Path) -> io::Result<Seen> {
        let meta = fs::metadata(path)?;
        let (changed, inode) = change_and_inode(&meta);
        Ok(Seen {
            len: meta.len(),
            modified: nanos(meta.modified()?),
            changed,
            inode,
        })
    }

    /// The latest of the modification and change times.
    pub(crate) fn latest(&self) -> i128 {
        self.modified.max(self.changed)
    }
}

impl Stamp {
    /// What the file system said of the file when it was hashed.
    pub(crate) fn seen(&self) -> Seen {
        self.seen
    }
}

#[cfg(unix)]
fn change_and_inode(meta: &fs::Metadata) -> (i128, u64) {
    use std::os::unix::fs::MetadataExt;
    (
        meta.ctime() as i128 * 1_000_000_000 + meta.ctime_nsec() as i128,
        meta.ino(),
    )
}

#[cfg(not(unix))]
fn change_and_inode(_: &fs::Metadata) -> (i128, u64) {
    (0, 0)
}

/// Input files' stamps, by path relative to the hub.
pub(crate) type Stamps = Vec<(PathBuf, Stamp)>;

/// A file modified this close to the moment its stamp was recorded may change again within
/// the same clock tick: its bytes are hashed again rather than trusted.
const RACY: Duration = Duration::from_secs(2);

/// The hash of `bytes`.
pub(crate) fn hash_bytes(bytes: &[u8]) -> Hash {
    digest(bytes)
}

/// Nanoseconds since 1970 (negative before).
pub(crate) fn nanos(time: SystemTime) -> i128 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_nanos() as i128,
        Err(before) => -(before.duration().as_nanos() as i128),
    }
}

/// Stamps input files, reusing the previous build's hashes where a file's size and
/// modification time are those it had then (and were not racy).
pub(crate) struct Stamper<'a> {
    previous: &'a HashMap<PathBuf, Stamp>,
    /// When the previous stamps were recorded (nanoseconds since 1970).
    recorded: i128,
}

impl<'a> Stamper<'a> {
    pub(crate) fn new(previous: &'a HashMap<PathBuf, Stamp>, recorded: i128) -> Self {
        Stamper { previous, recorded }
    }

    /// The stamp of the file at `path` (`rel` names it in the table).
    pub(crate) fn stamp(&self, path: &Path, rel: &Path) -> io::Result<Stamp> {
        let seen = Seen::of(path)?;
        let settled = seen.latest() + (RACY.as_nanos() as i128) < self.recorded;
        if let Some(old) = self.previous.get(rel) {
            if settled && old.seen == seen {
                return Ok(*old);
            }
        }
        let bytes = fs::read(path)?;
        Ok(Stamp {
            seen,
            hash: hash_bytes(&bytes),
        })
    }

    /// One hash for a list of files (relative to `root`): their names and bytes, in order.
    /// Each file's stamp is added to `stamps`.
    fn hash_files<'p>(
        &self,
        root: &Path,
        files: impl Iterator<Item = &'p Path>,
        stamps: &mut Stamps,
    ) -> io::Result<Hash> {
        let mut hasher = Digester::new();
        for path in files {
            let rel = path.strip_prefix(root).unwrap_or(path);
            let stamp = self.stamp(path, rel)?;
            hasher.update(rel.as_os_str().as_encoded_bytes());
            hasher.update(&[0]);
            hasher.update(&stamp.hash.to_le_bytes());
            stamps.push((rel.to_path_buf(), stamp));
        }
        Ok(hasher.digest128())
    }

    /// The hash of every organisation's files, by slug (in parallel), with their stamps.
    pub(crate) fn orgs(
        &self,
        root: &Path,
        orgs: &BTreeMap<String, OrgFiles>,
    ) -> io::Result<(BTreeMap<String, Hash>, Stamps)> {
        let hashed: Vec<(String, Hash, Stamps)> = orgs
            .par_iter()
            .map(|(slug, files)| {
                let mut stamps = Vec::new();
                let mut hasher = Digester::new();
                // The folders count too: an empty policy folder is an error to report.
                for policy in files.policies() {
                    hasher.update(policy.as_bytes());
                    hasher.update(&[0]);
                }
                let hash = self.hash_files(root, files.paths(), &mut stamps)?;
                hasher.update(&hash.to_le_bytes());
                Ok((slug.clone(), hasher.digest128(), stamps))
            })
            .collect::<io::Result<_>>()?;
        let mut keys = BTreeMap::new();
        let mut all = Vec::new();
        for (slug, hash, stamps) in hashed {
            keys.insert(slug, hash);
            all.extend(stamps);
        }
        Ok((keys, all))
    }

    /// The hash of every file under `root/folder` (none when it does not exist), names and
    /// bytes, in name order (hidden files too: at worst a needless rebuild).
    pub(crate) fn folder(&self, root: &Path, folder: &str, stamps: &mut Stamps) -> io::Result<Hash> {
        let dir = root.join(folder);
        if !dir.is_dir() {
            return Ok(0);
        }
        let mut files = Vec::new();
        for entry in WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(io::Error::other)?;
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
        self.hash_files(root, files.iter().map(PathBuf::as_path), stamps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settled_unchanged_file_keeps_its_hash_and_an_edited_one_is_hashed_again() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.md");
        fs::write(&path, "one").unwrap();
        let none = HashMap::new();
        let later = nanos(SystemTime::now()) + 10 * RACY.as_nanos() as i128;
        let first = Stamper::new(&none, later).stamp(&path, Path::new("a.md")).unwrap();
        assert_eq!(first.hash, hash_bytes(b"one"));

        // Trusted: the file system says the same, settled before the stamps were recorded.
        let mut fake = first;
        fake.hash = 42;
        let previous = HashMap::from([(PathBuf::from("a.md"), fake)]);
        assert_eq!(
            Stamper::new(&previous, later)
                .stamp(&path, Path::new("a.md"))
                .unwrap()
                .hash,
            42
        );
        // Racy: modified right before the stamps were recorded, so hashed again.
        let racy = Stamper::new(&previous, first.seen.latest())
            .stamp(&path, Path::new("a.md"))
            .unwrap();
        assert_eq!(racy.hash, hash_bytes(b"one"));
        // Edited: another size.
        fs::write(&path, "three").unwrap();
        let edited = Stamper::new(&previous, later).stamp(&path, Path::new("a.md")).unwrap();
        assert_eq!(edited.hash, hash_bytes(b"three"));
    }
}
