//! Every HTML page of the site: which template renders it, at which path, from which input
//! (a page struct of [`super::page_inputs`]), rendered in parallel.

use std::collections::HashSet;
use std::sync::Mutex;

use rayon::prelude::*;
use tera::Context;

use super::clauses_page::{lineage_views, lineages_html};
use super::context::{OrgView, PolicyView, SiteView};
use super::crosslinks::{topic_chips, CrossLinks};
use super::diff_page::diff_html;
use super::hub_links::{glossary, topic_orgs, topic_summaries, TopicOrg, TopicSummary};
use super::page_inputs::{
    AtPage, ChangesPage, ClausesPage, ComparePage, CountsView, DiffPage, GlossaryPage, HomePage, Layout, NotFoundPage,
    OrgPage, PageInput, Pagination, PolicyChangesPage, SearchPage, TopicPage, TopicsPage,
};
use super::partial::{write_each, ChangeEntryInput, TopicOrgInput};
use super::point_in_time::period_views;
use super::redline::Redlines;
use super::timeline::{org_timeline, policy_chart, policy_timeline, recent_changes, ChangeView};
use super::version_page::{version_page, VersionSource};
use super::Theme;
use crate::content::in_force::version_ref;
use crate::content::notice::{notices, Notice};
use crate::content::Policy;
use crate::error::{Diagnostic, Diagnostics};
use crate::history::PolicyHistory;
use crate::permalinks::{self, Urls, TOPIC_ORGS_PER_PAGE};
use crate::site::{Counts, Scope, Site, SiteOrg, SitePolicy};

/// A rendered page: its path in the output (e.g. `xmatters/index.html`) and its HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Page {
    pub path: String,
    pub html: Vec<u8>,
}

/// A page to render: its output path, template and context, and about how large it will be.
pub(super) struct Job {
    pub path: String,
    pub template: &'static str,
    pub context: Context,
    pub size: usize,
}

impl Job {
    /// The job of the page at the site path `path` (a folder: its `index.html`), from its
    /// template's input.
    pub(super) fn new<P: PageInput>(path: &str, input: P) -> Result<Job, Diagnostic> {
        let (context, size) = input.into_context()?;
        Ok(Job {
            path: permalinks::output_path(path),
            template: P::TEMPLATE,
            context,
            size,
        })
    }
}

/// A page to render, or why its input could not be made (a theme's partial failed).
type JobResult = Result<Job, Diagnostic>;

/// Renders the pages of the given scopes in parallel and hands each to `emit` as soon as it
/// is rendered: a page's context lives only while it renders, so memory stays flat however
/// many pages there are. Every problem of every page is reported together.
pub(crate) fn render_pages(
    site: &Site,
    theme: &Theme,
    scopes: &[Scope],
    kept: &HashSet<String>,
    emit: &(dyn Fn(&Scope, Page) -> Result<(), Diagnostic> + Sync),
) -> Result<(), Diagnostics> {
    let problems = Mutex::new(Diagnostics::default());
    let render = |scope: &Scope, job: JobResult| {
        let result = job.and_then(|job| {
            let rendered = theme.render_sized(job.template, &job.context, job.size);
            drop(job.context);
            rendered.and_then(|html| emit(scope, Page { path: job.path, html }))
        });
        if let Err(d) = result {
            problems.lock().unwrap_or_else(|p| p.into_inner()).push(d);
        }
    };
    // Each page is rendered as its input is made: a large hub's topic pages, or a long
    // history's pages, are never held all at once.
    scopes
        .par_iter()
        .for_each(|scope| each_job(site, theme, scope, kept, &|job| render(scope, job)));
    problems.into_inner().unwrap_or_else(|p| p.into_inner()).into_result(())
}

/// How many pages a full build renders.
pub(crate) fn page_count(site: &Site) -> usize {
    page_count_of(site.counts(), site.topics.topics.len())
}

/// How many pages a full build of a hub of `counts` with `topics` topics renders.
pub(crate) fn page_count_of(counts: Counts, topics: usize) -> usize {
    6 + topics + counts.orgs + 4 * counts.policies + 2 * counts.versions
}

/// How many versions the hub-wide "recent changes" page lists.
pub(super) const RECENT_CHANGES: usize = 200;
/// How many the home page lists.
pub(super) const HOME_CHANGES: usize = 8;

/// What every page is made with: the hub's URLs, its `site` and the theme (whose partials
/// write the long lists).
pub(super) struct Common<'t> {
    pub(super) urls: Urls,
    pub(super) site_view: SiteView,
    pub(super) theme: &'t Theme,
}

impl<'t> Common<'t> {
    fn new(site: &Site, theme: &'t Theme) -> Self {
        Common {
            urls: Urls::new(&site.config.base_path, &site.config.base_url),
            site_view: SiteView::new(&site.config),
            theme,
        }
    }

    /// The `site` and `page` of the page at the site path `path`.
    pub(super) fn layout(&self, title: String, description: String, path: &str, kind: &'static str) -> Layout<'_> {
        Layout::new(&self.site_view, &self.urls, title, description, path, kind)
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
}

/// What every page of one policy is made from.
#[derive(Clone, Copy)]
pub(super) struct PolicyParts<'a> {
    pub(super) common: &'a Common<'a>,
    pub(super) org: &'a SiteOrg,
    pub(super) org_view: &'a OrgView,
    pub(super) policy: &'a Policy,
    pub(super) policy_view: &'a PolicyView,
    pub(super) history: &'a PolicyHistory,
    /// Each version's notice on the hub's reference date.
    pub(super) notices: &'a [Notice],
}

impl<'a> PolicyParts<'a> {
    /// The `site` and `page` of one of the policy's pages, titled `<what> — <policy> — <org>`.
    fn layout(&self, what: &str, description: String, path: &str, kind: &'static str) -> Layout<'a> {
        let title = format!("{what} — {} — {}", self.policy.title, self.org.name);
        self.common.layout(title, description, path, kind)
    }
}

/// The pages of one scope (for the templates' reference test, which reads every input).
#[cfg(test)]
pub(super) fn jobs(site: &Site, theme: &Theme, scope: &Scope) -> Vec<JobResult> {
    let jobs = Mutex::new(Vec::new());
    each_job(site, theme, scope, &HashSet::new(), &|job| {
        jobs.lock().unwrap_or_else(|p| p.into_inner()).push(job)
    });
    jobs.into_inner().unwrap_or_else(|p| p.into_inner())
}

/// The pages of one scope, each handed to `each` as it is made (in parallel where there are
/// many).
/// The jobs of the pages of `scope`, but for the `kept` ones (output paths): pages the
/// previous output holds as they would be made again.
fn each_job(site: &Site, theme: &Theme, scope: &Scope, kept: &HashSet<String>, each: &(dyn Fn(JobResult) + Sync)) {
    let common = Common::new(site, theme);
    match scope {
        Scope::Hub => hub_jobs(site, &common).into_par_iter().for_each(each),
        Scope::Topics => each_topic_job(site, &common, kept, each),
        Scope::Glossary => each(glossary_job(site, &common)),
        Scope::Org(slug) => {
            if let Some(org) = site.org(slug) {
                each(org_job(site, &common, org));
            }
        }
        Scope::Policy(org, policy) => {
            if let Some((org, record)) = site.policy(org, policy) {
                each_policy_job(site, &common, org, record, each);
            }
        }
        Scope::Search | Scope::Static | Scope::Releases => {}
    }
}

fn hub_jobs(site: &Site, common: &Common) -> Vec<JobResult> {
    let orgs: Vec<OrgView> = site.orgs.iter().map(|o| OrgView::new(&common.urls, o)).collect();
    let counts = site.counts();
    let counts = CountsView {
        orgs: counts.orgs,
        policies: counts.policies,
        versions: counts.versions,
    };
    let title = &site.config.title;
    let missing = NotFoundPage {
        layout: common.layout(
            "Page not found".into(),
            "This page does not exist.".into(),
            permalinks::not_found(),
            "not-found",
        ),
        orgs: &orgs,
    };
    let description = format!("Search every clause of every policy on {title}.");
    let search = SearchPage {
        layout: common.layout("Search".into(), description, permalinks::search(), "search"),
        orgs: &orgs,
    };
    vec![
        home_job(site, common, &orgs, counts),
        changes_job(site, common, counts),
        Job::new(permalinks::not_found(), missing),
        Job::new(permalinks::search(), search),
    ]
}

/// `/`.
fn home_job(site: &Site, common: &Common, orgs: &[OrgView], counts: CountsView) -> JobResult {
    let recent = recent_changes(site, &common.urls, HOME_CHANGES, None);
    let recent_html = common.change_entries(&recent, true)?;
    let layout = common.layout(
        site.config.title.clone(),
        site.config.description.clone(),
        permalinks::home(),
        "home",
    );
    let home = HomePage {
        layout,
        orgs,
        counts,
        recent,
        recent_html,
    };
    Job::new(permalinks::home(), home)
}

/// `/changes/`.
fn changes_job(site: &Site, common: &Common, counts: CountsView) -> JobResult {
    let changes = recent_changes(site, &common.urls, RECENT_CHANGES, None);
    let changes_html = common.change_entries(&changes, true)?;
    let description = format!("The latest changes to the privacy policies on {}.", site.config.title);
    let layout = common.layout(
        "Recent changes".into(),
        description,
        permalinks::recent_changes(),
        "changes",
    );
    let page = ChangesPage {
        layout,
        counts,
        changes,
        changes_html,
    };
    Job::new(permalinks::recent_changes(), page)
}

/// `/glossary/`.
fn glossary_job(site: &Site, common: &Common) -> JobResult {
    let description = format!(
        "Every term the privacy policies on {} define, with each organisation's definition.",
        site.config.title
    );
    let page = GlossaryPage {
        layout: common.layout("Glossary".into(), description, permalinks::glossary(), "glossary"),
        terms: glossary(site, &common.urls),
    };
    Job::new(permalinks::glossary(), page)
}

/// `/topics/` and the pages of every topic, each job handed to `each` as it is made: page `n`
/// of every topic compares the same organisations, so the pages are made a range of
/// organisations at a time, in parallel, and a large hub's topic pages are never held whole.
fn each_topic_job(site: &Site, common: &Common, kept: &HashSet<String>, each: &(dyn Fn(JobResult) + Sync)) {
    let urls = &common.urls;
    let summaries = topic_summaries(site, urls);
    let description = format!(
        "What the organisations on {} say on each privacy topic, side by side.",
        site.config.title
    );
    let index = TopicsPage {
        layout: common.layout("Topics".into(), description, permalinks::topics(), "topics"),
        topics: summaries.iter().collect(),
    };
    each(Job::new(permalinks::topics(), index));
    let paths: Vec<Vec<String>> = summaries
        .iter()
        .map(|summary| permalinks::topic_pages(&summary.slug, site.orgs.len()))
        .collect();
    let is_kept = |path: &String| kept.contains(&permalinks::output_path(path));
    topic_ranges(site.orgs.len())
        .into_par_iter()
        .enumerate()
        .filter(|(n, _)| !paths.iter().all(|paths| is_kept(&paths[*n])))
        .for_each(|(n, range)| {
            // Only the topics whose page `n` is made are read.
            let wanted: Vec<bool> = paths.iter().map(|paths| !is_kept(&paths[n])).collect();
            let pages = topic_orgs(site, urls, range, &wanted);
            for ((summary, paths), orgs) in summaries.iter().zip(&paths).zip(&pages) {
                if !is_kept(&paths[n]) {
                    each(topic_job(common, summary, paths, n, orgs));
                }
            }
        });
}

/// The organisations (indexes into the hub's, in order) that each page of a topic compares:
/// page `n` of every topic holds range `n`.
pub(crate) fn topic_ranges(orgs: usize) -> Vec<std::ops::Range<usize>> {
    let per_page = TOPIC_ORGS_PER_PAGE.max(1);
    // A hub without organisations still has each topic's first page (the index links there).
    let starts = (0..orgs.max(1)).step_by(per_page);
    starts.map(|start| start..(start + per_page).min(orgs)).collect()
}

/// Page `n` of a topic (at `paths[n]`), comparing `orgs`.
fn topic_job(common: &Common, summary: &TopicSummary, paths: &[String], n: usize, orgs: &[TopicOrg]) -> JobResult {
    let description = format!(
        "{}: what each organisation's current privacy policy says, side by side, and when it last changed.",
        summary.title
    );
    let title = match n {
        0 => summary.title.clone(),
        n => format!("{} (page {} of {})", summary.title, n + 1, paths.len()),
    };
    let inputs = orgs
        .iter()
        .enumerate()
        .map(|(n, org)| TopicOrgInput { org, number: n + 1 });
    let page = TopicPage {
        orgs_html: write_each(common.theme, inputs)?,
        layout: common.layout(title, description, &paths[n], "topic"),
        topic: summary,
        pagination: Pagination::new(&common.urls, paths, n),
    };
    Job::new(&paths[n], page)
}

/// `/<org>/`.
fn org_job(site: &Site, common: &Common, org: &SiteOrg) -> JobResult {
    let description = format!(
        "{}'s privacy policies and every version of them, on {}.",
        org.name, site.config.title
    );
    let path = permalinks::org(&org.slug);
    let timeline = org_timeline(&common.urls, org, site.reference);
    let page = OrgPage {
        timeline_html: common.change_entries(&timeline, org.policies.len() > 1)?,
        layout: common.layout(org.name.clone(), description, &path, "org"),
        org: OrgView::new(&common.urls, org),
        timeline,
    };
    Job::new(&path, page)
}

/// The pages of one policy, each job handed to `each` as it is made (its version pages in
/// parallel): a page's input holds the list of the policy's versions, and a long history's
/// pages are never held all at once.
fn each_policy_job(
    site: &Site,
    common: &Common,
    org: &SiteOrg,
    record: &SitePolicy,
    each: &(dyn Fn(JobResult) + Sync),
) {
    let urls = &common.urls;
    let SitePolicy {
        policy, history, links, ..
    } = record;
    let org_view = OrgView::new(urls, org);
    let policy_view = PolicyView::new(urls, org, policy);
    let notices = notices(policy, site.reference);
    let parts = PolicyParts {
        common,
        org,
        org_view: &org_view,
        policy,
        policy_view: &policy_view,
        history,
        notices: &notices,
    };
    let policy_urls: Vec<String> = org_view.policies.iter().map(|p| p.url.clone()).collect();
    let chips = topic_chips(site, urls);
    (0..policy.versions.len()).into_par_iter().for_each(|index| {
        let blocks = &history.versions[index].blocks;
        let cross = links
            .versions
            .get(index)
            .map(|links| CrossLinks::new(links, blocks, &policy_urls, &chips));
        let is_latest = index + 1 == policy.versions.len();
        for canonical in [false, true].into_iter().filter(|&c| !c || is_latest) {
            let source = VersionSource {
                parts,
                index,
                canonical,
                cross: cross.as_ref(),
            };
            each(version_page(source).and_then(|(path, page)| Job::new(&path, page)));
        }
    });
    let redlines = Redlines::new(history);
    let timeline = policy_timeline(urls, org, policy, history, site.reference);
    (1..timeline.len()).into_par_iter().for_each(|v| {
        each(diff_job(parts, &timeline, v, diff_html(history, v, &redlines)));
    });
    each(timeline_job(parts, &timeline));
    each(at_job(site, parts));
    each(compare_job(parts));
    let mut lineages = lineage_views(history, &policy_view.versions, &policy_view.url, &redlines);
    each(lineages_html(common.theme, &mut lineages).and_then(|html| clauses_job(parts, html)));
}

/// `/<org>/<policy>/<version>/diff/`: version `v`'s redline (its `rows`) against the one before.
fn diff_job(parts: PolicyParts, timeline: &[ChangeView], v: usize, rows: String) -> JobResult {
    let PolicyParts { org, policy, .. } = parts;
    let entry = &timeline[v];
    let path = permalinks::redline(&org.slug, &policy.slug, &policy.versions[v].id);
    let description = format!(
        "What changed in {}'s {} on {}: {}",
        org.name, policy.title, entry.version.effective_long, entry.description
    );
    let (from, to) = (version_ref(policy, v - 1), version_ref(policy, v));
    let pair = permalinks::compare_versions(&org.slug, &policy.slug, &from, &to);
    let page = DiffPage {
        layout: parts.layout(
            &format!("Changes on {}", entry.version.effective_long),
            description,
            &path,
            "diff",
        ),
        org: parts.org_view,
        policy: &parts.policy_view.entry,
        entry,
        prev: &parts.policy_view.versions[v - 1],
        compare_pair_url: parts.common.urls.path(&pair),
        rows,
    };
    Job::new(&path, page)
}

/// `/<org>/<policy>/changes/`: the policy's timeline (`timeline`, oldest first), newest first.
fn timeline_job(parts: PolicyParts, timeline: &[ChangeView]) -> JobResult {
    let PolicyParts { org, policy, .. } = parts;
    let path = permalinks::timeline(&org.slug, &policy.slug);
    let description = format!(
        "Every version of {}'s {} and what changed in each.",
        org.name, policy.title
    );
    let newest_first: Vec<&ChangeView> = timeline.iter().rev().collect();
    let page = PolicyChangesPage {
        timeline_html: parts.common.change_entries(newest_first.iter().copied(), false)?,
        layout: parts.layout("Timeline", description, &path, "timeline"),
        org: parts.org_view,
        policy: parts.policy_view,
        chart: policy_chart(org, policy, timeline),
        timeline: newest_first,
    };
    Job::new(&path, page)
}

/// `/<org>/<policy>/at/`: the periods of the policy, judged on the hub's reference date.
fn at_job(site: &Site, parts: PolicyParts) -> JobResult {
    let PolicyParts { org, policy, .. } = parts;
    let path = permalinks::point_in_time(&org.slug, &policy.slug);
    let description = format!(
        "Which version of {}'s {} was in force on any day: every period between its changes.",
        org.name, policy.title
    );
    let (before, periods) = period_views(policy, &parts.policy_view.versions, parts.notices);
    let page = AtPage {
        layout: parts.layout("Point in time", description, &path, "at"),
        org: parts.org_view,
        policy: parts.policy_view,
        before,
        any_pending: periods.iter().any(|p| p.pending),
        periods,
        reference_date: site.reference.map(|d| d.long()),
    };
    Job::new(&path, page)
}

/// `/<org>/<policy>/compare/`: the form whose script makes the redline of any two versions.
fn compare_job(parts: PolicyParts) -> JobResult {
    let PolicyParts {
        org,
        policy,
        policy_view,
        ..
    } = parts;
    let path = permalinks::compare(&org.slug, &policy.slug);
    let description = format!(
        "The redline of any two versions of {}'s {}, and the changes one at a time.",
        org.name, policy.title
    );
    let count = policy_view.versions.len();
    let default_from = policy_view.versions.get(count.saturating_sub(2)).map(|v| v.id.as_str());
    let page = ComparePage {
        layout: parts.layout("Compare versions", description, &path, "compare"),
        org: parts.org_view,
        policy: policy_view,
        default_from: default_from.unwrap_or_default(),
    };
    Job::new(&path, page)
}

/// `/<org>/<policy>/clauses/`: every clause's history, its lineages written as `lineages_html`.
fn clauses_job(parts: PolicyParts, lineages_html: String) -> JobResult {
    let PolicyParts { org, policy, .. } = parts;
    let path = permalinks::clauses(&org.slug, &policy.slug);
    let description = format!(
        "Every clause of {}'s {} and every change to it.",
        org.name, policy.title
    );
    let page = ClausesPage {
        layout: parts.layout("Clause history", description, &path, "clauses"),
        org: parts.org_view,
        policy: parts.policy_view,
        lineages_html,
    };
    Job::new(&path, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_pages_share_the_organisations_out_in_ranges_and_an_empty_hub_has_one_page() {
        let per = TOPIC_ORGS_PER_PAGE;
        let (none, one_page) = (topic_ranges(0), topic_ranges(per));
        assert!(none.len() == 1 && none[0].is_empty(), "{none:?}");
        assert!(one_page.len() == 1 && one_page[0] == (0..per), "{one_page:?}");
        assert_eq!(topic_ranges(per + 1), [0..per, per..per + 1]);
        // As many ranges as each topic has pages.
        for orgs in [0, 1, per, per + 1, 3 * per] {
            assert_eq!(topic_ranges(orgs).len(), permalinks::topic_pages("t", orgs).len());
        }
    }
}
