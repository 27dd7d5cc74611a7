//! The site as watch mode keeps it: templates, loaded content and every rendered file in
//! memory, updated by plans. A plan either succeeds as a whole or leaves everything as it was.
//! An edit renders its own pages at once; the hub-wide pages it touches are rendered later,
//! from a snapshot of the site ([`HubRefresh`]), off the edit's path. At start, the pages not
//! needed to serve the home page are rendered the same way, a batch at a time.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::front::Front;
use super::packed::Packed;
use super::plan::{covers, Part, Plan};
use crate::cache::{nanos, Inputs};
use crate::content::{load_content, load_org_dir, Org, Policy};
use crate::error::{Diagnostic, Diagnostics};
use crate::history::{anchor_policy, classify_history};
use crate::links::{link_org, resolve_policy_links};
use crate::pipeline::{HubScan, RenderPass};
use crate::render::Theme;
use crate::site::{parse_policy, Scope, Site, SiteOrg};
use crate::stages::Stages;

/// Files to put in place and paths to take away, after a successful rebuild.
#[derive(Debug, Default)]
pub struct Changes {
    /// New or changed files.
    pub upserts: Vec<(String, Arc<Packed>)>,
    /// Files that no longer exist.
    pub removals: Vec<String>,
    /// What was rebuilt, for the terminal.
    pub summary: String,
    /// The time each step took.
    pub stages: Stages,
    /// The time the rebuild took (for a refresh, its rendering: not the wait for its turn).
    pub took: Duration,
    /// True for the hub-wide pages of earlier edits ([`LiveSite::finish_refresh`]).
    pub from_refresh: bool,
    /// True for pages rendered for the first time after the site was served
    /// ([`LiveSite::open`]): nothing changed.
    pub first_render: bool,
}

impl Changes {
    /// Every file of `site`, as new.
    pub fn everything(site: &LiveSite) -> Changes {
        Changes {
            upserts: site.files.iter().map(|(p, b)| (p.clone(), b.clone())).collect(),
            summary: "everything".into(),
            ..Changes::default()
        }
    }

    /// The paths of the files that changed or went away.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.upserts
            .iter()
            .map(|(p, _)| p.as_str())
            .chain(self.removals.iter().map(String::as_str))
    }
}

/// The hub in memory.
pub struct LiveSite {
    root: PathBuf,
    base_url: String,
    /// Shared with a [`HubRefresh`] in flight; replaced, never changed in place, by a plan.
    theme: Arc<Theme>,
    /// Shared with a [`HubRefresh`] in flight; an edit copies it first (a pointer per
    /// organisation) if it is.
    site: Arc<Site>,
    /// Counts the versions of `site` and `theme`: one more at every plan tried (a failed one
    /// included: only the order matters).
    generation: u64,
    /// The generation each scope's files were rendered from: a refresh of an older one than a
    /// scope's files is not put in place.
    rendered_at: HashMap<Scope, u64>,
    /// The paths each scope produced.
    owners: HashMap<Scope, Vec<String>>,
    /// Every file's bytes as served, to tell which changed.
    files: HashMap<String, Arc<Packed>>,
    /// The pages that static files of the same path replace, by path.
    replaced: HashMap<String, Arc<Packed>>,
    /// Scopes for [`LiveSite::start_refresh`]: hub-wide ones (home, changes, topics,
    /// glossary, search index, sitemap) an edit left there, as an edit serves its own pages
    /// first; and, after [`LiveSite::open`], those never rendered yet.
    pending: Vec<Scope>,
    /// True while a [`HubRefresh`] is out (one at a time).
    refreshing: bool,
    /// True from [`LiveSite::open`] until every page has been rendered once: the pages that
    /// were not rendered before the site was served wait in `pending`.
    warming: bool,
    /// The scopes of the refresh out, while it is.
    out: Vec<Scope>,
    /// True when the last refresh rendered pages for the first time: refreshes take turns
    /// between those and an edit's hub-wide pages, so that neither waits for all the other.
    last_first: bool,
    /// Pages never rendered that wait for a fix: a batch of them failed (a broken template),
    /// and the others would fail the same way. The next successful rebuild puts them back
    /// in line.
    parked: Vec<Scope>,
    /// The generation of the last rebuild that succeeded: a batch rendered before it failed
    /// on what that rebuild may have fixed.
    last_success: u64,
    /// The fingerprint of the hub's inputs as they were when it was loaded (`None` where
    /// they could not all be read).
    loaded_from: Option<Inputs>,
    /// When the site last began to read the hub's files (nanoseconds since 1970): at its load,
    /// or at the last rebuild that succeeded. A file changed since may not be in its pages.
    read_since: i128,
    /// How many organisations came from the build cache when the hub was loaded.
    from_cache: usize,
    /// True once an edit has been rendered: the site is no longer the one loaded.
    edited: bool,
    /// What failed to rebuild and has not been rebuilt since ([`Plan::parts`]): while any
    /// part is, the site is not the hub's files as they are.
    broken: BTreeSet<Part>,
}

/// The part of a served path that names the scope rendering it, among the scopes
/// [`LiveSite::open`] leaves pending: an organisation's slug (`org/…`, `api/org/…`,
/// `api/org.json`, its policies' search records `search-index/docs/org/…`), or the folder of
/// the topics, the glossary, the search index or the releases. The home page and the static
/// files are rendered before the site is served.
pub(super) fn path_key(path: &str) -> &str {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut segments = path.trim_start_matches('/').split('/');
    let first = segments.next().unwrap_or("");
    match first {
        "api" => segments.next().unwrap_or("").trim_end_matches(".json"),
        _ if first == crate::permalinks::SEARCH_DIR => match (segments.next(), segments.next()) {
            (Some(crate::permalinks::SEARCH_DOCS), Some(org)) => org,
            _ => first,
        },
        _ => first,
    }
}

/// The [`path_key`] of the pages a scope renders (none for the home page and static files).
fn scope_key(scope: &Scope) -> Option<&str> {
    match scope {
        Scope::Topics => Some("topics"),
        Scope::Glossary => Some("glossary"),
        Scope::Search => Some(crate::permalinks::SEARCH_DIR),
        Scope::Releases => Some("releases"),
        Scope::Org(org) | Scope::Policy(org, _) => Some(org),
        Scope::Hub | Scope::Static => None,
    }
}

/// The scopes [`LiveSite::open`] renders before the site is served: the home page (with the
/// hub's other pages) and the theme's static files.
const FIRST: [Scope; 2] = [Scope::Hub, Scope::Static];

/// How many scopes one [`HubRefresh`] renders at most: a page asked for while the site warms
/// up waits for the one out and its own.
const BATCH: usize = 32;

/// Rendered files, each with its scope and path, packed on the threads that rendered them,
/// sorted by path.
type Rendered = Vec<(Scope, String, Arc<Packed>)>;

/// The files of `scopes` that `pass` renders, packed as they are made.
fn render_packed(pass: &RenderPass, scopes: &[Scope], stages: &mut Stages) -> Result<Rendered, Diagnostics> {
    let files = Mutex::new(Vec::new());
    pass.emit(scopes, stages, &|scope, file| {
        let packed = Arc::new(Packed::new(&file.bytes));
        let mut files = files.lock().unwrap_or_else(|p| p.into_inner());
        files.push((scope.clone(), file.path, packed));
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(|p| p.into_inner());
    files.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(files)
}

/// The hub-wide pages of a site as it was: rendered on any thread, then handed back to
/// [`LiveSite::finish_refresh`].
pub struct HubRefresh {
    site: Arc<Site>,
    theme: Arc<Theme>,
    root: PathBuf,
    generation: u64,
    scopes: Vec<Scope>,
    first: bool,
}

/// What a [`HubRefresh`] rendered.
pub struct HubRendered {
    generation: u64,
    scopes: Vec<Scope>,
    first: bool,
    took: Duration,
    stages: Stages,
    rendered: Result<Rendered, Diagnostics>,
}

impl HubRendered {
    /// True when it rendered pages for the first time ([`LiveSite::open`]): nothing changed,
    /// and a failure is the site's, not one of the pages it serves already.
    pub fn first_render(&self) -> bool {
        self.first
    }
}

impl HubRefresh {
    /// Renders the scopes (the search index beside the pages, as a full build does). A panic
    /// (a bug) comes back as an error: the server goes on.
    pub fn run(self) -> HubRendered {
        let started = Instant::now();
        let mut stages = Stages::default();
        let render = || {
            render_packed(
                &RenderPass::new(&self.site, &self.theme, &self.root),
                &self.scopes,
                &mut stages,
            )
        };
        let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(render)).unwrap_or_else(|_| {
            Err(
                Diagnostic::new("serve", "rendering the hub's pages failed (a bug in policyhub)")
                    .hint("save a file again to retry, or restart `policyhub serve`")
                    .into(),
            )
        });
        HubRendered {
            generation: self.generation,
            scopes: self.scopes,
            first: self.first,
            took: started.elapsed(),
            stages,
            rendered,
        }
    }
}

impl LiveSite {
    /// Loads and renders the whole hub (its organisations from the build cache where they
    /// have not changed since they were last anchored).
    pub fn build(root: &Path, base_url: &str) -> Result<LiveSite, Diagnostics> {
        let mut live = LiveSite::load(root, HubScan::of(root, Some(base_url)))?;
        let mut scopes = live.site.scopes();
        scopes.push(Scope::Static);
        scopes.push(Scope::Releases);
        let rendered = live.render(&scopes, &mut Stages::default())?;
        live.commit(&scopes, rendered);
        Ok(live)
    }

    /// Loads the hub as [`LiveSite::build`] does, but renders only the [`FIRST`] scopes: the
    /// other pages wait in `pending`, for refreshes to render a [`BATCH`] at a time (those
    /// [`LiveSite::want`] asks for first). A large hub is served in the time it takes to load.
    pub fn open(root: &Path, base_url: &str) -> Result<LiveSite, Diagnostics> {
        LiveSite::open_scanned(root, HubScan::of(root, Some(base_url)))
    }

    /// [`LiveSite::open`], from the hub as `scan` read it (at `serve`'s start, for the home
    /// page kept from the last run), at the address it was read for: the hub is not read twice.
    pub(crate) fn open_scanned(root: &Path, scan: HubScan) -> Result<LiveSite, Diagnostics> {
        let mut live = LiveSite::load(root, scan)?;
        let rendered = live.render(&FIRST, &mut Stages::default())?;
        live.commit(&FIRST, rendered);
        // Organisations first, a few milliseconds a batch; then the hub-wide pages, a few
        // hundred (a page asked for waits for the batch out before its own).
        // (The releases come last of all: `later_scopes` ends with them.)
        let (hub_wide, orgs): (Vec<Scope>, Vec<Scope>) =
            live.later_scopes().into_iter().partition(|s| s.org().is_none());
        live.pending = orgs.into_iter().chain(hub_wide).collect();
        live.warming = true;
        Ok(live)
    }

    /// True while pages rendered for the first time are still to come ([`LiveSite::open`]).
    pub fn warming(&mut self) -> bool {
        self.warming &= self.refreshing || !self.pending.is_empty();
        self.warming
    }

    /// How many parts of the site never rendered wait for a fix (a batch of them failed).
    pub fn parked(&self) -> usize {
        self.parked.len()
    }

    /// The [`path_key`]s of the pages not rendered yet that are in line or being rendered: a
    /// request for a path under one of them waits for it.
    pub fn waiting_keys(&self) -> HashSet<String> {
        let never_rendered = |s: &&Scope| !self.owners.contains_key(*s);
        let out = self.out.iter().filter(|_| self.refreshing);
        self.pending
            .iter()
            .chain(out)
            .filter(never_rendered)
            .filter_map(scope_key)
            .map(str::to_string)
            .collect()
    }

    /// Puts first in line the pending scopes that render `path` (see [`path_key`]): a page a
    /// reader opens while the site warms up comes before the others.
    pub fn want(&mut self, path: &str) {
        let key = path_key(path);
        let (mut front, back): (Vec<Scope>, Vec<Scope>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|s| scope_key(s) == Some(key));
        front.extend(back);
        self.pending = front;
    }

    /// The hub's theme and content, nothing rendered.
    fn load(root: &Path, scan: HubScan) -> Result<LiveSite, Diagnostics> {
        // The scan read the content (and fingerprinted every input) before the theme is read
        // here: a template saved meanwhile is then newer than the fingerprint, never older.
        let (read_since, base_url) = (scan.began, scan.base_url().unwrap_or_default().to_string());
        let loaded = crate::pipeline::load_site(root, scan)?;
        let theme = Theme::load(root)?;
        Ok(LiveSite {
            root: root.to_path_buf(),
            base_url,
            theme: Arc::new(theme),
            site: Arc::new(loaded.site),
            generation: 0,
            rendered_at: HashMap::new(),
            owners: HashMap::new(),
            files: HashMap::new(),
            replaced: HashMap::new(),
            pending: Vec::new(),
            refreshing: false,
            warming: false,
            out: Vec::new(),
            last_first: false,
            parked: Vec::new(),
            last_success: 0,
            loaded_from: loaded.inputs,
            read_since,
            from_cache: loaded.from_cache,
            edited: false,
            broken: BTreeSet::new(),
        })
    }

    /// How many of the hub's organisations, and how many of them the build cache held when
    /// the hub was loaded.
    pub fn orgs_from_cache(&self) -> (usize, usize) {
        (self.site.orgs.len(), self.from_cache)
    }

    /// The home page's files as served and the keys of the other pages, as [`Front`] keeps
    /// them.
    pub fn front(&self) -> Front {
        let paths = FIRST.iter().filter_map(|s| self.owners.get(s)).flatten();
        let files: Vec<(String, Arc<Packed>)> = paths
            .filter_map(|p| Some((p.clone(), self.files.get(p)?.clone())))
            .collect();
        Front::new(&files, self.front_waiting())
    }

    /// Every scope of the site but the [`FIRST`] ones, the releases last.
    fn later_scopes(&self) -> Vec<Scope> {
        let scopes = self.site.scopes().into_iter().chain([Scope::Releases]);
        scopes.filter(|s| !FIRST.contains(s)).collect()
    }

    /// The path keys of the pages a [`Front`] does not hold: the [`LiveSite::later_scopes`]'.
    fn front_waiting(&self) -> BTreeSet<String> {
        self.later_scopes()
            .iter()
            .filter_map(scope_key)
            .map(str::to_string)
            .collect()
    }

    /// Something to run on any thread that takes the home page's files from the site as it
    /// is now and keeps them as the [`Front`] for the next start of `serve`, and says whether
    /// it did (not when they fail to render, nor where the build cache cannot be written).
    /// `None` while a rebuild failed and nothing rebuilt that part since: the site is not the
    /// hub's files then. A site not edited since it was loaded keeps it only if the hub's
    /// inputs are still those it was loaded from (`None` where they could not be read); an
    /// edited one, for the inputs as they are when it runs.
    pub fn front_keeper(&self) -> Option<impl FnOnce() -> bool + Send + 'static> {
        if !self.broken.is_empty() {
            return None;
        }
        // A site not edited serves the home page it rendered when it opened; an edited one
        // renders it afresh (an edit's refresh of it may be pending, or have failed).
        let (made_from, served) = match self.edited {
            false => (Some(self.loaded_from.clone()?), Some(self.front())),
            true => (None, None),
        };
        let (site, theme) = (self.site.clone(), self.theme.clone());
        let (root, base_url, waiting) = (self.root.clone(), self.base_url.clone(), self.front_waiting());
        let read_since = self.read_since;
        Some(move || {
            let front = match served {
                Some(front) => front,
                None => {
                    let render = || RenderPass::new(&site, &theme, &root).gather(&FIRST, &mut Stages::default());
                    let Ok(Ok(rendered)) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(render)) else {
                        return false;
                    };
                    let files: Vec<(String, Arc<Packed>)> = rendered
                        .into_iter()
                        .map(|(_, f)| (f.path, Arc::new(Packed::new(&f.bytes))))
                        .collect();
                    Front::new(&files, waiting)
                }
            };
            front.keep(&root, &base_url, made_from.as_ref(), read_since)
        })
    }

    /// Every file of the site.
    pub fn files(&self) -> &HashMap<String, Arc<Packed>> {
        &self.files
    }

    /// Carries out a plan; on error nothing changes.
    pub fn apply(&mut self, plan: &Plan) -> Result<Changes, Diagnostics> {
        let started = nanos(std::time::SystemTime::now());
        let result = self.carry_out(plan);
        match &result {
            Ok(_) => {
                if *plan != Plan::Nothing {
                    (self.edited, self.read_since) = (true, started);
                }
                let rebuilt = plan.parts();
                self.broken.retain(|part| !covers(&rebuilt, part));
            }
            Err(_) => self.broken.extend(plan.parts()),
        }
        result
    }

    /// [`LiveSite::apply`], its outcome not yet noted.
    fn carry_out(&mut self, plan: &Plan) -> Result<Changes, Diagnostics> {
        match plan {
            Plan::Nothing => Ok(Changes::default()),
            Plan::Full => {
                let mut fresh = LiveSite::build(&self.root, &self.base_url)?;
                let changes = self.difference(&fresh);
                // Newer than anything rendered before, a refresh still out included.
                fresh.generation = self.generation + 1;
                fresh.rendered_at.values_mut().for_each(|g| *g = fresh.generation);
                fresh.refreshing = self.refreshing;
                *self = fresh;
                Ok(Changes {
                    summary: "everything (site.toml changed)".into(),
                    ..changes
                })
            }
            Plan::Partial {
                templates,
                content,
                orgs,
                statics,
            } => {
                self.generation += 1;
                let mut what = Vec::new();
                let mut stages = Stages::default();
                let mut scopes: BTreeSet<Scope> = BTreeSet::new();
                let theme = if *templates {
                    Some(Theme::load(&self.root)?)
                } else {
                    None
                };
                let mut undo: Vec<(String, Option<Arc<SiteOrg>>)> = Vec::new();
                let mut fresh_site = None;
                if *content {
                    let content = load_content(&self.root)?;
                    fresh_site = Some(Site::anchor(self.site.config.clone(), content));
                    what.push("all content".to_string());
                } else {
                    let reference = self.site.reference;
                    for slug in orgs {
                        match self.reload_org(slug, &mut scopes, &mut stages) {
                            Ok(previous) => undo.push((slug.clone(), previous)),
                            Err(e) => {
                                self.undo(undo);
                                return Err(e);
                            }
                        }
                        what.push(slug.clone());
                    }
                    // A new newest capture moves the reference date: the pages of policies
                    // whose versions it judges otherwise (one comes into force, or one is
                    // pending and its pages name the date) change too.
                    let rejudged: Vec<Scope> = self.site.rejudged(reference).flat_map(SiteOrg::scopes).collect();
                    scopes.extend(rejudged);
                }
                if *templates || *content {
                    what.push(if *templates { "templates".into() } else { String::new() });
                }
                if !statics.is_empty() {
                    scopes.insert(Scope::Static);
                    what.push(format!(
                        "static ({})",
                        statics.iter().cloned().collect::<Vec<_>>().join(", ")
                    ));
                }
                // Render with the new theme or content, then commit or undo.
                let old_theme = theme.map(|t| std::mem::replace(&mut self.theme, Arc::new(t)));
                let old_site = fresh_site.map(|s| std::mem::replace(&mut self.site, Arc::new(s)));
                if old_theme.is_some() || old_site.is_some() {
                    scopes.extend(self.site.scopes());
                    scopes.extend(self.owners.keys().filter(|s| **s != Scope::Static).cloned());
                    scopes.insert(Scope::Releases);
                }
                // An edit of organisations renders their own pages now and the hub's later.
                let defer_hub = old_theme.is_none() && old_site.is_none();
                let deferred: Vec<Scope> = if defer_hub {
                    Scope::HUB_WIDE.into_iter().filter(|s| scopes.remove(s)).collect()
                } else {
                    Vec::new()
                };
                let scopes: Vec<Scope> = scopes.into_iter().collect();
                match self.render(&scopes, &mut stages) {
                    Ok(rendered) => {
                        // First in line: before pages still to render for the first time.
                        self.pending.retain(|s| !deferred.contains(s));
                        self.pending.splice(0..0, deferred);
                        let mut changes = stages.time("commit", || self.commit(&scopes, rendered));
                        self.last_success = self.generation;
                        self.unpark();
                        what.retain(|w| !w.is_empty());
                        changes.summary = what.join(", ");
                        changes.stages = stages;
                        Ok(changes)
                    }
                    Err(e) => {
                        if let Some(t) = old_theme {
                            self.theme = t;
                        }
                        if let Some(s) = old_site {
                            self.site = s;
                        }
                        self.undo(undo);
                        Err(e)
                    }
                }
            }
        }
    }

    /// The hub-wide pages that edits left waiting, to render from the site as it is now;
    /// `None` when none wait or a refresh is already out.
    pub fn start_refresh(&mut self) -> Option<HubRefresh> {
        if self.refreshing || self.pending.is_empty() {
            return None;
        }
        self.refreshing = true;
        // Pages never rendered and pages rendered before (an edit's hub-wide pages) go apart,
        // in turns when both wait.
        let first = |s: &Scope| !self.owners.contains_key(s);
        let turn = !self.last_first;
        let kind = if self.pending.iter().any(|s| first(s) == turn) {
            turn
        } else {
            !turn
        };
        let (mut scopes, mut rest) = (Vec::new(), Vec::new());
        for scope in std::mem::take(&mut self.pending) {
            if scopes.len() < BATCH && first(&scope) == kind {
                scopes.push(scope);
            } else {
                rest.push(scope);
            }
        }
        self.pending = rest;
        self.last_first = kind;
        self.out = scopes.clone();
        Some(HubRefresh {
            site: self.site.clone(),
            theme: self.theme.clone(),
            root: self.root.clone(),
            generation: self.generation,
            scopes,
            first: kind,
        })
    }

    /// Puts a refresh's files in place, but not over files rendered from a newer site (a
    /// change of templates or of every organisation renders the hub's pages at once): `None`
    /// when all of them were. Edits made meanwhile have asked for the next refresh already.
    pub fn finish_refresh(&mut self, done: HubRendered) -> Option<Result<Changes, Diagnostics>> {
        self.refreshing = false;
        self.out.clear();
        // Not over files rendered from a newer site, nor for what the site no longer has (an
        // organisation or a policy renamed or deleted meanwhile).
        let current =
            |s: &Scope| self.rendered_at.get(s).is_none_or(|&g| g <= done.generation) && self.site.has_scope(s);
        let scopes: Vec<Scope> = done.scopes.iter().filter(|s| current(s)).cloned().collect();
        if scopes.is_empty() {
            return None;
        }
        let first_render = done.first;
        let rendered = match done.rendered {
            Ok(rendered) => rendered.into_iter().filter(|(s, _, _)| scopes.contains(s)).collect(),
            Err(_) if first_render && self.last_success > done.generation => {
                // Rendered before a rebuild that succeeded: tried again from the site as it is.
                self.pending.splice(0..0, scopes);
                return None;
            }
            Err(problems) => {
                // The other pages would fail the same way, one batch after another: they wait
                // for the next successful rebuild.
                if first_render {
                    let never_rendered = |s: &Scope| !self.owners.contains_key(s);
                    let (waiting, rendered): (Vec<Scope>, Vec<Scope>) =
                        std::mem::take(&mut self.pending).into_iter().partition(never_rendered);
                    self.pending = rendered;
                    self.parked.extend(scopes.into_iter().chain(waiting));
                    self.warming = false;
                }
                return Some(Err(problems));
            }
        };
        let mut stages = done.stages;
        let started = Instant::now();
        let mut changes = stages.time("commit", || self.commit_at(done.generation, &scopes, rendered));
        changes.summary = scopes.iter().map(Scope::describe).collect::<Vec<_>>().join(", ");
        changes.stages = stages;
        changes.from_refresh = true;
        changes.first_render = first_render;
        changes.took = done.took + started.elapsed();
        Some(Ok(changes))
    }

    /// Puts the pages that waited for a fix back in line, after a successful rebuild (what it
    /// rendered of them is rendered).
    fn unpark(&mut self) {
        let parked = std::mem::take(&mut self.parked);
        for scope in parked {
            if !self.owners.contains_key(&scope) && !self.pending.contains(&scope) && self.site.has_scope(&scope) {
                self.pending.push(scope);
                self.warming = true;
            }
        }
    }

    /// Re-reads one organisation's folder into the site, re-anchoring only the policies that
    /// changed, and adds the scopes to re-render. Returns what it replaced.
    fn reload_org(
        &mut self,
        slug: &str,
        scopes: &mut BTreeSet<Scope>,
        stages: &mut Stages,
    ) -> Result<Option<Arc<SiteOrg>>, Diagnostics> {
        let new_org = stages.time("read", || load_org_dir(&self.root, slug))?;
        let old = self.site.org(slug);
        let same_manifest = |a: &SiteOrg, b: &Org| {
            (&a.name, &a.website, &a.description, &a.country) == (&b.name, &b.website, &b.description, &b.country)
        };
        scopes.extend(Scope::HUB_WIDE);
        scopes.insert(Scope::Org(slug.to_string()));
        // A policy (by slug) in the organisation as it was.
        let previous = |policy: &Policy| old.and_then(|o| o.policies.iter().find(|p| p.policy.slug == policy.slug));
        let mut replacement = None;
        if let Some(org) = new_org {
            let mut histories = Vec::with_capacity(org.policies.len());
            for policy in &org.policies {
                let before = previous(policy);
                let kept = before.and_then(|old| (old.policy == *policy).then(|| old.history.clone()));
                let changed = kept.is_none() || old.is_some_and(|o| !same_manifest(o, &org));
                if changed {
                    scopes.insert(Scope::Policy(slug.to_string(), policy.slug.clone()));
                }
                histories.push(kept.unwrap_or_else(|| {
                    stages.time("parse+align", || {
                        let mut history = anchor_policy(parse_policy(policy));
                        classify_history(&mut history, &self.site.changes);
                        resolve_policy_links(policy, &mut history, self.site.config.remote_images);
                        history
                    })
                }));
            }
            // Links cross policies (references to a sibling policy): recompute the whole
            // organisation's and re-render every policy whose links changed, or every policy
            // when one was added, removed or renamed (a link names its target by position).
            let links = stages.time("links", || link_org(&org, &histories, &self.site.topics));
            let renamed = old.is_some_and(|o| {
                !o.policies
                    .iter()
                    .map(|p| &p.policy.slug)
                    .eq(org.policies.iter().map(|p| &p.slug))
            });
            for (policy, fresh) in org.policies.iter().zip(&links) {
                if renamed || previous(policy).map(|p| &p.links) != Some(fresh) {
                    scopes.insert(Scope::Policy(slug.to_string(), policy.slug.clone()));
                }
            }
            replacement = Some(Arc::new(SiteOrg::new(org, histories, links)));
        }
        // Policies that went away.
        if let Some(old_org) = old {
            let remaining: HashSet<&str> = replacement
                .as_ref()
                .map(|o| o.policies.iter().map(|p| p.policy.slug.as_str()).collect())
                .unwrap_or_default();
            let gone = old_org.policies.iter().map(|p| &p.policy.slug);
            for policy in gone.filter(|p| !remaining.contains(p.as_str())) {
                scopes.insert(Scope::Policy(slug.to_string(), policy.clone()));
            }
        }
        Ok(Arc::make_mut(&mut self.site).replace_org(slug, replacement))
    }

    fn undo(&mut self, undo: Vec<(String, Option<Arc<SiteOrg>>)>) {
        for (slug, previous) in undo.into_iter().rev() {
            Arc::make_mut(&mut self.site).replace_org(&slug, previous);
        }
    }

    /// Renders `scopes` (the Hub scope with the search index).
    fn render(&self, scopes: &[Scope], stages: &mut Stages) -> Result<Rendered, Diagnostics> {
        render_packed(&RenderPass::new(&self.site, &self.theme, &self.root), scopes, stages)
    }

    /// Puts the rendered files of `scopes` in place; returns what changed.
    fn commit(&mut self, scopes: &[Scope], rendered: Rendered) -> Changes {
        // A scope rendered from the site as it is no longer waits for a refresh.
        self.pending.retain(|s| !scopes.contains(s));
        self.commit_at(self.generation, scopes, rendered)
    }

    /// [`LiveSite::commit`] of files rendered from the site's `generation`. A static file
    /// replaces the page at its path, as in a build: the page is kept aside, served again when
    /// the static file goes, and updated meanwhile when its scope renders it again.
    fn commit_at(&mut self, generation: u64, scopes: &[Scope], mut rendered: Rendered) -> Changes {
        for scope in scopes {
            self.rendered_at.insert(scope.clone(), generation);
        }
        let statics_before = self.static_paths();
        let mut produced: HashMap<Scope, Vec<String>> = scopes.iter().map(|s| (s.clone(), Vec::new())).collect();
        for (scope, path, _) in &rendered {
            produced.entry(scope.clone()).or_default().push(path.clone());
        }
        let mut gone: Vec<(Scope, String)> = Vec::new();
        for (scope, paths) in produced {
            let now: HashSet<&String> = paths.iter().collect();
            let dropped: Vec<String> = match self.owners.get(&scope) {
                Some(previous) => previous.iter().filter(|p| !now.contains(p)).cloned().collect(),
                None => Vec::new(),
            };
            gone.extend(dropped.into_iter().map(|p| (scope.clone(), p)));
            self.owners.insert(scope, paths);
        }
        let statics = self.static_paths();
        let fresh: HashSet<String> = rendered.iter().map(|(_, path, _)| path.clone()).collect();
        let mut changes = Changes::default();
        // Pages before static files: a static file then finds the page it replaces in place.
        rendered.sort_by_key(|(scope, _, _)| *scope == Scope::Static);
        for (scope, path, bytes) in rendered {
            if scope != Scope::Static && statics.contains(&path) {
                self.replaced.insert(path, bytes);
                continue;
            }
            if scope == Scope::Static && !statics_before.contains(&path) && !self.replaced.contains_key(&path) {
                if let Some(page) = self.files.get(&path) {
                    self.replaced.insert(path.clone(), page.clone());
                }
            }
            self.put(path, bytes, &mut changes);
        }
        for (scope, path) in gone.into_iter().filter(|(_, path)| !fresh.contains(path)) {
            if statics.contains(&path) {
                // A page gone from under a static file that stays.
                self.replaced.remove(&path);
            } else if let Some(page) = self.replaced.remove(&path).filter(|_| scope == Scope::Static) {
                self.put(path, page, &mut changes);
            } else if self.files.remove(&path).is_some() {
                changes.removals.push(path);
            }
        }
        changes
    }

    /// The paths of the theme's static files as served.
    fn static_paths(&self) -> HashSet<String> {
        self.owners.get(&Scope::Static).into_iter().flatten().cloned().collect()
    }

    /// Serves `bytes` at `path`, noted in `changes` unless they are what it served already.
    fn put(&mut self, path: String, bytes: Arc<Packed>, changes: &mut Changes) {
        if self.files.get(&path) != Some(&bytes) {
            self.files.insert(path.clone(), bytes.clone());
            changes.upserts.push((path, bytes));
        }
    }

    /// The changes that turn this site's files into `other`'s.
    fn difference(&self, other: &LiveSite) -> Changes {
        let mut changes = Changes::default();
        for (path, bytes) in &other.files {
            if self.files.get(path) != Some(bytes) {
                changes.upserts.push((path.clone(), bytes.clone()));
            }
        }
        changes.removals = self
            .files
            .keys()
            .filter(|p| !other.files.contains_key(*p))
            .cloned()
            .collect();
        changes
    }
}
