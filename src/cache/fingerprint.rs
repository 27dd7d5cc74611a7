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

/// What a build knew of one input file: its size and modification time when it was hashed,
/// and the hash of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    len: u64,
    modified: i128,
    hash: Hash,
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
        let meta = fs::metadata(path)?;
        let modified = nanos(meta.modified()?);
        let len = meta.len();
        let settled = modified + (RACY.as_nanos() as i128) < self.recorded;
        if let Some(old) = self.previous.get(rel) {
            if settled && old.len == len && old.modified == modified {
                return Ok(*old);
            }
        }
        let bytes = fs::read(path)?;
        Ok(Stamp {
            len: bytes.len() as u64,
            modified,
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
                let hash = self.hash_files(root, files.paths(), &mut stamps)?;
                Ok((slug.clone(), hash, stamps))
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
    /// bytes, in name order; hidden files are skipped as the build skips them.
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

        // Trusted: same size and time, settled before the stamps were recorded.
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
        let racy = Stamper::new(&previous, first.modified)
            .stamp(&path, Path::new("a.md"))
            .unwrap();
        assert_eq!(racy.hash, hash_bytes(b"one"));
        // Edited: another size.
        fs::write(&path, "three").unwrap();
        let edited = Stamper::new(&previous, later).stamp(&path, Path::new("a.md")).unwrap();
        assert_eq!(edited.hash, hash_bytes(b"three"));
    }
}
