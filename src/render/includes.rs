//! The theme's `{% include %}` graph, read from the templates' sources: a template that
//! includes itself, directly or through others, would render until the stack overflows, so it
//! is refused when the theme loads, naming the include that closes the loop.

use std::collections::BTreeMap;

use crate::error::Diagnostic;

/// The first loop of includes among `sources` (name → (shown path, text)), as a diagnostic at
/// the include that closes it, or `None` when there is none.
pub(super) fn include_loop(sources: &BTreeMap<String, (String, String)>) -> Option<Diagnostic> {
    let includes: BTreeMap<&str, Vec<(&str, usize)>> = sources
        .iter()
        .map(|(name, (_, text))| (name.as_str(), included(text)))
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

/// The template names a text includes by a quoted name (`{% include "x.html" %}`, `{%- include
/// 'x.html' ignore missing -%}`), each with its line.
fn included(text: &str) -> Vec<(&str, usize)> {
    super::template_lines::tags(text)
        .filter_map(|(start, tag)| {
            let args = tag
                .trim_start_matches('-')
                .trim_start()
                .strip_prefix("include")?
                .trim_start();
            let quote = args.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
            let name = &args[1..1 + args[1..].find(quote)?];
            Some((name, text[..start].matches('\n').count() + 1))
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
        assert_eq!(included(text), [("x.html", 2), ("y.html", 3)]);
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
