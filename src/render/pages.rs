//! Every HTML page of the site: which template renders it, at which path, with which context.

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::clauses_page::lineage_views;
use super::context::{org_path, policy_path, OrgView, PageView, PolicyView, SiteView, Urls};
use super::diff_page::diff_html;
use super::timeline::{diff_path, org_timeline, policy_chart, policy_timeline, recent_changes};
use super::version_page::version_context;
use super::Theme;
use crate::error::{Diagnostic, Diagnostics};
use crate::site::Site;

/// A rendered page: its path in the output (e.g. `xmatters/index.html`) and its HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub html: String,
}

/// A page to render: its output path, template and context.
pub(super) struct Job {
    pub path: String,
    pub template: &'static str,
    pub context: Context,
}

/// Renders every page of the site in parallel; `tick` is called once per page rendered.
pub fn render_pages(site: &Site, theme: &Theme, tick: &(dyn Fn() + Sync)) -> Result<Vec<Page>, Diagnostics> {
    let results: Vec<Result<Page, Diagnostic>> = jobs(site)
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
    3 + counts.orgs + 2 * counts.policies + 2 * counts.versions
}

/// How many versions the hub-wide "recent changes" page lists.
pub const RECENT_CHANGES: usize = 200;
/// How many the home page lists.
pub const HOME_CHANGES: usize = 8;

#[derive(Serialize)]
struct CountsView {
    orgs: usize,
    policies: usize,
    versions: usize,
}

/// The page every template gets as `page`.
pub(super) fn page_view(urls: &Urls, title: String, description: String, path: &str, kind: &'static str) -> PageView {
    PageView {
        title,
        description,
        url: urls.path(path),
        canonical: urls.absolute(path),
        kind,
    }
}

fn jobs(site: &Site) -> Vec<Job> {
    let urls = Urls::new(&site.config);
    let site_view = SiteView::new(&site.config);
    let mut jobs = Vec::with_capacity(page_count(site));
    let orgs: Vec<OrgView> = site.content.orgs.iter().map(|o| OrgView::new(&urls, o)).collect();
    let counts = site.counts();
    let base = |page: PageView| {
        let mut context = Context::new();
        context.insert("site", &site_view);
        context.insert("page", &page);
        context
    };

    let mut home = base(page_view(
        &urls,
        site.config.title.clone(),
        site.config.description.clone(),
        "",
        "home",
    ));
    home.insert("orgs", &orgs);
    home.insert("recent", &recent_changes(site, &urls, HOME_CHANGES));
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

    let description = format!("The latest changes to the privacy policies on {}.", site.config.title);
    let mut changes = base(page_view(
        &urls,
        "Recent changes".into(),
        description,
        "changes/",
        "changes",
    ));
    changes.insert("changes", &recent_changes(site, &urls, RECENT_CHANGES));
    changes.insert(
        "counts",
        &CountsView {
            orgs: counts.orgs,
            policies: counts.policies,
            versions: counts.versions,
        },
    );
    jobs.push(Job {
        path: "changes/index.html".into(),
        template: "changes.html",
        context: changes,
    });

    let mut missing = base(page_view(
        &urls,
        "Page not found".into(),
        "This page does not exist.".into(),
        "404.html",
        "not-found",
    ));
    missing.insert("orgs", &orgs);
    jobs.push(Job {
        path: "404.html".into(),
        template: "404.html",
        context: missing,
    });

    for ((org, org_view), histories) in site.content.orgs.iter().zip(&orgs).zip(&site.histories) {
        let description = format!(
            "{}'s privacy policies and every version of them, on {}.",
            org.name, site.config.title
        );
        let mut context = base(page_view(&urls, org.name.clone(), description, &org_path(org), "org"));
        context.insert("org", org_view);
        context.insert("timeline", &org_timeline(&urls, org, histories));
        jobs.push(Job {
            path: format!("{}index.html", org_path(org)),
            template: "org.html",
            context,
        });
    }

    let policies = site
        .content
        .orgs
        .iter()
        .zip(&orgs)
        .zip(&site.histories)
        .flat_map(|((org, org_view), histories)| {
            org.policies
                .iter()
                .zip(histories)
                .map(move |(policy, history)| (org, org_view, policy, history))
        });
    for (org, org_view, policy, history) in policies {
        let policy_view = PolicyView::new(&urls, org, policy);
        for index in 0..policy.versions.len() {
            let is_latest = index + 1 == policy.versions.len();
            let mut pages = vec![false];
            if is_latest {
                pages.push(true);
            }
            for canonical in pages {
                let (path, context) = version_context(
                    &site_view,
                    &urls,
                    org,
                    org_view,
                    policy,
                    &policy_view,
                    history,
                    index,
                    canonical,
                );
                jobs.push(Job {
                    path: format!("{path}index.html"),
                    template: "version.html",
                    context,
                });
            }
        }
        let timeline = policy_timeline(&urls, org, policy, history);
        for (v, entry) in timeline.iter().enumerate().skip(1) {
            let path = diff_path(org, policy, v);
            let title = format!(
                "Changes on {} — {} — {}",
                entry.version.effective_long, policy.title, org.name
            );
            let description = format!(
                "What changed in {}'s {} on {}: {}",
                org.name, policy.title, entry.version.effective_long, entry.description
            );
            let mut context = base(page_view(&urls, title, description, &path, "diff"));
            context.insert("org", org_view);
            context.insert("policy", &policy_view);
            context.insert("entry", entry);
            context.insert("prev", &policy_view.versions[v - 1]);
            context.insert("rows", &diff_html(history, v));
            jobs.push(Job {
                path: format!("{path}index.html"),
                template: "diff.html",
                context,
            });
        }
        let path = format!("{}changes/", policy_path(org, policy));
        let title = format!("Timeline — {} — {}", policy.title, org.name);
        let description = format!(
            "Every version of {}'s {} and what changed in each.",
            org.name, policy.title
        );
        let mut context = base(page_view(&urls, title, description, &path, "timeline"));
        context.insert("org", org_view);
        context.insert("policy", &policy_view);
        context.insert("chart", &policy_chart(org, policy, &timeline));
        context.insert("timeline", &timeline.iter().rev().collect::<Vec<_>>());
        jobs.push(Job {
            path: format!("{path}index.html"),
            template: "policy_changes.html",
            context,
        });

        let path = format!("{}clauses/", policy_path(org, policy));
        let title = format!("Clause history — {} — {}", policy.title, org.name);
        let description = format!(
            "Every clause of {}'s {} and every change to it.",
            org.name, policy.title
        );
        let mut context = base(page_view(&urls, title, description, &path, "clauses"));
        context.insert("org", org_view);
        context.insert("policy", &policy_view);
        context.insert(
            "lineages",
            &lineage_views(history, &policy_view.versions, &policy_view.url),
        );
        jobs.push(Job {
            path: format!("{path}index.html"),
            template: "clauses.html",
            context,
        });
    }
    jobs
}
