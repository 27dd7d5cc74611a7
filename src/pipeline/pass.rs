//! One rendering pass: the files of some scopes of an anchored hub (pages, JSON API, feeds,
//! search index, static files, published releases), handed to an [`Emit`] as they are made.
//! A full build asks for every scope; watch mode for the scopes an edit touched.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;

use crate::archive::{self, PublishMode};
use crate::error::{Diagnostic, Diagnostics};
use crate::output::{self, OutputFile};
use crate::progress::Progress;
use crate::render::{self, Theme};
use crate::site::{Scope, Site};
use crate::stages::{timed, Stages};

/// Where rendered files go as they are made: a staging folder, a list, or nowhere. Called
/// from any thread, in no particular order.
pub(crate) type Emit<'a> = &'a (dyn Fn(&Scope, OutputFile) -> Result<(), Diagnostic> + Sync);

/// What one pass renders from and how.
pub struct RenderPass<'a> {
    /// The anchored hub.
    pub site: &'a Site,
    /// The compiled theme.
    pub theme: &'a Theme,
    /// The hub's folder (its `static/` and `archive/`).
    pub root: &'a Path,
    /// Whether the Search scope makes the search index (false: pages alone, for benchmarks).
    pub search: bool,
    /// How the Releases scope publishes the archived releases under `/releases/`.
    pub publish: PublishMode<'a>,
    /// A progress bar ticked once per HTML page of the live site.
    pub progress: Option<&'a Progress>,
    /// Pages (output paths) not to render: the previous output holds them as they would be
    /// made (see [`crate::pipeline::incremental`]).
    pub kept: &'a HashSet<String>,
}

/// What a pass made.
#[derive(Debug, Default)]
pub struct Emitted {
    /// Files handed to the [`Emit`].
    pub files: usize,
    /// Of them, HTML pages of the live site (the archived releases' pages are not counted).
    pub pages: usize,
    /// Paths of the previous output to carry into the new one unchanged (releases published
    /// there the same way: [`PublishMode::CarryFrom`]).
    pub carried: Vec<String>,
}

impl Emitted {
    /// Counts `other`'s files with these.
    pub(crate) fn add(&mut self, other: Emitted) {
        self.files += other.files;
        self.pages += other.pages;
        self.carried.extend(other.carried);
    }
}

impl<'a> RenderPass<'a> {
    /// A pass over `site` that makes every kind of file, releases unpacked afresh.
    pub fn new(site: &'a Site, theme: &'a Theme, root: &'a Path) -> Self {
        RenderPass {
            site,
            theme,
            root,
            search: true,
            publish: PublishMode::Unpack,
            progress: None,
            kept: no_pages(),
        }
    }

    /// The files of `scopes`, each with its scope, sorted by path.
    pub fn gather(&self, scopes: &[Scope], stages: &mut Stages) -> Result<Vec<(Scope, OutputFile)>, Diagnostics> {
        let files = Mutex::new(Vec::new());
        self.emit(scopes, stages, &|scope, file| {
            files
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((scope.clone(), file));
            Ok(())
        })?;
        let mut files = files.into_inner().unwrap_or_else(|p| p.into_inner());
        files.sort_by(|a, b| a.1.path.cmp(&b.1.path));
        Ok(files)
    }

    /// Renders the files of `scopes` and hands each to `emit` as soon as it is made. Every
    /// problem of every file is reported together.
    pub fn emit(&self, scopes: &[Scope], stages: &mut Stages, emit: Emit) -> Result<Emitted, Diagnostics> {
        let (files, pages) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let counted = |scope: &Scope, file: OutputFile| {
            files.fetch_add(1, Relaxed);
            if file.path.ends_with(".html") {
                pages.fetch_add(1, Relaxed);
                if let Some(progress) = self.progress {
                    progress.tick();
                }
            }
            emit(scope, file)
        };
        self.site_files(scopes, stages, &counted)?;
        let index = match scopes.contains(&Scope::Releases) {
            true => Some(archive::Index::load(self.root)?),
            false => None,
        };
        if let Some(index) = &index {
            let page = render::releases_page(self.site, self.theme, &index.releases)?;
            counted(
                &Scope::Releases,
                OutputFile {
                    path: page.path,
                    bytes: page.html,
                },
            )?;
        }
        // The static files after every page, which they replace, and before the releases,
        // which they may not.
        if scopes.contains(&Scope::Static) {
            let statics = stages.time("static", || output::static_files(self.root))?;
            if let Some(index) = &index {
                archive::refuse_over_releases(statics.iter().map(|f| f.path.as_str()), index)?;
            }
            all_emitted(statics.into_iter().map(|f| counted(&Scope::Static, f)))?;
        }
        let mut carried = Vec::new();
        if let Some(index) = &index {
            let base_path = &self.site.config.base_path;
            let publish = |file: OutputFile| {
                files.fetch_add(1, Relaxed);
                emit(&Scope::Releases, file)
            };
            carried = stages.time("releases", || {
                archive::publish_releases(self.root, base_path, index, self.publish, &publish)
            })?;
        }
        Ok(Emitted {
            files: files.into_inner(),
            pages: pages.into_inner(),
            carried,
        })
    }

    /// The live site's files of `scopes`: pages, with the search index and the JSON API, feeds
    /// and sitemap beside them.
    fn site_files(&self, scopes: &[Scope], stages: &mut Stages, emit: Emit) -> Result<(), Diagnostics> {
        let site = self.site;
        // The search index and the API are made beside the pages: much of the index is one
        // thread's work, and writing pages waits on the file system; the other cores are busy
        // meanwhile.
        let search = self.search && scopes.contains(&Scope::Search);
        let render = || {
            timed(|| {
                render::render_pages(site, self.theme, scopes, self.kept, &|scope, page| {
                    emit(
                        scope,
                        OutputFile {
                            path: page.path,
                            bytes: page.html,
                        },
                    )
                })
            })
        };
        let index = || search.then(|| timed(|| output::search_files(site, &|file| emit(&Scope::Search, file))));
        let api = || timed(|| api_and_feeds(site, scopes, self.search, emit));
        let (pages, (index, api)) = rayon::join(render, || rayon::join(index, api));
        stages.add("render", pages.1);
        if let Some((_, took)) = &index {
            stages.add("search", *took);
        }
        stages.add("api+feeds", api.1);
        pages.0?;
        if let Some((indexed, _)) = index {
            indexed?;
        }
        api.0?;
        Ok(())
    }
}

/// The JSON API, feeds and sitemap of `scopes`, and each policy's share of the search index
/// (with `search`), each file handed to `emit`.
fn api_and_feeds(site: &Site, scopes: &[Scope], search: bool, emit: Emit) -> Result<(), Diagnostics> {
    // Each kind of file of each scope is its own task: the hub's (the API index, the changes
    // dataset, the feeds, the sitemap) are large, and a core free early takes some of them.
    let kinds = |scope: &Scope| match scope {
        Scope::Hub => vec![Kind::Api, Kind::Feeds, Kind::Sitemap],
        Scope::Policy(..) if search => vec![Kind::Api, Kind::Feeds, Kind::Docs],
        _ => vec![Kind::Api, Kind::Feeds],
    };
    let tasks: Vec<(&Scope, Kind)> = scopes
        .iter()
        .flat_map(|scope| kinds(scope).into_iter().map(move |kind| (scope, kind)))
        .collect();
    let problems: Vec<Diagnostic> = tasks
        .into_par_iter()
        .with_max_len(1)
        .flat_map_iter(|(scope, kind)| {
            let out = match (kind, scope) {
                (Kind::Api, _) => output::api_files(site, scope),
                (Kind::Feeds, _) => output::feed_files(site, scope),
                (Kind::Docs, Scope::Policy(org, policy)) => {
                    let record = site.policy(org, policy).map(|(_, record)| record);
                    record.into_iter().flat_map(|r| output::policy_docs(org, r)).collect()
                }
                (Kind::Sitemap, _) => output::sitemap_files(site),
                (Kind::Docs, _) => Vec::new(),
            };
            out.into_iter().filter_map(move |f| emit(scope, f).err())
        })
        .collect();
    Diagnostics(problems).into_result(())
}

/// The kinds of files [`api_and_feeds`] makes of a scope.
#[derive(Clone, Copy)]
enum Kind {
    Api,
    Feeds,
    /// A policy's share of the search index.
    Docs,
    Sitemap,
}

/// No pages (to keep).
fn no_pages() -> &'static HashSet<String> {
    static NONE: OnceLock<HashSet<String>> = OnceLock::new();
    NONE.get_or_init(HashSet::new)
}

/// Every problem of a run of emits, together.
fn all_emitted(results: impl Iterator<Item = Result<(), Diagnostic>>) -> Result<(), Diagnostics> {
    Diagnostics(results.filter_map(Result::err).collect()).into_result(())
}
