//! What an import recognised, what it dropped and what it warns about, printable for the
//! curator. Plain data filled by the other passes; this file only formats it.

use std::fmt;
use std::path::PathBuf;

use crate::content::Date;

/// Why a line of the capture was left out of the version file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    /// The web-archive note at the top (its date and links go to the front matter).
    ArchiveHeader,
    /// The capture's source URL on its first line (it goes to the front matter).
    SourceUrl,
    /// A cookie-consent banner before the policy's title or after its end.
    CookieBanner,
    /// A button of the page ("CLOSE X", "Download a PDF version", "Back to top").
    Button,
    /// A navigation label or share button above the policy's title.
    Navigation,
    /// The site's footer after the policy's end.
    Footer,
    /// A copyright line.
    Copyright,
    /// A line made only of links without text (an image or seal whose text was lost).
    EmptyLink,
    /// The capture's YAML front matter (its `title` is read; the rest is site metadata).
    FrontMatter,
}

impl DropReason {
    /// A few words for the report.
    pub fn describe(self) -> &'static str {
        match self {
            DropReason::ArchiveHeader => "web-archive header (now in the front matter)",
            DropReason::SourceUrl => "source URL (now in the front matter)",
            DropReason::CookieBanner => "cookie banner",
            DropReason::Button => "page button",
            DropReason::Navigation => "navigation above the title",
            DropReason::Footer => "site footer after the policy",
            DropReason::Copyright => "copyright line",
            DropReason::EmptyLink => "empty link (no text)",
            DropReason::FrontMatter => "YAML front matter (read, not rendered)",
        }
    }
}

/// A line of the capture that is not in the version file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// 1-based line number in the capture.
    pub line: usize,
    /// The line, exactly as captured.
    pub text: String,
    /// Why it was dropped.
    pub reason: DropReason,
}

/// Something the curator should look at; the import still succeeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// 1-based line number in the capture, when the warning is about one line.
    pub line: Option<usize>,
    /// What to look at.
    pub message: String,
}

impl Warning {
    /// A warning about one line.
    pub fn at(line: usize, message: impl Into<String>) -> Self {
        Warning {
            line: Some(line),
            message: message.into(),
        }
    }

    /// A warning about the whole capture.
    pub fn general(message: impl Into<String>) -> Self {
        Warning {
            line: None,
            message: message.into(),
        }
    }
}

/// One thing the import found and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// What it is: "effective", "announced", "captured", "source", "archive", "title".
    pub what: &'static str,
    /// Its value as written to the version file.
    pub value: String,
    /// Where it came from ("line 5: Effective Date: December 10, 2015", "--effective").
    pub from: String,
}

/// How the policy's structure was recovered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StructureCounts {
    /// Headings written, the title included.
    pub headings: usize,
    /// Of those, recovered from lines that were not Markdown headings (capitals, bold-only,
    /// numbered or title-case lines).
    pub recovered_headings: usize,
    /// List items written.
    pub list_items: usize,
    /// Of those, recovered from plain-text lines or typographic bullets.
    pub recovered_items: usize,
    /// Paragraphs written.
    pub paragraphs: usize,
}

/// Everything an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The capture as named on the command line (`<stdin>` for `-`).
    pub input: String,
    /// The version file, relative to the hub's root.
    pub version_path: PathBuf,
    /// The effective date (the version file's name).
    pub effective: Date,
    /// Dates, URLs and title recognised, with where each came from.
    pub found: Vec<Found>,
    /// Headings, lists and paragraphs written.
    pub structure: StructureCounts,
    /// Every line left out, in order.
    pub dropped: Vec<Dropped>,
    /// Things to check by hand.
    pub warnings: Vec<Warning>,
    /// Files created besides the version file (org.toml, policy.toml), relative to the root.
    pub created: Vec<PathBuf>,
    /// The version file's full text.
    pub text: String,
    /// True when nothing was written (`--dry-run`).
    pub dry_run: bool,
    /// True when an existing version file was replaced (`--force`).
    pub replaced: bool,
}

/// The report as printed: what a capture or its file name holds (a YAML title's `\e[2J`, a
/// name with an escape) reaches no terminal as a control character.
impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        self.write_to(&mut text)?;
        f.write_str(&crate::content::without_controls(text))
    }
}

impl ImportReport {
    fn write_to(&self, f: &mut impl fmt::Write) -> fmt::Result {
        let verb = match (self.dry_run, self.replaced) {
            (true, _) => "would write",
            (false, true) => "replaced",
            (false, false) => "wrote",
        };
        writeln!(f, "imported {} → {verb} {}", self.input, self.version_path.display())?;
        for found in &self.found {
            writeln!(f, "  {:<9} {}  ({})", found.what, found.value, found.from)?;
        }
        let s = &self.structure;
        writeln!(
            f,
            "  structure {} headings ({} recovered), {} list items ({} recovered), {} paragraphs",
            s.headings, s.recovered_headings, s.list_items, s.recovered_items, s.paragraphs
        )?;
        for path in &self.created {
            let verb = if self.dry_run { "would create" } else { "created" };
            writeln!(f, "  {verb} {}", path.display())?;
        }
        if self.dropped.is_empty() {
            writeln!(f, "dropped nothing")?;
        } else {
            let n = self.dropped.len();
            writeln!(f, "dropped {n} line{}:", if n == 1 { "" } else { "s" })?;
            for d in &self.dropped {
                writeln!(
                    f,
                    "  line {} ({}): {}",
                    d.line,
                    d.reason.describe(),
                    shorten(&d.text, 100)
                )?;
            }
        }
        if !self.warnings.is_empty() {
            let n = self.warnings.len();
            writeln!(f, "{n} warning{}:", if n == 1 { "" } else { "s" })?;
            for w in &self.warnings {
                match w.line {
                    Some(line) => writeln!(f, "  line {line}: {}", w.message)?,
                    None => writeln!(f, "  {}", w.message)?,
                }
            }
        }
        Ok(())
    }
}

/// The text cut to `max` characters, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_long_lines_on_characters() {
        assert_eq!(shorten("  short  ", 10), "short");
        assert_eq!(shorten("éééééééééééé", 3), "ééé…");
    }

    #[test]
    fn prints_dropped_lines_and_warnings() {
        let report = ImportReport {
            input: "cap.txt".into(),
            version_path: "content/acme/privacy-policy/2020-01-01.md".into(),
            effective: Date::new(2020, 1, 1).unwrap(),
            found: vec![Found {
                what: "effective",
                value: "2020-01-01".into(),
                from: "line 3: Updated: January 1, 2020".into(),
            }],
            structure: StructureCounts::default(),
            dropped: vec![Dropped {
                line: 1,
                text: "CLOSE X".into(),
                reason: DropReason::Button,
            }],
            warnings: vec![Warning::at(9, "obfuscated e-mail address")],
            created: vec![],
            text: String::new(),
            dry_run: false,
            replaced: false,
        };
        let text = report.to_string();
        assert!(text.contains("line 1 (page button): CLOSE X"), "{text}");
        assert!(text.contains("line 9: obfuscated e-mail address"), "{text}");
        assert!(
            text.contains("effective 2020-01-01  (line 3: Updated: January 1, 2020)"),
            "{text}"
        );
    }
}
