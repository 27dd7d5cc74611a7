//! Creating a release: checks the name is new and safe, spools the site's files into a hidden
//! staging folder as they are rendered, packs them from there into `archive/NAME/` (the
//! staging folder is renamed into place only when complete), then records the release in
//! `archive/releases.toml` (written to a temporary file and renamed). Any failure before the
//! record is written removes everything the release made.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use super::digest::{check_manifest_path, manifest_of_hashes, HashingWriter};
use super::tarball::{is_safe_path, TarWriter};
use super::{
    archive_dir, release_name_problem, sha256_hex, tarball_name, Index, ReleaseRecord, INDEX_FILE, MANIFEST_FILE,
    METADATA_FILE,
};
use crate::content::Date;
use crate::error::Diagnostic;
use crate::output_file::OutputFile;
use crate::site::Counts;

/// What `release` is asked to do.
#[derive(Debug, Clone)]
pub(crate) struct ReleaseOptions {
    /// The hub's folder.
    pub root: PathBuf,
    /// The release's name: a new slug.
    pub name: String,
    /// The release's date.
    pub date: Date,
}

/// The figures of the rendered site a release freezes (its files are given to
/// [`ReleaseDraft::add`]).
pub(crate) struct FrozenSite<'a> {
    pub counts: Counts,
    pub pages: usize,
    pub base_url: &'a str,
    pub commit: Option<String>,
}

/// The release date: the UTC day of `SOURCE_DATE_EPOCH` when it is set, else of `now`.
pub fn release_date(source_date_epoch: Option<&str>, now: SystemTime) -> Result<Date, Diagnostic> {
    if let Some(text) = source_date_epoch {
        return crate::config::source_date(text);
    }
    let seconds = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    Date::from_unix_seconds(seconds).ok_or_else(|| Diagnostic::new("clock", "the time is outside the years 1 to 9999"))
}

/// Locks the hub's folder for a release, until the returned file is dropped; a second release
/// meanwhile is refused. Where the file system cannot lock a folder, nothing is locked.
fn lock_hub(root: &Path) -> Result<Option<fs::File>, Diagnostic> {
    crate::folder_lock::lock_folder(root, || {
        Diagnostic::new(super::ARCHIVE_DIR, "another release of this hub is being made")
            .hint("wait for it to finish, then release again")
    })
}

/// Checks that `name` can be released in the hub at `root`; returns the current index.
fn check_new_release(root: &Path, name: &str) -> Result<Index, Diagnostic> {
    if let Some(why) = release_name_problem(name) {
        return Err(Diagnostic::new(
            super::ARCHIVE_DIR,
            format!("`{}` cannot name a release: {why}", name.escape_debug()),
        )
        .hint("use lowercase letters, digits and '-', e.g. `policyhub release 2024-03`"));
    }
    let index = Index::load(root)?;
    let shown = Path::new(super::ARCHIVE_DIR).join(name);
    if index.get(name).is_some() {
        return Err(
            Diagnostic::new(shown, format!("release `{name}` exists: a release is never replaced"))
                .hint("choose a new name; `policyhub verify` checks the existing releases"),
        );
    }
    if fs::symlink_metadata(archive_dir(root).join(name)).is_ok() {
        return Err(Diagnostic::new(
            shown,
            format!("archive/{name} exists but is not recorded in archive/releases.toml"),
        )
        .hint("it may be left by an interrupted release or added by hand: check it, remove it, and release again"));
    }
    Ok(index)
}

/// Where a release's site is spooled, in its staging folder: hidden, and removed before the
/// folder becomes the release.
const SPOOL_DIR: &str = ".site";

/// One file of the site as spooled: its bytes are on disk, its hash and length here.
struct Spooled {
    sha256: String,
    bytes: u64,
}

/// A release being made: [`ReleaseDraft::begin`], then [`ReleaseDraft::add`] for each file of
/// the site as it is rendered, then [`ReleaseDraft::finish`]. The files are spooled into the
/// release's staging folder, so memory holds their hashes, not the site. One release of a hub
/// at a time: two at once would each add theirs to the index it read, and the index written
/// last would lose the other. Dropped before it is finished (an error anywhere), a draft
/// leaves `archive/` as it was (its staging folder removes itself).
pub(crate) struct ReleaseDraft {
    options: ReleaseOptions,
    index: Index,
    staging: Staging,
    spool: PathBuf,
    /// The site's files by path. A path added twice (a static file over a page) holds what it
    /// was given last, as in a build.
    files: Mutex<BTreeMap<String, Spooled>>,
    _lock: Option<fs::File>,
}

impl ReleaseDraft {
    /// Locks the hub for release `options.name`, checks that the name can be released, and
    /// makes its staging folder.
    pub(crate) fn begin(options: &ReleaseOptions) -> Result<ReleaseDraft, Diagnostic> {
        let lock = lock_hub(&options.root)?;
        let index = check_new_release(&options.root, &options.name)?;
        let staging = Staging::new(&archive_dir(&options.root), &options.name)
            .and_then(|staging| fs::create_dir(staging.dir.join(SPOOL_DIR)).map(|()| staging))
            .map_err(|e| failure(&options.name, "create a staging folder in archive/", &e))?;
        Ok(ReleaseDraft {
            options: options.clone(),
            index,
            spool: staging.dir.join(SPOOL_DIR),
            staging,
            files: Mutex::new(BTreeMap::new()),
            _lock: lock,
        })
    }

    /// Adds one file of the site (from any thread).
    pub(crate) fn add(&self, file: OutputFile) -> Result<(), Diagnostic> {
        let fail = |what: &str, e: &dyn std::fmt::Display| failure(&self.options.name, what, e);
        if !is_safe_path(&file.path) {
            return Err(fail(
                "write the tarball",
                &format!("unsafe path in the site: `{}`", file.path.escape_debug()),
            ));
        }
        check_manifest_path(&file.path).map_err(|e| fail("write the manifest", &e))?;
        let path = self.spool.join(&file.path);
        path.parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&path, &file.bytes))
            .map_err(|e| fail(&format!("write the release's copy of `{}`", file.path), &e))?;
        let spooled = Spooled {
            sha256: sha256_hex(&file.bytes),
            bytes: file.bytes.len() as u64,
        };
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.insert(file.path, spooled);
        Ok(())
    }

    /// Packs the site's files into the release, with its manifest and metadata, moves it into
    /// place as `archive/NAME`, and records it in the index; returns the record.
    pub(crate) fn finish(self, site: &FrozenSite) -> Result<ReleaseRecord, Diagnostic> {
        // Bound first, so dropped last: the hub stays locked until the staging is gone.
        let ReleaseDraft {
            _lock,
            options,
            mut index,
            staging,
            spool,
            files,
        } = self;
        let name = &options.name;
        let fail = |what: &str, e: &dyn std::fmt::Display| failure(name, what, e);
        let files = files.into_inner().unwrap_or_else(|p| p.into_inner());
        let manifest = manifest_of_hashes(files.iter().map(|(path, f)| (path.as_str(), f.sha256.as_str())));
        let (tarball_sha256, tarball_bytes) = staging
            .write_tarball(&tarball_name(name), &spool, &files)
            .map_err(|e| fail("write the tarball", &e))?;
        let mut record = ReleaseRecord {
            name: name.clone(),
            date: options.date,
            commit: site.commit.clone(),
            base_url: site.base_url.to_string(),
            generator: format!("policyhub {}", env!("CARGO_PKG_VERSION")),
            orgs: site.counts.orgs as u64,
            policies: site.counts.policies as u64,
            versions: site.counts.versions as u64,
            pages: site.pages as u64,
            files: files.len() as u64,
            bytes: files.values().map(|f| f.bytes).sum(),
            tarball_sha256,
            tarball_bytes,
            manifest_sha256: sha256_hex(manifest.as_bytes()),
            metadata_sha256: None,
        };
        let metadata = record.metadata_toml();
        record.metadata_sha256 = Some(sha256_hex(metadata.as_bytes()));
        fs::remove_dir_all(&spool).map_err(|e| fail("remove the spooled site", &e))?;
        staging
            .write(MANIFEST_FILE, manifest.as_bytes())
            .and_then(|()| staging.write(METADATA_FILE, metadata.as_bytes()))
            .map_err(|e| fail("write the release", &e))?;
        let made_archive = staging.made_archive;
        let folder = staging.commit().map_err(|e| fail("move the release into place", &e))?;
        index.releases.push(record.clone());
        let archive = archive_dir(&options.root);
        write_atomically(&archive.join(INDEX_FILE), index.to_toml().as_bytes()).map_err(|e| {
            // Not recorded, so not a release: take the folder back out, and the archive folder
            // when the release made it.
            let _ = fs::remove_dir_all(&folder);
            if made_archive {
                let _ = fs::remove_dir(&archive);
            }
            fail("record the release in archive/releases.toml", &e)
        })?;
        Ok(record)
    }
}

/// A failure to make release `name`, named at its folder.
fn failure(name: &str, what: &str, e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::new(Path::new(super::ARCHIVE_DIR).join(name), format!("cannot {what}: {e}"))
}

/// A release being written: a hidden folder in `archive/` that becomes `archive/NAME` on
/// [`Staging::commit`] and is removed if dropped before that (an error, a panic).
pub(super) struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// True when the staging made the archive folder: a failed release removes it too.
    made_archive: bool,
    committed: bool,
}

impl Staging {
    /// A fresh staging folder for release `name` in `archive`.
    pub(super) fn new(archive: &Path, name: &str) -> io::Result<Staging> {
        let made_archive = !archive.is_dir();
        fs::create_dir_all(archive)?;
        let prefix = format!(".{name}.staging-");
        let dir = archive.join(format!("{prefix}{}", std::process::id()));
        // Leftovers of an earlier, killed release of this name are not releases: sweep them.
        let made = fs::read_dir(archive).and_then(|entries| {
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = fs::remove_dir_all(entry.path());
                }
            }
            fs::create_dir(&dir)
        });
        if let Err(e) = made {
            if made_archive {
                let _ = fs::remove_dir(archive);
            }
            return Err(e);
        }
        Ok(Staging {
            dir,
            target: archive.join(name),
            made_archive,
            committed: false,
        })
    }

    /// Writes a new file into the staging folder and flushes it to disk.
    pub(super) fn write(&self, file: &str, bytes: &[u8]) -> io::Result<()> {
        let mut out = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.dir.join(file))?;
        out.write_all(bytes)?;
        out.sync_all()
    }

    /// Packs the spooled `files` (path, under `spool`) into a new tarball `file`, flushed to
    /// disk; returns its hash and length.
    fn write_tarball(&self, file: &str, spool: &Path, files: &BTreeMap<String, Spooled>) -> io::Result<(String, u64)> {
        let out = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.dir.join(file))?;
        let mut tarball = TarWriter::new(HashingWriter::new(io::BufWriter::new(out)));
        for (path, spooled) in files {
            let data = fs::File::open(spool.join(path))?;
            tarball.add(path, spooled.bytes, data).map_err(io::Error::other)?;
        }
        let (out, sha256, length) = tarball.finish().map_err(io::Error::other)?.finish();
        out.into_inner().map_err(io::IntoInnerError::into_error)?.sync_all()?;
        Ok((sha256, length))
    }

    /// Renames the staging folder to `archive/NAME`; refuses if that exists.
    pub(super) fn commit(mut self) -> io::Result<PathBuf> {
        if fs::symlink_metadata(&self.target).is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "the release folder exists",
            ));
        }
        fs::rename(&self.dir, &self.target)?;
        self.committed = true;
        sync_dir(self.target.parent());
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
            if self.made_archive {
                // Leave no empty archive/ behind (remove_dir refuses a folder that is not empty).
                if let Some(archive) = self.target.parent() {
                    let _ = fs::remove_dir(archive);
                }
            }
        }
    }
}

/// Replaces `path` with `bytes` through a temporary file and a rename.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let temporary = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut out = fs::File::create(&temporary)?;
        out.write_all(bytes)?;
        out.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    sync_dir(path.parent());
    result
}

/// Flushes a folder's entries (renames) to disk where the system allows it.
fn sync_dir(dir: Option<&Path>) {
    if let Some(Ok(d)) = dir.map(fs::File::open) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_epoch_seconds() {
        let at = |s: &str| release_date(Some(s), UNIX_EPOCH).unwrap().to_string();
        assert_eq!(at("0"), "1970-01-01");
        assert_eq!(at("1709251200"), "2024-03-01");
        assert_eq!(at("1709337599"), "2024-03-01");
        assert_eq!(at("951782400"), "2000-02-29");
        assert_eq!(at("-1"), "1969-12-31");
        assert!(release_date(Some("soon"), UNIX_EPOCH).is_err());
        let now = UNIX_EPOCH + std::time::Duration::from_secs(86_400 * 365);
        assert_eq!(release_date(None, now).unwrap().to_string(), "1971-01-01");
    }

    #[test]
    fn one_release_of_a_hub_at_a_time() {
        let hub = tempfile::tempdir().unwrap();
        let first = lock_hub(hub.path()).unwrap();
        assert!(first.is_some(), "this file system locks folders");
        let second = lock_hub(hub.path()).unwrap_err();
        assert!(second.message.contains("another release of this hub"), "{second:?}");
        drop(first);
        assert!(
            lock_hub(hub.path()).unwrap().is_some(),
            "free again once the first is done"
        );
    }

    #[test]
    fn dropped_staging_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let archive = tmp.path().join("archive");
        {
            let staging = Staging::new(&archive, "r1").unwrap();
            staging.write("r1.tar.gz", b"partial").unwrap();
            assert!(staging.dir.exists());
        }
        assert!(!archive.exists(), "the archive folder it made is removed too");
        fs::create_dir(&archive).unwrap();
        {
            let staging = Staging::new(&archive, "r1").unwrap();
            staging.write("r1.tar.gz", b"partial").unwrap();
        }
        assert_eq!(fs::read_dir(&archive).unwrap().count(), 0, "one it found stays");
    }

    #[test]
    fn commit_refuses_an_existing_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let archive = tmp.path().join("archive");
        let staging = Staging::new(&archive, "r1").unwrap();
        fs::write(archive.join("r1"), "in the way").unwrap();
        assert!(staging.commit().is_err());
        let left: Vec<_> = fs::read_dir(&archive)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("r1")]);
    }
}
