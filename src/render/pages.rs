//! Every HTML page of the site: which template renders it, at which path, with which context.

use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::clauses_page::{lineage_views, lineages_html};
use super::context::{insert_html, OrgView, PageView, PolicyView, SiteView};
use super::crosslinks::{topic_chips, CrossLinks};
use super::diff_page::diff_html;
use super::hub_links::{glossary, topic_orgs_html, topics, TopicSummary};
use super::point_in_time::period_views;
use super::redline::Redlines;
use super::timeline::{entries_html, org_timeline, policy_chart, policy_timeline, recent_changes, ChangeView};
use super::version_page::version_context;
use super::Theme;
use crate::content::in_force::version_ref;
use crate::content::notice::{notices, Notice};
use crate::content::Policy;
use crate::error::{Diagnostic, Diagnostics};
use crate::permalinks::{self, Urls, TOPIC_ORGS_PER_PAGE};
use crate::site::{Scope, Site, SiteOrg, SitePolicy};

/// A rendered page: its path in the output (e.g. `xmatters/index.html`) and its HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub html: Vec<u8>,
}

/// A page to render: its output path, template and context.
pub(super) struct Job {
    pub path: String,
    pub template: &'static str,
    pub context: Context,
}

/// Renders the pages of the given scopes in parallel and hands each to `emit` as soon as it
/// is rendered: a page's context lives only while it renders, so memory stays flat however
/// many pages there are. Every problem of every page is reported together.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    scopes: &[Scope],
    emit: &(dyn Fn(&Scope, Page) -> Result<(), Diagnostic> + Sync),
) -> Result<(), Diagnostics> {
    let problems = Mutex::new(Diagnostics::default());
    scopes.par_iter().for_each(|scope| {
        jobs(site, theme, scope).into_par_iter().for_each(|job| {
            let rendered = theme.render_sized(job.template, &job.context, size_hint(&job.context));
            drop(job.context);
            let result = rendered.and_then(|html| emit(scope, Page { path: job.path, html }));
            if let Err(d) = result {
                problems.lock().unwrap_or_else(|p| p.into_inner()).push(d);
            }
        });
    });
    problems.into_inner().unwrap_or_else(|p| p.into_inner()).into_result(())
}

/// About how large a page will be: its HTML fragments ([`insert_html`]) and room for the
/// template around them.
fn size_hint(context: &Context) -> usize {
    let fragments: usize = HTML_FRAGMENTS
        .iter()
        .filter_map(|key| context.get(key)?.as_str())
        .map(str::len)
        .sum();
    fragments + 16 * 1024
}

/// The keys under which pages get a large HTML fragment.
const HTML_FRAGMENTS: [&str; 6] = [
    "body",
    "rows",
    "lineages_html",
    "timeline_html",
    "orgs_html",
    "toc_html",
];

/// How many pages a full build renders.
pub fn page_count(site: &Site) -> usize {
    let counts = site.counts();
    6 + site.topics.topics.len() + counts.orgs + 4 * counts.policies + 2 * counts.versions
}

/// How many versions the hub-wide "recent changes" page lists.
pub(super) const RECENT_CHANGES: usize = 200;
/// How many the home page lists.
pub(super) const HOME_CHANGES: usize = 8;

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

/// What every page's context starts with.
struct Common<'t> {
    urls: Urls,
    site_view: SiteView,
    theme: &'t Theme,
}

impl<'t> Common<'t> {
    fn new(site: &Site, theme: &'t Theme) -> Self {
        Common {
            urls: Urls::new(&site.config.base_path, &site.config.base_url),
            site_view: SiteView::new(&site.config),
            theme,
        }
    }

    /// Adds a long list to a page's context for a template that reads it, and the default
    /// theme's markup of it (`<name>_html`, made by `html`) for a template that reads that:
    /// each is made only when the page's template, or one it uses, names it.
    fn insert_list<T: Serialize + ?Sized>(
        &self,
        context: &mut Context,
        template: &str,
        name: &str,
        list: &T,
        html: impl FnOnce() -> String,
    ) {
        let html_name = format!("{name}_html");
        if self.theme.reads(template, &html_name) {
            insert_html(context, &html_name, html());
        }
        if self.theme.reads(template, name) {
            context.insert(name, list);
        }
    }

    fn context(&self, title: String, description: String, path: &str, kind: &'static str) -> Context {
        let mut context = Context::new();
        context.insert("site", &self.site_view);
        context.insert("page", &page_view(&self.urls, title, description, path, kind));
        context
    }
}

impl Job {
    /// The job of the page at the site path `path` (a folder: its `index.html`).
    fn page(path: &str, template: &'static str, context: Context) -> Job {
        Job {
            path: permalinks::output_path(path),
            template,
            context,
        }
    }
}

/// The pages of one scope.
fn jobs(site: &Site, theme: &Theme, scope: &Scope) -> Vec<Job> {
    let common = Common::new(site, theme);
    match scope {
        Scope::Hub => hub_jobs(site, &common),
        Scope::Topics => topic_jobs(site, &common),
        Scope::Glossary => vec![glossary_job(site, &common)],
        Scope::Org(slug) => site
            .org(slug)
            .map(|org| org_jobs(site, &common, org))
            .unwrap_or_default(),
        Scope::Policy(org, policy) => site
            .policy(org, policy)
            .map(|(org, record)| policy_jobs(site, &common, org, record))
            .unwrap_or_default(),
        Scope::Search | Scope::Static | Scope::Releases => Vec::new(),
    }
}

fn hub_jobs(site: &Site, common: &Common) -> Vec<Job> {
    let urls = &common.urls;
    let orgs: Vec<OrgView> = site.orgs.iter().map(|o| OrgView::new(urls, o)).collect();
    let counts = site.counts();
    let counts = CountsView {
        orgs: counts.orgs,
        policies: counts.policies,
        versions: counts.versions,
    };

    let mut home = common.context(
        site.config.title.clone(),
        site.config.description.clone(),
        permalinks::home(),
        "home",
    );
    home.insert("orgs", &orgs);
    home.insert("recent", &recent_changes(site, urls, HOME_CHANGES, None));
    home.insert("counts", &counts);

    let description = format!("The latest changes to the privacy policies on {}.", site.config.title);
    let mut changes = common.context(
        "Recent changes".into(),
        description,
        permalinks::recent_changes(),
        "changes",
    );
    changes.insert("changes", &recent_changes(site, urls, RECENT_CHANGES, None));
    changes.insert("counts", &counts);

    let mut missing = common.context(
        "Page not found".into(),
        "This page does not exist.".into(),
        permalinks::not_found(),
        "not-found",
    );
    missing.insert("orgs", &orgs);

    let description = format!("Search every clause of every policy on {}.", site.config.title);
    let mut search = common.context("Search".into(), description, permalinks::search(), "search");
    search.insert("orgs", &orgs);

    vec![
        Job {
            path: permalinks::output_path(permalinks::home()),
            template: "index.html",
            context: home,
        },
        Job {
            path: permalinks::output_path(permalinks::recent_changes()),
            template: "changes.html",
            context: changes,
        },
        Job {
            path: permalinks::output_path(permalinks::not_found()),
            template: "404.html",
            context: missing,
        },
        Job {
            path: permalinks::output_path(permalinks::search()),
            template: "search.html",
            context: search,
        },
    ]
}

/// `/glossary/`.
fn glossary_job(site: &Site, common: &Common) -> Job {
    let entries = glossary(site, &common.urls);
    let description = format!(
        "Every term the privacy policies on {} define, with each organisation's definition.",
        site.config.title
    );
    let mut context = common.context("Glossary".into(), description, permalinks::glossary(), "glossary");
    context.insert("terms", &entries);
    Job {
        path: permalinks::output_path(permalinks::glossary()),
        template: "glossary.html",
        context,
    }
}

/// `/topics/` and the pages of every topic.
fn topic_jobs(site: &Site, common: &Common) -> Vec<Job> {
    let urls = &common.urls;
    let mut jobs = Vec::new();
    let pages = topics(site, urls);
    let summaries: Vec<&TopicSummary> = pages.iter().map(|(s, _)| s).collect();
    let description = format!(
        "What the organisations on {} say on each privacy topic, side by side.",
        site.config.title
    );
    let mut context = common.context("Topics".into(), description, permalinks::topics(), "topics");
    context.insert("topics", &summaries);
    jobs.push(Job {
        path: permalinks::output_path(permalinks::topics()),
        template: "topics.html",
        context,
    });
    for (summary, orgs) in &pages {
        let paths = permalinks::topic_pages(&summary.slug, orgs.len());
        let chunks = orgs.chunks(TOPIC_ORGS_PER_PAGE.max(1));
        for (n, (path, orgs)) in paths.iter().zip(chunks).enumerate() {
            let description = format!(
                "{}: what each organisation's current privacy policy says, side by side, and when it last changed.",
                summary.title
            );
            let title = match n {
                0 => summary.title.clone(),
                n => format!("{} (page {} of {})", summary.title, n + 1, paths.len()),
            };
            let mut context = common.context(title, description, path, "topic");
            context.insert("topic", summary);
            common.insert_list(&mut context, "topic.html", "orgs", orgs, || topic_orgs_html(orgs));
            context.insert("pagination", &Pagination::new(urls, &paths, n));
            jobs.push(Job::page(path, "topic.html", context));
        }
    }
    jobs
}

/// Where a page stands among the pages of a list: `number` of `total`, with links.
#[derive(Serialize)]
struct Pagination {
    number: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

impl Pagination {
    fn new(urls: &Urls, paths: &[String], index: usize) -> Self {
        let url = |i: usize| urls.path(&paths[i]);
        Pagination {
            number: index + 1,
            total: paths.len(),
            prev: index.checked_sub(1).map(url),
            next: (index + 1 < paths.len()).then(|| url(index + 1)),
            pages: (0..paths.len())
                .map(|i| PageLink {
                    number: i + 1,
                    url: url(i),
                    current: i == index,
                })
                .collect(),
        }
    }
}

fn org_jobs(site: &Site, common: &Common, org: &SiteOrg) -> Vec<Job> {
    let description = format!(
        "{}'s privacy policies and every version of them, on {}.",
        org.name, site.config.title
    );
    let path = permalinks::org(&org.slug);
    let mut context = common.context(org.name.clone(), description, &path, "org");
    context.insert("org", &OrgView::new(&common.urls, org));
    let timeline = org_timeline(&common.urls, org, site.reference);
    let show_policy = org.policies.len() > 1;
    common.insert_list(&mut context, "org.html", "timeline", &timeline, || {
        entries_html(&timeline, show_policy)
    });
    vec![Job {
        path: permalinks::output_path(&path),
        template: "org.html",
        context,
    }]
}

fn policy_jobs(site: &Site, common: &Common, org: &SiteOrg, record: &SitePolicy) -> Vec<Job> {
    let urls = &common.urls;
    let SitePolicy { policy, history, links } = record;
    let org_view = OrgView::new(urls, org);
    let policy_view = PolicyView::new(urls, org, policy);
    let mut jobs = Vec::with_capacity(2 * policy.versions.len() + 2);
    let policy_urls: Vec<String> = org_view.policies.iter().map(|p| p.url.clone()).collect();
    let chips = topic_chips(site, urls);
    let notices = notices(policy, site.reference);
    for index in 0..policy.versions.len() {
        let blocks = &history.versions[index].blocks;
        let cross = links
            .versions
            .get(index)
            .map(|links| CrossLinks::new(links, blocks, &policy_urls, &chips));
        let is_latest = index + 1 == policy.versions.len();
        for canonical in [false, true].into_iter().filter(|&c| !c || is_latest) {
            let (path, context) = version_context(
                &common.site_view,
                urls,
                org,
                &org_view,
                policy,
                &policy_view,
                history,
                index,
                canonical,
                cross.as_ref(),
                &notices,
            );
            jobs.push(Job::page(&path, "version.html", context));
        }
    }
    let mut redlines = Redlines::new(history);
    let timeline = policy_timeline(urls, org, policy, history, site.reference);
    for (v, entry) in timeline.iter().enumerate().skip(1) {
        let path = permalinks::redline(&org.slug, &policy.slug, &policy.versions[v].id);
        let title = format!(
            "Changes on {} — {} — {}",
            entry.version.effective_long, policy.title, org.name
        );
        let description = format!(
            "What changed in {}'s {} on {}: {}",
            org.name, policy.title, entry.version.effective_long, entry.description
        );
        let mut context = common.context(title, description, &path, "diff");
        context.insert("org", &org_view);
        context.insert("policy", &policy_view);
        context.insert("entry", entry);
        context.insert("prev", &policy_view.versions[v - 1]);
        let (from, to) = (version_ref(policy, v - 1), version_ref(policy, v));
        let pair = permalinks::compare_versions(&org.slug, &policy.slug, &from, &to);
        context.insert("compare_pair_url", &urls.path(&pair));
        insert_html(&mut context, "rows", diff_html(history, v, &mut redlines));
        jobs.push(Job::page(&path, "diff.html", context));
    }

    let path = permalinks::timeline(&org.slug, &policy.slug);
    let title = format!("Timeline — {} — {}", policy.title, org.name);
    let description = format!(
        "Every version of {}'s {} and what changed in each.",
        org.name, policy.title
    );
    let mut context = common.context(title, description, &path, "timeline");
    context.insert("org", &org_view);
    context.insert("policy", &policy_view);
    context.insert("chart", &policy_chart(org, policy, &timeline));
    let newest_first: Vec<&ChangeView> = timeline.iter().rev().collect();
    common.insert_list(&mut context, "policy_changes.html", "timeline", &newest_first, || {
        entries_html(newest_first.iter().copied(), false)
    });
    jobs.push(Job::page(&path, "policy_changes.html", context));

    let views = (&org_view, &policy_view);
    jobs.push(at_job(site, common, org, policy, views, &notices));
    jobs.push(compare_job(common, org, policy, views));

    let path = permalinks::clauses(&org.slug, &policy.slug);
    let title = format!("Clause history — {} — {}", policy.title, org.name);
    let description = format!(
        "Every clause of {}'s {} and every change to it.",
        org.name, policy.title
    );
    let mut context = common.context(title, description, &path, "clauses");
    context.insert("org", &org_view);
    context.insert("policy", &policy_view);
    let lineages = lineage_views(history, &policy_view.versions, &policy_view.url, &mut redlines);
    common.insert_list(&mut context, "clauses.html", "lineages", &lineages, || {
        lineages_html(&lineages)
    });
    jobs.push(Job::page(&path, "clauses.html", context));
    jobs
}

/// `/<org>/<policy>/at/`: the periods of the policy, judged on the hub's reference date.
fn at_job(
    site: &Site,
    common: &Common,
    org: &SiteOrg,
    policy: &Policy,
    (org_view, policy_view): (&OrgView, &PolicyView),
    notices: &[Notice],
) -> Job {
    let path = permalinks::point_in_time(&org.slug, &policy.slug);
    let title = format!("Point in time — {} — {}", policy.title, org.name);
    let description = format!(
        "Which version of {}'s {} was in force on any day: every period between its changes.",
        org.name, policy.title
    );
    let mut context = common.context(title, description, &path, "at");
    context.insert("org", org_view);
    context.insert("policy", policy_view);
    let (before, periods) = period_views(policy, &policy_view.versions, notices);
    context.insert("before", &before);
    context.insert("any_pending", &periods.iter().any(|p| p.pending));
    context.insert("periods", &periods);
    context.insert("reference_date", &site.reference.map(|d| d.long()));
    Job::page(&path, "at.html", context)
}

/// `/<org>/<policy>/compare/`: the form whose script makes the redline of any two versions.
fn compare_job(
    common: &Common,
    org: &SiteOrg,
    policy: &Policy,
    (org_view, policy_view): (&OrgView, &PolicyView),
) -> Job {
    let path = permalinks::compare(&org.slug, &policy.slug);
    let title = format!("Compare versions — {} — {}", policy.title, org.name);
    let description = format!(
        "The redline of any two versions of {}'s {}, and the changes one at a time.",
        org.name, policy.title
    );
    let mut context = common.context(title, description, &path, "compare");
    context.insert("org", org_view);
    context.insert("policy", policy_view);
    let count = policy_view.versions.len();
    let default_from = policy_view.versions.get(count.saturating_sub(2)).map(|v| v.id.as_str());
    context.insert("default_from", &default_from.unwrap_or_default());
    Job::page(&path, "compare.html", context)
}
