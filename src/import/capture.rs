//! A raw capture as numbered lines: decoding its bytes (UTF-8, byte-order mark, CRLF line ends),
//! refusing what is not text. It reads nothing from disk and knows nothing of what the lines mean.

use std::path::Path;

use crate::error::{line_col, Diagnostic};

/// One line of a capture, without its line end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    /// 1-based line number in the capture as given.
    pub number: usize,
    /// The line's text.
    pub text: String,
}

impl Line {
    /// True when the line holds only whitespace (no-break spaces included).
    pub(super) fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// The capture's bytes as text: UTF-8 without a byte-order mark, `\n` line ends, and no control
/// characters but tabs. Binary, non-UTF-8 and empty captures are refused.
pub(super) fn decode(name: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    if let Some(text) = utf16(name, bytes)? {
        return decode(name, text.as_bytes());
    }
    if bytes.contains(&0) {
        let offset = bytes.iter().position(|&b| b == 0).unwrap_or(0);
        return Err(
            Diagnostic::new(name, format!("this is not a text file (a NUL byte at byte {offset})"))
                .hint("import a text capture: the page's text or a Markdown extract, saved as UTF-8"),
        );
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let (line, column) = line_col(&prefix, valid);
        Diagnostic::new(name, format!("the capture is not valid UTF-8 (byte {valid})"))
            .at(line, column)
            .hint("save the capture as UTF-8 (e.g. `iconv -f windows-1252 -t utf-8`)")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut clean = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    clean.push('\n');
                }
            }
            '\n' | '\t' => clean.push(c),
            c if c.is_control() => clean.push(' '),
            c => clean.push(c),
        }
    }
    if clean.trim().is_empty() {
        return Err(Diagnostic::new(name, "the capture is empty").hint("import a file that holds the policy's text"));
    }
    Ok(clean)
}

/// The text of a capture saved as UTF-16 (as Windows tools write text), told by its byte-order
/// mark; `None` for any other.
fn utf16(name: &Path, bytes: &[u8]) -> Result<Option<String>, Diagnostic> {
    let unit: fn([u8; 2]) -> u16 = match bytes {
        [0xff, 0xfe, ..] => u16::from_le_bytes,
        [0xfe, 0xff, ..] => u16::from_be_bytes,
        _ => return Ok(None),
    };
    let units = bytes[2..].chunks(2).map(|pair| match *pair {
        [a, b] => unit([a, b]),
        _ => 0xdc00, // An odd last byte: a lone surrogate, refused below.
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map(Some)
        .map_err(|_| {
            Diagnostic::new(name, "the capture starts as UTF-16 but is not valid UTF-16")
                .hint("save the capture as UTF-8 (e.g. `iconv -f utf-16 -t utf-8`)")
        })
}

/// The text's lines, numbered from `first_number`.
pub(super) fn lines(text: &str, first_number: usize) -> Vec<Line> {
    text.lines()
        .enumerate()
        .map(|(i, l)| Line {
            number: first_number + i,
            text: l.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> Result<String, Diagnostic> {
        decode(Path::new("capture.txt"), bytes)
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_read() {
        let text = "Privacy — données\r\nWe keep 𝔸 data.\r\n";
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for bytes in [le, be] {
            assert_eq!(decoded(&bytes).unwrap(), "Privacy — données\nWe keep 𝔸 data.\n");
        }
        let broken = decoded(&[0xff, 0xfe, b'a', 0, 0x00, 0xd8]).unwrap_err();
        assert!(broken.message.contains("not valid UTF-16"), "{broken:?}");
        assert!(decoded(&[0xff, 0xfe, b'a', 0, b'b']).is_err(), "an odd last byte");
    }

    #[test]
    fn normalises_line_ends_and_bom() {
        assert_eq!(decoded(b"\xef\xbb\xbfa\r\nb\rc\n").unwrap(), "a\nb\nc\n");
        assert_eq!(decoded(b"a\x0cb").unwrap(), "a b");
    }

    #[test]
    fn refuses_binary_empty_and_non_utf8() {
        assert!(decoded(b"PK\x03\x04\x00\x00")
            .unwrap_err()
            .message
            .contains("not a text file"));
        assert!(decoded(b"  \n\n").unwrap_err().message.contains("empty"));
        assert!(decoded(b"").unwrap_err().message.contains("empty"));
        let e = decoded(b"ok\ncaf\xe9\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(4)), "{e}");
    }

    #[test]
    fn numbers_lines() {
        let l = lines("a\n\nb", 5);
        assert_eq!(l.len(), 3);
        assert_eq!((l[2].number, l[2].text.as_str()), (7, "b"));
        assert!(l[1].is_blank());
    }
}
