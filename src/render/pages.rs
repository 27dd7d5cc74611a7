//! Every HTML page of the site: which template renders it, at which path, with which context.

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::body::body_html;
use super::context::{
    org_path, policy_path, version_path, OrgView, PageView, PolicyView, SiteView, TocEntry, Urls, VersionLink,
    VersionView,
};
use super::Theme;
use crate::content::{Org, Policy};
use crate::document::BlockKind;
use crate::error::{Diagnostic, Diagnostics};
use crate::history::PolicyHistory;
use crate::site::Site;

/// A rendered page: its path in the output (e.g. `xmatters/index.html`) and its HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub html: String,
}

/// A page to render: its output path, template and context.
struct Job {
    path: String,
    template: &'static str,
    context: Context,
}

/// Renders every page of the site in parallel; `tick` is called once per page rendered.
pub fn render_pages(site: &Site, theme: &Theme, tick: &(dyn Fn() + Sync)) -> Result<Vec<Page>, Diagnostics> {
    let jobs = jobs(site);
    let results: Vec<Result<Page, Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| {
            let html = theme.render(job.template, &job.context)?;
            tick();
            Ok(Page { path: job.path, html })
        })
        .collect();
    let mut problems = Diagnostics::default();
    let mut pages = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(page) => pages.push(page),
            Err(d) => problems.push(d),
        }
    }
    problems.into_result(pages)
}

/// How many pages [`render_pages`] will produce.
pub fn page_count(site: &Site) -> usize {
    let counts = site.counts();
    2 + counts.orgs + counts.policies + counts.versions
}

fn jobs(site: &Site) -> Vec<Job> {
    let urls = Urls::new(&site.config);
    let site_view = SiteView::new(&site.config);
    let page = |title: String, description: String, path: &str, kind: &'static str| PageView {
        title,
        description,
        url: urls.path(path),
        canonical: urls.absolute(path),
        kind,
    };
    let mut jobs = Vec::with_capacity(page_count(site));
    let orgs: Vec<OrgView> = site.content.orgs.iter().map(|o| OrgView::new(&urls, o)).collect();
    let counts = site.counts();

    let mut home = Context::new();
    home.insert("site", &site_view);
    home.insert(
        "page",
        &page(site.config.title.clone(), site.config.description.clone(), "", "home"),
    );
    home.insert("orgs", &orgs);
    home.insert(
        "counts",
        &CountsView {
            orgs: counts.orgs,
            policies: counts.policies,
            versions: counts.versions,
        },
    );
    jobs.push(Job {
        path: "index.html".into(),
        template: "index.html",
        context: home,
    });

    let mut missing = Context::new();
    missing.insert("site", &site_view);
    missing.insert(
        "page",
        &page(
            "Page not found".into(),
            "This page does not exist.".into(),
            "404.html",
            "not-found",
        ),
    );
    missing.insert("orgs", &orgs);
    jobs.push(Job {
        path: "404.html".into(),
        template: "404.html",
        context: missing,
    });

    for (org, org_view) in site.content.orgs.iter().zip(&orgs) {
        let mut context = Context::new();
        context.insert("site", &site_view);
        let description = format!(
            "{}'s privacy policies and every version of them, on {}.",
            org.name, site.config.title
        );
        context.insert("page", &page(org.name.clone(), description, &org_path(org), "org"));
        context.insert("org", org_view);
        jobs.push(Job {
            path: format!("{}index.html", org_path(org)),
            template: "org.html",
            context,
        });
    }

    for (org, policy, history) in site.policies() {
        let org_view = orgs
            .iter()
            .find(|o| o.slug == org.slug)
            .cloned()
            .unwrap_or_else(|| OrgView::new(&urls, org));
        let policy_view = PolicyView::new(&urls, org, policy);
        for (index, version) in policy.versions.iter().enumerate() {
            let is_latest = index + 1 == policy.versions.len();
            let mut paths = vec![(version_path(org, policy, version), false)];
            if is_latest {
                paths.push((policy_path(org, policy), true));
            }
            for (path, canonical_page) in paths {
                let context = version_context(
                    &site_view,
                    &urls,
                    org,
                    &org_view,
                    policy,
                    &policy_view,
                    history,
                    index,
                    &path,
                    canonical_page,
                );
                jobs.push(Job {
                    path: format!("{path}index.html"),
                    template: "version.html",
                    context,
                });
            }
        }
    }
    jobs
}

#[derive(Serialize)]
struct CountsView {
    orgs: usize,
    policies: usize,
    versions: usize,
}

#[allow(clippy::too_many_arguments)]
fn version_context(
    site_view: &SiteView,
    urls: &Urls,
    org: &Org,
    org_view: &OrgView,
    policy: &Policy,
    policy_view: &PolicyView,
    history: &PolicyHistory,
    index: usize,
    path: &str,
    canonical_page: bool,
) -> Context {
    let version = &policy.versions[index];
    let anchored = &history.versions[index];
    let blocks = &anchored.document.blocks;
    let link = |i: usize| VersionLink::new(urls, org, policy, &policy.versions[i]);
    let is_latest = index + 1 == policy.versions.len();
    let version_view = VersionView {
        id: version.id.clone(),
        effective: version.effective.to_string(),
        effective_long: version.effective.long(),
        captured: version.captured.map(|d| d.to_string()),
        source: version.source.clone(),
        archive: version.archive.clone(),
        summary: version.summary.clone(),
        url: urls.path(&version_path(org, policy, version)),
        is_latest,
        number: index + 1,
        word_count: blocks.iter().map(|b| b.word_count()).sum(),
        clause_count: blocks
            .iter()
            .filter(|b| b.kind != BlockKind::Heading && b.kind.is_anchored())
            .count(),
    };
    let toc: Vec<TocEntry> = blocks
        .iter()
        .zip(&anchored.ids)
        .filter(|(b, _)| b.kind == BlockKind::Heading && b.level >= 2)
        .map(|(b, id)| TocEntry {
            id: id.clone(),
            text: b.text.clone(),
            level: b.level,
        })
        .collect();
    let title = if canonical_page {
        format!("{} — {}", policy.title, org.name)
    } else {
        format!("{} — {} (version of {})", policy.title, org.name, version.effective)
    };
    let description = format!(
        "{} of {}, in effect from {}, as captured and archived by this hub.",
        policy.title,
        org.name,
        version.effective.long()
    );
    let page = PageView {
        title,
        description,
        url: urls.path(path),
        canonical: urls.absolute(path),
        kind: if canonical_page { "policy" } else { "version" },
    };
    let mut context = Context::new();
    context.insert("site", site_view);
    context.insert("page", &page);
    context.insert("org", org_view);
    context.insert("policy", policy_view);
    context.insert("version", &version_view);
    context.insert("prev", &index.checked_sub(1).map(link));
    context.insert("next", &(index + 1 < policy.versions.len()).then(|| link(index + 1)));
    context.insert("latest", &policy_view.latest);
    context.insert("toc", &toc);
    context.insert("body", &body_html(anchored));
    context
}
