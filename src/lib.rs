//! policyhub: a static-site generator for privacy-policy transparency hubs.
//!
//! The pipeline runs one way: `site.toml` → [`config`] → [`content`] → [`document`] →
//! [`history`] → [`links`] → [`render`] → [`output`]. [`build`] runs all of it; [`check`] stops before
//! writing; [`init`] creates a new hub; [`release`] freezes the site into [`archive`] and
//! [`verify`] checks what is there; [`import`] brings captures and histories in, [`export`]
//! writes the hub out in other tools' formats.

pub mod archive;
pub mod config;
pub mod content;
pub mod document;
pub mod error;
pub mod export;
pub mod history;
pub mod import;
pub mod init;
pub mod links;
pub mod output;
pub mod permalinks;
pub mod progress;
pub mod render;
pub mod serve;
pub mod site;
pub mod terminal;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use archive::{verify, ReleaseRecord, VerifyReport};
pub use error::{Diagnostic, Diagnostics};
pub use site::{Counts, Scope, Site};

use archive::{FrozenSite, PublishMode, ReleaseOptions};
use content::Date;
use output::OutputFile;
use progress::Progress;
use render::Theme;

/// What `build` is asked to do.
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
}

impl BuildOptions {
    /// Options for building the hub in `root` with its defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            progress: false,
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
/// was. Pages are written as they are rendered, into a folder swapped in at the end.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    let started = Instant::now();
    let output = options.output_dir();
    output::guard_output(&options.root, &output)?;
    let previous = output.is_dir().then_some(output.as_path());
    let mode = previous.map_or(PublishMode::Unpack, PublishMode::CarryFrom);
    let staging = output::Staging::new(&output)?;
    let mut rendered = render(
        &options.root,
        options.base_url.as_deref(),
        options.progress,
        Some(mode),
        &|_, file| staging.write(&file),
    )?;
    rendered.stages.time("swap", || staging.commit(&rendered.carried))?;
    Ok(rendered.summary(started))
}

/// Everything `build` validates, without writing anything.
pub fn check(root: &Path) -> Result<BuildSummary, Diagnostics> {
    let started = Instant::now();
    let rendered = render(root, None, false, Some(PublishMode::CheckOnly), &|_, _| Ok(()))?;
    Ok(rendered.summary(started))
}

/// Where rendered files go as they are made: a staging folder, a list, or nowhere.
pub type Emit<'a> = &'a (dyn Fn(&Scope, OutputFile) -> Result<(), Diagnostic> + Sync);

/// The files of the given scopes, each with its scope, sorted by path: pages, JSON API,
/// feeds, static files, and (when `search` is true) the search index.
pub fn render_scopes(
    site: &Site,
    theme: &Theme,
    root: &Path,
    scopes: &[Scope],
    search: bool,
    stages: &mut Stages,
) -> Result<Vec<(Scope, OutputFile)>, Diagnostics> {
    let ((), files) = gather(|emit| emit_scopes(site, theme, root, scopes, search, stages, emit))?;
    Ok(files)
}

/// Runs `produce` with an [`Emit`] that keeps every file, and returns its result with the
/// files sorted by path.
fn gather<T>(
    produce: impl FnOnce(Emit) -> Result<T, Diagnostics>,
) -> Result<(T, Vec<(Scope, OutputFile)>), Diagnostics> {
    let files = std::sync::Mutex::new(Vec::new());
    let value = produce(&|scope, file| {
        files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((scope.clone(), file));
        Ok(())
    })?;
    let mut files = files.into_inner().unwrap_or_else(|p| p.into_inner());
    files.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    Ok((value, files))
}

/// Renders the files of the given scopes and hands each to `emit` as soon as it is made (in
/// no particular order, from any thread). Without `search`, the Search scope makes nothing
/// (benchmarks of the pages alone).
pub fn emit_scopes(
    site: &Site,
    theme: &Theme,
    root: &Path,
    scopes: &[Scope],
    search: bool,
    stages: &mut Stages,
    emit: Emit,
) -> Result<(), Diagnostics> {
    use rayon::prelude::*;
    let each = |scope: Scope, files: Vec<OutputFile>| -> Result<(), Diagnostics> {
        let problems: Vec<Diagnostic> = files.into_iter().filter_map(|f| emit(&scope, f).err()).collect();
        Diagnostics(problems).into_result(())
    };
    // The search index is built beside the pages: much of it is one thread's work, and the
    // pages keep the other cores busy meanwhile.
    let search = search && scopes.contains(&Scope::Search);
    let (pages, index) = rayon::join(
        || {
            timed(|| {
                render::render_pages(site, theme, scopes, &|scope, page| {
                    emit(
                        scope,
                        OutputFile {
                            path: page.path,
                            bytes: page.html,
                        },
                    )
                })
            })
        },
        || search.then(|| timed(|| each(Scope::Search, output::search_files(site)))),
    );
    stages.0.push(("render", pages.1));
    if let Some((_, took)) = &index {
        stages.0.push(("search", *took));
    }
    pages.0?;
    if let Some((indexed, _)) = index {
        indexed?;
    }
    stages.time("api+feeds", || {
        let problems: Vec<Diagnostic> = scopes
            .par_iter()
            .flat_map_iter(|scope| {
                let mut out = output::api_files(site, scope);
                out.extend(output::feed_files(site, scope));
                if *scope == Scope::Hub {
                    out.extend(output::sitemap_files(site));
                }
                out.into_iter().filter_map(move |f| emit(scope, f).err())
            })
            .collect();
        Diagnostics(problems).into_result(())
    })?;
    if scopes.contains(&Scope::Static) {
        let statics = stages.time("static", || render::static_files(root))?;
        each(Scope::Static, statics)?;
    }
    if scopes.contains(&Scope::Releases) {
        let index = archive::Index::load(root)?;
        let page = render::releases_page(site, theme, &index.releases)?;
        let mut files = vec![OutputFile {
            path: page.path,
            bytes: page.html,
        }];
        let published = archive::published_files(root, &site.config.base_path, &index, PublishMode::Unpack)?;
        files.extend(published.files);
        each(Scope::Releases, files)?;
    }
    Ok(())
}

/// Runs `f`, with its wall time.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed())
}

/// Wall time of each stage of a build, in order.
#[derive(Debug, Clone, Default)]
pub struct Stages(pub Vec<(&'static str, Duration)>);

impl Stages {
    /// Runs `f` and records its time as stage `name`.
    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let (value, took) = timed(f);
        self.0.push((name, took));
        value
    }
}

impl std::fmt::Display for Stages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

/// A hub rendered, its files handed to an [`Emit`].
pub struct Rendered {
    /// The loaded hub.
    pub site: Site,
    /// How many files were made, and how many of them are HTML pages.
    pub files: usize,
    pub pages: usize,
    /// Paths of the previous output carried into the new one unchanged (published releases).
    pub carried: Vec<String>,
    /// Time per stage.
    pub stages: Stages,
}

impl Rendered {
    fn summary(self, started: Instant) -> BuildSummary {
        let summary = BuildSummary {
            counts: self.site.counts(),
            pages: self.pages,
            files: self.files,
            elapsed: started.elapsed(),
            stages: self.stages,
            warnings: unresolved_links(&self.site),
        };
        drop_in_background(self.site);
        summary
    }
}

/// A warning for each of the policies' own links that lead nowhere: file, line and link.
fn unresolved_links(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (org, policy, history) in site.policies() {
        for link in &history.unresolved_links {
            let version = &policy.versions[link.version];
            let path = Path::new("content")
                .join(&org.slug)
                .join(&policy.slug)
                .join(format!("{}.md", version.id));
            let message = format!("the link `{}` leads nowhere on the hub: it is shown as text", link.href);
            let hint = if link.href.starts_with('#') {
                "no heading of this version has that anchor: link to a heading's text as the original site slugs it, or remove the link"
            } else {
                "a relative link needs the version's `source` URL in its front matter to reach the original site"
            };
            warnings.push(
                Diagnostic::new(path, message)
                    .at_line(version.body_line + link.line - 1)
                    .hint(hint),
            );
        }
    }
    warnings
}

/// Frees a large value on a thread of its own. A loaded hub is millions of small allocations
/// (~0.3 s to free at 1,000 organisations); a command-line build exits right after, and the
/// system takes the memory back at once.
fn drop_in_background<T: Send + 'static>(value: T) {
    // Where no thread can be made, the closure holding the value is dropped, freeing it here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// Loads the hub and renders every file of its site, handing each to `emit`. With a
/// `publish` mode, also `/releases/` (the index page and every archived release); a release
/// freezes the live site alone.
fn render(
    root: &Path,
    base_url: Option<&str>,
    show_progress: bool,
    publish: Option<PublishMode>,
    emit: Emit,
) -> Result<Rendered, Diagnostics> {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let publish_releases = publish.is_some();
    let mut stages = Stages::default();
    let theme = stages.time("templates", || Theme::load(root));
    let read = stages.time("load", || Site::read(root, base_url));
    let index = if publish_releases {
        archive::Index::load(root)
    } else {
        Ok(archive::Index::default())
    };
    let (theme, (config, content), index) = match (theme, read, index) {
        (Ok(theme), Ok(read), Ok(index)) => (theme, read, index),
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
    if let Some(org) = content.orgs.iter().find(|o| o.slug == archive::PUBLISH_DIR) {
        return Err(Diagnostic::new(
            Path::new("content").join(&org.slug),
            format!(
                "the organisation slug `{}` is reserved for the hub's releases",
                org.slug
            ),
        )
        .hint("rename the folder, e.g. content/releases-inc")
        .into());
    }
    let site = Site::anchor_timed(config, content, &mut stages);
    let progress = Progress::new(show_progress, render::page_count(&site) as u64, "rendering", "pages");
    let (files, pages) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let counted = |scope: &Scope, file: OutputFile| {
        files.fetch_add(1, Relaxed);
        if file.path.ends_with(".html") {
            pages.fetch_add(1, Relaxed);
            progress.tick();
        }
        emit(scope, file)
    };
    let mut scopes = site.scopes();
    scopes.push(Scope::Static);
    emit_scopes(&site, &theme, root, &scopes, true, &mut stages, &counted)?;
    progress.finish();
    let mut carried = Vec::new();
    if let Some(mode) = publish {
        let page = render::releases_page(&site, &theme, &index.releases)?;
        counted(
            &Scope::Releases,
            OutputFile {
                path: page.path,
                bytes: page.html,
            },
        )?;
        let base_path = site.config.base_path.clone();
        let published = stages.time("releases", || archive::published_files(root, &base_path, &index, mode))?;
        for file in published.files {
            files.fetch_add(1, Relaxed);
            emit(&Scope::Releases, file)?;
        }
        carried = published.carried;
    }
    Ok(Rendered {
        site,
        files: files.into_inner(),
        pages: pages.into_inner(),
        carried,
        stages,
    })
}

/// Builds the live site of the hub in `root` in memory and freezes it as release `name` of
/// `date` in `root/archive/`; refuses a name that is taken or not a slug. On any error,
/// `archive/` is left as it was.
pub fn release(root: &Path, name: &str, date: Date) -> Result<ReleaseRecord, Diagnostics> {
    archive::check_new_release(root, name)?;
    let (rendered, files) = gather(|emit| render(root, None, false, None, emit))?;
    let files: Vec<OutputFile> = files.into_iter().map(|(_, file)| file).collect();
    let site = FrozenSite {
        files: &files,
        counts: rendered.site.counts(),
        pages: rendered.pages,
        base_url: &rendered.site.config.base_url,
        commit: archive::head_commit(root),
    };
    let options = ReleaseOptions {
        root: root.to_path_buf(),
        name: name.to_string(),
        date,
    };
    Ok(archive::create_release(&options, &site)?)
}
