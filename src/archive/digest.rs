//! SHA-256 (the only user of `sha2`) and the manifest format that `sha256sum -c` reads:
//! one `HASH  PATH` line per file, two spaces, paths sorted, LF line ends.

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes` as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for &byte in digest {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    hex
}

/// The SHA-256 of what `reader` gives, as [`sha256_hex`] writes it, and its length.
pub(crate) fn sha256_of_reader(reader: &mut dyn std::io::Read) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let length = std::io::copy(reader, &mut hasher)?;
    Ok((hex(&hasher.finalize()), length))
}

/// A writer that hands its bytes on to another and hashes (SHA-256) and counts them on the
/// way: a file's hash as it is written, without reading it back.
pub(crate) struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    written: u64,
}

impl<W: std::io::Write> HashingWriter<W> {
    pub(crate) fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            written: 0,
        }
    }

    /// The writer, and the hash (as [`sha256_hex`] writes it) and length of what went to it.
    pub(crate) fn finish(self) -> (W, String, u64) {
        (self.inner, hex(&self.hasher.finalize()), self.written)
    }
}

impl<W: std::io::Write> std::io::Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Refuses a path the manifest cannot hold as it is: one with a newline or a backslash
/// (which `sha256sum` would escape).
pub(crate) fn check_manifest_path(path: &str) -> Result<(), String> {
    match path.contains(['\n', '\r', '\\']) {
        true => Err(format!(
            "the file name `{}` holds a newline or a backslash",
            path.escape_debug()
        )),
        false => Ok(()),
    }
}

/// The manifest of (path, SHA-256 hex) pairs that the caller sorted by path and checked with
/// [`check_manifest_path`].
pub(crate) fn manifest_of_hashes<'a>(lines: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut text = String::new();
    for (path, hash) in lines {
        text.push_str(hash);
        text.push_str("  ");
        text.push_str(path);
        text.push('\n');
    }
    text
}

/// Reads a manifest into (path, hash) pairs in file order. An error names the 1-based line.
pub(crate) fn parse_manifest(text: &str) -> Result<Vec<(String, String)>, (usize, String)> {
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let bad = |why: &str| (index + 1, why.to_string());
        let (hash, path) = line
            .split_once("  ")
            .ok_or_else(|| bad("expected `HASH  PATH` (64 hex digits, two spaces, a path)"))?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(bad("the hash is not 64 lowercase hex digits"));
        }
        if path.is_empty() {
            return Err(bad("the path is empty"));
        }
        entries.push((path.to_string(), hash.to_string()));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_hashing_writer_hashes_what_it_passes_on() {
        use std::io::Write;
        let mut writer = HashingWriter::new(Vec::new());
        writer.write_all(b"ab").unwrap();
        writer.write_all(b"c").unwrap();
        let (inner, hash, length) = writer.finish();
        assert_eq!((inner.as_slice(), hash, length), (&b"abc"[..], sha256_hex(b"abc"), 3));
    }

    #[test]
    fn manifest_round_trips() {
        let (a, b) = (sha256_hex(b"a"), sha256_hex(b"b"));
        let text = manifest_of_hashes([("a/x.html", a.as_str()), ("b.txt", b.as_str())].into_iter());
        assert!(text.starts_with(&format!("{}  a/x.html\n", sha256_hex(b"a"))), "{text}");
        let parsed = parse_manifest(&text).unwrap();
        assert_eq!(parsed[1], ("b.txt".to_string(), b));
    }

    #[test]
    fn malformed_manifest_names_the_line() {
        let text = format!("{}  a\nnonsense\n", sha256_hex(b""));
        assert_eq!(parse_manifest(&text).unwrap_err().0, 2);
        for bad in ["a\nb", "a\rb", "a\\b"] {
            assert!(check_manifest_path(bad).is_err(), "{bad:?}");
        }
        assert!(check_manifest_path("a/b c.html").is_ok());
    }
}
