//! policyhub: a static-site generator for privacy-policy transparency hubs.
//!
//! The pipeline runs one way: `site.toml` → [`config`] → [`content`] → [`document`] →
//! [`history`] → [`links`] → [`render`] → [`output`]. [`build`] runs all of it; [`check`] stops before
//! writing; [`init`] creates a new hub; [`release`] freezes the site into [`archive`] and
//! [`verify`] checks what is there.

pub mod archive;
pub mod config;
pub mod content;
pub mod document;
pub mod error;
pub mod history;
pub mod import;
pub mod init;
pub mod links;
pub mod output;
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

/// Loads, renders and writes the hub's site; on any error, writes nothing.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    let started = Instant::now();
    let output = options.output_dir();
    output::guard_output(&options.root, &output)?;
    let previous = output.is_dir().then_some(output.as_path());
    let mode = previous.map_or(PublishMode::Unpack, PublishMode::CarryFrom);
    let mut rendered = render(&options.root, options.base_url.as_deref(), options.progress, Some(mode))?;
    rendered.stages.time("write", || {
        output::write_site_carrying(&output, &rendered.files, &rendered.carried)
    })?;
    Ok(BuildSummary {
        counts: rendered.site.counts(),
        pages: rendered.pages,
        files: rendered.files.len(),
        elapsed: started.elapsed(),
        stages: rendered.stages,
    })
}

/// Everything `build` validates, without writing anything.
pub fn check(root: &Path) -> Result<BuildSummary, Diagnostics> {
    let started = Instant::now();
    let rendered = render(root, None, false, Some(PublishMode::CheckOnly))?;
    Ok(BuildSummary {
        counts: rendered.site.counts(),
        pages: rendered.pages,
        files: rendered.files.len(),
        elapsed: started.elapsed(),
        stages: rendered.stages,
    })
}

/// The files of the given scopes, each with its scope: pages, JSON API, feeds, static files,
/// and with the Hub scope the search index.
pub fn render_scopes(
    site: &Site,
    theme: &Theme,
    root: &Path,
    scopes: &[Scope],
    stages: &mut Stages,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<(Scope, OutputFile)>, Diagnostics> {
    render_scopes_with(site, theme, root, scopes, true, stages, tick)
}

/// [`render_scopes`], building the search index with the Hub scope only when `search` is
/// true (watch mode skips it on edits of large hubs, where indexing takes seconds).
pub fn render_scopes_with(
    site: &Site,
    theme: &Theme,
    root: &Path,
    scopes: &[Scope],
    search: bool,
    stages: &mut Stages,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<(Scope, OutputFile)>, Diagnostics> {
    use rayon::prelude::*;
    let pages = stages.time("render", || render::render_pages(site, theme, scopes, tick))?;
    let mut files: Vec<(Scope, OutputFile)> = pages
        .into_iter()
        .map(|(scope, page)| {
            (
                scope,
                OutputFile {
                    path: page.path,
                    bytes: page.html.into_bytes(),
                },
            )
        })
        .collect();
    let data: Vec<(Scope, OutputFile)> = stages.time("api+feeds", || {
        scopes
            .par_iter()
            .flat_map_iter(|scope| {
                let mut out = output::api_files(site, scope);
                out.extend(output::feed_files(site, scope));
                if *scope == Scope::Hub {
                    out.extend(output::sitemap_files(site));
                }
                out.into_iter().map(move |f| (scope.clone(), f))
            })
            .collect()
    });
    files.extend(data);
    if search && scopes.contains(&Scope::Hub) {
        let index = stages.time("search", || output::search_files(site));
        files.extend(index.into_iter().map(|f| (Scope::Hub, f)));
    }
    if scopes.contains(&Scope::Static) {
        let statics = stages.time("static", || render::static_files(root))?;
        files.extend(statics.into_iter().map(|f| (Scope::Static, f)));
    }
    if scopes.contains(&Scope::Releases) {
        let index = archive::Index::load(root)?;
        let page = render::releases_page(site, theme, &index.releases)?;
        files.push((
            Scope::Releases,
            OutputFile {
                path: page.path,
                bytes: page.html.into_bytes(),
            },
        ));
        let published = archive::published_files(root, &site.config.base_path, &index, PublishMode::Unpack)?;
        files.extend(published.files.into_iter().map(|f| (Scope::Releases, f)));
    }
    Ok(files)
}

/// Wall time of each stage of a build, in order.
#[derive(Debug, Clone, Default)]
pub struct Stages(pub Vec<(&'static str, Duration)>);

impl Stages {
    /// Runs `f` and records its time as stage `name`.
    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let value = f();
        self.0.push((name, started.elapsed()));
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

/// A hub rendered in memory.
pub struct Rendered {
    /// The loaded hub.
    pub site: Site,
    /// Every file of the site.
    pub files: Vec<OutputFile>,
    /// How many of them are HTML pages.
    pub pages: usize,
    /// Paths of the previous output carried into the new one unchanged (published releases).
    pub carried: Vec<String>,
    /// Time per stage.
    pub stages: Stages,
}

/// Loads the hub and renders every file of its site in memory, with the archived releases
/// published under `/releases/`.
pub fn render_site(root: &Path, base_url: Option<&str>, show_progress: bool) -> Result<Rendered, Diagnostics> {
    render(root, base_url, show_progress, Some(PublishMode::Unpack))
}

/// Renders the live site; with a `publish` mode, also `/releases/` (the index page and every
/// archived release). A release freezes the live site alone.
fn render(
    root: &Path,
    base_url: Option<&str>,
    show_progress: bool,
    publish: Option<PublishMode>,
) -> Result<Rendered, Diagnostics> {
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
    let site = stages.time("parse+align", || Site::anchor(config, content));
    let progress = Progress::new(show_progress, render::page_count(&site) as u64, "rendering");
    let mut scopes = site.scopes();
    scopes.push(Scope::Static);
    let scoped = render_scopes(&site, &theme, root, &scopes, &mut stages, &|| progress.tick())?;
    progress.finish();
    let mut files: Vec<OutputFile> = scoped.into_iter().map(|(_, f)| f).collect();
    if publish_releases {
        let page = render::releases_page(&site, &theme, &index.releases)?;
        files.push(OutputFile {
            path: page.path,
            bytes: page.html.into_bytes(),
        });
    }
    let page_count = files.iter().filter(|f| f.path.ends_with(".html")).count();
    let mut carried = Vec::new();
    if let Some(mode) = publish {
        let base_path = site.config.base_path.clone();
        let published = stages.time("releases", || archive::published_files(root, &base_path, &index, mode))?;
        files.extend(published.files);
        carried = published.carried;
    }
    Ok(Rendered {
        site,
        files,
        pages: page_count,
        carried,
        stages,
    })
}

/// Builds the live site of the hub in `root` in memory and freezes it as release `name` of
/// `date` in `root/archive/`; refuses a name that is taken or not a slug. On any error,
/// `archive/` is left as it was.
pub fn release(root: &Path, name: &str, date: Date) -> Result<ReleaseRecord, Diagnostics> {
    archive::check_new_release(root, name)?;
    let rendered = render(root, None, false, None)?;
    let site = FrozenSite {
        files: &rendered.files,
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
