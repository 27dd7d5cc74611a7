//! The files a build publishes under `/releases/`: each release's site unpacked at
//! `/releases/NAME/` (pages adapted by [`adapt_page`]), and its three archive files for
//! download beside it. A tarball that does not match its recorded hash fails the build: a
//! hub never publishes an altered record. The archive itself is only read.
//!
//! Publishing is cached: a stamp `/releases/.published/NAME` records what a release was
//! published from (its hashes, the base path, the publisher's version); when the previous
//! output holds the same stamp, its copy of the release is carried over instead of unpacked.

use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::rewrite::{adapt_page, Adaptation};
use super::{archive_dir, for_each_file, sha256_hex, tarball_name, Index, ReleaseRecord, MANIFEST_FILE, METADATA_FILE};
use crate::error::{Diagnostic, Diagnostics};
use crate::output_file::OutputFile;
use crate::permalinks;

/// Bump when the published form of a release changes (rewriting, banner), so stale copies
/// in a previous output are not carried over.
const PUBLISH_FORMAT: u32 = 1;

/// How a build publishes the releases.
#[derive(Debug, Clone, Copy)]
pub enum PublishMode<'a> {
    /// Unpack and adapt every release.
    Unpack,
    /// Carry over from this previous output every release published there the same way.
    CarryFrom(&'a Path),
    /// Only check the archive files against their recorded hashes (for `check`).
    CheckOnly,
}

/// Hands each file a build publishes under `/releases/` to `emit` (all but the index page),
/// for a site at `base_path`, as each release's tarball streams: memory holds one release's
/// archive files and one of its site's files at a time, not its site. Returns the site paths
/// (folders or files) to carry over unchanged from the previous output.
pub(crate) fn publish_releases(
    root: &Path,
    base_path: &str,
    index: &Index,
    mode: PublishMode,
    emit: &(dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync),
) -> Result<Vec<String>, Diagnostics> {
    let results: Vec<Result<Vec<String>, Diagnostic>> = index
        .releases
        .par_iter()
        .map(|record| publish_release(root, base_path, record, mode, emit))
        .collect();
    let mut problems = Diagnostics::default();
    let mut carried = Vec::new();
    for result in results {
        match result {
            Ok(more) => carried.extend(more),
            Err(d) => problems.push(d),
        }
    }
    problems.into_result(carried)
}

/// Refuses the files of `static/` (paths in the site) that would stand in a published
/// release's place: under `/releases/NAME/`, one of its downloads or its stamp. A release is
/// published as it was frozen, whatever the theme holds.
pub(crate) fn refuse_over_releases<'p>(
    statics: impl Iterator<Item = &'p str>,
    index: &Index,
) -> Result<(), Diagnostics> {
    let mut problems = Diagnostics::default();
    for path in statics.filter(|p| p.starts_with(permalinks::PUBLISH_DIR)) {
        let release = index.releases.iter().find(|record| {
            let name = &record.name;
            let site = permalinks::release(name);
            path.starts_with(&site)
                || path == site.trim_end_matches('/')
                || permalinks::release_downloads(name).iter().any(|d| d == path)
                || path == permalinks::release_stamp(name)
        });
        if let Some(record) = release {
            problems.push(
                Diagnostic::new(
                    Path::new("static").join(path),
                    format!(
                        "this file would replace a file of release `{}` as the site publishes it",
                        record.name
                    ),
                )
                .hint("a release is published as it was frozen: move or rename this file"),
            );
        }
    }
    problems.into_result(())
}

fn publish_release(
    root: &Path,
    base_path: &str,
    record: &ReleaseRecord,
    mode: PublishMode,
    emit: &(dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync),
) -> Result<Vec<String>, Diagnostic> {
    let name = &record.name;
    let folder = archive_dir(root).join(name);
    let shown = |file: &str| Path::new(super::ARCHIVE_DIR).join(name).join(file);
    let tarball = tarball_name(name);
    let mut archived = Vec::with_capacity(3);
    for (file, expected) in [
        (tarball.as_str(), Some(&record.tarball_sha256)),
        (MANIFEST_FILE, Some(&record.manifest_sha256)),
        (METADATA_FILE, record.metadata_sha256.as_ref()),
    ] {
        let bytes = fs::read(folder.join(file)).map_err(|e| {
            Diagnostic::new(shown(file), format!("cannot read release `{name}`: {e}"))
                .hint("restore archive/ from version control; `policyhub verify` lists what is missing")
        })?;
        if expected.is_some_and(|hash| *hash != sha256_hex(&bytes)) {
            return Err(Diagnostic::new(
                shown(file),
                format!("release `{name}` was altered: this file does not match the hash in archive/releases.toml"),
            )
            .hint("run `policyhub verify` for details and restore the file from version control"));
        }
        archived.push(bytes);
    }
    let stamp = OutputFile {
        path: permalinks::release_stamp(name),
        bytes: format!(
            "policyhub {} publish format {PUBLISH_FORMAT}\ntarball_sha256 {}\nmetadata_sha256 {}\nbase_path {base_path}\n",
            env!("CARGO_PKG_VERSION"),
            record.tarball_sha256,
            record.metadata_sha256.as_deref().unwrap_or("")
        )
        .into_bytes(),
    };
    let downloads = permalinks::release_downloads(name);
    match mode {
        PublishMode::CheckOnly => return Ok(Vec::new()),
        PublishMode::CarryFrom(previous) => {
            let same_stamp = fs::read(previous.join(&stamp.path)).is_ok_and(|b| b == stamp.bytes);
            let site_dir = permalinks::release(name).trim_end_matches('/').to_string();
            if same_stamp && previous.join(&site_dir).is_dir() && downloads.iter().all(|d| previous.join(d).is_file()) {
                let mut carried = vec![site_dir];
                carried.extend(downloads);
                emit(stamp)?;
                return Ok(carried);
            }
        }
        PublishMode::Unpack => {}
    }
    let date = record.date.to_string();
    let date_long = record.date.long();
    let old_base = record.base_path();
    let how = Adaptation {
        name,
        date: &date,
        date_long: &date_long,
        old_base: &old_base,
        new_base: base_path,
    };
    // What `emit` refused, which stops the stream.
    let mut refused: Option<Diagnostic> = None;
    let streamed = for_each_file(archived[0].as_slice(), |path, size, entry| {
        // The recorded size is only a hint: a tarball's header may claim any.
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(1 << 24));
        entry.read_to_end(&mut bytes)?;
        let bytes = match (path.ends_with(".html"), String::from_utf8(bytes)) {
            (true, Ok(html)) => adapt_page(&html, path, &how).into_bytes(),
            (_, Ok(text)) => text.into_bytes(),
            (_, Err(e)) => e.into_bytes(),
        };
        let path = permalinks::release_file(name, path);
        emit(OutputFile { path, bytes }).map_err(|d| {
            refused = Some(d);
            std::io::Error::other("not written")
        })
    });
    if let Some(d) = refused {
        return Err(d);
    }
    streamed.map_err(|why| Diagnostic::new(shown(&tarball), why))?;
    for (path, bytes) in downloads.into_iter().zip(archived) {
        emit(OutputFile { path, bytes })?;
    }
    emit(stamp)?;
    Ok(Vec::new())
}
