//! The templates a theme's templates name (`{% include %}`, `{% extends %}`, `{% import %}`),
//! read from their sources and checked when the theme loads: a template that includes itself,
//! directly or through others, would render until the stack overflows, and one that names a
//! template the theme lacks would fail every page that uses it (Tera says only which page);
//! both are refused where the name is written, with its line.

use std::collections::BTreeMap;

use crate::error::Diagnostic;

/// The first loop of includes among `sources` (name → (shown path, text)), as a diagnostic at
/// the include that closes it, or `None` when there is none.
pub(super) fn include_loop(sources: &BTreeMap<String, (String, String)>) -> Option<Diagnostic> {
    let includes: BTreeMap<&str, Vec<(&str, usize)>> = sources
        .iter()
        .map(|(name, (_, text))| {
            let found = named_templates(text)
                .into_iter()
                .filter(|i| i.keyword == "include")
                .map(|i| (i.name, i.line))
                .collect();
            (name.as_str(), found)
        })
        .collect();
    // Depth-first from each template, with the path walked so far.
    fn walk<'a>(
        name: &'a str,
        includes: &BTreeMap<&'a str, Vec<(&'a str, usize)>>,
        path: &mut Vec<&'a str>,
        done: &mut Vec<&'a str>,
    ) -> Option<(Vec<&'a str>, &'a str, usize)> {
        if done.contains(&name) {
            return None;
        }
        path.push(name);
        for &(target, line) in includes.get(name).map_or(&[][..], Vec::as_slice) {
            if path.contains(&target) {
                let mut shown = path.clone();
                shown.push(target);
                return Some((shown, name, line));
            }
            if let Some(found) = walk(target, includes, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.push(name);
        None
    }
    let mut done = Vec::new();
    for name in includes.keys() {
        if let Some((names, from, line)) = walk(name, &includes, &mut Vec::new(), &mut done) {
            let start = names.iter().position(|n| *n == names[names.len() - 1]).unwrap_or(0);
            let shown = &sources[from].0;
            return Some(
                Diagnostic::new(
                    shown,
                    format!(
                        "templates include each other without end: {}",
                        names[start..].join(" → ")
                    ),
                )
                .at_line(line)
                .hint("remove the {% include %} that brings a template back into itself"),
            );
        }
    }
    None
}

/// Each include, extends or import, in any template, of a template the theme does not have
/// (an include may be marked `ignore missing`).
pub(super) fn missing_templates(sources: &BTreeMap<String, (String, String)>) -> Vec<Diagnostic> {
    sources
        .values()
        .flat_map(|(shown, text)| {
            named_templates(text)
                .into_iter()
                .filter(|i| !i.optional && !sources.contains_key(i.name))
                .map(move |i| {
                    Diagnostic::new(
                        shown,
                        format!("names \"{}\", which is not a template of the theme", i.name),
                    )
                    .at_line(i.line)
                    .hint("name a file of templates/ (or of the default theme), or add `ignore missing` to an include")
                })
        })
        .collect()
}

/// An `{% include %}`, `{% extends %}` or `{% import %}` of a template by its quoted name.
#[derive(Debug, PartialEq)]
struct TemplateRef<'a> {
    /// `include`, `extends` or `import`.
    keyword: &'static str,
    name: &'a str,
    line: usize,
    /// Marked `ignore missing`.
    optional: bool,
}

/// The templates a text names by a quoted name (`{% include "x.html" %}`, `{%- include 'x.html'
/// ignore missing -%}`, `{% extends "base.html" %}`, `{% import "m.html" as m %}`), outside
/// comments and raw blocks.
fn named_templates(text: &str) -> Vec<TemplateRef<'_>> {
    super::template_lines::tags(text)
        .filter_map(|(start, tag)| {
            let tag = tag.trim_start_matches('-').trim_start();
            let (keyword, args) = ["include", "extends", "import"]
                .into_iter()
                .find_map(|keyword| Some((keyword, tag.strip_prefix(keyword)?)))
                .filter(|(_, rest)| rest.starts_with(char::is_whitespace))?;
            let args = args.trim_start();
            let quote = args.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
            let end = 1 + args[1..].find(quote)?;
            Some(TemplateRef {
                keyword,
                name: &args[1..end],
                line: text[..start].matches('\n').count() + 1,
                optional: args[end + 1..]
                    .trim_end_matches('-')
                    .split_whitespace()
                    .take(2)
                    .eq(["ignore", "missing"]),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::template_lines::tests::sources;
    use super::*;

    #[test]
    fn finds_includes_with_their_lines() {
        let text = "a\n{% include \"x.html\" %}\n{%- include 'y.html' ignore missing -%}{{ include }}\n";
        let found: Vec<(&str, usize, bool)> = named_templates(text)
            .iter()
            .map(|i| (i.name, i.line, i.optional))
            .collect();
        assert_eq!(found, [("x.html", 2, false), ("y.html", 3, true)]);
    }

    #[test]
    fn an_include_of_a_template_the_theme_lacks_is_named_at_its_line() {
        let theme = sources(&[
            (
                "base.html",
                "<p>\n\n{% include \"nope.html\" %}{% include \"x.html\" %}",
            ),
            ("x.html", "{% include \"gone.html\" ignore missing %}"),
        ]);
        let found: Vec<String> = missing_templates(&theme).iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .starts_with("templates/base.html:3: error: names \"nope.html\", which is not a template of the theme"),
            "{found:?}"
        );
        let parents = sources(&[
            ("a.html", "{% extends \"nope.html\" %}"),
            ("b.html", "\n{% import \"gone.html\" as m %}{% extends \"a.html\" %}"),
        ]);
        let named: Vec<String> = missing_templates(&parents).iter().map(|d| d.to_string()).collect();
        assert!(
            named[0].starts_with("templates/a.html:1: error: names \"nope.html\""),
            "{named:?}"
        );
        assert!(
            named[1].starts_with("templates/b.html:2: error: names \"gone.html\""),
            "{named:?}"
        );
        assert_eq!(named.len(), 2);
        let ignored = sources(&[(
            "base.html",
            "{# {% include \"a.html\" %} #}{% raw %}{% include \"b.html\" %}{% endraw %}\
             {%- raw -%}{% include \"c.html\" %}{%- endraw -%}{% include \"d.html\" ignore missing-%}",
        )]);
        assert!(
            missing_templates(&ignored).is_empty(),
            "comments, raw blocks and `ignore missing-%}}` include nothing: {:?}",
            missing_templates(&ignored)
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_template_that_comes_back_into_itself_is_named_at_the_include() {
        let itself = sources(&[("base.html", "<p>\n{% include \"base.html\" %}")]);
        let e = include_loop(&itself).unwrap();
        assert_eq!(
            e.to_string().lines().next().unwrap(),
            "templates/base.html:2: error: templates include each other without end: base.html → base.html"
        );
        let through = sources(&[
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "x\n\n{% include \"a.html\" %}"),
            ("c.html", ""),
        ]);
        let e = include_loop(&through).unwrap();
        assert!(
            e.to_string().starts_with(
                "templates/b.html:3: error: templates include each other without end: a.html → b.html → a.html"
            ),
            "{e}"
        );
        let fine = sources(&[
            ("a.html", "{% include \"b.html\" %}{% include \"b.html\" %}"),
            ("b.html", "{% include \"c.html\" %}"),
            ("c.html", ""),
        ]);
        assert!(include_loop(&fine).is_none());
    }
}
