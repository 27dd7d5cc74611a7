//! Rendering: the Tera environment (the only user of Tera), the context each template gets,
//! the clause markup of a version's body and redlines. It turns a loaded [`Site`] into pages
//! in memory; it writes nothing.
//!
//! [`Site`]: crate::site::Site

mod body;
mod chart;
mod clauses_page;
mod context;
mod crosslinks;
mod diff_page;
mod hub_links;
mod outline;
mod pages;
mod point_in_time;
mod redline;
mod releases_page;
mod theme;
mod timeline;
mod version_page;

pub use body::{body_html, snippet, BodyLinks, RemovedStub};
pub use crosslinks::CrossLinks;
pub use diff_page::diff_html;
pub use pages::{page_count, render_pages, Page};
pub use redline::{redline_html, Redlines};
pub use releases_page::{releases_page, ReleaseView};
pub use theme::{default_static_files, default_templates, escape_html, Theme};
pub use timeline::{change_view, class_label, org_timeline, policy_timeline, recent_changes, ChangeView};

use std::path::Path;

use walkdir::WalkDir;

use crate::error::{Diagnostic, Diagnostics};
use crate::output::OutputFile;

/// The theme's static files (the embedded defaults overridden by the hub's `static/`) and
/// the generated code-highlighting stylesheet.
pub fn static_files(root: &Path) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut files: std::collections::BTreeMap<String, Vec<u8>> = default_static_files()
        .into_iter()
        .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
        .collect();
    files.insert(
        crate::permalinks::syntax_css().to_string(),
        crate::document::syntax_css().into_bytes(),
    );
    let mut problems = Diagnostics::default();
    let dir = root.join("static");
    if dir.is_dir() {
        for entry in WalkDir::new(&dir).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    problems.push(Diagnostic::new("static", format!("cannot read: {e}")));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(&dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    files.insert(rel, bytes);
                }
                Err(e) => problems.push(Diagnostic::new(entry.path(), format!("cannot read: {e}"))),
            }
        }
    }
    problems.into_result(
        files
            .into_iter()
            .map(|(path, bytes)| OutputFile { path, bytes })
            .collect(),
    )
}
