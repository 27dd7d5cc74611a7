//! The persistent build cache, `<root>/.policyhub-cache/`: what `build` keeps between runs so
//! that a rebuild re-reads and re-renders only what changed. It holds a manifest (the
//! fingerprints of the last build's inputs, the output it wrote and which output files each
//! organisation's pages are) and two records per organisation: whole (its policies parsed,
//! anchored and cross-linked), and its summary, what the hub-wide pages read of it (a rebuild
//! reads the summaries of the organisations whose pages it carries over), and what `serve`
//! keeps for the next start (its home page, [`BuildCache::keep`]). Nothing in it is trusted unchecked: every file carries the key of the
//! inputs it was made from and a checksum, and a corrupt, foreign or outdated file is ignored
//! (with a warning where that is unexpected) and made again. Deleting the folder is always
//! safe: the next build is a clean one.

mod fingerprint;
mod store;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::content::{Date, OrgFiles};
use crate::digest::Digester;
use crate::document::{reading_shared, writing_shared};
use crate::error::Diagnostic;
use crate::site::{Counts, SiteOrg};
pub(crate) use fingerprint::{nanos, Hash};
use fingerprint::{Seen, Stamp, Stamper};
use store::Unusable;

/// The cache's folder in a hub.
pub const CACHE_DIR: &str = ".policyhub-cache";

/// The fingerprint of everything a build reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Inputs {
    /// The binary and `site.toml`: what reading and anchoring the content depend on (an
    /// organisation's record is keyed by it and the organisation's folder).
    pub records: Hash,
    /// The same, `--base-url` and `SOURCE_DATE_EPOCH`: what rendering depends on too.
    pub settings: Hash,
    /// `templates/`.
    pub theme: Hash,
    /// `static/`.
    pub statics: Hash,
    /// `archive/`.
    pub archive: Hash,
    /// Each organisation's folder, by slug.
    pub orgs: BTreeMap<String, Hash>,
}

/// Which folder a build wrote, as the file system knows it: a folder that was replaced,
/// moved or deleted since is not the one the manifest describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OutputMark {
    path: PathBuf,
    identity: (u64, u64),
    modified: i128,
}

impl OutputMark {
    /// The mark of the folder at `output` as it is now, if there is one.
    pub(crate) fn of(output: &Path) -> Option<OutputMark> {
        let path = fs::canonicalize(output).ok()?;
        let meta = fs::metadata(&path).ok()?;
        meta.is_dir().then(|| OutputMark {
            identity: identity(&meta),
            modified: meta.modified().map(nanos).unwrap_or_default(),
            path,
        })
    }
}

#[cfg(unix)]
fn identity(meta: &fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(meta: &fs::Metadata) -> (u64, u64) {
    let created = meta.created().map(nanos).unwrap_or_default();
    (created as u64, (created >> 64) as u64)
}

/// What the last build made, to report again when nothing changed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Made {
    pub orgs: usize,
    pub policies: usize,
    pub versions: usize,
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
}

impl Made {
    pub(crate) fn counts(&self) -> Counts {
        Counts {
            orgs: self.orgs,
            policies: self.policies,
            versions: self.versions,
        }
    }
}

/// The last build, as the cache remembers it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// When the stamps were taken (nanoseconds since 1970).
    pub recorded: i128,
    /// Every input file's stamp, by path relative to the hub.
    pub stamps: HashMap<PathBuf, Stamp>,
    pub inputs: Inputs,
    /// The hub's reference date then.
    pub reference: Option<Date>,
    /// The output folder written.
    pub output: Option<OutputMark>,
    /// Each organisation's output files (its page, its policies' pages, feeds and JSON),
    /// relative to the output folder.
    pub org_files: BTreeMap<String, Vec<String>>,
    /// The static files written (the theme's `static/`), relative to the output folder.
    pub static_files: Vec<String>,
    /// What every topic page showed of the whole hub: the organisations compared (slugs, in
    /// order) and each topic's figures (slug, clauses, organisations).
    pub topic_orgs: Vec<String>,
    pub topic_figures: Vec<crate::render::TopicFigure>,
    pub made: Made,
}

impl Manifest {
    /// When an input file last changed (nanoseconds since 1970), by what `stat` said of it.
    pub(crate) fn last_change(&self) -> i128 {
        self.stamps
            .values()
            .map(|s| s.seen().latest())
            .max()
            .unwrap_or(i128::MIN)
    }
}

/// The cache of one hub, as one build uses it.
pub(crate) struct BuildCache {
    /// `None`: disabled (`--no-cache`), nothing read or written.
    dir: Option<PathBuf>,
    /// The last build's manifest, when there is a usable one.
    previous: Option<Manifest>,
    /// Problems met in the cache: shown as warnings, never fatal.
    pub problems: Vec<Diagnostic>,
}

impl BuildCache {
    /// The cache of the hub in `root`, its manifest read (a damaged or foreign one ignored
    /// with a warning).
    pub(crate) fn open(root: &Path) -> BuildCache {
        let dir = root.join(CACHE_DIR);
        let mut cache = BuildCache {
            previous: None,
            problems: Vec::new(),
            dir: Some(dir.clone()),
        };
        match store::read::<Manifest>(&dir.join("manifest.bin"), binary_key()) {
            Ok(manifest) => cache.previous = Some(manifest),
            Err(Unusable::Missing) => {}
            Err(Unusable::Stale) => cache.warn("manifest.bin", "it was made by another version of policyhub"),
            Err(Unusable::Corrupt(why)) => cache.warn("manifest.bin", &why),
        }
        cache
    }

    /// A cache that reads and writes nothing: every build is a clean one.
    pub(crate) fn disabled() -> BuildCache {
        BuildCache {
            dir: None,
            previous: None,
            problems: Vec::new(),
        }
    }

    fn warn(&mut self, file: &str, why: &str) {
        self.problems.push(ignored(file, why));
    }

    /// False for a disabled cache.
    pub(crate) fn enabled(&self) -> bool {
        self.dir.is_some()
    }

    /// The last build, if the cache knows it.
    pub(crate) fn previous(&self) -> Option<&Manifest> {
        self.previous.as_ref()
    }

    /// Fingerprints the hub's inputs (the organisations' files as `content` found them),
    /// hashing only the files that moved since the last build. Returns the fingerprint and a
    /// manifest to fill in for this build.
    pub(crate) fn fingerprint(
        &self,
        root: &Path,
        base_url: Option<&str>,
        content: &BTreeMap<String, OrgFiles>,
    ) -> io::Result<Manifest> {
        let recorded = nanos(SystemTime::now());
        let empty = HashMap::new();
        let (previous, since) = match &self.previous {
            Some(m) => (&m.stamps, m.recorded),
            None => (&empty, 0),
        };
        let stamper = Stamper::new(previous, since);
        let mut stamps = Vec::new();
        let records = records_key(root)?;
        let settings = settings_key(records, base_url);
        let theme = stamper.folder(root, "templates", &mut stamps)?;
        let statics = stamper.folder(root, "static", &mut stamps)?;
        let archive = stamper.folder(root, "archive", &mut stamps)?;
        let (orgs, org_stamps) = stamper.orgs(root, content)?;
        stamps.extend(org_stamps);
        Ok(Manifest {
            recorded,
            stamps: stamps.into_iter().collect(),
            inputs: Inputs {
                records,
                settings,
                theme,
                statics,
                archive,
                orgs,
            },
            ..Manifest::default()
        })
    }

    /// The record of organisation `slug` made from `inputs` (its folder's hash, the binary
    /// and `site.toml`), whole or its summary, if the cache holds it: `None` when there is
    /// none or it was made from other inputs; a damaged record is a warning. From any thread.
    pub(crate) fn read_org(&self, slug: &str, inputs: &Inputs, record: Record) -> Result<Option<SiteOrg>, Diagnostic> {
        let (Some(dir), Some(key)) = (&self.dir, org_key(inputs, slug, record)) else {
            return Ok(None);
        };
        let path = record.path(dir, slug);
        let why = match reading_shared(|| store::read::<SiteOrg>(&path, key)) {
            Ok(org) if org.slug == slug => return Ok(Some(org)),
            Err(Unusable::Missing | Unusable::Stale) => return Ok(None),
            Ok(_) => "it holds another organisation".to_string(),
            Err(Unusable::Corrupt(why)) => why,
        };
        Err(ignored(&format!("{}/{slug}.bin", record.folder()), &why))
    }

    /// Whether `files` (an organisation's, paths under `root`) are still as `manifest`'s
    /// fingerprint saw them: a file edited while the build read it makes no record.
    pub(crate) fn unchanged_since(manifest: &Manifest, root: &Path, files: &[PathBuf]) -> bool {
        files.iter().all(|path| {
            let rel = path.strip_prefix(root).unwrap_or(path);
            let then = manifest.stamps.get(rel).map(Stamp::seen);
            then.is_some_and(|then| Seen::of(path).is_ok_and(|now| now == then))
        })
    }

    /// Whether `site.toml` (and the binary) are still as `manifest`'s fingerprint hashed them:
    /// checked once the settings were read, so that records made with settings saved since
    /// are never kept under the key of the ones before.
    pub(crate) fn settings_unchanged(manifest: &Manifest, root: &Path) -> bool {
        records_key(root).is_ok_and(|key| key == manifest.inputs.records)
    }

    /// Keeps the record of an organisation made from `inputs`, and its summary.
    pub(crate) fn write_org(&self, org: &SiteOrg, summary: &SiteOrg, inputs: &Inputs) -> io::Result<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        for (record, value) in [(Record::Whole, org), (Record::Summary, summary)] {
            if let Some(key) = org_key(inputs, &org.slug, record) {
                writing_shared(|| store::write(&record.path(dir, &org.slug), key, value))?;
            }
        }
        Ok(())
    }

    /// Keeps `manifest` as the last build, and removes the records of organisations it no
    /// longer has. Problems are warnings: a cache that cannot be written makes the next
    /// build a clean one, nothing worse.
    pub(crate) fn save(&mut self, manifest: Manifest) {
        let Some(dir) = self.dir.clone() else { return };
        if let Err(e) = store::write(&dir.join("manifest.bin"), binary_key(), &manifest) {
            self.warn("manifest.bin", &format!("it cannot be written: {e}"));
            return;
        }
        let folders = [Record::Whole, Record::Summary].map(|r| dir.join(r.folder()));
        for entries in folders.iter().filter_map(|folder| fs::read_dir(folder).ok()) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let slug = name.strip_suffix(".bin").unwrap_or(&name);
                if !manifest.inputs.orgs.contains_key(slug) {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
        self.previous = Some(manifest);
    }

    /// Removes the last build's manifest (not the records): what a build does before it
    /// changes the output that manifest describes. A build stopped before it saves its own
    /// leaves none, and the next one compares no page with the output's.
    pub(crate) fn forget_last_build(&self) {
        if let (Some(dir), Some(_)) = (&self.dir, &self.previous) {
            let _ = fs::remove_file(dir.join("manifest.bin"));
        }
    }

    /// Keeps `value` as `name` (a file of the cache's `kept/` folder) for exactly `inputs`:
    /// [`BuildCache::kept`] gives it back only while every input is as it was.
    pub(crate) fn keep<T: Serialize>(&self, name: &str, inputs: &Inputs, value: &T) -> io::Result<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        store::write(&dir.join(KEPT).join(name), inputs_key(inputs), value)
    }

    /// Removes the value kept as `name`, if any.
    pub(crate) fn forget(&self, name: &str) {
        if let Some(dir) = &self.dir {
            let _ = fs::remove_file(dir.join(KEPT).join(name));
        }
    }

    /// The value kept as `name` for `inputs`, if there is one: `None` when there is none, it
    /// was kept for other inputs, or it is damaged (it is only ever a shortcut).
    pub(crate) fn kept<T: DeserializeOwned>(&self, name: &str, inputs: &Inputs) -> Option<T> {
        let dir = self.dir.as_ref()?;
        store::read(&dir.join(KEPT).join(name), inputs_key(inputs)).ok()
    }
}

/// The folder of the values kept for exact inputs ([`BuildCache::keep`]).
const KEPT: &str = "kept";

/// The key of a value kept for `inputs`: every one of them (the binary among them, in
/// `records`).
fn inputs_key(inputs: &Inputs) -> Hash {
    crate::digest::digest(&postcard::to_stdvec(inputs).unwrap_or_default())
}

/// A cache file ignored, and why.
fn ignored(file: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        Path::new(CACHE_DIR).join(file),
        format!("the build cache was ignored: {why}"),
    )
    .hint(format!(
        "nothing to do: it is made again (deleting {CACHE_DIR}/ is always safe)"
    ))
}

/// Which record of an organisation: whole (what its own pages are rendered from), or its
/// summary ([`summarize`]: what the hub-wide pages read, a fraction of the size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Record {
    Whole,
    Summary,
}

impl Record {
    /// The folder of the cache that holds records of this kind.
    pub(crate) fn folder(self) -> &'static str {
        match self {
            Record::Whole => "orgs",
            Record::Summary => "summaries",
        }
    }

    fn path(self, dir: &Path, slug: &str) -> PathBuf {
        dir.join(self.folder()).join(format!("{slug}.bin"))
    }
}

/// The key of an organisation's record of one kind: its folder's hash with the binary and
/// `site.toml`, and the kind (a summary is an organisation too: copied over the whole record,
/// it would read as one, every clause empty).
fn org_key(inputs: &Inputs, slug: &str, record: Record) -> Option<Hash> {
    let mut hasher = Digester::new();
    hasher.update(&inputs.records.to_le_bytes());
    hasher.update(&inputs.orgs.get(slug)?.to_le_bytes());
    hasher.update(record.folder().as_bytes());
    Some(hasher.digest128())
}

/// This binary: its version, and the size and time of its file (a rebuilt binary may read or
/// render differently).
fn binary_key() -> Hash {
    let mut hasher = Digester::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    if let Ok(meta) = std::env::current_exe().and_then(fs::metadata) {
        hasher.update(&meta.len().to_le_bytes());
        hasher.update(&meta.modified().map(nanos).unwrap_or_default().to_le_bytes());
    }
    hasher.digest128()
}

/// What reading and anchoring read besides the content: the binary and `site.toml`.
fn records_key(root: &Path) -> io::Result<Hash> {
    let mut hasher = Digester::new();
    hasher.update(&binary_key().to_le_bytes());
    let path = root.join("site.toml");
    // A pipe or a device would never end: the build itself says what is wrong with it.
    if fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
        return Err(io::Error::other("site.toml is not a plain file"));
    }
    match fs::read(path) {
        Ok(bytes) => hasher.update(&bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => hasher.update(b"\0none"),
        Err(e) => return Err(e),
    }
    Ok(hasher.digest128())
}

/// What rendering reads besides: the `--base-url` override and `SOURCE_DATE_EPOCH`.
fn settings_key(records: Hash, base_url: Option<&str>) -> Hash {
    let mut hasher = Digester::new();
    hasher.update(&records.to_le_bytes());
    for part in [base_url.map(String::from), std::env::var("SOURCE_DATE_EPOCH").ok()] {
        hasher.update(&[0xff]);
        hasher.update(part.as_deref().unwrap_or("\0").as_bytes());
    }
    hasher.digest128()
}
