//! Releases and their verification (DESIGN §8): `release` freezes the built site into
//! `archive/NAME/` (a deterministic tarball, a `sha256sum -c` manifest, metadata) and records it
//! in `archive/releases.toml`; `verify` checks every archive; each build publishes the archives
//! under `/releases/`. Nothing here ever modifies or deletes a file of an existing release.
//!
//! Layout of `archive/` (the hub's permanent record, committed with the hub):
//!
//! ```text
//! archive/releases.toml          the index: one [[release]] per release, oldest first
//! archive/NAME/NAME.tar.gz       the site as released, entries under `site/`
//! archive/NAME/SHA256SUMS        `HASH  PATH` for every file of the site (paths inside `site/`)
//! archive/NAME/release.toml      name, date, commit, counts and the hashes of the two files above
//! ```

mod digest;
mod git;
mod index;
mod publish;
mod release;
mod rewrite;
mod tarball;
mod verify;

pub use digest::sha256_hex;
pub use index::ReleaseRecord;
pub use release::release_date;
pub use rewrite::live_path;
pub use tarball::{for_each_file, pack, unpack};
pub use verify::{verify, VerifyReport};

pub(crate) use digest::{parse_manifest, sha256_of_reader};
pub(crate) use git::head_commit;
pub(crate) use index::Index;
pub(crate) use publish::{publish_releases, refuse_over_releases, PublishMode};
pub(crate) use release::{FrozenSite, ReleaseDraft, ReleaseOptions};

use std::path::{Path, PathBuf};

/// The archive folder, relative to the hub's root.
pub const ARCHIVE_DIR: &str = "archive";
/// The index of releases, relative to the archive folder.
pub const INDEX_FILE: &str = "releases.toml";
/// The manifest of a release, in its folder.
pub const MANIFEST_FILE: &str = "SHA256SUMS";
/// The metadata of a release, in its folder.
pub const METADATA_FILE: &str = "release.toml";
/// The folder every path of a release's tarball starts with.
pub const TARBALL_ROOT: &str = "site";

/// `root/archive`.
pub fn archive_dir(root: &Path) -> PathBuf {
    root.join(ARCHIVE_DIR)
}

/// The tarball's file name of release `name`.
pub fn tarball_name(name: &str) -> String {
    format!("{name}.tar.gz")
}

/// Why `name` cannot name a release, or `None` when it can: a release name is a slug
/// (lowercase ASCII letters, digits, '-'), at most 64 bytes, so it is safe as a folder name
/// and in a URL on every system.
pub fn release_name_problem(name: &str) -> Option<&'static str> {
    if name.len() > 64 {
        return Some("it is longer than 64 characters");
    }
    crate::content::slug_problem(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names_are_slugs() {
        for good in ["r1", "2024-03", "march-2024"] {
            assert_eq!(release_name_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "../x",
            "A B",
            "R1",
            "a/b",
            ".hidden",
            "x.tar.gz",
            "-a",
            &"x".repeat(65),
        ] {
            assert!(release_name_problem(bad).is_some(), "{bad:?} accepted");
        }
    }
}
