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

/// The manifest of `files` (path, bytes), sorted by path. A path holding a newline or a
/// backslash (which `sha256sum` would escape) is refused.
pub(crate) fn manifest_text<P: AsRef<str>, B: AsRef<[u8]>>(files: &[(P, B)]) -> Result<String, String> {
    let mut lines: Vec<(&str, String)> = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let (path, bytes) = (path.as_ref(), bytes.as_ref());
        if path.contains(['\n', '\r', '\\']) {
            return Err(format!(
                "the file name `{}` holds a newline or a backslash",
                path.escape_debug()
            ));
        }
        lines.push((path, sha256_hex(bytes)));
    }
    lines.sort();
    let mut text = String::with_capacity(lines.len() * 100);
    for (path, hash) in lines {
        text.push_str(&hash);
        text.push_str("  ");
        text.push_str(path);
        text.push('\n');
    }
    Ok(text)
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
    fn manifest_round_trips_sorted() {
        let files = vec![
            ("b.txt".to_string(), b"b".to_vec()),
            ("a/x.html".to_string(), b"a".to_vec()),
        ];
        let text = manifest_text(&files).unwrap();
        assert!(text.starts_with(&format!("{}  a/x.html\n", sha256_hex(b"a"))), "{text}");
        let parsed = parse_manifest(&text).unwrap();
        assert_eq!(parsed[1], ("b.txt".to_string(), sha256_hex(b"b")));
    }

    #[test]
    fn malformed_manifest_names_the_line() {
        let text = format!("{}  a\nnonsense\n", sha256_hex(b""));
        assert_eq!(parse_manifest(&text).unwrap_err().0, 2);
        assert!(manifest_text(&[("a\nb".to_string(), Vec::new())]).is_err());
    }
}
