//! Creating a release: checks the name is new and safe, freezes the rendered site into
//! `archive/NAME/` through a hidden staging folder that is renamed into place only when
//! complete, then records it in `archive/releases.toml` (written to a temporary file and
//! renamed). Any failure before the record is written removes everything the release made.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::{
    archive_dir, manifest_text, pack, release_name_problem, sha256_hex, tarball_name, Index, ReleaseRecord, INDEX_FILE,
    MANIFEST_FILE, METADATA_FILE,
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

/// The rendered site a release freezes, with its figures.
pub(crate) struct FrozenSite<'a> {
    pub files: &'a [OutputFile],
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
pub(crate) fn check_new_release(root: &Path, name: &str) -> Result<Index, Diagnostic> {
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

/// Freezes `site` as release `options.name` and records it; returns the record. One release
/// of a hub at a time: two at once would each add theirs to the index it read, and the index
/// written last would lose the other.
pub(crate) fn create_release(options: &ReleaseOptions, site: &FrozenSite) -> Result<ReleaseRecord, Diagnostic> {
    let _lock = lock_hub(&options.root)?;
    let mut index = check_new_release(&options.root, &options.name)?;
    let name = &options.name;
    let shown = Path::new(super::ARCHIVE_DIR).join(name);
    let fail = |what: &str, e: &dyn std::fmt::Display| Diagnostic::new(&shown, format!("cannot {what}: {e}"));
    // The site's files by reference: a copy would double the memory a release takes.
    let mut files: Vec<(&str, &[u8])> = site
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    files.sort_by(|a, b| a.0.cmp(b.0));
    let manifest = manifest_text(&files).map_err(|e| fail("write the manifest", &e))?;
    let tarball = pack(&files).map_err(|e| fail("write the tarball", &e))?;
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
        bytes: files.iter().map(|(_, b)| b.len() as u64).sum(),
        tarball_sha256: sha256_hex(&tarball),
        tarball_bytes: tarball.len() as u64,
        manifest_sha256: sha256_hex(manifest.as_bytes()),
        metadata_sha256: None,
    };
    let metadata = record.metadata_toml();
    record.metadata_sha256 = Some(sha256_hex(metadata.as_bytes()));

    let archive = archive_dir(&options.root);
    let archive_existed = archive.is_dir();
    let written = write_release(&archive, name, &tarball, &manifest, &metadata).map_err(|(what, e)| fail(what, &e));
    let written = written.and_then(|folder| {
        index.releases.push(record.clone());
        write_atomically(&archive.join(INDEX_FILE), index.to_toml().as_bytes()).map_err(|e| {
            // Not recorded, so not a release: take the folder back out.
            let _ = fs::remove_dir_all(&folder);
            fail("record the release in archive/releases.toml", &e)
        })
    });
    if written.is_err() && !archive_existed {
        // Leave no empty archive/ behind either (remove_dir refuses a folder that is not empty).
        let _ = fs::remove_dir(&archive);
    }
    written.map(|()| record)
}

/// Writes the three files of a release through a staging folder; returns the release folder.
fn write_release(
    archive: &Path,
    name: &str,
    tarball: &[u8],
    manifest: &str,
    metadata: &str,
) -> Result<PathBuf, (&'static str, io::Error)> {
    let staging = Staging::new(archive, name).map_err(|e| ("create a staging folder in archive/", e))?;
    staging
        .write(&tarball_name(name), tarball)
        .and_then(|()| staging.write(MANIFEST_FILE, manifest.as_bytes()))
        .and_then(|()| staging.write(METADATA_FILE, metadata.as_bytes()))
        .map_err(|e| ("write the release", e))?;
    staging.commit().map_err(|e| ("move the release into place", e))
}

/// A release being written: a hidden folder in `archive/` that becomes `archive/NAME` on
/// [`Staging::commit`] and is removed if dropped before that (an error, a panic).
pub(super) struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// A fresh staging folder for release `name` in `archive`.
    pub(super) fn new(archive: &Path, name: &str) -> io::Result<Staging> {
        fs::create_dir_all(archive)?;
        // Leftovers of an earlier, killed release of this name are not releases: sweep them.
        let prefix = format!(".{name}.staging-");
        for entry in fs::read_dir(archive)?.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
        let dir = archive.join(format!("{prefix}{}", std::process::id()));
        fs::create_dir(&dir)?;
        Ok(Staging {
            dir,
            target: archive.join(name),
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
        assert_eq!(fs::read_dir(&archive).unwrap().count(), 0);
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
