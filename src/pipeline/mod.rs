//! The pipeline's entry points: [`build`] (load, anchor, render and write the site), [`check`]
//! (all of it but the writing), [`release`] (the live site frozen into `archive/`), and the
//! [`RenderPass`] that watch mode re-runs for the scopes an edit touched. It owns the order of
//! the stages; each stage lives in its own module (`config` → `content` → `document` →
//! `history` → `links` → `render` → `output`) and knows nothing of the others downstream.

mod incremental;
mod pass;
mod warnings;

pub use crate::stages::Stages;
pub(crate) use incremental::{hub_inputs, load_site, HubScan};
pub use pass::RenderPass;
pub(crate) use pass::{Emit, Emitted};

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::archive::{self, FrozenSite, PublishMode, ReleaseDraft, ReleaseOptions, ReleaseRecord};
use crate::cache::BuildCache;
use crate::content::Date;
use crate::error::{Diagnostic, Diagnostics};
use crate::progress::Progress;
use crate::render::{self, Theme};
use crate::site::{Counts, Scope, Site};

/// What `build`, `check` and `release` are asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The hub's folder.
    pub root: PathBuf,
    /// Where the site goes (default `<root>/public`).
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `site.toml`.
    pub base_url: Option<String>,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
    /// Use the persistent build cache (`build` only; `false`: `--no-cache`, a clean build that
    /// neither reads nor writes it).
    pub cache: bool,
}

impl BuildOptions {
    /// Options for building the hub in `root` with its defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            progress: false,
            cache: true,
        }
    }

    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    /// Organisations, policies and versions.
    pub counts: Counts,
    /// HTML pages written.
    pub pages: usize,
    /// Files written in all.
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Time per stage.
    pub stages: Stages,
    /// Problems that do not stop a build: a policy's own links that lead nowhere (shown as
    /// text). `policyhub check` prints them.
    pub warnings: Vec<Diagnostic>,
    /// Problems met in the build cache (ignored, made again): `build` prints them.
    pub cache: Vec<Diagnostic>,
}

impl std::fmt::Display for BuildSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = self.counts;
        write!(
            f,
            "{} orgs, {} policies, {} versions, {} pages ({} files) in {} ms",
            c.orgs,
            c.policies,
            c.versions,
            self.pages,
            self.files,
            self.elapsed.as_millis()
        )
    }
}

/// Loads, renders and writes the hub's site; on any error, the previous output stays as it
/// was. Pages are written as they are rendered, into a folder swapped in at the end. With the
/// build cache, only what changed since the last build is read and rendered again.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    let cache = match options.cache {
        true => BuildCache::open(&options.root),
        false => BuildCache::disabled(),
    };
    incremental::build(options, cache)
}

/// Everything `build` validates, without writing anything.
pub fn check(options: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    let started = Instant::now();
    let produced = produce(options, Some(PublishMode::CheckOnly), &|_, _| Ok(()))?;
    Ok(produced.summary(started))
}

/// Builds the live site of the hub in `root` and freezes it as release `name` of `date` in
/// `root/archive/`; refuses a name that is taken or not a slug. The site's files are spooled
/// to disk as they are rendered, so a release takes a build's memory, not its site's size. On
/// any error, `archive/` is left as it was.
pub fn release(root: &Path, name: &str, date: Date) -> Result<ReleaseRecord, Diagnostics> {
    let options = ReleaseOptions {
        root: root.to_path_buf(),
        name: name.to_string(),
        date,
    };
    let draft = ReleaseDraft::begin(&options)?;
    let produced = produce(&BuildOptions::new(root), None, &|_, file| draft.add(file))?;
    let site = FrozenSite {
        counts: produced.site.counts(),
        pages: produced.emitted.pages,
        base_url: &produced.site.config.base_url,
        commit: archive::head_commit(root),
    };
    Ok(draft.finish(&site)?)
}

/// A hub loaded and rendered, its files handed to an [`Emit`].
struct Produced {
    site: Site,
    emitted: Emitted,
    stages: Stages,
}

impl Produced {
    fn summary(self, started: Instant) -> BuildSummary {
        let summary = BuildSummary {
            counts: self.site.counts(),
            pages: self.emitted.pages,
            files: self.emitted.files,
            elapsed: started.elapsed(),
            stages: self.stages,
            warnings: warnings::build_warnings(&self.site),
            cache: Vec::new(),
        };
        drop_in_background(self.site);
        summary
    }
}

/// Loads the theme, the hub and (with a `publish` mode) its archive index, reporting the
/// problems of all three together; anchors the hub and renders every file of its site,
/// handing each to `emit`. With a `publish` mode, also `/releases/` (the index page and every
/// archived release); a release freezes the live site alone.
fn produce(options: &BuildOptions, publish: Option<PublishMode>, emit: Emit) -> Result<Produced, Diagnostics> {
    let root = options.root.as_path();
    let mut stages = Stages::default();
    let theme = stages.time("templates", || Theme::load(root));
    let read = stages.time("load", || Site::read(root, options.base_url.as_deref()));
    // Read up front, so that a broken archive index is reported with the other problems.
    let index = match publish {
        Some(_) => archive::Index::load(root).map(drop),
        None => Ok(()),
    };
    let (theme, (config, content)) = match (theme, read, index) {
        (Ok(theme), Ok(read), Ok(())) => (theme, read),
        (theme, read, index) => {
            let mut problems = Diagnostics::default();
            for result in [theme.err(), read.err(), index.err().map(Diagnostics::from)]
                .into_iter()
                .flatten()
            {
                problems.0.extend(result.0);
            }
            return Err(problems.into_result(()).unwrap_err());
        }
    };
    let site = Site::anchor_timed(config, content, &mut stages);
    let progress = Progress::new(options.progress, render::page_count(&site) as u64, "rendering", "pages");
    let mut scopes = site.scopes();
    scopes.push(Scope::Static);
    if publish.is_some() {
        scopes.push(Scope::Releases);
    }
    let pass = RenderPass {
        publish: publish.unwrap_or(PublishMode::Unpack),
        progress: Some(&progress),
        ..RenderPass::new(&site, &theme, root)
    };
    let emitted = pass.emit(&scopes, &mut stages, emit)?;
    progress.finish();
    Ok(Produced { site, emitted, stages })
}

/// Frees a large value on a thread of its own. A loaded hub is millions of small allocations
/// (~0.3 s to free at 1,000 organisations); a command-line build exits right after, and the
/// system takes the memory back at once.
fn drop_in_background<T: Send + 'static>(value: T) {
    // Where no thread can be made, the closure holding the value is dropped, freeing it here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}
