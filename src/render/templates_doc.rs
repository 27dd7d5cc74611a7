//! `docs/templates.md` against the templates' inputs: every variable and field a page template
//! or a partial receives, on the repository's hub and the fixture hubs, is documented there
//! with its type (a value or a shape, whose fields are checked in turn), and everything
//! documented there is received.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::context::SiteView;
use super::pages::jobs;
use super::partial::{DefaultPartials, RECORDED};
use super::releases_page::releases_input;
use super::Theme;
use crate::archive::ReleaseRecord;
use crate::content::Date;
use crate::site::Site;

/// Name → type, as a section's table lists them.
type Rows = BTreeMap<String, String>;

/// What docs/templates.md documents.
#[derive(Default)]
struct Reference {
    /// The variables of every page (`## Every page`).
    every_page: Rows,
    /// Each template's variables (`### \`name.html\`` under `## Pages` and `## Partials`).
    templates: BTreeMap<String, Rows>,
    /// Each shape's fields (`### Name` under `## Shapes`).
    shapes: BTreeMap<String, Rows>,
}

/// Where the rows being read go.
enum Section {
    None,
    EveryPage,
    Template(String),
    Shape(String),
}

impl Reference {
    fn parse(doc: &str) -> Reference {
        let mut reference = Reference::default();
        let (mut part, mut section) = (String::new(), Section::None);
        for line in doc.lines() {
            if let Some(heading) = line.strip_prefix("## ") {
                part = heading.trim().to_string();
                section = if part == "Every page" {
                    Section::EveryPage
                } else {
                    Section::None
                };
            } else if let Some(heading) = line.strip_prefix("### ") {
                section = match part.as_str() {
                    "Pages" | "Partials" => Section::Template(backticked(heading).unwrap_or(heading).to_string()),
                    "Shapes" => Section::Shape(heading.trim().to_string()),
                    _ => Section::None,
                };
            } else if line.starts_with("| `") {
                let cells = cells(line);
                let (Some(name), Some(kind)) = (cells.first().and_then(|c| backticked(c)), cells.get(1)) else {
                    continue;
                };
                let rows = match &section {
                    Section::None => continue,
                    Section::EveryPage => &mut reference.every_page,
                    Section::Template(name) => reference.templates.entry(name.clone()).or_default(),
                    Section::Shape(name) => reference.shapes.entry(name.clone()).or_default(),
                };
                rows.insert(name.to_string(), kind.trim().to_string());
            }
        }
        reference
    }
}

/// The text between the first two backticks.
fn backticked(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once('`')?;
    Some(rest.split_once('`')?.0)
}

/// The cells of a table row (`\|` is a `|` inside a cell).
fn cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = line.trim().trim_start_matches('|').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cells.last_mut().unwrap().push('|');
                chars.next();
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}

/// Walks the inputs, noting what they hold that the reference lacks, and what they hold at all.
struct Check<'a> {
    reference: &'a Reference,
    problems: BTreeSet<String>,
    /// (section, name) of every variable and field received.
    received: BTreeSet<(String, String)>,
}

impl Check<'_> {
    /// An input of `template`.
    fn input(&mut self, template: &str, input: &Value) {
        let Some(rows) = self.reference.templates.get(template) else {
            self.problems.insert(format!("`{template}` has no section"));
            return;
        };
        let Value::Object(variables) = input else {
            self.problems.insert(format!("`{template}`'s input is not an object"));
            return;
        };
        let is_page = !template.starts_with('_');
        for (name, value) in variables {
            let (section, kind) = match rows.get(name) {
                Some(kind) => (template, kind),
                None => match self.reference.every_page.get(name).filter(|_| is_page) {
                    Some(kind) => ("Every page", kind),
                    None => {
                        self.problems
                            .insert(format!("`{template}`: variable `{name}` is not documented"));
                        continue;
                    }
                },
            };
            self.received.insert((section.to_string(), name.clone()));
            self.value(&format!("`{template}`: `{name}`"), kind, value);
        }
    }

    /// `value`, documented with the type `kind`, at `path`.
    fn value(&mut self, path: &str, kind: &str, value: &Value) {
        let nullable = kind.ends_with(" or null");
        let base = kind.trim_end_matches(" or null");
        let (list, base) = match base.strip_prefix("list of ") {
            Some(item) => (true, item),
            None => (false, base),
        };
        let mismatch = |what: &str| format!("{path} is {what}, documented as {kind}");
        match value {
            Value::Null if !nullable => {
                self.problems.insert(mismatch("null"));
            }
            Value::Null => {}
            Value::Array(items) if list => {
                let item_kind = base.to_string();
                for item in items {
                    self.value(&format!("{path}[]"), &item_kind, item);
                }
            }
            _ if list => {
                self.problems.insert(mismatch("not a list"));
            }
            Value::Object(fields) => match self.reference.shapes.get(base) {
                Some(rows) => {
                    for (name, value) in fields {
                        match rows.get(name) {
                            Some(kind) => {
                                self.received.insert((base.to_string(), name.clone()));
                                self.value(&format!("{path}.{name}"), kind, value);
                            }
                            None => {
                                self.problems
                                    .insert(format!("{path}: field `{name}` of {base} is not documented"));
                            }
                        }
                    }
                }
                None => {
                    self.problems.insert(mismatch("an object"));
                }
            },
            Value::Array(_) => {
                self.problems.insert(mismatch("a list"));
            }
            Value::String(_) if !matches!(base, "string" | "date" | "HTML") => {
                self.problems.insert(mismatch("a string"));
            }
            Value::Number(_) if base != "number" => {
                self.problems.insert(mismatch("a number"));
            }
            Value::Bool(_) if base != "bool" => {
                self.problems.insert(mismatch("a bool"));
            }
            _ => {}
        }
    }

    /// What the reference documents that no input held.
    fn unreceived(&mut self) {
        let sections = [("Every page".to_string(), &self.reference.every_page)]
            .into_iter()
            .chain(self.reference.templates.iter().map(|(t, rows)| (t.clone(), rows)))
            .chain(self.reference.shapes.iter().map(|(s, rows)| (s.clone(), rows)));
        for (section, rows) in sections {
            for name in rows.keys() {
                if !self.received.contains(&(section.clone(), name.clone())) {
                    self.problems
                        .insert(format!("{section}: `{name}` is documented but never received"));
                }
            }
        }
    }
}

/// Every page's and partial's input on the hub at `root`, its partials rendered by Tera so
/// that their inputs are made.
fn inputs_of(root: &Path) -> Vec<(String, Value)> {
    let site = Site::load(root, None).unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let mut theme = Theme::load(root).unwrap();
    theme.default_partials = DefaultPartials::none();
    // The partials' inputs are recorded by the thread that renders them: one thread, this one.
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    one_thread.install(|| {
        RECORDED.set(Some(Vec::new()));
        let mut inputs = Vec::new();
        for scope in site.scopes() {
            for job in jobs(&site, &theme, &scope) {
                let job = job.unwrap();
                inputs.push((job.template.to_string(), job.context.into_json()));
            }
        }
        let partials = RECORDED.take().unwrap_or_default();
        inputs.extend(partials.into_iter().map(|(t, v)| (t.to_string(), v)));
        inputs
    })
}

/// The input of `releases.html` with one release.
fn releases_input_of(root: &Path) -> (String, Value) {
    let site = Site::load(root, None).unwrap();
    let release = ReleaseRecord {
        name: "2024-06".into(),
        date: Date::new(2024, 6, 30).unwrap(),
        commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
        base_url: site.config.base_url.clone(),
        generator: "policyhub 0.1.0".into(),
        orgs: 1,
        policies: 1,
        versions: 2,
        pages: 12,
        files: 30,
        bytes: 123_456,
        tarball_sha256: "ab".repeat(32),
        tarball_bytes: 45_678,
        manifest_sha256: "cd".repeat(32),
        metadata_sha256: None,
    };
    let site_view = SiteView::new(&site.config);
    let (_, page) = releases_input(&site, &site_view, &[release]);
    ("releases.html".into(), serde_json::to_value(&page).unwrap())
}

#[test]
fn docs_templates_md_documents_every_input_and_nothing_else() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/templates.md")).unwrap();
    let reference = Reference::parse(&doc);
    assert!(
        reference.templates.len() >= 20 && reference.shapes.len() >= 20,
        "the reference is read"
    );
    let fixtures = [
        "basic",
        "hostile",
        "pending",
        "history",
        "fidelity",
        "real-extract",
        "export-ota",
    ];
    let hubs: Vec<PathBuf> = std::iter::once(root.to_path_buf())
        .chain(fixtures.iter().map(|f| root.join("tests/fixtures").join(f)))
        .collect();
    let mut check = Check {
        reference: &reference,
        problems: BTreeSet::new(),
        received: BTreeSet::new(),
    };
    for hub in &hubs {
        for (template, input) in inputs_of(hub) {
            check.input(&template, &input);
        }
    }
    let (template, input) = releases_input_of(root);
    check.input(&template, &input);
    check.unreceived();
    let problems: Vec<String> = check.problems.into_iter().collect();
    assert!(
        problems.is_empty(),
        "docs/templates.md and the templates' inputs disagree:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_variable_missing_from_the_reference_is_found() {
    let reference = Reference::parse(
        "## Every page\n\n| variable | type | meaning |\n|---|---|---|\n| `site` | Site | s |\n\n## Pages\n\n### `a.html` (x)\n\n| variable | type | meaning |\n| `org` | Org or null | o \\| p |\n\n## Shapes\n\n### Site\n\n| `title` | string | t |\n\n### Org\n\n| `name` | string | n |\n",
    );
    assert_eq!(reference.templates["a.html"]["org"], "Org or null");
    let mut check = Check {
        reference: &reference,
        problems: BTreeSet::new(),
        received: BTreeSet::new(),
    };
    let input = serde_json::json!({ "site": { "title": "T" }, "org": { "name": 1, "ceo": "x" }, "extra": true });
    check.input("a.html", &input);
    let problems: Vec<&str> = check.problems.iter().map(String::as_str).collect();
    assert_eq!(
        problems,
        [
            "`a.html`: `org`.name is a number, documented as string",
            "`a.html`: `org`: field `ceo` of Org is not documented",
            "`a.html`: variable `extra` is not documented",
        ]
    );
}
