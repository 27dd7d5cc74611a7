//! The content tree → [`Content`] { orgs → policies → versions }: walking `content/`, reading
//! `org.toml`, `policy.toml` and each version's front matter, validating slugs and dates; and
//! what the dates say: the policy in force on a day, pending versions and notice periods.
//! It knows nothing of Markdown beyond where the body starts.

pub(crate) mod front_matter;
pub mod in_force;
mod load;
pub mod notice;
mod slug;
mod url;

use std::path::PathBuf;

pub use crate::date::{Date, DateError};
pub(crate) use load::{clean_optional, clean_string, has_stray_controls, without_controls, MAX_FILE_BYTES};
pub use load::{
    load_content, load_org_dir, load_orgs, load_orgs_with, read_text_file, reload_bodies, scan_content, OrgFiles,
};
pub use slug::{shortened, slug_problem, slugify, transliterated_slug};
pub(crate) use url::is_web_url;

/// Every organisation of the hub, sorted by slug.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// The organisations, sorted by slug.
    pub orgs: Vec<Org>,
}

/// An organisation: `content/<org>/org.toml` and its policies. Later stages keep the same
/// record with more in each policy (the loaded site's `Org<SitePolicy>`: each policy with its
/// history and cross-links).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Org<P = Policy> {
    /// The folder name, used in URLs.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// The organisation's website.
    pub website: Option<String>,
    /// A short description.
    pub description: Option<String>,
    /// Country of the organisation.
    pub country: Option<String>,
    /// Its policies, sorted by slug.
    pub policies: Vec<P>,
}

impl<P> Org<P> {
    /// The same organisation with its policies made into other records (in the same order).
    pub fn with_policies<Q>(self, policies: impl FnOnce(Vec<P>) -> Vec<Q>) -> Org<Q> {
        Org {
            slug: self.slug,
            name: self.name,
            website: self.website,
            description: self.description,
            country: self.country,
            policies: policies(self.policies),
        }
    }
}

/// A policy: `content/<org>/<policy>/policy.toml` and its versions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Policy {
    /// The folder name, used in URLs.
    pub slug: String,
    /// Display title ("Privacy Policy").
    pub title: String,
    /// URL of the live policy page.
    pub url: Option<String>,
    /// Its versions, oldest first.
    pub versions: Vec<Version>,
}

/// One captured version of a policy: `content/<org>/<policy>/<YYYY-MM-DD>[.N].md`. Two
/// versions are equal when all but their bodies are: the digest stands for the body, which is
/// dropped once parsed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Version {
    /// The file stem, used in URLs: `2015-12-10`, or `2015-12-10.2` for a second version that day.
    pub id: String,
    /// When the version was made public (`announced` in front matter), if known: ahead of
    /// `effective` for a change announced with notice.
    pub announced: Option<Date>,
    /// The date the policy took effect (the file name's date).
    pub effective: Date,
    /// Same-day sequence number (1 for the first version of a day).
    pub sequence: u32,
    /// When this copy was taken.
    pub captured: Option<Date>,
    /// Where the policy was published.
    pub source: Option<String>,
    /// A web-archive copy of the source.
    pub archive: Option<String>,
    /// A one-line human summary of what changed.
    pub summary: Option<String>,
    /// The version file, relative to the hub's root.
    pub path: PathBuf,
    /// The Markdown body after the front matter: empty once the version is parsed (a loaded
    /// site keeps the parsed document, not the text), and never in the build cache.
    #[serde(skip)]
    pub body: String,
    /// The digest of the body, kept when the body is dropped: whether two versions have the
    /// same text.
    pub digest: u128,
    /// The 1-based line of the file on which `body` starts.
    pub body_line: usize,
}

impl Version {
    /// A version's body and its digest, for versions made in code (tests, imports).
    pub fn with_body(mut self, body: impl Into<String>) -> Version {
        self.body = body.into();
        self.digest = crate::digest::digest(self.body.as_bytes());
        self
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        let Version {
            id,
            announced,
            effective,
            sequence,
            captured,
            source,
            archive,
            summary,
            path,
            body: _,
            digest,
            body_line,
        } = self;
        (
            id, announced, effective, sequence, captured, source, archive, summary, path, digest, body_line,
        ) == (
            &other.id,
            &other.announced,
            &other.effective,
            &other.sequence,
            &other.captured,
            &other.source,
            &other.archive,
            &other.summary,
            &other.path,
            &other.digest,
            &other.body_line,
        )
    }
}

impl Eq for Version {}
