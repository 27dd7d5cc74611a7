//! The theme's static files as the site serves them: the embedded defaults overridden file by
//! file by the hub's `static/`, and the generated code-highlighting stylesheet.

use std::path::Path;

use walkdir::WalkDir;

use super::OutputFile;
use crate::error::{Diagnostic, Diagnostics};

/// The theme's static files (the embedded defaults overridden by the hub's `static/`) and
/// the generated code-highlighting stylesheet.
pub(crate) fn static_files(root: &Path) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut files: std::collections::BTreeMap<String, Vec<u8>> = crate::render::default_static_files()
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
