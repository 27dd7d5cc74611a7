//! Import of raw captures (DESIGN §6): a page's text or a web-archive Markdown extract becomes a
//! clean version file `content/<org>/<policy>/<date>.md`. [`convert`] is the pure pipeline
//! (header → chrome → dates → structure); [`import`] reads the capture and writes the hub.
//! It never renders anything and keeps every word of the policy that it does not report dropped.

mod blocks;
mod capture;
mod chrome;
mod dates;
mod git;
mod header;
mod headings;
pub mod history;
mod html;
mod interrupt;
mod markdown;
mod ota;
mod ota_folders;
pub mod report;
mod shape;
mod structure;
mod write;
mod yaml;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::content::front_matter;
use crate::content::Date;
use crate::error::{Diagnostic, Diagnostics};

pub use history::{import_git, GitImportOptions, HistoryReport};
pub use html::{convert as convert_html, HtmlOptions};
pub use ota::{document_slugs, import_ota, OtaImportOptions, CREDITS};
pub use report::{DropReason, Dropped, Found, ImportReport, StructureCounts, Warning};

/// What `policyhub import` is asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The hub's folder.
    pub root: PathBuf,
    /// The capture; `-` reads standard input.
    pub input: PathBuf,
    /// The organisation's slug.
    pub org: String,
    /// The policy's slug.
    pub policy: String,
    /// The organisation's name, for a new `org.toml`.
    pub name: Option<String>,
    /// The effective date, overriding any date found in the capture.
    pub effective: Option<Date>,
    /// The announced date, overriding any posting date found in the capture.
    pub announced: Option<Date>,
    /// The source URL, overriding any URL found in the capture.
    pub source: Option<String>,
    /// A curator's note, written as a comment at the top of the front matter.
    pub note: Option<String>,
    /// Replace an existing version file.
    pub force: bool,
    /// Write nothing; the report carries the text that would be written.
    pub dry_run: bool,
    /// How to read an HTML page (`--html`, `--select`, `--remove`).
    pub html: HtmlOptions,
}

impl ImportOptions {
    /// Options for importing `input` as `org`'s privacy policy into the hub in `root`.
    pub fn new(root: impl Into<PathBuf>, input: impl Into<PathBuf>, org: impl Into<String>) -> Self {
        ImportOptions {
            root: root.into(),
            input: input.into(),
            org: org.into(),
            policy: "privacy-policy".into(),
            name: None,
            effective: None,
            announced: None,
            source: None,
            note: None,
            force: false,
            dry_run: false,
            html: HtmlOptions::default(),
        }
    }
}

/// What the curator passed that overrides what the capture says.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--effective`.
    pub effective: Option<Date>,
    /// `--announced`.
    pub announced: Option<Date>,
    /// `--source`.
    pub source: Option<String>,
    /// `--note`.
    pub note: Option<String>,
    /// The day the text was observed, known from outside the text (a history's commit date):
    /// the version's `captured` date, and its effective date when the text names none.
    pub captured: Option<Date>,
    /// The commit the text was read from (a history import).
    pub commit: Option<String>,
}

/// A capture turned into a version file, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    /// When the version was made public ("Posted on …"), if the text or the curator says.
    pub announced: Option<Date>,
    /// The date the version took effect (the file's name).
    pub effective: Date,
    /// When the copy was taken.
    pub captured: Option<Date>,
    /// The original page.
    pub source: Option<String>,
    /// The web-archive copy.
    pub archive: Option<String>,
    /// The git commit the text was read from (a history import).
    pub commit: Option<String>,
    /// The title given by the capture's YAML front matter, for a new `policy.toml`.
    pub front_matter_title: Option<String>,
    /// A one-line summary (kept from an earlier import).
    pub summary: Option<String>,
    /// Comment lines at the top of the front matter (`--note`, or kept from an earlier import).
    pub notes: Vec<String>,
    /// The Markdown body.
    pub body: String,
    /// What was recognised, with where it came from.
    pub found: Vec<Found>,
    /// Headings, lists and paragraphs written.
    pub structure: StructureCounts,
    /// Every line left out.
    pub dropped: Vec<Dropped>,
    /// Things to check by hand.
    pub warnings: Vec<Warning>,
}

impl Conversion {
    /// The version file: TOML front matter between `+++` lines, then the body.
    pub fn text(&self) -> String {
        let mut out = String::from("+++\n");
        for note in &self.notes {
            out.push_str(if note.is_empty() { "#" } else { "# " });
            out.push_str(note);
            out.push('\n');
        }
        if let Some(announced) = self.announced {
            out.push_str(&format!("announced = {announced}\n"));
        }
        out.push_str(&format!("effective = {}\n", self.effective));
        if let Some(captured) = self.captured {
            out.push_str(&format!("captured = {captured}\n"));
        }
        for (key, value) in [
            ("source", &self.source),
            ("archive", &self.archive),
            ("commit", &self.commit),
            ("summary", &self.summary),
        ] {
            if let Some(value) = value {
                out.push_str(&format!("{key} = {}\n", toml::Value::String(value.clone())));
            }
        }
        out.push_str("+++\n");
        out.push_str(&self.body);
        out
    }
}

/// Imports a capture into the hub: reads it, converts it, writes the version file (and
/// `org.toml` / `policy.toml` when missing). Nothing is written when anything is wrong.
pub fn import(options: &ImportOptions) -> Result<ImportReport, Diagnostics> {
    write::check_target(options)?;
    let (name, bytes) = read_input(&options.input)?;
    let overrides = Overrides {
        effective: options.effective,
        announced: options.announced,
        source: options.source.clone(),
        note: options.note.clone(),
        ..Overrides::default()
    };
    let conversion = if html::is_html(Path::new(&name), &bytes, &options.html) {
        html::convert(Path::new(&name), &bytes, &overrides, &options.html)?
    } else {
        html::refuse_flags(&name, &options.html)?;
        convert(Path::new(&name), &bytes, &overrides)?
    };
    write::write(options, name, conversion).map_err(Diagnostics::from)
}

/// A text of a history (a file at a commit): an HTML page (by the file's extension or its
/// first bytes) read as `import` reads one, else text or Markdown. `file` is the file's path,
/// `name` how messages name the text.
pub(super) fn convert_file(
    file: &Path,
    name: &Path,
    bytes: &[u8],
    overrides: &Overrides,
) -> Result<Conversion, Diagnostics> {
    let options = HtmlOptions::default();
    if html::is_html(file, bytes, &options) {
        html::convert(name, bytes, overrides, &options)
    } else {
        convert(name, bytes, overrides)
    }
}

/// The capture's display name and bytes. A capture may hold as much as a content file
/// ([`crate::content::MAX_FILE_BYTES`]): reading stops one byte past it, so a stream that never
/// ends (a misbehaving server piped in) is refused at once, in bounded memory.
fn read_input(input: &Path) -> Result<(String, Vec<u8>), Diagnostic> {
    let limit = crate::content::MAX_FILE_BYTES;
    let (name, bytes) = if input == Path::new("-") {
        let bytes = read_at_most(std::io::stdin().lock(), limit)
            .map_err(|e| Diagnostic::new("<stdin>", format!("cannot read standard input: {e}")))?;
        ("<stdin>".to_string(), bytes)
    } else {
        let bytes = std::fs::File::open(input)
            .and_then(|file| read_at_most(file, limit))
            .map_err(|e| {
                Diagnostic::new(input, format!("cannot read the capture: {e}"))
                    .hint("give the path of a text or Markdown capture, or - to read standard input")
            })?;
        (input.display().to_string(), bytes)
    };
    if bytes.len() as u64 > limit {
        return Err(
            Diagnostic::new(&name, "the capture holds more than 64 MiB, more than a version may")
                .hint("keep only the policy's page (or its text) in the capture"),
        );
    }
    Ok((name, bytes))
}

/// Reads up to `limit` bytes and one more (to tell a capture of exactly `limit` from a larger one).
fn read_at_most(reader: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The pure pipeline: a capture's bytes → a version file's fields and body, with the report of
/// what was recognised and dropped. A file that already has `+++` front matter (an earlier
/// import) keeps its fields and only has its structure normalised, so re-importing changes
/// nothing.
pub fn convert(name: &Path, bytes: &[u8], overrides: &Overrides) -> Result<Conversion, Diagnostics> {
    convert_with(name, bytes, overrides, &header::Header::default())
}

/// [`convert`], with what the capture's markup already told about it (an HTML page's Wayback
/// address or canonical link) taking the place of a header read from its text.
fn convert_with(
    name: &Path,
    bytes: &[u8],
    overrides: &Overrides,
    known: &header::Header,
) -> Result<Conversion, Diagnostics> {
    let text = capture::decode(name, bytes)?;
    let first = text.lines().next().unwrap_or("");
    let mut notes = Vec::new();
    let version_file = first.trim_end() == "+++";
    let mut yaml_title = None;
    let (lines, front, header, dropped) = if version_file {
        let (front, body_start, body_line) = front_matter::split(name, &text)?;
        notes = front_matter_comments(&text[..body_start]);
        let lines = capture::lines(&text[body_start..], body_line);
        (lines, front, header::Header::default(), Vec::new())
    } else {
        let mut lines = capture::lines(&text, 1);
        let mut dropped = Vec::new();
        if let Some(yaml) = yaml::read(&lines) {
            yaml_title = yaml.title;
            for line in lines.iter_mut().filter(|l| yaml.lines.contains(&l.number)) {
                dropped.push(Dropped {
                    line: line.number,
                    text: std::mem::take(&mut line.text),
                    reason: DropReason::FrontMatter,
                });
            }
        }
        let header = header::read_header(&lines).under(known);
        let rest: Vec<capture::Line> = lines
            .iter()
            .filter(|l| !header.dropped.iter().any(|d| d.line == l.number))
            .cloned()
            .collect();
        dropped.extend(header.dropped.iter().cloned());
        dropped.extend(chrome::find_chrome(&rest));
        dropped.sort_by_key(|d| d.line);
        (lines, front_matter::FrontMatter::default(), header, dropped)
    };
    let dropped_lines: std::collections::HashSet<usize> = dropped.iter().map(|d| d.line).collect();
    let kept: Vec<capture::Line> = lines
        .into_iter()
        .map(|mut l| {
            if dropped_lines.contains(&l.number) {
                l.text.clear();
            }
            l
        })
        .collect();
    let captured = overrides.captured.or(front.captured).or(header.captured);
    let sources = dates::DateSources {
        flag: overrides.effective,
        announced_flag: overrides.announced,
        front_matter: front.effective,
        front_matter_announced: front.announced,
        captured,
        captured_is_known: overrides.captured.is_some(),
    };
    let mentions = dates::mentions(&kept);
    let effective = dates::choose_effective(name, &mentions, &sources)?;
    let announced = dates::choose_announced(&mentions, &sources, &effective);
    let structure = structure::recover(&kept, version_file);
    if structure.body.trim().is_empty() {
        let message = format!(
            "nothing of the policy is left: all {} lines of text are page chrome or header",
            dropped.len()
        );
        return Err(Diagnostic::new(name, message)
            .hint("check that the file holds the policy's text, not only the page around it")
            .into());
    }
    let mut found = vec![Found {
        what: "effective",
        value: effective.date.to_string(),
        from: effective.from.clone(),
    }];
    if let Some((date, from)) = &announced {
        found.push(Found {
            what: "announced",
            value: date.to_string(),
            from: from.clone(),
        });
    }
    found.extend(
        header
            .found
            .iter()
            .filter(|f| f.what != "source" || overrides.source.is_none())
            .cloned(),
    );
    if let Some(source) = &overrides.source {
        found.push(Found {
            what: "source",
            value: source.clone(),
            from: "--source".into(),
        });
    }
    if let Some(title) = &yaml_title {
        found.push(Found {
            what: "title",
            value: title.clone(),
            from: "YAML front matter".into(),
        });
    }
    if let Some(title) = &structure.title {
        found.push(Found {
            what: "title",
            value: title.clone(),
            from: "first heading".into(),
        });
    }
    if structure.body.len() as u64 > crate::content::MAX_FILE_BYTES {
        let why = format!(
            "its text would make a version file of {} MiB, more than a content file may (64 MiB)",
            structure.body.len() >> 20
        );
        return Err(Diagnostic::new(name, why)
            .hint("a version holds one policy's text: check that this is the capture you meant")
            .into());
    }
    let mut warnings = effective.warnings;
    warnings.extend(chrome::flags(&kept));
    Ok(Conversion {
        announced: announced.map(|(date, _)| date),
        effective: effective.date,
        captured,
        source: overrides.source.clone().or(front.source).or(header.source),
        archive: front.archive.or(header.archive),
        commit: overrides.commit.clone().or(front.commit),
        front_matter_title: yaml_title,
        summary: front.summary,
        notes: overrides.note.as_deref().map_or(notes, wrap_note),
        body: structure.body,
        found,
        structure: structure.counts,
        dropped,
        warnings,
    })
}

/// The comment lines of a front matter (`# text` → `text`).
fn front_matter_comments(front: &str) -> Vec<String> {
    front
        .lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix('#'))
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end().to_string())
        .collect()
}

/// A note as comment lines of at most about 76 characters (its own line breaks kept).
fn wrap_note(note: &str) -> Vec<String> {
    const WIDTH: usize = 76;
    let mut lines = Vec::new();
    for paragraph in note.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > WIDTH {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_wrapped_comments_kept_on_reimport() {
        let long = "word ".repeat(40);
        let notes = wrap_note(&format!("First line.\n{long}"));
        assert_eq!(notes[0], "First line.");
        assert!(notes.iter().all(|n| n.chars().count() <= 76));
        assert_eq!(
            front_matter_comments("+++\n# one\n#\n#two\neffective = 2020-01-01\n+++\n"),
            vec!["one", "", "two"]
        );
    }
}
