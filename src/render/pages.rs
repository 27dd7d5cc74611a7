//! Every HTML page of the site: which template renders it, at which path, with which context.

use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::clauses_page::{lineage_views, lineages_html};
use super::context::{insert_html, OrgView, PageView, PolicyView, SiteView};
use super::crosslinks::{topic_chips, CrossLinks};
use super::diff_page::diff_html;
use super::hub_links::{glossary, topics, TopicSummary};
use super::partial::{write_each, ChangeEntryInput, TopicOrgInput};
use super::point_in_time::period_views;
use super::redline::Redlines;
use super::timeline::{org_timeline, policy_chart, policy_timeline, recent_changes, ChangeView};
use super::version_page::version_context;
use super::Theme;
use crate::content::in_force::version_ref;
use crate::content::notice::{notices, Notice};
use crate::content::{Org, Policy};
use crate::error::{Diagnostic, Diagnostics};
use crate::permalinks::{self, Urls, TOPIC_ORGS_PER_PAGE};
use crate::site::{Scope, Site};

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
            let result = job.and_then(|job| {
                let rendered = theme.render_sized(job.template, &job.context, size_hint(&job.context));
                drop(job.context);
                rendered.and_then(|html| emit(scope, Page { path: job.path, html }))
            });
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
const HTML_FRAGMENTS: [&str; 8] = [
    "body",
    "rows",
    "lineages_html",
    "timeline_html",
    "orgs_html",
    "toc_html",
    "changes_html",
    "recent_html",
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

/// A page to render, or why its context could not be made (a theme's partial failed).
type JobResult = Result<Job, Diagnostic>;

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

    /// Timeline entries as `_change_entry.html` writes them.
    fn change_entries<'a>(
        &self,
        entries: impl IntoIterator<Item = &'a ChangeView>,
        show_policy: bool,
    ) -> Result<String, Diagnostic> {
        let inputs = entries.into_iter().map(|entry| ChangeEntryInput { entry, show_policy });
        write_each(self.theme, inputs)
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
fn jobs(site: &Site, theme: &Theme, scope: &Scope) -> Vec<JobResult> {
    let common = Common::new(site, theme);
    match scope {
        Scope::Hub => hub_jobs(site, &common),
        Scope::Topics => topic_jobs(site, &common),
        Scope::Glossary => vec![Ok(glossary_job(site, &common))],
        Scope::Org(slug) => site
            .org_index(slug)
            .map(|o| org_jobs(site, &common, o))
            .unwrap_or_default(),
        Scope::Policy(org, policy) => site
            .policy_index(org, policy)
            .map(|(o, p)| policy_jobs(site, &common, o, p))
            .unwrap_or_default(),
        Scope::Search | Scope::Static | Scope::Releases => Vec::new(),
    }
}

fn hub_jobs(site: &Site, common: &Common) -> Vec<JobResult> {
    let urls = &common.urls;
    let orgs: Vec<OrgView> = site.content.orgs.iter().map(|o| OrgView::new(urls, o)).collect();
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
    let recent = recent_changes(site, urls, HOME_CHANGES, None);
    let recent_html = common.change_entries(&recent, true);
    home.insert("recent", &recent);
    home.insert("counts", &counts);

    let description = format!("The latest changes to the privacy policies on {}.", site.config.title);
    let mut changes = common.context(
        "Recent changes".into(),
        description,
        permalinks::recent_changes(),
        "changes",
    );
    let entries = recent_changes(site, urls, RECENT_CHANGES, None);
    let changes_html = common.change_entries(&entries, true);
    changes.insert("changes", &entries);
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
        recent_html.map(|html| {
            insert_html(&mut home, "recent_html", html);
            Job::page(permalinks::home(), "index.html", home)
        }),
        changes_html.map(|html| {
            insert_html(&mut changes, "changes_html", html);
            Job::page(permalinks::recent_changes(), "changes.html", changes)
        }),
        Ok(Job::page(permalinks::not_found(), "404.html", missing)),
        Ok(Job::page(permalinks::search(), "search.html", search)),
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
fn topic_jobs(site: &Site, common: &Common) -> Vec<JobResult> {
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
    jobs.push(Ok(Job::page(permalinks::topics(), "topics.html", context)));
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
            context.insert("pagination", &Pagination::new(urls, &paths, n));
            let inputs = orgs
                .iter()
                .enumerate()
                .map(|(n, org)| TopicOrgInput { org, number: n + 1 });
            jobs.push(write_each(common.theme, inputs).map(|html| {
                insert_html(&mut context, "orgs_html", html);
                Job::page(path, "topic.html", context)
            }));
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

fn org_jobs(site: &Site, common: &Common, o: usize) -> Vec<JobResult> {
    let org = &site.content.orgs[o];
    let description = format!(
        "{}'s privacy policies and every version of them, on {}.",
        org.name, site.config.title
    );
    let path = permalinks::org(&org.slug);
    let mut context = common.context(org.name.clone(), description, &path, "org");
    context.insert("org", &OrgView::new(&common.urls, org));
    let timeline = org_timeline(&common.urls, org, &site.histories[o], site.reference);
    let show_policy = org.policies.len() > 1;
    let job = common.change_entries(&timeline, show_policy).map(|html| {
        context.insert("timeline", &timeline);
        insert_html(&mut context, "timeline_html", html);
        Job::page(&path, "org.html", context)
    });
    vec![job]
}

fn policy_jobs(site: &Site, common: &Common, o: usize, p: usize) -> Vec<JobResult> {
    let urls = &common.urls;
    let org = &site.content.orgs[o];
    let policy = &org.policies[p];
    let history = &site.histories[o][p];
    let org_view = OrgView::new(urls, org);
    let policy_view = PolicyView::new(urls, org, policy);
    let mut jobs = Vec::with_capacity(2 * policy.versions.len() + 2);
    let policy_urls: Vec<String> = org_view.policies.iter().map(|p| p.url.clone()).collect();
    let chips = topic_chips(site, urls);
    let links = site.links.get(o).and_then(|l| l.get(p));
    let notices = notices(policy, site.reference);
    for index in 0..policy.versions.len() {
        let ids = &history.versions[index].ids;
        let cross = links
            .and_then(|l| l.versions.get(index))
            .map(|links| CrossLinks::new(links, ids, &policy_urls, &chips));
        let is_latest = index + 1 == policy.versions.len();
        for canonical in [false, true].into_iter().filter(|&c| !c || is_latest) {
            let job = version_context(
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
                common.theme,
            )
            .map(|(path, context)| Job::page(&path, "version.html", context));
            jobs.push(job);
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
        jobs.push(Ok(Job::page(&path, "diff.html", context)));
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
    jobs.push(common.change_entries(newest_first.iter().copied(), false).map(|html| {
        context.insert("timeline", &newest_first);
        insert_html(&mut context, "timeline_html", html);
        Job::page(&path, "policy_changes.html", context)
    }));

    let views = (&org_view, &policy_view);
    jobs.push(Ok(at_job(site, common, org, policy, views, &notices)));
    jobs.push(Ok(compare_job(common, org, policy, views)));

    let path = permalinks::clauses(&org.slug, &policy.slug);
    let title = format!("Clause history — {} — {}", policy.title, org.name);
    let description = format!(
        "Every clause of {}'s {} and every change to it.",
        org.name, policy.title
    );
    let mut context = common.context(title, description, &path, "clauses");
    context.insert("org", &org_view);
    context.insert("policy", &policy_view);
    let mut lineages = lineage_views(history, &policy_view.versions, &policy_view.url, &mut redlines);
    jobs.push(lineages_html(common.theme, &mut lineages).map(|html| {
        insert_html(&mut context, "lineages_html", html);
        Job::page(&path, "clauses.html", context)
    }));
    jobs
}

/// `/<org>/<policy>/at/`: the periods of the policy, judged on the hub's reference date.
fn at_job(
    site: &Site,
    common: &Common,
    org: &Org,
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
fn compare_job(common: &Common, org: &Org, policy: &Policy, (org_view, policy_view): (&OrgView, &PolicyView)) -> Job {
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
