//! Cache files on disk: a header (magic, format, the key the payload was made for, its length
//! and checksum) and a postcard payload. A file is read back only when all of the header
//! holds, and written atomically (a temporary file renamed into place).

use std::cell::RefCell;
use std::fs;
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::fingerprint::{hash_bytes, Hash};

const MAGIC: &[u8; 16] = b"policyhub-cache\n";
/// Bumped whenever the layout of a cached value changes.
const FORMAT: u32 = 2;
const HEADER: usize = MAGIC.len() + 4 + 16 + 8 + 16;

/// Why a cache file was not used.
#[derive(Debug)]
pub(crate) enum Unusable {
    /// There is none.
    Missing,
    /// It was made for other inputs or by another version of policyhub.
    Stale,
    /// It cannot be read or is damaged.
    Corrupt(String),
}

/// Writes `value` for `key` at `path`, replacing any previous file only once complete.
pub(crate) fn write<T: Serialize>(path: &Path, key: Hash, value: &T) -> io::Result<()> {
    let payload = postcard::to_stdvec(value).map_err(io::Error::other)?;
    let mut bytes = Vec::with_capacity(HEADER + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(&key.to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&hash_bytes(&payload).to_le_bytes());
    bytes.extend_from_slice(&payload);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    // One name per write: two threads may write the same file (the last rename wins).
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    let temporary = path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()));
    fs::write(&temporary, &bytes)?;
    fs::rename(&temporary, path).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}

/// Reads the value written for `key` at `path` (a file made for another key is refused
/// after its header, unread).
pub(crate) fn read<T: DeserializeOwned>(path: &Path, key: Hash) -> Result<T, Unusable> {
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        let value = read_into(path, key, buffer);
        if buffer.capacity() > KEPT_BUFFER {
            *buffer = Vec::new();
        }
        value
    })
}

thread_local! {
    /// The bytes of the last file this thread read, its memory kept for the next: a rebuild
    /// reads a summary per organisation, and fresh memory for each is a page fault a page.
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Up to how many bytes of memory [`BUFFER`] keeps between reads.
const KEPT_BUFFER: usize = 4 << 20;

/// [`read`], the file's bytes read into `bytes`.
fn read_into<T: DeserializeOwned>(path: &Path, key: Hash, bytes: &mut Vec<u8>) -> Result<T, Unusable> {
    match read_for(path, key, bytes) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(e) if e.kind() == io::ErrorKind::InvalidData => return Err(Unusable::Stale),
        Err(e) => return Err(Unusable::Corrupt(format!("cannot read it: {e}"))),
    };
    let corrupt = |why: &str| Unusable::Corrupt(why.to_string());
    if bytes.len() < HEADER || &bytes[..MAGIC.len()] != MAGIC {
        return Err(corrupt("it is not a policyhub cache file"));
    }
    let field = |at: usize, len: usize| &bytes[MAGIC.len() + at..MAGIC.len() + at + len];
    let format = u32::from_le_bytes(field(0, 4).try_into().unwrap_or_default());
    let stored_key = u128::from_le_bytes(field(4, 16).try_into().unwrap_or_default());
    let len = u64::from_le_bytes(field(20, 8).try_into().unwrap_or_default());
    let checksum = u128::from_le_bytes(field(28, 16).try_into().unwrap_or_default());
    if format != FORMAT || stored_key != key {
        return Err(Unusable::Stale);
    }
    let payload = &bytes[HEADER..];
    if payload.len() as u64 != len || hash_bytes(payload) != checksum {
        return Err(corrupt("it is truncated or damaged"));
    }
    postcard::from_bytes(payload).map_err(|e| Unusable::Corrupt(format!("it cannot be decoded: {e}")))
}

/// The bytes of the file at `path` into `bytes` (empty), unless its header names another key
/// or format (`InvalidData`); a file too short for a header is read whole, for [`read`] to
/// refuse.
fn read_for(path: &Path, key: Hash, bytes: &mut Vec<u8>) -> io::Result<()> {
    // Opening a pipe would wait for a writer that never comes.
    if !fs::metadata(path)?.is_file() {
        return Err(io::Error::other("not a plain file"));
    }
    let mut file = fs::File::open(path)?;
    (&mut file).take(HEADER as u64).read_to_end(bytes)?;
    if bytes.len() == HEADER && &bytes[..MAGIC.len()] == MAGIC {
        let at = MAGIC.len();
        let format = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or_default());
        let stored = u128::from_le_bytes(bytes[at + 4..at + 20].try_into().unwrap_or_default());
        if format != FORMAT || stored != key {
            return Err(io::ErrorKind::InvalidData.into());
        }
    }
    file.read_to_end(bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_it_wrote_for_the_same_key_only() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("deep/x.bin");
        write(&path, 7, &vec!["a".to_string(), "b".to_string()]).unwrap();
        assert_eq!(read::<Vec<String>>(&path, 7).unwrap(), ["a", "b"]);
        assert!(matches!(read::<Vec<String>>(&path, 8), Err(Unusable::Stale)));
        assert!(matches!(
            read::<Vec<String>>(&tmp.path().join("none"), 7),
            Err(Unusable::Missing)
        ));
    }

    #[test]
    fn damaged_files_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("x.bin");
        write(&path, 7, &"some text".to_string()).unwrap();
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        fs::write(&path, &bytes).unwrap();
        assert!(matches!(read::<String>(&path, 7), Err(Unusable::Corrupt(_))));
        fs::write(&path, &bytes[..HEADER + 2]).unwrap();
        assert!(matches!(read::<String>(&path, 7), Err(Unusable::Corrupt(_))));
        fs::write(&path, "not a cache").unwrap();
        assert!(matches!(read::<String>(&path, 7), Err(Unusable::Corrupt(_))));
    }
}
