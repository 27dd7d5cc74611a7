//! The theme: Tera templates and static files. The default theme is embedded in the binary;
//! a hub's own `templates/` and `static/` override it file by file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use include_dir::{include_dir, Dir};
use tera::Tera;
use walkdir::WalkDir;

use crate::error::{Diagnostic, Diagnostics};
use crate::html::escape_html;

static DEFAULT_TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static DEFAULT_STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// The compiled templates, with their sources kept for error messages.
pub struct Theme {
    pub(crate) tera: Tera,
    /// Template name → (where it came from, its source).
    pub(crate) sources: BTreeMap<String, (String, String)>,
    /// Template name → every name its source, and those of the templates it names (extends,
    /// includes, imports), spell (see [`Theme::reads`]).
    names: HashMap<String, HashSet<String>>,
}

/// Every file of the embedded default theme's `templates/` folder, by name.
pub fn default_templates() -> Vec<(&'static str, &'static [u8])> {
    files_of(&DEFAULT_TEMPLATES)
}

/// Every file of the embedded default theme's `static/` folder, by relative path.
pub fn default_static_files() -> Vec<(&'static str, &'static [u8])> {
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
        call_own_macros(&mut sources);
        if !problems.is_empty() {
            return problems.into_result(Theme {
                tera: Tera::default(),
                sources,
                names: HashMap::new(),
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
                problems.push(
                    Diagnostic::new("templates", error_chain(&e))
                        .hint("check the templates' {% extends %} and {% include %} names"),
                );
            }
            return Err(problems);
        }
        let names = names_by_template(&sources);
        Ok(Theme { tera, sources, names })
    }

    /// Whether `template` may read the context variable `name`: its source or that of a
    /// template it names (the one it extends, includes or imports, and so on) spells `name`,
    /// or dumps the whole context (`__tera_context`). A page leaves a costly variable out of
    /// its context when its template could not read it: the default theme writes a clause
    /// history from `lineages_html`, so its `lineages` are never serialized; a theme whose
    /// `clauses.html` loops over `lineages` gets them.
    pub fn reads(&self, template: &str, name: &str) -> bool {
        self.names
            .get(template)
            .is_none_or(|names| names.contains(name) || names.contains("__tera_context"))
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
        self.tera
            .render_to(template, context, &mut out)
            .map_err(|e| self.render_diagnostic(template, &e))?;
        Ok(out)
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
            let hint = "see docs/templates.md for the variables each template receives";
            return match super::template_lines::line_using(&self.sources, template, variable) {
                Some((name, line)) => Diagnostic::new(shown(name), message).at_line(line).hint(hint),
                None => Diagnostic::new(shown(template), message).hint(hint),
            };
        }
        Diagnostic::new(shown(template), message)
    }
}

/// The default theme writes a timeline from `timeline_html`, the default `change_entry`
/// macro's markup made in Rust. A hub whose own `_macros.html` redefines the macro gets it
/// called: the default templates that show a timeline loop over `timeline` with it instead.
fn call_own_macros(sources: &mut BTreeMap<String, (String, String)>) {
    let is_default = |(shown, _): &(String, String)| shown.starts_with("(default theme)");
    if sources.get("_macros.html").is_none_or(is_default) {
        return;
    }
    for (template, show_policy) in [
        ("org.html", "org.policies | length > 1"),
        ("policy_changes.html", "false"),
    ] {
        if let Some(source) = sources.get_mut(template).filter(|s| is_default(s)) {
            let with_macro = format!(
                "{{% for entry in timeline %}}{{{{ macros::change_entry(entry=entry, show_policy={show_policy}) }}}}{{% endfor %}}"
            );
            source.1 = source.1.replace("{{ timeline_html | safe }}", &with_macro);
        }
    }
}

/// For each template, the identifier-like words (letters, digits, `_`) inside the tags
/// (`{{ … }}`, `{% … %}`) of its source and of every template it names in quotes,
/// transitively.
fn names_by_template(sources: &BTreeMap<String, (String, String)>) -> HashMap<String, HashSet<String>> {
    // Each template's own names and the templates it names, found once.
    let own: HashMap<&str, (Vec<String>, Vec<&str>)> = sources
        .iter()
        .map(|(name, (_, text))| {
            let names = |other: &&String| {
                ['"', '\'', '`']
                    .iter()
                    .any(|q| text.contains(&format!("{q}{other}{q}")))
            };
            let uses = sources.keys().filter(names).map(String::as_str).collect();
            (name.as_str(), (tag_words(text).collect(), uses))
        })
        .collect();
    sources
        .keys()
        .map(|name| {
            let mut seen: HashSet<&str> = HashSet::from([name.as_str()]);
            let mut stack = vec![name.as_str()];
            let mut all = HashSet::new();
            while let Some(current) = stack.pop() {
                let (names, uses) = &own[current];
                all.extend(names.iter().cloned());
                for &other in uses {
                    if seen.insert(other) {
                        stack.push(other);
                    }
                }
            }
            (name.clone(), all)
        })
        .collect()
}

/// The identifier-like words inside the expression and statement tags of a template's
/// source, but the fields after a dot: the names it can read (the text around the tags,
/// `class="timeline"`, reads none; `topic.orgs` reads `topic`).
fn tag_words(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut tags = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let close = match after.as_bytes().first() {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let inner = &after[1..];
        let end = tag_end(inner, close);
        tags.push(&inner[..end]);
        rest = &inner[end..];
    }
    tags.into_iter().flat_map(|tag| {
        let mut names = Vec::new();
        let mut start: Option<usize> = None;
        for (i, c) in tag.char_indices().chain([(tag.len(), ' ')]) {
            match (c.is_alphanumeric() || c == '_', start) {
                (true, None) => start = Some(i),
                (false, Some(from)) => {
                    // `topic.orgs` reads `topic`, not a variable `orgs`.
                    if !tag[..from].ends_with('.') {
                        names.push(tag[from..i].to_string());
                    }
                    start = None;
                }
                _ => {}
            }
        }
        names
    })
}

/// Where a tag's text ends: at the first `close` outside a string literal (`"…"`, `'…'`,
/// `` `…` ``), or at the end of the text.
fn tag_end(inner: &str, close: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in inner.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None if inner[i..].starts_with(close) => return i,
            None => {}
        }
    }
    inner.len()
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

/// Renders `template` as a theme's `.html` file would be (autoescaped with [`escape_html`]):
/// what the tests of the Rust-written fragments compare with.
#[cfg(test)]
pub(crate) fn render_like_a_theme(template: &str, context: &tera::Context) -> String {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(escape_html);
    let mut templates = vec![("t.html", template)];
    let macros = default_templates()
        .into_iter()
        .find(|(name, _)| *name == "_macros.html");
    let macros = macros.map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned());
    if let Some(macros) = &macros {
        templates.push(("_macros.html", macros.as_str()));
    }
    tera.add_raw_templates(templates).unwrap();
    tera.render("t.html", context).unwrap()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_reads_the_names_it_and_the_templates_it_names_spell() {
        let hub = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(hub.path().join("templates")).unwrap();
        let write = |name: &str, text: &str| std::fs::write(hub.path().join("templates").join(name), text).unwrap();
        write(
            "org.html",
            "{% extends \"base.html\" %}{% block content %}{% include 'part.html' %}{% endblock content %}",
        );
        write("part.html", "{% for entry in timeline %}{{ entry.words }}{% endfor %}");
        write("debug.html", "{{ __tera_context }}");
        write(
            "quoted.html",
            "{% include `part.html` %}{{ \"}} %}\" ~ orgs | length }}",
        );
        let theme = Theme::load(hub.path()).unwrap();
        assert!(theme.reads("org.html", "timeline"), "through the template it includes");
        assert!(theme.reads("org.html", "site"), "through the template it extends");
        assert!(!theme.reads("org.html", "lineages"));
        assert!(!theme.reads("org.html", "words"), "a field is not a variable");
        assert!(
            !theme.reads("policy_changes.html", "timeline"),
            "the default theme writes timeline_html"
        );
        assert!(
            !theme.reads("clauses.html", "lineages"),
            "the default theme writes lineages_html"
        );
        assert!(
            theme.reads("debug.html", "lineages"),
            "a dump of the context reads everything"
        );
        assert!(theme.reads("unknown.html", "anything"));
        assert!(theme.reads("quoted.html", "timeline"), "a name in backticks");
        assert!(
            theme.reads("quoted.html", "orgs"),
            "after a string holding the tag's end"
        );
        assert!(!theme.reads("org.html", "timeline_html"), "the hub's own org.html");
        assert!(theme.reads("policy_changes.html", "timeline_html"));
    }

    #[test]
    fn a_hub_that_redefines_change_entry_gets_it_called_on_timelines() {
        let hub = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(hub.path().join("templates")).unwrap();
        std::fs::write(
            hub.path().join("templates/_macros.html"),
            "{% macro change_entry(entry, show_policy) %}<li>{{ entry.words }}</li>{% endmacro change_entry %}",
        )
        .unwrap();
        let theme = Theme::load(hub.path()).unwrap();
        assert!(theme.reads("policy_changes.html", "timeline"));
        assert!(!theme.reads("policy_changes.html", "timeline_html"));
    }
}
