//! policyhub: a static-site generator for privacy-policy transparency hubs.
//!
//! The pipeline runs one way: `site.toml` → [`config`] → [`content`] → [`document`] →
//! [`history`] → [`links`] → [`render`] → `output`. `pipeline` runs it: [`build`] all of it,
//! [`check`] all but the writing, [`release`] into [`archive`] (and [`verify`] checks what is
//! there); [`serve`] re-runs it for what an edit touched. [`init`] creates a new hub; [`import`]
//! brings captures and histories in, [`export`] writes the hub out in other tools' formats.

#![warn(unreachable_pub)]

pub mod archive;
mod cache;
pub mod clause_index;
pub mod config;
pub mod content;
mod date;
mod digest;
pub mod document;
pub mod error;
pub mod export;
mod folder_lock;
pub mod history;
mod html;
pub mod import;
pub mod init;
mod io_threads;
pub mod links;
mod output;
mod output_file;
pub mod permalinks;
mod pipeline;
mod progress;
pub mod render;
pub mod serve;
mod site;
mod stages;
mod stop_signals;
pub mod summary;
pub mod terminal;

pub use archive::{verify, ReleaseRecord, VerifyReport};
pub use cache::CACHE_DIR;
pub use error::{Diagnostic, Diagnostics};
pub use pipeline::{build, check, release, BuildOptions, BuildSummary, RenderPass, Stages};
pub use site::{Counts, Scope, Site, SiteOrg, SitePolicy};
