//! The theme: Tera templates and static files. The default theme is embedded in the binary;
//! a hub's own `templates/` and `static/` override it file by file. Loading it also notes
//! which partials are still the default's (see `partial`), and rendering turns Tera's errors
//! into diagnostics with the template and line.

use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{include_dir, Dir};
use tera::Tera;
use walkdir::WalkDir;

use super::partial::DefaultPartials;
use crate::error::{Diagnostic, Diagnostics};
use crate::html::escape_html;

static DEFAULT_TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static DEFAULT_STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// The compiled templates, with their sources kept for error messages.
pub struct Theme {
    pub(crate) tera: Tera,
    /// Template name → (where it came from, its source).
    pub(crate) sources: BTreeMap<String, (String, String)>,
    /// Which partials are the default theme's own, written in Rust.
    pub(crate) default_partials: DefaultPartials,
}

/// Every file of the embedded default theme's `templates/` folder, by name.
pub fn default_templates() -> Vec<(&'static str, &'static [u8])> {
    files_of(&DEFAULT_TEMPLATES)
}

/// Every file of the embedded default theme's `static/` folder, by relative path.
pub(crate) fn default_static_files() -> Vec<(&'static str, &'static [u8])> {
    files_of(&DEFAULT_STATIC)
}

fn files_of(dir: &'static Dir<'static>) -> Vec<(&'static str, &'static [u8])> {
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for entry in dir.entries() {
            match entry {
                include_dir::DirEntry::Dir(d) => stack.push(d),
                include_dir::DirEntry::File(f) => {
                    if let Some(path) = f.path().to_str() {
                        files.push((path, f.contents()));
                    }
                }
            }
        }
    }
    files.sort();
    files
}

impl Theme {
    /// The default templates overridden by `root/templates/`, parsed and checked.
    pub fn load(root: &Path) -> Result<Theme, Diagnostics> {
        let mut problems = Diagnostics::default();
        let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (name, bytes) in default_templates() {
            let text = String::from_utf8_lossy(bytes).into_owned();
            sources.insert(name.to_string(), (format!("(default theme) templates/{name}"), text));
        }
        let dir = root.join("templates");
        if dir.is_dir() {
            for entry in WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                let name = rel.to_string_lossy().replace('\\', "/");
                let shown = format!("templates/{name}");
                match crate::content::read_text_file(root, entry.path()) {
                    Ok(text) => {
                        sources.insert(name, (shown, text));
                    }
                    Err(d) => problems.push(d),
                }
            }
        }
        if !problems.is_empty() {
            return problems.into_result(Theme {
                tera: Tera::default(),
                sources,
                default_partials: DefaultPartials::default(),
            });
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let templates: Vec<(&str, &str)> = sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())).collect();
        if let Err(e) = tera.add_raw_templates(templates) {
            // Parse each template alone to name every one at fault, with its line and column.
            for (name, (shown, text)) in &sources {
                if let Err(e) = tera::Template::new(name, None, text) {
                    problems.push(template_diagnostic(shown, &e));
                }
            }
            if problems.is_empty() {
                // A parent or macro file the theme lacks, named where it is named.
                super::includes::missing_templates(&sources)
                    .into_iter()
                    .for_each(|d| problems.push(d));
            }
            if problems.is_empty() {
                problems.push(
                    Diagnostic::new("templates", error_chain(&e))
                        .hint("check the templates' {% extends %} and {% include %} names"),
                );
            }
            return Err(problems);
        }
        let missing = super::includes::missing_templates(&sources);
        if !missing.is_empty() {
            return Err(Diagnostics(missing));
        }
        if let Some(problem) = super::includes::include_loop(&sources) {
            return Err(Diagnostics(vec![problem]));
        }
        let default_partials = DefaultPartials::of(&sources);
        Ok(Theme {
            tera,
            sources,
            default_partials,
        })
    }

    /// Renders a template with a context, turning Tera's error into a diagnostic that names
    /// the template and, for an unknown variable, the line that uses it.
    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        let html = self.render_sized(template, context, 16 * 1024)?;
        String::from_utf8(html).map_err(|_| Diagnostic::new(format!("templates/{template}"), "rendered invalid UTF-8"))
    }

    /// [`Theme::render`] into a buffer made `size` bytes large up front (a page grown from
    /// Tera's 2 KB start is copied and faulted in again at each doubling), as bytes: a page
    /// goes to a file as it is (Tera writes only strings, so it is UTF-8 already).
    pub fn render_sized(&self, template: &str, context: &tera::Context, size: usize) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(size);
        self.render_into(template, context, &mut out)?;
        Ok(out)
    }

    /// Renders a template at the end of `out`.
    pub(crate) fn render_into(
        &self,
        template: &str,
        context: &tera::Context,
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        self.tera
            .render_to(template, context, out)
            .map_err(|e| self.render_diagnostic(template, &e))
    }

    fn render_diagnostic(&self, template: &str, e: &tera::Error) -> Diagnostic {
        let message = error_chain(e);
        let shown = |name: &str| {
            self.sources
                .get(name)
                .map_or_else(|| format!("templates/{name}"), |(s, _)| s.clone())
        };
        // "Variable `x.y` not found in context while rendering 'page.html'"
        if let Some(variable) = between(&message, "Variable `", "` not found") {
            let message = format!("unknown template variable `{variable}`");
            let hint = match variable.starts_with("policy.versions") {
                true => "a version's page and its redline have the policy without its list of versions (see docs/templates.md): list `nearby`, or link to `policy.changes_url`",
                false => "see docs/templates.md for the variables each template receives",
            };
            return match super::template_lines::line_using(&self.sources, template, variable) {
                Some((name, line)) => Diagnostic::new(shown(name), message).at_line(line).hint(hint),
                None => Diagnostic::new(shown(template), message).hint(hint),
            };
        }
        Diagnostic::new(shown(template), message)
    }
}

/// A Tera parse error as a diagnostic with the line and column Tera reports (` --> L:C`).
fn template_diagnostic(shown: &str, e: &tera::Error) -> Diagnostic {
    let message = error_chain(e);
    let location = message.split_once("--> ").and_then(|(_, rest)| {
        let spot = rest.split_whitespace().next()?;
        let (line, column) = spot.split_once(':')?;
        Some((line.parse().ok()?, column.parse().ok()?))
    });
    let summary = message
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("= "))
        .unwrap_or("syntax error")
        .to_string();
    let d = Diagnostic::new(shown, format!("template syntax error: {summary}"));
    match location {
        Some((line, column)) => d.at(line, column),
        None => d,
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

/// A Tera error and its causes on one line.
fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    parts.join(": ")
}
