//! `policyhub verify`: checks every release in `archive/` against `archive/releases.toml` (the
//! hashes of its three files, its metadata) and its tarball against its manifest, and reports
//! every file missing, added or changed. It only reads.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{
    archive_dir, for_each_file, parse_manifest, sha256_hex, sha256_of_reader, tarball_name, Index, ReleaseRecord,
    ARCHIVE_DIR, INDEX_FILE, MANIFEST_FILE, METADATA_FILE,
};
use crate::error::{Diagnostic, Diagnostics};

/// What `verify` found.
#[derive(Debug, Default)]
pub struct VerifyReport {
    /// Releases checked.
    pub releases: usize,
    /// Files of released sites checked against their manifests.
    pub files: usize,
    /// Every mismatch: a file missing, added or changed.
    pub problems: Diagnostics,
    /// Things worth knowing that are not mismatches (leftovers of an interrupted release).
    pub notes: Vec<String>,
}

/// Checks every release of the hub at `root`.
pub fn verify(root: &Path) -> VerifyReport {
    let mut report = VerifyReport::default();
    let index_shown = Path::new(ARCHIVE_DIR).join(INDEX_FILE);
    let index = match fs::read_to_string(Index::path(root)) {
        Ok(text) => match Index::parse(&text, &index_shown) {
            Ok(index) => {
                if index.to_toml() != text {
                    report.problems.push(
                        Diagnostic::new(&index_shown, "changed: not as `policyhub release` wrote it")
                            .hint("restore it from version control"),
                    );
                }
                index
            }
            Err(d) => {
                report.problems.push(d);
                return report;
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match Index::missing(root) {
            Ok(index) => index,
            Err(d) => {
                report.problems.push(d);
                return report;
            }
        },
        Err(e) => {
            report
                .problems
                .push(Diagnostic::new(&index_shown, format!("cannot read: {e}")));
            return report;
        }
    };
    check_folder_entries(root, &index, &mut report);
    let results: Vec<(usize, Vec<Diagnostic>)> = index.releases.par_iter().map(|r| verify_release(root, r)).collect();
    for (files, problems) in results {
        report.releases += 1;
        report.files += files;
        report.problems.0.extend(problems);
    }
    report
}

/// Entries of `archive/` that are not recorded releases.
fn check_folder_entries(root: &Path, index: &Index, report: &mut VerifyReport) {
    let Ok(entries) = fs::read_dir(archive_dir(root)) else {
        return;
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        if name == INDEX_FILE || index.get(&name).is_some() {
            continue;
        }
        if name.starts_with('.') && (name.contains(".staging-") || name.contains(".tmp-")) {
            report.notes.push(format!(
                "archive/{name} is left from an interrupted release; it is not part of any release and may be removed"
            ));
            continue;
        }
        report.problems.push(
            Diagnostic::new(
                Path::new(ARCHIVE_DIR).join(&name),
                "added: not a release recorded in archive/releases.toml",
            )
            .hint("releases are made by `policyhub release NAME`; remove what was added by hand"),
        );
    }
}

/// Checks one release; returns the number of site files checked and the problems.
fn verify_release(root: &Path, record: &ReleaseRecord) -> (usize, Vec<Diagnostic>) {
    let name = &record.name;
    let folder = archive_dir(root).join(name);
    let shown = |file: &str| -> PathBuf { Path::new(ARCHIVE_DIR).join(name).join(file) };
    let mut problems = Vec::new();
    let Ok(entries) = fs::read_dir(&folder) else {
        problems.push(Diagnostic::new(
            shown(""),
            format!("missing: the folder of release `{name}`"),
        ));
        return (0, problems);
    };
    let tarball = tarball_name(name);
    let expected = [tarball.as_str(), MANIFEST_FILE, METADATA_FILE];
    let mut extra: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !expected.contains(&n.as_str()))
        .collect();
    extra.sort();
    for file in extra {
        problems.push(Diagnostic::new(
            shown(&file),
            format!("added: not a file of release `{name}`"),
        ));
    }
    let mut contents: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
    for (file, hash) in [
        (tarball.as_str(), Some(&record.tarball_sha256)),
        (MANIFEST_FILE, Some(&record.manifest_sha256)),
        (METADATA_FILE, record.metadata_sha256.as_ref()),
    ] {
        match fs::read(folder.join(file)) {
            Ok(bytes) => {
                if hash.is_some_and(|h| *h != sha256_hex(&bytes)) {
                    problems.push(Diagnostic::new(
                        shown(file),
                        "changed: does not match the SHA-256 recorded in archive/releases.toml",
                    ));
                }
                contents.insert(file, bytes);
            }
            Err(e) => problems.push(Diagnostic::new(shown(file), format!("missing: {e}"))),
        }
    }
    if let Some(bytes) = contents.get(METADATA_FILE) {
        let text = String::from_utf8_lossy(bytes);
        match ReleaseRecord::parse_metadata(&text, &shown(METADATA_FILE)) {
            Ok(meta)
                if (ReleaseRecord {
                    metadata_sha256: None,
                    ..record.clone()
                }) != meta =>
            {
                problems.push(Diagnostic::new(
                    shown(METADATA_FILE),
                    "changed: disagrees with archive/releases.toml",
                ))
            }
            Ok(_) => {}
            Err(d) => problems.push(d),
        }
    }
    let (Some(gz), Some(manifest)) = (contents.get(tarball.as_str()), contents.get(MANIFEST_FILE)) else {
        return (0, problems);
    };
    // The site's files are hashed as the tarball streams: memory holds one buffer, not the site.
    let mut actual: BTreeMap<String, String> = BTreeMap::new();
    let (mut files, mut bytes) = (0u64, 0u64);
    let streamed = for_each_file(gz.as_slice(), |path, _, entry| {
        let (hash, length) = sha256_of_reader(entry)?;
        files += 1;
        bytes += length;
        if actual.insert(path.to_string(), hash).is_some() {
            problems.push(Diagnostic::new(
                shown(&tarball),
                format!("added: site/{path} appears twice"),
            ));
        }
        Ok(())
    });
    if let Err(why) = streamed {
        problems.push(Diagnostic::new(shown(&tarball), format!("changed: {why}")));
        return (0, problems);
    }
    let listed = match parse_manifest(&String::from_utf8_lossy(manifest)) {
        Ok(listed) => listed,
        Err((line, why)) => {
            problems.push(Diagnostic::new(shown(MANIFEST_FILE), format!("changed: {why}")).at_line(line));
            return (0, problems);
        }
    };
    compare_with_manifest(&actual, &listed, &shown(&tarball), &mut problems);
    if files != record.files || bytes != record.bytes {
        problems.push(Diagnostic::new(
            shown(&tarball),
            format!(
                "changed: holds {files} files, {bytes} bytes; the record says {} files, {} bytes",
                record.files, record.bytes
            ),
        ));
    }
    (usize::try_from(files).unwrap_or(usize::MAX), problems)
}

/// Every file of the tarball (path → SHA-256) against the manifest: missing, added, changed.
fn compare_with_manifest(
    actual: &BTreeMap<String, String>,
    listed: &[(String, String)],
    tarball: &Path,
    problems: &mut Vec<Diagnostic>,
) {
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    for (path, hash) in listed {
        seen.insert(path, ());
        match actual.get(path.as_str()) {
            None => problems.push(Diagnostic::new(
                tarball,
                format!("missing: site/{path} is listed in SHA256SUMS but not in the tarball"),
            )),
            Some(h) if h != hash => problems.push(Diagnostic::new(
                tarball,
                format!("changed: site/{path} does not match its hash in SHA256SUMS"),
            )),
            Some(_) => {}
        }
    }
    for path in actual.keys().filter(|p| !seen.contains_key(p.as_str())) {
        problems.push(Diagnostic::new(
            tarball,
            format!("added: site/{path} is in the tarball but not in SHA256SUMS"),
        ));
    }
}
