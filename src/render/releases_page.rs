//! The `/releases/` index page: every archived release, newest first, with its figures, its
//! commit, and links to its published site and its three archive files.

use serde::Serialize;

use super::context::SiteView;
use super::page_inputs::{Layout, PageInput, ReleasesPage};
use super::pages::Page;
use super::Theme;
use crate::archive::ReleaseRecord;
use crate::error::Diagnostic;
use crate::permalinks::{self, Urls};
use crate::site::Site;

/// One release as `releases.html` receives it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ReleaseView {
    pub name: String,
    pub date: String,
    pub date_long: String,
    pub commit: Option<String>,
    pub commit_short: Option<String>,
    pub generator: String,
    pub orgs: u64,
    pub policies: u64,
    pub versions: u64,
    pub pages: u64,
    pub files: u64,
    /// The published copy of its site.
    pub url: String,
    pub tarball_url: String,
    /// The tarball's size for readers ("1.2 MB").
    pub tarball_size: String,
    pub tarball_sha256: String,
    pub manifest_url: String,
    pub metadata_url: String,
}

/// Renders `releases/index.html` for `releases` (oldest first, as recorded).
pub(crate) fn releases_page(site: &Site, theme: &Theme, releases: &[ReleaseRecord]) -> Result<Page, Diagnostic> {
    let site_view = SiteView::new(&site.config);
    let (path, page) = releases_input(site, &site_view, releases);
    let (context, size) = page.into_context()?;
    let html = theme.render_sized(ReleasesPage::TEMPLATE, &context, size)?;
    Ok(Page {
        path: permalinks::output_path(&path),
        html,
    })
}

/// The site path and input of `/releases/`.
pub(super) fn releases_input<'a>(
    site: &Site,
    site_view: &'a SiteView,
    releases: &[ReleaseRecord],
) -> (String, ReleasesPage<'a>) {
    let urls = Urls::new(&site.config.base_path, &site.config.base_url);
    let description = format!(
        "Every release of {}: frozen, checkable copies of the hub as it was published.",
        site.config.title
    );
    let path = permalinks::releases();
    let page = ReleasesPage {
        layout: Layout::new(site_view, &urls, "Releases".into(), description, &path, "releases"),
        releases: releases.iter().rev().map(|r| release_view(&urls, r)).collect(),
    };
    (path, page)
}

fn release_view(urls: &Urls, r: &ReleaseRecord) -> ReleaseView {
    let [tarball, manifest, metadata] = permalinks::release_downloads(&r.name);
    ReleaseView {
        name: r.name.clone(),
        date: r.date.to_string(),
        date_long: r.date.long(),
        commit: r.commit.clone(),
        commit_short: r.commit.as_ref().map(|c| c.chars().take(12).collect()),
        generator: r.generator.clone(),
        orgs: r.orgs,
        policies: r.policies,
        versions: r.versions,
        pages: r.pages,
        files: r.files,
        url: urls.path(&permalinks::release(&r.name)),
        tarball_url: urls.path(&tarball),
        tarball_size: human_size(r.tarball_bytes),
        tarball_sha256: r.tarball_sha256.clone(),
        manifest_url: urls.path(&manifest),
        metadata_url: urls.path(&metadata),
    }
}

/// A size in bytes for readers, in decimal units.
fn human_size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_for_readers() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(1_234), "1.2 kB");
        assert_eq!(human_size(2_500_000), "2.5 MB");
    }
}
