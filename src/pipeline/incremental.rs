//! `build` with the persistent cache ([`crate::cache`]): fingerprint the inputs; when nothing
//! changed and the output is the one last written, stop there; otherwise load from the cache
//! every organisation whose files did not change, read and anchor the others, render the
//! hub-wide pages and the organisations that changed, and carry the other organisations'
//! folders over from the previous output unchanged. The result is the clean build's, byte for
//! byte.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

use super::{drop_in_background, warnings, BuildOptions, BuildSummary, Emitted, RenderPass};
use crate::archive::{self, PublishMode};
use crate::cache::{nanos, BuildCache, Inputs, Made, Manifest, OutputMark, Record};
use crate::content::notice::{judged_alike, reference_date};
use crate::content::{load_orgs, load_orgs_with, reload_bodies, scan_content, Content, Org, OrgFiles, Policy};
use crate::error::{Diagnostic, Diagnostics};
use crate::output::{self, OutputFile};
use crate::permalinks;
use crate::progress::Progress;
use crate::render::{self, Theme, TopicFigure};
use crate::site::{Counts, Scope, Site, SiteOrg};
use crate::stages::Stages;
use crate::summary::summarize;

/// Builds the hub into its output folder using (and updating) `cache`.
pub(super) fn build(options: &BuildOptions, cache: BuildCache) -> Result<BuildSummary, Diagnostics> {
    build_in_parts(options, cache, PART_VERSIONS, BODIES_HELD)
}

/// [`build`], anchoring and rendering organisations in parts of about `part_versions`
/// versions, their texts read again per part when their files pass `bodies_held` bytes.
fn build_in_parts(
    options: &BuildOptions,
    mut cache: BuildCache,
    part_versions: usize,
    bodies_held: u64,
) -> Result<BuildSummary, Diagnostics> {
    let started = Instant::now();
    let root = options.root.as_path();
    let output = options.output_dir();
    output::guard_output(root, &output)?;
    let mut stages = Stages::default();

    let (tree, layout) = stages.time("scan", || scan_content(root));
    // A hub with misplaced files fails: all its problems are reported, nothing is cached.
    let fingerprint = match layout.is_empty() && cache.enabled() {
        true => Some(stages.time("fingerprint", || {
            cache.fingerprint(root, options.base_url.as_deref(), &tree)
        })),
        false => None,
    };
    let manifest = match fingerprint {
        Some(Ok(manifest)) => Some(manifest),
        Some(Err(e)) => {
            let why = format!("the build cache is not used: cannot read an input: {e}");
            cache.problems.push(Diagnostic::new(root, why));
            None
        }
        None => None,
    };
    let current_output = OutputMark::of(&output);
    if let (Some(now), Some(last)) = (&manifest, cache.previous()) {
        if now.inputs == last.inputs && last.output.is_some() && last.output == current_output {
            output::remove_stopped_builds(&output);
            return Ok(summary(last.made.clone(), started, stages, cache.problems));
        }
    }

    // Load: the theme, the settings, the archive index, and every organisation (its summary
    // from the cache where its files and the settings are unchanged), all problems together.
    let theme = stages.time("templates", || Theme::load(root));
    let config = Site::read_config(root, options.base_url.as_deref());
    let index = archive::Index::load(root).map(drop);
    let inputs = manifest.as_ref().map(|m| &m.inputs);
    let (kept, fresh, problems) = stages.time("cache", || split_orgs(tree, &cache, inputs, Record::Summary));
    cache.problems.extend(few(problems));
    let watched = watched_files(&fresh);
    // A large hub's texts are read again a part at a time, rather than held whole.
    let reread = files_size(&fresh) > bodies_held;
    let loaded = stages.time("load", || load_orgs_with(root, fresh, !reread));
    let (theme, config, content) = match (theme, config, index, loaded, layout.is_empty()) {
        (Ok(theme), Ok(config), Ok(()), Ok(content), true) => (theme, config, content),
        (theme, config, index, loaded, _) => {
            return Err(together([
                theme.err(),
                config.err().map(Diagnostics::from),
                Some(layout),
                loaded.err(),
                index.err().map(Diagnostics::from),
            ]));
        }
    };

    // Plan: what to render, what to carry from the previous output.
    let hub = Site::from_orgs(config, Vec::new());
    let policies = content.orgs.iter().flat_map(|o| &o.policies);
    let kept_policies = kept.iter().flat_map(|(o, _)| o.policies.iter().map(|p| &p.policy));
    let reference = reference_date(hub.config.source_date, policies.chain(kept_policies));
    let mut outline: Vec<Outline> = content
        .orgs
        .iter()
        .map(|o| (o.slug.clone(), o.policies.iter().map(|p| p.slug.clone()).collect()))
        .collect();
    let slugs = |o: &SiteOrg| o.policies.iter().map(|p| p.policy.slug.clone()).collect();
    outline.extend(kept.iter().map(|(org, _)| (org.slug.clone(), slugs(org))));
    outline.sort();
    let previous = cache
        .previous()
        .filter(|last| last.output.is_some() && last.output == current_output);
    let statics: Vec<String> = match output::static_files(root) {
        Ok(files) => files.into_iter().map(|f| f.path).collect(),
        Err(_) => Vec::new(), // reported by the pass that renders them
    };
    // Organisations whose pages a moved reference date changes: those whose summaries came
    // from the cache, and those read afresh whose files are as the previous output's (their
    // record was missing or stale: `serve` may have kept another), whose pages the plan
    // would otherwise carry.
    let rejudged: HashSet<&str> = match previous.map(|last| last.reference) {
        Some(then) if then != reference => {
            let moved = |p: &Policy| !judged_alike(p, then, reference);
            let kept_moved = kept
                .iter()
                .filter(|(org, _)| org.policies.iter().any(|p| moved(&p.policy)))
                .map(|(org, _)| org.slug.as_str());
            let read_moved = content
                .orgs
                .iter()
                .filter(|org| org.policies.iter().any(moved))
                .map(|org| org.slug.as_str());
            kept_moved.chain(read_moved).collect()
        }
        _ => HashSet::new(),
    };
    let plan = Plan::new(&outline, &rejudged, previous, manifest.as_ref(), &statics, &output);
    let rendered: HashSet<&str> = plan
        .scopes
        .iter()
        .filter_map(|scope| match scope {
            Scope::Org(slug) => Some(slug.as_str()),
            _ => None,
        })
        .collect();
    let versions = |o: &Org| o.policies.iter().map(|p| p.versions.len()).sum::<usize>();
    let counts = Counts {
        orgs: outline.len(),
        policies: outline.iter().map(|(_, p)| p.len()).sum(),
        versions: content.orgs.iter().map(versions).sum::<usize>()
            + kept
                .iter()
                .flat_map(|(o, _)| &o.policies)
                .map(|p| p.policy.versions.len())
                .sum::<usize>(),
    };
    let pages = render::page_count_of(counts, hub.topics.topics.len()) as u64;
    let progress = match plan.carried_orgs.is_empty() {
        true => Progress::new(options.progress, pages, "rendering", "pages"),
        false => Progress::new(false, 0, "rendering", "pages"),
    };
    let staging = output::Staging::new(&output)?;
    let org_files: Mutex<BTreeMap<String, Vec<String>>> = Mutex::new(BTreeMap::new());
    let emit = |scope: &Scope, file: OutputFile| {
        if let Some(org) = scope.org() {
            let mut files = org_files.lock().unwrap_or_else(|p| p.into_inner());
            files.entry(org.to_string()).or_default().push(file.path.clone());
        }
        match scope {
            Scope::Static => staging.write_static(&file),
            _ => staging.write(&file),
        }
    };
    let mode = match output.is_dir() {
        true => PublishMode::CarryFrom(&output),
        false => PublishMode::Unpack,
    };
    // The scopes of the plan that `site` renders: an organisation's own pages where the site
    // holds it, the hub-wide pages where it holds the whole hub's summaries.
    let render = |site: &Site, own: bool, kept: &HashSet<String>, stages: &mut Stages| {
        let scopes: Vec<Scope> = plan
            .scopes
            .iter()
            .filter(|scope| match scope.org() {
                Some(org) => own && site.org(org).is_some(),
                None => !own,
            })
            .cloned()
            .collect();
        let pass = RenderPass {
            publish: mode,
            progress: Some(&progress),
            kept,
            ..RenderPass::new(site, &theme, root)
        };
        pass.emit(&scopes, stages, &emit)
    };

    // The organisations, a part at a time: anchored (or, for one whose pages are rendered
    // again from the cache, its whole record read), their own pages rendered, their records
    // kept, and only their summaries held for the hub-wide pages: memory holds one part of
    // the hub and the summaries of the rest.
    let mut summaries: Vec<Arc<SiteOrg>> = Vec::with_capacity(outline.len());
    let mut again: Vec<(String, OrgFiles)> = Vec::new();
    for (org, files) in kept {
        if rendered.contains(org.slug.as_str()) {
            again.push((org.slug.clone(), files));
        }
        summaries.push(org);
    }
    let mut watched: HashMap<String, Vec<PathBuf>> = watched.into_iter().collect();
    let mut emitted = Emitted::default();
    let mut unwritten: Vec<Unwritten> = Vec::new();
    let mut unread: Vec<Diagnostic> = Vec::new();
    // Whether a file this build read changed since the fingerprint (see the manifest's save).
    let mut read_while_changed = false;
    let mut again = again.into_iter();
    let reads = std::iter::from_fn(|| {
        let part: Vec<(String, OrgFiles)> = again.by_ref().take(PART_ORGS).collect();
        (!part.is_empty()).then_some(Part::Read(part))
    });
    let parts = parts_of(content.orgs, part_versions).map(Part::Anchor).chain(reads);
    for part in parts {
        // Whether the part's summaries are new (those read whole came with theirs).
        let new_summaries = matches!(part, Part::Anchor(_));
        let (orgs, anchored): (Vec<Arc<SiteOrg>>, HashSet<String>) = match part {
            Part::Anchor(mut orgs) => {
                if reread {
                    stages.time("load", || reload_bodies(root, &mut orgs))?;
                }
                let orgs = Site::anchor_orgs(&hub.config, &hub.topics, &hub.changes, Content { orgs }, &mut stages);
                let slugs = orgs.iter().map(|o| o.slug.clone()).collect();
                (orgs, slugs)
            }
            Part::Read(orgs) => {
                let (whole, missing, problems) = stages.time("cache", || {
                    split_orgs(orgs.into_iter().collect(), &cache, inputs, Record::Whole)
                });
                unread.extend(problems);
                watched.extend(watched_files(&missing));
                let loaded = stages.time("load", || load_orgs(root, missing))?;
                let again = Site::anchor_orgs(&hub.config, &hub.topics, &hub.changes, loaded, &mut stages);
                let slugs = again.iter().map(|o| o.slug.clone()).collect();
                (whole.into_iter().map(|(org, _)| org).chain(again).collect(), slugs)
            }
        };
        let mut orgs = orgs;
        orgs.sort_by(|a, b| a.slug.cmp(&b.slug));
        let site = hub.with_orgs(orgs, reference);
        emitted.add(render(&site, true, &HashSet::new(), &mut stages)?);
        // The records of the organisations just anchored, for the next build (unless a file
        // changed while it was read), and their summaries, for the hub-wide pages.
        let writable = manifest.as_ref().filter(|m| BuildCache::settings_unchanged(m, root));
        let kept_now: Vec<(Option<Arc<SiteOrg>>, Option<Unwritten>, bool)> = stages.time("cache", || {
            site.orgs
                .par_iter()
                .filter(|org| anchored.contains(&org.slug))
                .map(|org| {
                    let summary = summarize(org);
                    let unchanged = |m: &&Manifest| {
                        let files = watched.get(&org.slug);
                        files.is_some_and(|files| BuildCache::unchanged_since(m, root, files))
                    };
                    let changed = manifest.as_ref().is_some_and(|m| !unchanged(&m));
                    let failed = writable
                        .filter(|_| !changed)
                        .and_then(|m| cache.write_org(org, &summary, &m.inputs).err())
                        .map(|e| (org.slug.clone(), e));
                    let new = new_summaries.then(|| Arc::new(summary));
                    (new, failed, changed)
                })
                .collect()
        });
        for (summary, failed, changed) in kept_now {
            summaries.extend(summary);
            unwritten.extend(failed);
            read_while_changed |= changed;
        }
        drop_in_background(site);
    }
    cache.problems.extend(few(unread));
    cache.problems.extend(cache_problem(unwritten));

    // The hub-wide pages, from the summaries.
    summaries.sort_by(|a, b| a.slug.cmp(&b.slug));
    let site = hub.with_orgs(summaries, reference);
    let topic_orgs: Vec<String> = site.orgs.iter().map(|o| o.slug.clone()).collect();
    let topic_figures = render::topic_figures(&site);
    let kept = plan.kept_topic_pages(&topic_orgs, &topic_figures, &output);
    emitted.add(render(&site, false, &kept, &mut stages)?);
    progress.finish();
    let mut carried = plan.carried;
    carried.extend(emitted.carried.iter().cloned());
    carried.extend(kept.iter().cloned());
    // The last build's manifest describes the output until the first move: a build killed
    // among the moves leaves none, and the next build trusts no page of the output.
    cache.forget_last_build();
    stages.time("swap", || staging.commit(&carried))?;

    let mut org_files = org_files.into_inner().unwrap_or_else(|p| p.into_inner());
    let made = made(&site, &emitted, &plan.carried_orgs, kept.len());
    for (slug, files) in plan.carried_orgs {
        org_files.insert(slug, files);
    }
    // A file this build read that changed while it was read leaves pages made from either
    // text under the fingerprint of the one before: the manifest is not kept, so the next
    // build trusts no page of this output (records of unchanged organisations still serve).
    let mut manifest = manifest.filter(|m| !read_while_changed && shared_inputs_unchanged(m, root));
    if let Some(manifest) = manifest.as_mut() {
        manifest.reference = site.reference;
        manifest.output = OutputMark::of(&output);
        manifest.org_files = org_files;
        manifest.static_files = statics;
        manifest.topic_orgs = topic_orgs;
        manifest.topic_figures = topic_figures;
        manifest.made = made.clone();
        let manifest = std::mem::take(manifest);
        stages.time("cache", || cache.save(manifest));
    }
    drop_in_background(site);
    Ok(summary(made, started, stages, cache.problems))
}

/// Whether the inputs every page reads (`site.toml`, `templates/`, `static/`, `archive/`) are
/// still as `manifest`'s fingerprint saw them, now that the build has read them all.
fn shared_inputs_unchanged(manifest: &Manifest, root: &Path) -> bool {
    let shared: Vec<PathBuf> = manifest
        .stamps
        .keys()
        .filter(|rel| ["templates", "static", "archive"].iter().any(|f| rel.starts_with(f)))
        .map(|rel| root.join(rel))
        .collect();
    BuildCache::settings_unchanged(manifest, root) && BuildCache::unchanged_since(manifest, root, &shared)
}

/// The summary of a build that made (or, with nothing to do, last made) `made`.
fn summary(made: Made, started: Instant, stages: Stages, problems: Vec<Diagnostic>) -> BuildSummary {
    BuildSummary {
        counts: made.counts(),
        pages: made.pages,
        files: made.files,
        elapsed: started.elapsed(),
        stages,
        warnings: made.warnings,
        cache: problems,
    }
}

/// About how many versions are anchored and rendered together: enough to keep every core
/// busy, few enough that memory holds a small part of a large hub.
const PART_VERSIONS: usize = 4096;
/// Up to how many bytes of version files a build holds whole; a larger hub's texts are read
/// again a part at a time.
const BODIES_HELD: u64 = 256 << 20;

/// The bytes of the organisations' files (one `stat` each).
fn files_size(orgs: &[(String, OrgFiles)]) -> u64 {
    let size = |files: &OrgFiles| -> u64 {
        let sizes = files.paths().map(|p| std::fs::metadata(p).map_or(0, |m| m.len()));
        sizes.sum()
    };
    orgs.par_iter().map(|(_, files)| size(files)).sum()
}

/// How many whole records are read and rendered together.
const PART_ORGS: usize = 256;

/// A part of the hub's organisations to render: to anchor from their content, or to read
/// whole from the cache (their summaries came from it).
enum Part {
    Anchor(Vec<Org>),
    Read(Vec<(String, OrgFiles)>),
}

/// The organisations in parts of about `versions` versions (at least one organisation), in
/// order.
fn parts_of(orgs: Vec<Org>, versions: usize) -> impl Iterator<Item = Vec<Org>> {
    let mut orgs = orgs.into_iter();
    std::iter::from_fn(move || {
        let mut part = Vec::new();
        let mut taken = 0;
        while taken < versions.max(1) {
            let Some(org) = orgs.next() else { break };
            taken += org.policies.iter().map(|p| p.versions.len()).sum::<usize>();
            part.push(org);
        }
        (!part.is_empty()).then_some(part)
    })
}

/// Sorts the organisations into those the cache holds a `record` of for their current files
/// (and the binary and `site.toml`), and those to read and anchor; damaged records are
/// problems for the cache's warnings.
fn split_orgs(tree: BTreeMap<String, OrgFiles>, cache: &BuildCache, inputs: Option<&Inputs>, record: Record) -> Split {
    let Some(inputs) = inputs else {
        return (Vec::new(), tree.into_iter().collect(), Vec::new());
    };
    let read: Vec<(String, OrgFiles, Result<Option<SiteOrg>, Diagnostic>)> = tree
        .into_par_iter()
        .map(|(slug, files)| {
            let read = cache.read_org(&slug, inputs, record);
            (slug, files, read)
        })
        .collect();
    let (mut kept, mut fresh, mut problems) = (Vec::new(), Vec::new(), Vec::new());
    for (slug, files, read) in read {
        match read {
            Ok(Some(org)) => kept.push((Arc::new(org), files)),
            Ok(None) => fresh.push((slug, files)),
            Err(problem) => {
                problems.push(problem);
                fresh.push((slug, files));
            }
        }
    }
    (kept, fresh, problems)
}

/// Organisations from the cache (with their files), organisations to read, and the cache's
/// problems.
type Split = (Vec<(Arc<SiteOrg>, OrgFiles)>, Vec<(String, OrgFiles)>, Vec<Diagnostic>);

/// The hub's site for `serve`, as [`load_site`] gives it.
pub(crate) struct LoadedSite {
    pub site: Site,
    /// How many organisations came from the cache.
    pub from_cache: usize,
    /// The fingerprint of the inputs as they were before reading them (`None` where they
    /// could not all be read).
    pub inputs: Option<Inputs>,
}

/// The hub as read once, before anything is loaded from it: its cache, its content's files,
/// any misplaced ones, and the fingerprint of its inputs (with `base_url`) where every one
/// could be read. `serve` reads it once at its start, for its kept home page and its load.
pub(crate) struct HubScan {
    /// The address the hub is served at, which the fingerprint includes.
    base_url: Option<String>,
    cache: BuildCache,
    tree: BTreeMap<String, OrgFiles>,
    layout: Diagnostics,
    manifest: Option<Manifest>,
    /// When the scan began (nanoseconds since 1970): a file saved since may be newer than
    /// the fingerprint.
    pub began: i128,
}

impl HubScan {
    /// Scans the hub in `root` served at `base_url`.
    pub(crate) fn of(root: &Path, base_url: Option<&str>) -> HubScan {
        HubScan::with_cache(BuildCache::open(root), root, base_url)
    }

    /// [`HubScan::of`], with the hub's build cache opened already (its manifest read: it says
    /// nothing of the content, so it may be read before the content is watched).
    pub(crate) fn with_cache(cache: BuildCache, root: &Path, base_url: Option<&str>) -> HubScan {
        let began = nanos(std::time::SystemTime::now());
        let (tree, layout) = scan_content(root);
        let manifest = match layout.is_empty() {
            true => cache.fingerprint(root, base_url, &tree).ok(),
            false => None,
        };
        HubScan {
            base_url: base_url.map(str::to_string),
            cache,
            tree,
            layout,
            manifest,
            began,
        }
    }

    /// The address the hub was scanned for.
    pub(crate) fn base_url(&self) -> Option<&str> {
        self.base_url.as_deref()
    }

    /// The hub's cache and the fingerprint of its inputs, where every one could be read.
    pub(crate) fn inputs(&self) -> Option<(&BuildCache, &Inputs)> {
        Some((&self.cache, &self.manifest.as_ref()?.inputs))
    }
}

/// The hub's cache and the fingerprint of its inputs now (with `base_url`), where every one
/// can be read: what a value [`BuildCache::keep`]s was made from; and when an input file last
/// changed ([`Manifest::last_change`]).
pub(crate) fn hub_inputs(root: &Path, base_url: Option<&str>) -> Option<(BuildCache, Inputs, i128)> {
    let HubScan { cache, manifest, .. } = HubScan::of(root, base_url);
    let manifest = manifest?;
    let last_change = manifest.last_change();
    Some((cache, manifest.inputs, last_change))
}

/// The hub's site for `serve`: `site.toml` and `content/`, each organisation from the build
/// cache where it holds a record for its current files, the others read and anchored (and
/// their records kept for next time). Problems of the cache are left unsaid: the cache is
/// only a shortcut here. `scan` is the hub as read before ([`HubScan::of`]), for the address
/// it is served at.
pub(crate) fn load_site(root: &Path, scan: HubScan) -> Result<LoadedSite, Diagnostics> {
    let HubScan {
        base_url,
        cache,
        tree,
        layout,
        manifest,
        ..
    } = scan;
    let config = Site::read_config(root, base_url.as_deref());
    let inputs = manifest.as_ref().map(|m| &m.inputs);
    let (kept, fresh, _) = split_orgs(tree, &cache, inputs, Record::Whole);
    let watched = watched_files(&fresh);
    let (config, content) = match (config, load_orgs(root, fresh), layout.is_empty()) {
        (Ok(config), Ok(content), true) => (config, content),
        (config, loaded, _) => {
            return Err(together([
                config.err().map(Diagnostics::from),
                Some(layout),
                loaded.err(),
            ]));
        }
    };
    let anchored = Site::anchor(config.clone(), content);
    if let Some(manifest) = manifest.as_ref().filter(|m| BuildCache::settings_unchanged(m, root)) {
        let unchanged = watched
            .iter()
            .filter(|(_, files)| BuildCache::unchanged_since(manifest, root, files));
        let orgs: Vec<&SiteOrg> = unchanged.filter_map(|(slug, _)| anchored.org(slug)).collect();
        orgs.par_iter()
            .for_each(|org| drop(cache.write_org(org, &summarize(org), &manifest.inputs)));
    }
    let from_cache = kept.len();
    let kept = kept.into_iter().map(|(org, _)| org);
    let mut orgs: Vec<Arc<SiteOrg>> = kept.chain(anchored.orgs).collect();
    orgs.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(LoadedSite {
        site: Site::from_orgs(config, orgs),
        from_cache,
        inputs: manifest.map(|m| m.inputs),
    })
}

/// The files of the organisations to read, to check after reading that they did not change
/// meanwhile. [`scan_content`] names them as they are opened (under `root` already).
fn watched_files(orgs: &[(String, OrgFiles)]) -> Vec<(String, Vec<std::path::PathBuf>)> {
    let files = |files: &OrgFiles| files.paths().map(Path::to_path_buf).collect();
    orgs.iter().map(|(slug, org)| (slug.clone(), files(org))).collect()
}

/// An organisation as a plan sees it: its slug and its policies' slugs, in order.
type Outline = (String, Vec<String>);

/// What a build renders and what it carries over from the previous output.
struct Plan {
    scopes: Vec<Scope>,
    /// Paths in the previous output to move into the new one.
    carried: Vec<String>,
    /// The organisations carried, with their files.
    carried_orgs: Vec<(String, Vec<String>)>,
    /// What the previous output's topic pages showed of the whole hub, when its
    /// organisations' pages may be carried.
    last_topics: Option<LastTopics>,
    /// The static files of the previous output and of this one: a topic page that is (or
    /// was) one is never kept.
    statics: HashSet<String>,
}

/// The organisations (slugs, in order) the previous output's topic pages compared, and each
/// topic's figures then.
struct LastTopics {
    orgs: Vec<String>,
    figures: Vec<TopicFigure>,
}

impl Plan {
    /// Hub-wide scopes, static files and releases are always rendered; an organisation's
    /// pages are carried when its record came from the cache and nothing else they read
    /// changed (settings, theme; the reference date, for the `rejudged` ones) and the
    /// previous output has them.
    fn new(
        outline: &[Outline],
        rejudged: &HashSet<&str>,
        previous: Option<&Manifest>,
        now: Option<&Manifest>,
        statics: &[String],
        output: &Path,
    ) -> Plan {
        let mut plan = Plan {
            scopes: Scope::HUB_WIDE.to_vec(),
            carried: Vec::new(),
            carried_orgs: Vec::new(),
            last_topics: None,
            statics: HashSet::new(),
        };
        let (last, now) = match (previous, now) {
            (Some(last), Some(now))
                if last.inputs.settings == now.inputs.settings && last.inputs.theme == now.inputs.theme =>
            {
                plan.last_topics = Some(LastTopics {
                    orgs: last.topic_orgs.clone(),
                    figures: last.topic_figures.clone(),
                });
                (last, now)
            }
            _ => (&Manifest::default(), &Manifest::default()),
        };
        // A static file inside an organisation's folders (then or now) is not the
        // organisation's: its folders are written afresh rather than carried whole.
        let mut shared: Vec<&String> = last.static_files.iter().chain(statics).collect();
        shared.sort();
        plan.statics = shared.iter().map(|s| s.to_string()).collect();
        for (slug, policies) in outline {
            // Carried only if the output was made from the same files as now.
            let same = !rejudged.contains(slug.as_str())
                && last
                    .inputs
                    .orgs
                    .get(slug)
                    .is_some_and(|h| now.inputs.orgs.get(slug) == Some(h));
            let files = last.org_files.get(slug).filter(|_| same && !holds_any(slug, &shared));
            match files.and_then(|files| carry_paths(slug, files, output)) {
                Some(paths) => {
                    plan.carried.extend(paths);
                    plan.carried_orgs
                        .push((slug.clone(), files.cloned().unwrap_or_default()));
                }
                None => {
                    plan.scopes.push(Scope::Org(slug.clone()));
                    let policies = policies.iter();
                    plan.scopes
                        .extend(policies.map(|p| Scope::Policy(slug.clone(), p.clone())));
                }
            }
        }
        plan.scopes.push(Scope::Static);
        plan.scopes.push(Scope::Releases);
        plan
    }

    /// The topic pages (output paths) the previous output holds as this build would make
    /// them: page `n` of a topic compares the same organisations as then, all carried (their
    /// summaries are the last build's), and the topic's figures over the whole hub are the
    /// same. A day's new version renders one page of each topic, and every page of a topic
    /// whose figures it changed, rather than them all.
    fn kept_topic_pages(&self, orgs: &[String], figures: &[TopicFigure], output: &Path) -> HashSet<String> {
        let Some(last) = &self.last_topics else {
            return HashSet::new();
        };
        if last.orgs != orgs {
            return HashSet::new();
        }
        let carried: HashSet<&str> = self.carried_orgs.iter().map(|(slug, _)| slug.as_str()).collect();
        let same: Vec<&String> = figures
            .iter()
            .zip(&last.figures)
            .filter(|(now, last)| now == last)
            .map(|((slug, ..), _)| slug)
            .collect();
        let mut kept = HashSet::new();
        for (n, range) in render::topic_ranges(orgs.len()).into_iter().enumerate() {
            if !orgs[range].iter().all(|slug| carried.contains(slug.as_str())) {
                continue;
            }
            for slug in &same {
                let page = permalinks::output_path(&permalinks::topic_pages(slug, orgs.len())[n]);
                if !self.statics.contains(&page) && output.join(&page).is_file() {
                    kept.insert(page);
                }
            }
        }
        kept
    }
}

/// Whether any of `paths` (sorted) lies in the folders of organisation `org`.
fn holds_any(org: &str, paths: &[&String]) -> bool {
    permalinks::org_folders(org).iter().any(|folder| {
        // The paths inside a folder sort together, from its name and a `/` on.
        let prefix = format!("{folder}/");
        let from = paths.partition_point(|p| p.as_str() < prefix.as_str());
        paths.get(from).is_some_and(|p| permalinks::inside(p, folder))
    })
}

/// The paths that carry an organisation's files over from the previous output: its folders,
/// and any file of it outside them. `None` when the previous output lacks one of them.
fn carry_paths(org: &str, files: &[String], output: &Path) -> Option<Vec<String>> {
    let folders = permalinks::org_folders(org);
    let mut paths: Vec<String> = folders
        .iter()
        .filter(|f| files.iter().any(|file| permalinks::inside(file, f)))
        .cloned()
        .collect();
    paths.extend(
        files
            .iter()
            .filter(|file| !folders.iter().any(|f| permalinks::inside(file, f)))
            .cloned(),
    );
    paths.iter().all(|p| output.join(p).exists()).then_some(paths)
}

/// The figures of a finished build: what it rendered, and the organisations' files it
/// carried over.
fn made(site: &Site, emitted: &Emitted, carried: &[(String, Vec<String>)], kept_pages: usize) -> Made {
    let carried = carried.iter().flat_map(|(_, files)| files);
    let counts = site.counts();
    Made {
        orgs: counts.orgs,
        policies: counts.policies,
        versions: counts.versions,
        pages: emitted.pages + carried.clone().filter(|f| f.ends_with(".html")).count() + kept_pages,
        files: emitted.files + carried.count() + kept_pages,
        warnings: warnings::build_warnings(site),
    }
}

/// At most three warnings about records that were ignored: the first two and a count of the
/// rest (a cache folder that cannot be read fails every record alike).
fn few(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if problems.len() > 3 {
        let rest = problems.len() - 2;
        problems.truncate(2);
        let path = Path::new(crate::cache::CACHE_DIR).join("orgs");
        problems.push(Diagnostic::new(path, format!("and {rest} more records were ignored")));
    }
    problems
}

/// An organisation whose record could not be written, and why.
type Unwritten = (String, std::io::Error);

/// One warning for the records that could not be written (the first one's error, and how
/// many there were: a read-only cache fails them all).
fn cache_problem(failed: Vec<Unwritten>) -> Option<Diagnostic> {
    let count = failed.len();
    let (slug, e) = failed.into_iter().next()?;
    let path = Path::new(crate::cache::CACHE_DIR)
        .join("orgs")
        .join(format!("{slug}.bin"));
    let others = match count {
        1 => String::new(),
        n => format!(" (and {} other records)", n - 1),
    };
    Some(
        Diagnostic::new(path, format!("cannot write to the build cache: {e}{others}"))
            .hint("the next build reads these organisations again; check the disk space and permissions"),
    )
}

/// Every problem of the loading, together.
fn together<const N: usize>(problems: [Option<Diagnostics>; N]) -> Diagnostics {
    Diagnostics(problems.into_iter().flatten().flat_map(|p| p.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::BuildOptions;
    use crate::stages::Stages;

    /// A copy of the repository's hub (site.toml and content/) in a temporary folder.
    fn repository_hub() -> tempfile::TempDir {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let hub = tempfile::tempdir().unwrap();
        std::fs::copy(here.join("site.toml"), hub.path().join("site.toml")).unwrap();
        for entry in walkdir::WalkDir::new(here.join("content")) {
            let entry = entry.unwrap();
            let target = hub.path().join(entry.path().strip_prefix(here).unwrap());
            match entry.file_type().is_dir() {
                true => std::fs::create_dir_all(&target).unwrap(),
                false => drop(std::fs::copy(entry.path(), &target).unwrap()),
            }
        }
        hub
    }

    fn rendered(site: &Site, root: &Path) -> Vec<(String, Vec<u8>)> {
        let theme = Theme::load(root).unwrap();
        let mut scopes = site.scopes();
        scopes.push(Scope::Static);
        let files = RenderPass::new(site, &theme, root)
            .gather(&scopes, &mut Stages::default())
            .unwrap();
        files.into_iter().map(|(_, f)| (f.path, f.bytes)).collect()
    }

    /// Every file under `dir` with its bytes.
    fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let files = walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .map(Result::unwrap);
        let files = files.filter(|e| e.file_type().is_file());
        files
            .map(|e| {
                (
                    e.path().strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn an_organisation_anchored_by_serve_after_a_build_is_not_carried_from_that_build() {
        let hub = repository_hub();
        let root = hub.path();
        build(&BuildOptions::new(root), BuildCache::open(root)).unwrap();
        let version = root.join("content/nexmo/privacy-policy/2015-03-12.md");
        let text = std::fs::read_to_string(&version).unwrap();
        std::fs::write(&version, text + "\n\nWe now sell nothing, ever.\n").unwrap();
        // serve keeps the new record; the output is still the old build's
        load_site(root, HubScan::of(root, Some("http://127.0.0.1:8008"))).unwrap();
        build(&BuildOptions::new(root), BuildCache::open(root)).unwrap();
        let clean = root.join("clean");
        let options = BuildOptions {
            output: Some(clean.clone()),
            ..BuildOptions::new(root)
        };
        build(&options, BuildCache::disabled()).unwrap();
        let page = std::fs::read_to_string(root.join("public/nexmo/privacy-policy/index.html")).unwrap();
        assert!(page.contains("We now sell nothing, ever."));
        assert!(snapshot(&root.join("public")) == snapshot(&clean));
    }

    #[test]
    fn records_made_with_settings_saved_after_the_scan_are_not_kept() {
        let hub = repository_hub();
        let root = hub.path();
        build(&BuildOptions::new(root), BuildCache::open(root)).unwrap();
        let record = root.join(".policyhub-cache/orgs/nexmo.bin");
        let before = std::fs::read(&record).unwrap();
        let version = root.join("content/nexmo/privacy-policy/2015-03-12.md");
        let text = std::fs::read_to_string(&version).unwrap();
        std::fs::write(&version, text + "\n\nWe now sell nothing, ever.\n").unwrap();
        // The scan hashes site.toml; it is saved before serve reads it.
        let scan = HubScan::of(root, Some("http://127.0.0.1:8008"));
        let settings = std::fs::read_to_string(root.join("site.toml")).unwrap();
        std::fs::write(root.join("site.toml"), settings + "\n# saved while serve started\n").unwrap();
        load_site(root, scan).unwrap();
        assert!(
            std::fs::read(&record).unwrap() == before,
            "a record kept under the old settings' key"
        );
        // With the settings as scanned, the record of the edited organisation is kept.
        load_site(root, HubScan::of(root, Some("http://127.0.0.1:8008"))).unwrap();
        assert!(std::fs::read(&record).unwrap() != before);
    }

    #[test]
    fn a_build_in_parts_of_one_organisation_writes_what_a_build_in_one_part_writes() {
        let hub = repository_hub();
        let root = hub.path();
        let one_part = |output: &str, cache: BuildCache| {
            let options = BuildOptions {
                output: Some(root.join(output)),
                ..BuildOptions::new(root)
            };
            build_in_parts(&options, cache, usize::MAX, u64::MAX).unwrap();
        };
        one_part("whole", BuildCache::disabled());
        // Every organisation a part of its own, its texts read again: clean, then again from
        // the cache after a template changed (every page rendered again, from records read
        // whole in parts).
        let options = BuildOptions::new(root);
        let summary = build_in_parts(&options, BuildCache::open(root), 1, 0).unwrap();
        assert!(summary.counts.orgs > 2);
        assert!(snapshot(&root.join("public")) == snapshot(&root.join("whole")));
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::write(root.join("templates/extra.html"), "unused").unwrap();
        build_in_parts(&options, BuildCache::open(root), 1, 0).unwrap();
        assert!(snapshot(&root.join("public")) == snapshot(&root.join("whole")));
    }

    #[test]
    fn serve_loads_from_the_cache_the_site_a_clean_load_gives() {
        let hub = repository_hub();
        let root = hub.path();
        let base_url = Some("http://127.0.0.1:8008");
        let clean = Site::load(root, base_url).unwrap();
        // Without a cache, serve anchors everything and keeps the records.
        let first = load_site(root, HubScan::of(root, base_url)).unwrap();
        assert_eq!(first.from_cache, 0);
        assert!(first.inputs.is_some(), "no fingerprint of the inputs");
        let records = root.join(crate::cache::CACHE_DIR).join("orgs");
        assert_eq!(std::fs::read_dir(&records).unwrap().count(), clean.orgs.len());
        // A build (another base URL) reuses them; serve then loads every organisation from them.
        build(&BuildOptions::new(root), BuildCache::open(root)).unwrap();
        let cached = load_site(root, HubScan::of(root, base_url)).unwrap();
        assert_eq!(cached.from_cache, clean.orgs.len());
        let expected = rendered(&clean, root);
        assert!(rendered(&first.site, root) == expected);
        assert!(
            rendered(&cached.site, root) == expected,
            "a site from the cache renders differently"
        );
    }
}
