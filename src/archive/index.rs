//! `archive/releases.toml` and each `archive/NAME/release.toml`: the release records, parsed
//! strictly (an unknown key is an error) and written in one canonical form, so `verify` can
//! tell a hand edit from what `release` wrote.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{archive_dir, release_name_problem, INDEX_FILE};
use crate::content::Date;
use crate::error::{toml_diagnostic, Diagnostic};

/// One release: what was frozen, when, from which commit, and the hashes that pin it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseRecord {
    /// The release's name (a slug), also its folder under `archive/`.
    pub name: String,
    /// The day it was made (`SOURCE_DATE_EPOCH`, else the clock).
    pub date: Date,
    /// The hub's git commit when it was made, if the hub is a git repository.
    pub commit: Option<String>,
    /// The `base_url` the site was built for.
    pub base_url: String,
    /// `policyhub <version>` that built it.
    pub generator: String,
    pub orgs: u64,
    pub policies: u64,
    pub versions: u64,
    /// HTML pages in the site.
    pub pages: u64,
    /// Files in the site.
    pub files: u64,
    /// Total bytes of the site's files, uncompressed.
    pub bytes: u64,
    /// SHA-256 of `NAME.tar.gz`.
    pub tarball_sha256: String,
    /// Size of `NAME.tar.gz`.
    pub tarball_bytes: u64,
    /// SHA-256 of `SHA256SUMS`.
    pub manifest_sha256: String,
    /// SHA-256 of `release.toml`: recorded in the index only.
    pub metadata_sha256: Option<String>,
}

/// The record as TOML spells it (dates as TOML dates).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecord {
    name: String,
    date: toml::value::Datetime,
    commit: Option<String>,
    base_url: String,
    generator: String,
    orgs: u64,
    policies: u64,
    versions: u64,
    pages: u64,
    files: u64,
    bytes: u64,
    tarball_sha256: String,
    tarball_bytes: u64,
    manifest_sha256: String,
    metadata_sha256: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndex {
    #[serde(default)]
    release: Vec<RawRecord>,
}

/// Every release of the hub, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Index {
    pub releases: Vec<ReleaseRecord>,
}

const INDEX_HEADER: &str = "# The releases of this hub, oldest first. Written by `policyhub release` and checked by\n\
# `policyhub verify`, which reports any change: do not edit by hand.\n";

impl Index {
    /// `root/archive/releases.toml`.
    pub(crate) fn path(root: &Path) -> PathBuf {
        archive_dir(root).join(INDEX_FILE)
    }

    /// Reads the index; a hub without one has no releases, unless `archive/` holds some
    /// ([`Index::missing`]): reading on without it would unpublish them, or record a new
    /// release as the only one.
    pub(crate) fn load(root: &Path) -> Result<Index, Diagnostic> {
        let shown = Path::new(super::ARCHIVE_DIR).join(INDEX_FILE);
        let text = match std::fs::read_to_string(Index::path(root)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Index::missing(root),
            Err(e) => return Err(Diagnostic::new(shown, format!("cannot read: {e}"))),
        };
        Index::parse(&text, &shown)
    }

    /// What a hub whose index is missing has: no releases, unless `archive/` holds some (a
    /// folder with a `release.toml`); then the index was lost, and an error says so.
    pub(crate) fn missing(root: &Path) -> Result<Index, Diagnostic> {
        let held = releases_held(root);
        if held.is_empty() {
            return Ok(Index::default());
        }
        Err(Diagnostic::new(
            Path::new(super::ARCHIVE_DIR).join(INDEX_FILE),
            format!(
                "the index of releases is missing, but archive/ holds releases: {}",
                held.join(", ")
            ),
        )
        .hint("restore archive/releases.toml from version control (`policyhub release` writes it)"))
    }

    /// Parses the text of an index; `shown` names the file in diagnostics.
    pub(crate) fn parse(text: &str, shown: &Path) -> Result<Index, Diagnostic> {
        let raw: RawIndex = toml::from_str(text).map_err(|e| {
            toml_diagnostic(shown, text, 0, &e)
                .hint("archive/releases.toml is written by `policyhub release`; restore it from version control")
        })?;
        let mut releases: Vec<ReleaseRecord> = Vec::with_capacity(raw.release.len());
        for raw in raw.release {
            let record = ReleaseRecord::from_raw(raw).map_err(|why| Diagnostic::new(shown, why))?;
            if record.metadata_sha256.is_none() {
                return Err(Diagnostic::new(
                    shown,
                    format!("release `{}` has no metadata_sha256", record.name),
                ));
            }
            if releases.iter().any(|r| r.name == record.name) {
                return Err(Diagnostic::new(
                    shown,
                    format!("release `{}` is listed twice", record.name),
                ));
            }
            releases.push(record);
        }
        Ok(Index { releases })
    }

    /// The release called `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&ReleaseRecord> {
        self.releases.iter().find(|r| r.name == name)
    }

    /// The canonical text of the index.
    pub(crate) fn to_toml(&self) -> String {
        let mut text = String::from(INDEX_HEADER);
        for record in &self.releases {
            text.push_str("\n[[release]]\n");
            text.push_str(&record.fields_toml());
        }
        text
    }
}

impl ReleaseRecord {
    /// Parses a `release.toml` (which carries no `metadata_sha256`).
    pub fn parse_metadata(text: &str, shown: &Path) -> Result<ReleaseRecord, Diagnostic> {
        let raw: RawRecord = toml::from_str(text).map_err(|e| toml_diagnostic(shown, text, 0, &e))?;
        let record = ReleaseRecord::from_raw(raw).map_err(|why| Diagnostic::new(shown, why))?;
        if record.metadata_sha256.is_some() {
            return Err(Diagnostic::new(shown, "release.toml may not hold metadata_sha256"));
        }
        Ok(record)
    }

    /// The canonical text of `release.toml`.
    pub fn metadata_toml(&self) -> String {
        let mut copy = self.clone();
        copy.metadata_sha256 = None;
        format!(
            "# Release `{}` of this hub, written by `policyhub release`.\n{}",
            self.name,
            copy.fields_toml()
        )
    }

    fn fields_toml(&self) -> String {
        let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut t = String::new();
        let _ = writeln!(t, "name = {}", quote(&self.name));
        let _ = writeln!(t, "date = {}", self.date);
        if let Some(commit) = &self.commit {
            let _ = writeln!(t, "commit = {}", quote(commit));
        }
        let _ = writeln!(t, "base_url = {}", quote(&self.base_url));
        let _ = writeln!(t, "generator = {}", quote(&self.generator));
        for (key, value) in [
            ("orgs", self.orgs),
            ("policies", self.policies),
            ("versions", self.versions),
            ("pages", self.pages),
            ("files", self.files),
            ("bytes", self.bytes),
        ] {
            let _ = writeln!(t, "{key} = {value}");
        }
        let _ = writeln!(t, "tarball_sha256 = {}", quote(&self.tarball_sha256));
        let _ = writeln!(t, "tarball_bytes = {}", self.tarball_bytes);
        let _ = writeln!(t, "manifest_sha256 = {}", quote(&self.manifest_sha256));
        if let Some(hash) = &self.metadata_sha256 {
            let _ = writeln!(t, "metadata_sha256 = {}", quote(hash));
        }
        t
    }

    fn from_raw(raw: RawRecord) -> Result<ReleaseRecord, String> {
        let name = raw.name;
        if let Some(why) = release_name_problem(&name) {
            return Err(format!("release name `{name}` is not valid: {why}"));
        }
        let date = match (raw.date.date, raw.date.time, raw.date.offset) {
            (Some(d), None, None) => Date::new(d.year, d.month, d.day).ok(),
            _ => None,
        }
        .ok_or_else(|| format!("release `{name}`: date must be a day, written YYYY-MM-DD"))?;
        for (key, hash) in [
            ("tarball_sha256", Some(&raw.tarball_sha256)),
            ("manifest_sha256", Some(&raw.manifest_sha256)),
            ("metadata_sha256", raw.metadata_sha256.as_ref()),
        ] {
            if hash.is_some_and(|h| !is_hex(h, 64)) {
                return Err(format!("release `{name}`: {key} is not 64 lowercase hex digits"));
            }
        }
        if raw.commit.as_ref().is_some_and(|c| !is_hex(c, 40) && !is_hex(c, 64)) {
            return Err(format!("release `{name}`: commit is not a git object id"));
        }
        Ok(ReleaseRecord {
            name,
            date,
            commit: raw.commit,
            base_url: raw.base_url,
            generator: raw.generator,
            orgs: raw.orgs,
            policies: raw.policies,
            versions: raw.versions,
            pages: raw.pages,
            files: raw.files,
            bytes: raw.bytes,
            tarball_sha256: raw.tarball_sha256,
            tarball_bytes: raw.tarball_bytes,
            manifest_sha256: raw.manifest_sha256,
            metadata_sha256: raw.metadata_sha256,
        })
    }

    /// The path part of the `base_url` the release was built for (`/hub`, or empty).
    pub fn base_path(&self) -> String {
        self.base_url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].trim_end_matches('/').to_string()))
            .unwrap_or_default()
    }
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The names of the folders of `archive/` that hold a release's `release.toml`, sorted.
fn releases_held(root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(archive_dir(root)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().join(super::METADATA_FILE).is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn record(name: &str) -> ReleaseRecord {
        ReleaseRecord {
            name: name.into(),
            date: "2024-03-01".parse().unwrap(),
            commit: Some("a".repeat(40)),
            base_url: "https://example.org/hub".into(),
            generator: "policyhub 0.1.0".into(),
            orgs: 1,
            policies: 2,
            versions: 3,
            pages: 4,
            files: 5,
            bytes: 6,
            tarball_sha256: "b".repeat(64),
            tarball_bytes: 7,
            manifest_sha256: "c".repeat(64),
            metadata_sha256: Some("d".repeat(64)),
        }
    }

    #[test]
    fn a_lost_index_beside_recorded_releases_is_an_error_not_no_releases() {
        let hub = tempfile::tempdir().unwrap();
        assert!(
            Index::load(hub.path()).unwrap().releases.is_empty(),
            "no archive: no releases"
        );
        let release = archive_dir(hub.path()).join("r1");
        std::fs::create_dir_all(&release).unwrap();
        assert!(
            Index::load(hub.path()).unwrap().releases.is_empty(),
            "a folder of something else"
        );
        std::fs::write(release.join(super::super::METADATA_FILE), "name = \"r1\"\n").unwrap();
        let lost = Index::load(hub.path()).unwrap_err();
        assert!(
            lost.message.contains("missing, but archive/ holds releases: r1"),
            "{lost:?}"
        );
    }

    #[test]
    fn index_round_trips_canonically() {
        let index = Index {
            releases: vec![record("r1"), record("r2")],
        };
        let text = index.to_toml();
        let parsed = Index::parse(&text, Path::new("releases.toml")).unwrap();
        assert_eq!(parsed, index);
        assert_eq!(parsed.to_toml(), text);
        assert_eq!(parsed.releases[0].base_path(), "/hub");
    }

    #[test]
    fn metadata_round_trips_without_its_own_hash() {
        let r = record("r1");
        let parsed = ReleaseRecord::parse_metadata(&r.metadata_toml(), Path::new("release.toml")).unwrap();
        assert_eq!(parsed.metadata_sha256, None);
        assert_eq!(
            ReleaseRecord {
                metadata_sha256: r.metadata_sha256.clone(),
                ..parsed
            },
            r
        );
    }

    #[test]
    fn strict_parsing() {
        let shown = Path::new("releases.toml");
        let text = Index {
            releases: vec![record("r1")],
        }
        .to_toml();
        let typo = text.replace("orgs = 1", "orgz = 1");
        assert!(Index::parse(&typo, shown).unwrap_err().message.contains("orgz"));
        let twice = format!("{text}{}", text.replace(INDEX_HEADER, ""));
        assert!(Index::parse(&twice, shown).unwrap_err().message.contains("twice"));
        let unsafe_name = text.replace("name = \"r1\"", "name = \"../x\"");
        assert!(Index::parse(&unsafe_name, shown).is_err());
        let bad_hash = text.replace(&"b".repeat(64), "xyz");
        assert!(Index::parse(&bad_hash, shown).is_err());
    }
}
