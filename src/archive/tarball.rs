//! Deterministic `.tar.gz` (the only user of `tar` and `flate2`): entries sorted by path under
//! one `site/` folder, regular files only, mode 0644, uid/gid 0, no owner names, mtime 0, a gzip
//! header without name or time. The same files always give the same bytes, on any machine.
//! Reading streams the files, and refuses anything but plain files at safe relative paths.

use std::io::{Read, Write};

use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};
use tar::{Archive, Builder, EntryType, Header};

use super::TARBALL_ROOT;

/// Packs `files` (site-relative path, bytes) into a gzip-compressed tarball.
pub fn pack<P: AsRef<str>, B: AsRef<[u8]>>(files: &[(P, B)]) -> Result<Vec<u8>, String> {
    let mut sorted: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_ref(), b.as_ref())).collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut tarball = TarWriter::new(Vec::new());
    for (path, bytes) in sorted {
        tarball.add(path, bytes.len() as u64, bytes)?;
    }
    tarball.finish()
}

/// A tarball written as its files come, to any writer: [`pack`] in a stream, for a caller
/// that reads the files one at a time and gives them sorted by path (the order that makes
/// the same files give the same bytes).
pub(crate) struct TarWriter<W: Write> {
    builder: Builder<GzEncoder<W>>,
}

impl<W: Write> TarWriter<W> {
    /// A tarball written to `out`.
    pub(crate) fn new(out: W) -> Self {
        TarWriter {
            builder: Builder::new(GzBuilder::new().mtime(0).write(out, Compression::best())),
        }
    }

    /// Adds the file at site-relative `path`: `size` bytes read from `data`.
    pub(crate) fn add(&mut self, path: &str, size: u64, data: impl Read) -> Result<(), String> {
        if !is_safe_path(path) {
            return Err(format!("unsafe path in the site: `{}`", path.escape_debug()));
        }
        let mut header = Header::new_ustar();
        header.set_entry_type(EntryType::Regular);
        header.set_size(size);
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(0);
        let full = format!("{TARBALL_ROOT}/{path}");
        // Exactly `size` bytes, or an error: a short file would shift every entry after it.
        let mut data = data.take(size);
        let added = self.builder.append_data(&mut header, &full, &mut data);
        let short = added.is_ok() && data.limit() > 0;
        added
            .map_err(|e| format!("cannot add `{full}` to the tarball: {e}"))
            .and_then(|()| match short {
                true => Err(format!(
                    "cannot add `{full}` to the tarball: it was shorter than {size} bytes"
                )),
                false => Ok(()),
            })
    }

    /// Ends the tarball; returns the writer it went to.
    pub(crate) fn finish(self) -> Result<W, String> {
        let encoder = self
            .builder
            .into_inner()
            .map_err(|e| format!("cannot finish the tarball: {e}"))?;
        encoder
            .finish()
            .map_err(|e| format!("cannot compress the tarball: {e}"))
    }
}

/// Reads a tarball made by [`pack`] back into (site-relative path, bytes), in archive order:
/// the whole site in memory (for tests and small sites; see [`for_each_file`]).
pub fn unpack(gz: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    for_each_file(gz, |path, size, entry| {
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(1 << 26));
        entry.read_to_end(&mut bytes)?;
        files.push((path.to_string(), bytes));
        Ok(())
    })?;
    Ok(files)
}

/// Streams a tarball made by [`pack`]: `each` gets every file's site-relative path, size and
/// reader, in archive order, so that a caller that only hashes holds one buffer, not the site.
/// The gzip stream is read to its end, which checks its CRC-32 and length: a damaged tarball
/// is an error, though `each` may have seen its first files.
pub fn for_each_file(
    gz: impl Read,
    mut each: impl FnMut(&str, u64, &mut dyn Read) -> std::io::Result<()>,
) -> Result<(), String> {
    let unreadable = |e: std::io::Error| format!("not a readable tarball: {e}");
    let mut archive = Archive::new(GzDecoder::new(gz));
    for entry in archive.entries().map_err(unreadable)? {
        let mut entry = entry.map_err(unreadable)?;
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        match entry.header().entry_type() {
            EntryType::Regular => {}
            EntryType::Directory => continue,
            other => return Err(format!("`{raw}` is not a plain file ({other:?})")),
        }
        let path = raw
            .strip_prefix(TARBALL_ROOT)
            .and_then(|p| p.strip_prefix('/'))
            .filter(|p| is_safe_path(p))
            .ok_or_else(|| format!("`{raw}` is not a safe path under {TARBALL_ROOT}/"))?
            .to_string();
        let size = entry.size();
        each(&path, size, &mut entry).map_err(|e| format!("cannot read `{raw}` from the tarball: {e}"))?;
    }
    std::io::copy(&mut archive.into_inner(), &mut std::io::sink())
        .map_err(|e| format!("not a readable gzip stream: {e}"))?;
    Ok(())
}

/// A relative path of plain components: no empty, `.` or `..` part, no leading `/`, no NUL.
pub(super) fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\0', '\\'])
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Vec<(String, Vec<u8>)> {
        vec![
            ("index.html".into(), b"<p>home</p>".to_vec()),
            ("a/very/long/".repeat(12) + "index.html", b"deep".to_vec()),
            ("style.css".into(), Vec::new()),
        ]
    }

    #[test]
    fn round_trips_sorted() {
        let gz = pack(&site()).unwrap();
        let files = unpack(&gz).unwrap();
        let mut expected = site();
        expected.sort();
        assert_eq!(files, expected);
    }

    #[test]
    fn same_files_same_bytes_in_any_order() {
        let mut reversed = site();
        reversed.reverse();
        assert_eq!(pack(&site()).unwrap(), pack(&reversed).unwrap());
    }

    #[test]
    fn refuses_unsafe_paths() {
        for bad in ["../x", "/etc/passwd", "a//b", "a/./b", ""] {
            assert!(pack(&[(bad.to_string(), Vec::new())]).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_streamed_tarball_is_the_packed_one_and_refuses_a_short_file() {
        let mut sorted = site();
        sorted.sort();
        let mut tarball = TarWriter::new(Vec::new());
        for (path, bytes) in &sorted {
            tarball.add(path, bytes.len() as u64, bytes.as_slice()).unwrap();
        }
        assert_eq!(tarball.finish().unwrap(), pack(&site()).unwrap());
        let mut short = TarWriter::new(Vec::new());
        let error = short.add("index.html", 10, &b"12345"[..]).unwrap_err();
        assert!(error.contains("shorter than 10 bytes"), "{error}");
    }

    #[test]
    fn damaged_tarball_is_an_error() {
        let mut gz = pack(&site()).unwrap();
        let middle = gz.len() / 2;
        gz[middle] ^= 1;
        assert!(unpack(&gz).is_err());
    }
}
