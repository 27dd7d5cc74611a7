//! What each page template receives: one `#[derive(Serialize)]` struct per template, turned
//! into Tera's context whole ([`PageInput::into_context`]). They are the theme's contract:
//! `docs/templates.md` documents every field, and its test checks the two agree.

use serde::Serialize;
use tera::Context;

use super::context::{OrgView, PageView, PolicyEntry, PolicyView, SiteView, TocEntry, VersionLink, VersionView};
use super::hub_links::{GlossaryEntry, TopicSummary};
use super::point_in_time::{BeforeView, PeriodView};
use super::releases_page::ReleaseView;
use super::timeline::ChangeView;
use crate::error::Diagnostic;
use crate::permalinks::Urls;

/// A template's input.
pub(crate) trait PageInput: Serialize {
    /// The template that renders it.
    const TEMPLATE: &'static str;

    /// Its large HTML fragments (a version's body, a redline's rows, a list its partials
    /// wrote), moved out and left empty: they go into the context without a copy.
    fn take_html(&mut self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// The context of its template, and about how many bytes the page will be (its HTML
    /// fragments and room for the template around them).
    fn into_context(mut self) -> Result<(Context, usize), Diagnostic>
    where
        Self: Sized,
    {
        let fragments = self.take_html();
        let size = fragments.iter().map(|(_, html)| html.len()).sum::<usize>() + 16 * 1024;
        let mut context = Context::from_serialize(&self)
            .map_err(|e| Diagnostic::new(format!("templates/{}", Self::TEMPLATE), e.to_string()))?;
        for (key, html) in fragments {
            insert_html(&mut context, key, html);
        }
        Ok((context, size))
    }
}

/// Adds a page's large HTML fragment (a version's body, a redline's rows) to its context by
/// moving it: `Context::insert` serializes a copy, and these are most of a build's bytes.
fn insert_html(context: &mut tera::Context, key: &str, html: String) {
    let mut map = serde_json::Map::new();
    map.insert(key.to_string(), serde_json::Value::String(html));
    if let Ok(fragment) = tera::Context::from_value(serde_json::Value::Object(map)) {
        context.extend(fragment);
    }
}

/// `(key, html)`, `html` moved out of its field.
fn take(key: &'static str, html: &mut String) -> (&'static str, String) {
    (key, std::mem::take(html))
}

/// What every page receives, for `base.html`: `site` and `page`.
#[derive(Debug, Serialize)]
pub(crate) struct Layout<'a> {
    pub(crate) site: &'a SiteView,
    pub(crate) page: PageView,
}

impl<'a> Layout<'a> {
    /// The layout of the page at the site path `path`.
    pub(crate) fn new(
        site: &'a SiteView,
        urls: &Urls,
        title: String,
        description: String,
        path: &str,
        kind: &'static str,
    ) -> Self {
        let page = PageView {
            title,
            description,
            url: urls.path(path),
            canonical: urls.absolute(path),
            kind,
        };
        Layout { site, page }
    }
}

/// The hub's figures.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct CountsView {
    pub(crate) orgs: usize,
    pub(crate) policies: usize,
    pub(crate) versions: usize,
}

/// `index.html`: the home page.
#[derive(Debug, Serialize)]
pub(crate) struct HomePage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) orgs: &'a [OrgView],
    pub(crate) counts: CountsView,
    /// The newest versions of the hub, newest first.
    pub(crate) recent: Vec<ChangeView>,
    /// `recent` as `_change_entry.html` writes them.
    pub(crate) recent_html: String,
}

impl PageInput for HomePage<'_> {
    const TEMPLATE: &'static str = "index.html";

    fn take_html(&mut self) -> Vec<(&'static str, String)> {
        vec![take("recent_html", &mut self.recent_html)]
    }
}

/// `changes.html`: the hub's recent changes.
#[derive(Debug, Serialize)]
pub(crate) struct ChangesPage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) counts: CountsView,
    pub(crate) changes: Vec<ChangeView>,
    /// `changes` as `_change_entry.html` writes them.
    pub(crate) changes_html: String,
}

impl PageInput for ChangesPage<'_> {
    const TEMPLATE: &'static str = "changes.html";

    fn take_html(&mut self) -> Vec<(&'static str, String)> {
        vec![take("changes_html", &mut self.changes_html)]
    }
}

/// `404.html`.
#[derive(Debug, Serialize)]
pub(crate) struct NotFoundPage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) orgs: &'a [OrgView],
}

impl PageInput for NotFoundPage<'_> {
    const TEMPLATE: &'static str = "404.html";
}

/// `search.html`.
#[derive(Debug, Serialize)]
pub(crate) struct SearchPage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) orgs: &'a [OrgView],
}

impl PageInput for SearchPage<'_> {
    const TEMPLATE: &'static str = "search.html";
}

/// `glossary.html`.
#[derive(Debug, Serialize)]
pub(crate) struct GlossaryPage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) terms: Vec<GlossaryEntry>,
}

impl PageInput for GlossaryPage<'_> {
    const TEMPLATE: &'static str = "glossary.html";
}

/// `topics.html`.
#[derive(Debug, Serialize)]
pub(crate) struct TopicsPage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) topics: Vec<&'a TopicSummary>,
}

impl PageInput for TopicsPage<'_> {
    const TEMPLATE: &'static str = "topics.html";
}

/// `topic.html`: one page of a topic's organisations.
#[derive(Debug, Serialize)]
pub(crate) struct TopicPage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) topic: &'a TopicSummary,
    pub(crate) pagination: Pagination,
    /// The page's organisations as `_topic_org.html` writes them.
    pub(crate) orgs_html: String,
}

impl PageInput for TopicPage<'_> {
    const TEMPLATE: &'static str = "topic.html";

    fn take_html(&mut self) -> Vec<(&'static str, String)> {
        vec![take("orgs_html", &mut self.orgs_html)]
    }
}

/// Where a page stands among the pages of a list: `number` of `total`, with links.
#[derive(Debug, Serialize)]
pub(crate) struct Pagination {
    pub(crate) number: usize,
    pub(crate) total: usize,
    pub(crate) prev: Option<String>,
    pub(crate) next: Option<String>,
    pub(crate) pages: Vec<PageLink>,
}

/// A link to one page of a list.
#[derive(Debug, Serialize)]
pub(crate) struct PageLink {
    pub(crate) number: usize,
    pub(crate) url: String,
    pub(crate) current: bool,
}

impl Pagination {
    /// Page `index` of the pages at the site paths `paths`.
    pub(crate) fn new(urls: &Urls, paths: &[String], index: usize) -> Self {
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

/// `org.html`: an organisation.
#[derive(Debug, Serialize)]
pub(crate) struct OrgPage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) org: OrgView,
    /// Every version of its policies, newest first.
    pub(crate) timeline: Vec<ChangeView>,
    /// `timeline` as `_change_entry.html` writes it.
    pub(crate) timeline_html: String,
}

impl PageInput for OrgPage<'_> {
    const TEMPLATE: &'static str = "org.html";

    fn take_html(&mut self) -> Vec<(&'static str, String)> {
        vec![take("timeline_html", &mut self.timeline_html)]
    }
}

/// `version.html`: a version of a policy, or the policy's latest page.
#[derive(Debug, Serialize)]
pub(crate) struct VersionPage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) org: &'a OrgView,
    /// Without its list of versions: a policy of thousands of versions would make each of its
    /// pages' input as long as its whole history (`nearby` lists the versions around this one).
    pub(crate) policy: &'a PolicyEntry,
    pub(crate) version: VersionView,
    pub(crate) prev: Option<&'a VersionLink>,
    pub(crate) next: Option<&'a VersionLink>,
    pub(crate) latest: &'a VersionLink,
    /// The version in force on the hub's reference date.
    pub(crate) in_force: Option<&'a VersionLink>,
    pub(crate) toc: Vec<TocEntry>,
    /// `toc` as `_toc_entry.html` writes it.
    pub(crate) toc_html: String,
    /// The versions listed at the page's foot, newest first.
    pub(crate) nearby: Vec<&'a VersionLink>,
    /// `nearby` as `_nearby_version.html` writes it.
    pub(crate) nearby_html: String,
    /// The 1-based number of `nearby`'s first version.
    pub(crate) nearby_start: usize,
    /// How many stubs of removed clauses the body carries.
    pub(crate) removed_count: usize,
    /// The version's text as HTML.
    pub(crate) body: String,
}

impl PageInput for VersionPage<'_> {
    const TEMPLATE: &'static str = "version.html";

    fn take_html(&mut self) -> Vec<(&'static str, String)> {
        vec![
            take("body", &mut self.body),
            take("toc_html", &mut self.toc_html),
            take("nearby_html", &mut self.nearby_html),
        ]
    }
}

/// `diff.html`: a version's redline against the one before it.
#[derive(Debug, Serialize)]
pub(crate) struct DiffPage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) org: &'a OrgView,
    /// Without its list of versions, as on a version page.
    pub(crate) policy: &'a PolicyEntry,
    /// The version's timeline entry.
    pub(crate) entry: &'a ChangeView,
    /// The version before it.
    pub(crate) prev: &'a VersionLink,
    /// The compare page of the same two versions.
    pub(crate) compare_pair_url: String,
    /// The redline's rows as HTML.
    pub(crate) rows: String,
}

impl PageInput for DiffPage<'_> {
    const TEMPLATE: &'static str = "diff.html";

    fn take_html(&mut self) -> Vec<(&'static str, String)> {
        vec![take("rows", &mut self.rows)]
    }
}

/// `policy_changes.html`: a policy's timeline.
#[derive(Debug, Serialize)]
pub(crate) struct PolicyChangesPage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) org: &'a OrgView,
    pub(crate) policy: &'a PolicyView,
    /// The SVG chart of the policy's length and changes over time.
    pub(crate) chart: String,
    /// Every version, newest first.
    pub(crate) timeline: Vec<&'a ChangeView>,
    /// `timeline` as `_change_entry.html` writes it.
    pub(crate) timeline_html: String,
}

impl PageInput for PolicyChangesPage<'_> {
    const TEMPLATE: &'static str = "policy_changes.html";

    fn take_html(&mut self) -> Vec<(&'static str, String)> {
        vec![take("timeline_html", &mut self.timeline_html)]
    }
}

/// `at.html`: the policy's periods, each with the version in force.
#[derive(Debug, Serialize)]
pub(crate) struct AtPage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) org: &'a OrgView,
    pub(crate) policy: &'a PolicyView,
    pub(crate) before: Option<BeforeView>,
    pub(crate) periods: Vec<PeriodView>,
    pub(crate) any_pending: bool,
    pub(crate) reference_date: Option<String>,
}

impl PageInput for AtPage<'_> {
    const TEMPLATE: &'static str = "at.html";
}

/// `compare.html`: the form that makes the redline of any two versions.
#[derive(Debug, Serialize)]
pub(crate) struct ComparePage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) org: &'a OrgView,
    pub(crate) policy: &'a PolicyView,
    /// The id of the version the form compares from at first.
    pub(crate) default_from: &'a str,
}

impl PageInput for ComparePage<'_> {
    const TEMPLATE: &'static str = "compare.html";
}

/// `clauses.html`: the history of every clause of a policy.
#[derive(Debug, Serialize)]
pub(crate) struct ClausesPage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) org: &'a OrgView,
    pub(crate) policy: &'a PolicyView,
    /// Every lineage as `_lineage.html` writes it.
    pub(crate) lineages_html: String,
}

impl PageInput for ClausesPage<'_> {
    const TEMPLATE: &'static str = "clauses.html";

    fn take_html(&mut self) -> Vec<(&'static str, String)> {
        vec![take("lineages_html", &mut self.lineages_html)]
    }
}

/// `releases.html`: every archived release.
#[derive(Debug, Serialize)]
pub(crate) struct ReleasesPage<'a> {
    #[serde(flatten)]
    pub(crate) layout: Layout<'a>,
    pub(crate) releases: Vec<ReleaseView>,
}

impl PageInput for ReleasesPage<'_> {
    const TEMPLATE: &'static str = "releases.html";
}
