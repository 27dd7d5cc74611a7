//! The top of a capture: a web-archive extract's note ("…that was archived on 2015-12-26.
//! Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/…)")
//! and a source URL on the first line. Both leave the text for the front matter.

use super::capture::Line;
use super::dates::{parse_date_at, DateValue};
use super::report::{DropReason, Dropped, Found};
use super::shape::strip_prefix_ignore_case;
use crate::content::Date;

/// What the top of a capture says about where and when it was taken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Header {
    /// When the copy was taken (the archive date).
    pub captured: Option<Date>,
    /// The original page's URL.
    pub source: Option<String>,
    /// The web-archive copy's URL.
    pub archive: Option<String>,
    /// The lines that held this information.
    pub dropped: Vec<Dropped>,
    /// Where each value came from, for the report.
    pub found: Vec<Found>,
}

impl Header {
    /// This header (read from the text) under one already known from the capture's markup: the
    /// known values win, and the text's lines stay dropped.
    pub(super) fn under(self, known: &Header) -> Header {
        let mut found = known.found.clone();
        found.extend(
            self.found
                .into_iter()
                .filter(|f| !known.found.iter().any(|k| k.what == f.what)),
        );
        Header {
            captured: known.captured.or(self.captured),
            source: known.source.clone().or(self.source),
            archive: known.archive.clone().or(self.archive),
            dropped: self.dropped,
            found,
        }
    }
}

/// How many non-blank lines at the top may hold the header.
const HEADER_LINES: usize = 5;

/// Reads the archive note and the source URL at the top of the capture.
pub(super) fn read_header(lines: &[Line]) -> Header {
    let mut header = Header::default();
    let top: Vec<&Line> = lines.iter().filter(|l| !l.is_blank()).take(HEADER_LINES).collect();
    for line in &top {
        if let Some(snapshot) = archive_note(&line.text) {
            let from = format!("line {}: web-archive header", line.number);
            if let Some(date) = snapshot.captured {
                header.found.push(Found {
                    what: "captured",
                    value: date.to_string(),
                    from: from.clone(),
                });
            }
            if let Some(source) = &snapshot.source {
                header.found.push(Found {
                    what: "source",
                    value: source.clone(),
                    from: from.clone(),
                });
            }
            header.found.push(Found {
                what: "archive",
                value: snapshot.archive.clone(),
                from,
            });
            header.captured = snapshot.captured;
            header.source = snapshot.source;
            header.archive = Some(snapshot.archive);
            header.dropped.push(Dropped {
                line: line.number,
                text: line.text.clone(),
                reason: DropReason::ArchiveHeader,
            });
            break;
        }
    }
    let first = lines
        .iter()
        .find(|l| !l.is_blank() && !header.dropped.iter().any(|d| d.line == l.number));
    if let Some(line) = first {
        if let Some(url) = bare_url(&line.text) {
            if header.source.is_none() {
                header.found.push(Found {
                    what: "source",
                    value: url.to_string(),
                    from: format!("line {}", line.number),
                });
                header.source = Some(url.to_string());
            }
            header.dropped.push(Dropped {
                line: line.number,
                text: line.text.clone(),
                reason: DropReason::SourceUrl,
            });
        }
    }
    header.dropped.sort_by_key(|d| d.line);
    header
}

/// A web-archive snapshot named in a note.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Snapshot {
    captured: Option<Date>,
    source: Option<String>,
    archive: String,
}

/// The snapshot a line describes, when the line is a note about a web-archive copy: it links to
/// `web.archive.org/web/<timestamp>/<url>` and says "archived", "snapshot" or "Wayback".
fn archive_note(text: &str) -> Option<Snapshot> {
    let lower = text.to_ascii_lowercase();
    if !["archived", "snapshot", "wayback", "extracted"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return None;
    }
    let marker = "web.archive.org/web/";
    let at = lower.find(marker)?;
    let after = &text[at + marker.len()..];
    let end = after
        .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | ']'))
        .unwrap_or(after.len());
    let path = &after[..end];
    let timestamp_len = path.bytes().take_while(u8::is_ascii_digit).count();
    if timestamp_len < 4 {
        return None;
    }
    let timestamp = &path[..timestamp_len];
    let mut rest = &path[timestamp_len..];
    // A replay modifier such as `id_` or `if_` after the timestamp is not part of the address.
    let modifier = rest.as_bytes().get(..3);
    if modifier.is_some_and(|m| m[2] == b'_' && m[..2].iter().all(u8::is_ascii_lowercase)) {
        rest = &rest[3..];
    }
    // Only addresses a build accepts: a note whose copy has no such address is no note.
    let original = rest
        .strip_prefix('/')
        .map(decode_scheme)
        .filter(|u| crate::content::is_web_url(u));
    let captured = archived_on(text).or_else(|| timestamp_date(timestamp));
    let archive = match &original {
        Some(url) => format!("https://web.archive.org/web/{timestamp}/{url}"),
        None => format!("https://web.archive.org/web/{timestamp}/"),
    };
    crate::content::is_web_url(&archive).then_some(Snapshot {
        captured,
        source: original,
        archive,
    })
}

/// The date after "archived on" in a note.
fn archived_on(text: &str) -> Option<Date> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("archived on")? + "archived on".len();
    match parse_date_at(text[at..].trim_start()) {
        Some((DateValue::Exact(date), _)) => Some(date),
        _ => None,
    }
}

/// The day of a Wayback timestamp (`20151226080645` → 2015-12-26).
pub(super) fn timestamp_date(timestamp: &str) -> Option<Date> {
    if timestamp.len() < 8 {
        return None;
    }
    let (y, m, d) = (&timestamp[..4], &timestamp[4..6], &timestamp[6..8]);
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// The original URL as archived: `https%3A//host/path` → `https://host/path`; a bare host gets
/// `http://`. Nothing else is decoded (a `%20` in a path stays as it is).
pub(super) fn decode_scheme(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    for scheme in ["https", "http"] {
        for sep in ["%3a//", "%3a%2f%2f", "://"] {
            let prefix = format!("{scheme}{sep}");
            if lower.starts_with(&prefix) {
                return format!("{scheme}://{}", &url[prefix.len()..]);
            }
        }
    }
    format!("http://{url}")
}

/// The URL when a line is nothing but one (`https://…`, `<https://…>`, `Source: https://…`).
fn bare_url(text: &str) -> Option<&str> {
    let mut text = text.trim();
    for label in ["source:", "url:", "original url:", "from:"] {
        if let Some(after) = strip_prefix_ignore_case(text, label) {
            text = after.trim();
        }
    }
    let text = text.strip_prefix('<').and_then(|t| t.strip_suffix('>')).unwrap_or(text);
    // Only an address a build accepts as `source` (no quotes or angle brackets): any other
    // line stays text.
    crate::content::is_web_url(text).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::capture::lines;

    const NOTE: &str = "> *The following text is extracted and transformed from the example.com privacy policy that was archived on 2015-12-26. Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/20151226080645id_/https%3A//www.example.com/policy/privacy) for the most accurate reproduction.*";

    #[test]
    fn reads_a_web_archive_note() {
        let header = read_header(&lines(&format!("{NOTE}\n\n# Privacy\n"), 1));
        assert_eq!(header.captured, Some(Date::new(2015, 12, 26).unwrap()));
        assert_eq!(header.source.as_deref(), Some("https://www.example.com/policy/privacy"));
        assert_eq!(
            header.archive.as_deref(),
            Some("https://web.archive.org/web/20151226080645/https://www.example.com/policy/privacy")
        );
        assert_eq!(header.dropped.len(), 1);
        assert_eq!(header.dropped[0].reason, DropReason::ArchiveHeader);
    }

    #[test]
    fn takes_the_date_from_the_timestamp_without_archived_on() {
        let text = "Snapshot: https://web.archive.org/web/20160102000000/http://example.org/privacy\nText";
        let header = read_header(&lines(text, 1));
        assert_eq!(header.captured, Some(Date::new(2016, 1, 2).unwrap()));
        assert_eq!(header.source.as_deref(), Some("http://example.org/privacy"));
    }

    #[test]
    fn reads_a_source_url_on_the_first_line() {
        let header = read_header(&lines("https://www.example.com/en/privacy/\nWe use cookies.\n", 1));
        assert_eq!(header.source.as_deref(), Some("https://www.example.com/en/privacy/"));
        assert_eq!(header.dropped[0].reason, DropReason::SourceUrl);
        assert_eq!(header.captured, None);
        let quoted = read_header(&lines("https://example.com/privacy\"policy\nWe use cookies.\n", 1));
        assert_eq!(
            quoted.source, None,
            "not an address a build accepts: the line stays text"
        );
        assert!(quoted.dropped.is_empty());
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        let header = read_header(&lines("Privacy Policy\nSee https://example.com for more.\n", 1));
        assert_eq!(header, Header::default());
        let link = "Our [archive](https://web.archive.org/web/2015/https://x.org) of old terms";
        assert!(read_header(&lines(link, 1)).archive.is_none());
    }

    #[test]
    fn decodes_only_the_scheme() {
        assert_eq!(decode_scheme("https%3A//a.org/x%20y"), "https://a.org/x%20y");
        assert_eq!(decode_scheme("www.a.org/"), "http://www.a.org/");
    }
}
