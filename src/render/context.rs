//! The views the templates share: the hub (`site`), the page, organisations, policies,
//! versions and links to them, plain structs that the page inputs ([`super::page_inputs`])
//! hold. `docs/templates.md` documents every field, and its test checks it does.

use serde::Serialize;

use crate::config::Config;
use crate::content::{Policy, Version};
use crate::permalinks::{self, Urls};
use crate::site::SiteOrg;

/// `site`: the hub's settings, on every page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SiteView {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub base_path: String,
    pub language: String,
    pub generator: String,
    /// Attribution of the hub's data (`credits` in site.toml), shown in the footer.
    pub credits: Option<String>,
    /// `remote_images` of site.toml: the Content-Security-Policy allows images from elsewhere.
    pub remote_images: bool,
    /// The hub's own pages and feeds, spelled by [`permalinks`].
    pub urls: HubUrls,
}

/// `site.urls`: the URLs (with the base path) of the pages and feeds every hub has.
#[derive(Debug, Clone, Serialize)]
pub(super) struct HubUrls {
    pub home: String,
    pub changes: String,
    pub topics: String,
    pub glossary: String,
    pub search: String,
    pub releases: String,
    pub feed: String,
    pub substantive_feed: String,
}

impl HubUrls {
    fn new(urls: &Urls) -> Self {
        HubUrls {
            home: urls.path(permalinks::home()),
            changes: urls.path(permalinks::recent_changes()),
            topics: urls.path(permalinks::topics()),
            glossary: urls.path(permalinks::glossary()),
            search: urls.path(permalinks::search()),
            releases: urls.path(&permalinks::releases()),
            feed: urls.path(permalinks::hub_feed()),
            substantive_feed: urls.path(permalinks::hub_substantive_feed()),
        }
    }
}

impl SiteView {
    pub(super) fn new(config: &Config) -> Self {
        SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: config.base_url.clone(),
            base_path: config.base_path.clone(),
            credits: config.credits.clone(),
            remote_images: config.remote_images,
            language: config.language.clone(),
            generator: format!("policyhub {}", env!("CARGO_PKG_VERSION")),
            urls: HubUrls::new(&Urls::new(&config.base_path, &config.base_url)),
        }
    }
}

/// `page`: what every page says about itself.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PageView {
    /// The `<title>` text.
    pub title: String,
    /// The meta description.
    pub description: String,
    /// Site-relative URL of the page, with the base path (`/hub/xmatters/`).
    pub url: String,
    /// Absolute canonical URL.
    pub canonical: String,
    /// What kind of page this is: home, org, policy, version, not-found.
    pub kind: &'static str,
}

/// A link to one version.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct VersionLink {
    pub id: String,
    pub effective: String,
    pub effective_long: String,
    pub url: String,
    /// Its redline against the previous version (none for the first version).
    pub diff_url: Option<String>,
}

/// A policy in a list (an organisation's policies): its pages and its latest version, not
/// every version (each page of an organisation carries its list: with every version, an
/// organisation of many long histories would make every page's context as large as them all).
#[derive(Debug, Clone, Serialize)]
pub(super) struct PolicyEntry {
    pub slug: String,
    pub title: String,
    /// The policy's canonical page (its latest version).
    pub url: String,
    /// The live policy page on the organisation's site.
    pub live_url: Option<String>,
    /// The history of every clause.
    pub clauses_url: String,
    /// The policy's change timeline.
    pub changes_url: String,
    /// The point-in-time page: which version was in force on a day.
    pub at_url: String,
    /// The compare page: the redline of any two versions.
    pub compare_url: String,
    /// The policy's Atom feed.
    pub feed_url: String,
    /// The policy's JSON.
    pub api_url: String,
    pub latest: VersionLink,
    pub version_count: usize,
}

/// A policy with its versions (oldest first): `policy` on the policy's own pages.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PolicyView {
    #[serde(flatten)]
    pub entry: PolicyEntry,
    pub versions: Vec<VersionLink>,
}

impl std::ops::Deref for PolicyView {
    type Target = PolicyEntry;

    fn deref(&self) -> &PolicyEntry {
        &self.entry
    }
}

/// An organisation with its policies.
#[derive(Debug, Clone, Serialize)]
pub(super) struct OrgView {
    pub slug: String,
    pub name: String,
    pub url: String,
    pub website: Option<String>,
    pub description: Option<String>,
    pub country: Option<String>,
    pub policies: Vec<PolicyEntry>,
}

/// `version` on a version page: the version shown, with its provenance.
#[derive(Debug, Clone, Serialize)]
pub(super) struct VersionView {
    pub id: String,
    pub effective: String,
    pub effective_long: String,
    /// When it was announced (ISO, and "1 February 2027"), if known.
    pub announced: Option<String>,
    pub announced_long: Option<String>,
    pub captured: Option<String>,
    pub source: Option<String>,
    pub archive: Option<String>,
    pub summary: Option<String>,
    /// The permanent URL of this version.
    pub url: String,
    /// Its redline against the previous version (none for the first version).
    pub diff_url: Option<String>,
    pub is_latest: bool,
    /// 1-based position among the policy's versions.
    pub number: usize,
    pub word_count: usize,
    pub clause_count: usize,
    /// `pending`, `in-force` or `superseded` on the hub's reference date.
    pub status: &'static str,
    /// The notice in words ("Takes effect on 1 March 2027, announced 1 February: 28 days'
    /// notice."), if there is one.
    pub notice: Option<String>,
    /// The warning for a change that took effect before it was announced or captured.
    pub warning: Option<String>,
}

/// One entry of a version page's table of contents.
#[derive(Debug, Clone, Serialize)]
pub(super) struct TocEntry {
    pub id: String,
    pub text: String,
    pub level: u8,
}

impl VersionLink {
    pub(crate) fn new(urls: &Urls, org: &SiteOrg, policy: &Policy, version: &Version) -> Self {
        VersionLink {
            id: version.id.clone(),
            effective: version.effective.to_string(),
            effective_long: version.effective.long(),
            url: urls.path(&permalinks::version(&org.slug, &policy.slug, &version.id)),
            diff_url: policy
                .versions
                .first()
                .filter(|first| first.id != version.id)
                .map(|_| urls.path(&permalinks::redline(&org.slug, &policy.slug, &version.id))),
        }
    }
}

impl PolicyView {
    pub(super) fn new(urls: &Urls, org: &SiteOrg, policy: &Policy) -> Self {
        let versions: Vec<VersionLink> = policy
            .versions
            .iter()
            .map(|v| VersionLink::new(urls, org, policy, v))
            .collect();
        PolicyView {
            entry: PolicyEntry::new(urls, org, policy, versions.last().cloned()),
            versions,
        }
    }
}

impl PolicyEntry {
    /// The entry of a policy whose latest version is `latest` (none for a policy without
    /// versions).
    fn new(urls: &Urls, org: &SiteOrg, policy: &Policy, latest: Option<VersionLink>) -> Self {
        let (o, p) = (&org.slug, &policy.slug);
        PolicyEntry {
            slug: policy.slug.clone(),
            title: policy.title.clone(),
            url: urls.path(&permalinks::policy(o, p)),
            live_url: policy.url.clone(),
            clauses_url: urls.path(&permalinks::clauses(o, p)),
            changes_url: urls.path(&permalinks::timeline(o, p)),
            at_url: urls.path(&permalinks::point_in_time(o, p)),
            compare_url: urls.path(&permalinks::compare(o, p)),
            feed_url: urls.path(&permalinks::policy_feed(o, p)),
            api_url: urls.path(&permalinks::api_policy(o, p)),
            latest: latest.unwrap_or_else(|| VersionLink {
                id: String::new(),
                effective: String::new(),
                effective_long: String::new(),
                url: String::new(),
                diff_url: None,
            }),
            version_count: policy.versions.len(),
        }
    }
}

impl OrgView {
    pub(super) fn new(urls: &Urls, org: &SiteOrg) -> Self {
        OrgView {
            slug: org.slug.clone(),
            name: org.name.clone(),
            url: urls.path(&permalinks::org(&org.slug)),
            website: org.website.clone(),
            description: org.description.clone(),
            country: org.country.clone(),
            policies: org
                .policies
                .iter()
                .map(|p| {
                    let latest = p
                        .policy
                        .versions
                        .last()
                        .map(|v| VersionLink::new(urls, org, &p.policy, v));
                    PolicyEntry::new(urls, org, &p.policy, latest)
                })
                .collect(),
        }
    }
}
