//! policyhub: a static-site generator for privacy-policy transparency hubs.
//!
//! The pipeline runs one way: `site.toml` → [`config`] → [`content`] → [`document`] →
//! [`history`] → [`render`] → [`output`]. [`build`] runs all of it; [`check`] stops before
//! writing; [`init`] creates a new hub.

pub mod config;
pub mod content;
pub mod document;
pub mod error;
pub mod history;
pub mod init;
pub mod output;
pub mod progress;
pub mod render;
pub mod site;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::{Diagnostic, Diagnostics};
pub use site::{Counts, Site};

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
#[derive(Debug, Clone, Copy)]
pub struct BuildSummary {
    /// Organisations, policies and versions.
    pub counts: Counts,
    /// HTML pages written.
    pub pages: usize,
    /// Files written in all.
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
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
    let (site, files, pages) = render_site(&options.root, options.base_url.as_deref(), options.progress)?;
    output::write_site(&output, &files)?;
    Ok(BuildSummary {
        counts: site.counts(),
        pages,
        files: files.len(),
        elapsed: started.elapsed(),
    })
}

/// Everything `build` validates, without writing anything.
pub fn check(root: &Path) -> Result<BuildSummary, Diagnostics> {
    let started = Instant::now();
    let (site, files, pages) = render_site(root, None, false)?;
    Ok(BuildSummary {
        counts: site.counts(),
        pages,
        files: files.len(),
        elapsed: started.elapsed(),
    })
}

/// Loads the hub and renders every file of its site in memory: (site, files, page count).
pub fn render_site(
    root: &Path,
    base_url: Option<&str>,
    show_progress: bool,
) -> Result<(Site, Vec<OutputFile>, usize), Diagnostics> {
    let theme = Theme::load(root);
    let site = Site::load(root, base_url);
    let (theme, site) = match (theme, site) {
        (Ok(theme), Ok(site)) => (theme, site),
        (theme, site) => {
            let mut problems = Diagnostics::default();
            for result in [theme.err(), site.err()].into_iter().flatten() {
                problems.0.extend(result.0);
            }
            return Err(problems.into_result(()).unwrap_err());
        }
    };
    let progress = Progress::new(show_progress, render::page_count(&site) as u64, "rendering");
    let pages = render::render_pages(&site, &theme, &|| progress.tick())?;
    progress.finish();
    let page_count = pages.len();
    let mut files: Vec<OutputFile> = pages
        .into_iter()
        .map(|p| OutputFile {
            path: p.path,
            bytes: p.html.into_bytes(),
        })
        .collect();
    files.extend(output::api_files(&site));
    files.extend(render::static_files(root)?);
    Ok((site, files, page_count))
}
