//! Where a template uses a variable: the line an "unknown variable" error points at. Only the
//! tags (`{{ … }}`, `{% … %}`) of the template rendered and of the templates it names
//! (extends, includes, imports, transitively) are read, and a name counts only as a whole
//! identifier, so `org.ceo` is not found in a sentence about the CEO or in an unrelated
//! template.

use std::collections::BTreeMap;

/// The template and 1-based line where `variable` (`org.ceo`, `entry.words`) is used when
/// `template` renders: the first use of the whole path, else of its root name (`org`).
pub(super) fn line_using<'a>(
    sources: &'a BTreeMap<String, (String, String)>,
    template: &'a str,
    variable: &str,
) -> Option<(&'a str, usize)> {
    let root = variable.split(['.', '[']).next().unwrap_or(variable);
    let templates = used_by(sources, template);
    [variable, root].into_iter().find_map(|needle| {
        templates.iter().find_map(|name| {
            let text = &sources.get(*name)?.1;
            let at = tags(text).find_map(|(start, tag)| find_identifier(tag, needle).map(|i| start + i))?;
            Some((*name, text[..at].matches('\n').count() + 1))
        })
    })
}

/// `template` and every template it names in quotes, transitively, in that order.
fn used_by<'a>(sources: &'a BTreeMap<String, (String, String)>, template: &'a str) -> Vec<&'a str> {
    let mut found = vec![template];
    let mut next = 0;
    while let Some(&current) = found.get(next) {
        next += 1;
        let Some((_, text)) = sources.get(current) else {
            continue;
        };
        for name in sources.keys() {
            let quoted = ['"', '\''].iter().any(|q| text.contains(&format!("{q}{name}{q}")));
            if quoted && !found.contains(&name.as_str()) {
                found.push(name);
            }
        }
    }
    found
}

/// The inside of each tag of a template's source, with its byte offset: the `{{ … }}` and
/// `{% … %}` tags Tera reads, not those inside a `{# … #}` comment or a `{% raw %}` block.
pub(super) fn tags(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let open = from + text.get(from..)?.find('{')?;
        let close = match text.as_bytes().get(open + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => {
                from = text[open + 2..].find("#}").map_or(text.len(), |e| open + 2 + e + 2);
                continue;
            }
            _ => {
                from = open + 1;
                continue;
            }
        };
        let start = open + 2;
        let end = text[start..].find(close).map_or(text.len(), |e| start + e);
        from = end;
        let inside = &text[start..end];
        if close == "%}" && bare(inside) == "raw" {
            // Everything up to the `{% endraw %}` is text.
            from = endraw(text, end).unwrap_or(text.len());
            continue;
        }
        return Some((start, inside));
    })
}

/// A tag's inside without its whitespace-control dashes and spaces.
fn bare(inside: &str) -> &str {
    inside.trim().trim_matches('-').trim()
}

/// The offset just after the `{% endraw %}` tag that closes a raw block begun before `from`.
fn endraw(text: &str, mut from: usize) -> Option<usize> {
    loop {
        let start = from + text[from..].find("{%")? + 2;
        let end = start + text[start..].find("%}")?;
        if bare(&text[start..end]) == "endraw" {
            return Some(end + 2);
        }
        from = end;
    }
}

/// The offset in `tag` of `needle` standing as a whole identifier path: not preceded by an
/// identifier character or a dot, not followed by an identifier character.
fn find_identifier(tag: &str, needle: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    tag.match_indices(needle).map(|(i, _)| i).find(|&i| {
        let before = tag[..i].chars().next_back();
        let after = tag[i + needle.len()..].chars().next();
        !before.is_some_and(|c| is_ident(c) || c == '.') && !after.is_some_and(is_ident)
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Template sources as the theme keeps them: name → (shown path, text).
    pub(in crate::render) fn sources(templates: &[(&str, &str)]) -> BTreeMap<String, (String, String)> {
        templates
            .iter()
            .map(|(name, text)| (name.to_string(), (format!("templates/{name}"), text.to_string())))
            .collect()
    }

    #[test]
    fn finds_the_tag_that_uses_the_variable_not_the_word_in_text() {
        let s = sources(&[
            (
                "org.html",
                "{% extends \"base.html\" %}\n<p>Our CEO, org.ceo</p>\n{{ organisation.ceo }}\n{{ org.ceo }}\n",
            ),
            ("base.html", "{{ org.name }}\n"),
            ("other.html", "{{ org.ceo }}\n"),
        ]);
        assert_eq!(line_using(&s, "org.html", "org.ceo"), Some(("org.html", 4)));
    }

    #[test]
    fn looks_in_the_templates_it_names_and_falls_back_to_the_root_name() {
        let s = sources(&[
            ("page.html", "{% extends \"base.html\" %}\n{% include '_part.html' %}\n"),
            ("base.html", "<h1>\n{{ site.title }}</h1>\n"),
            ("_part.html", "\n\n{% for e in entries %}{{ e.words }}{% endfor %}\n"),
            ("unused.html", "{{ entries }}\n"),
        ]);
        assert_eq!(line_using(&s, "page.html", "e.words"), Some(("_part.html", 3)));
        assert_eq!(line_using(&s, "page.html", "site.motto"), Some(("base.html", 2)));
        assert_eq!(line_using(&s, "page.html", "nowhere"), None);
    }
}
