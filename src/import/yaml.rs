//! A capture's YAML front matter (`---` … `---` at the very top, as docs-as-code sites such as
//! Jekyll, Hugo and GitHub Docs write it): read, never rendered. Only `title` is used; every
//! other line is reported as dropped. The only user of the YAML parser.

use yaml_rust2::parser::Parser;
use yaml_rust2::Event;

use super::capture::Line;

/// What the front matter block at the top of a capture holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct YamlFrontMatter {
    /// The 1-based numbers of the block's lines, fences included.
    pub lines: Vec<usize>,
    /// Its `title`, when it is a non-empty string.
    pub title: Option<String>,
}

/// The YAML front matter at the top of the lines, if the capture starts with one: a `---` first
/// line, a closing `---` or `...` line, and between them a YAML mapping. Anything else (a
/// Markdown rule, a setext underline, text that is not a mapping) is not front matter.
pub(super) fn read(lines: &[Line]) -> Option<YamlFrontMatter> {
    let first = lines.first()?;
    if first.text.trim_end() != "---" {
        return None;
    }
    let close = lines
        .iter()
        .skip(1)
        .position(|l| matches!(l.text.trim_end(), "---" | "..."))?
        + 1;
    let inner: Vec<&str> = lines[1..close].iter().map(|l| l.text.as_str()).collect();
    let title = mapping_title(&inner.join("\n"))?
        .map(|t| {
            crate::content::without_controls(t)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty());
    Some(YamlFrontMatter {
        lines: lines[..=close].iter().map(|l| l.number).collect(),
        title,
    })
}

/// The `title` (a string) of the YAML mapping that `text` holds: `None` when it is not valid
/// YAML or not a mapping. Read from the parser's events, never built as a document: aliases are
/// not expanded, so a few hundred bytes of nested aliases ("billion laughs") cost nothing.
fn mapping_title(text: &str) -> Option<Option<String>> {
    let mut parser = Parser::new_from_str(text);
    let (mut depth, mut documents) = (0usize, 0usize);
    // At the top level of the mapping: whether the next node is a key, and whether the last
    // key was `title`.
    let (mut at_key, mut after_title) = (true, false);
    let mut title = None;
    loop {
        let (event, _) = parser.next_token().ok()?;
        let top_node = depth == 1 && documents == 1;
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart => documents += 1,
            Event::MappingStart(..) | Event::SequenceStart(..) if depth == 0 => {
                if documents == 1 && !matches!(event, Event::MappingStart(..)) {
                    return None;
                }
                depth = 1;
                continue;
            }
            Event::Scalar(..) | Event::Alias(_) if depth == 0 && documents == 1 => return None,
            Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
            Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
            _ => {}
        }
        let node = matches!(
            event,
            Event::Scalar(..) | Event::Alias(_) | Event::MappingStart(..) | Event::SequenceStart(..)
        );
        if top_node && node {
            match (&event, at_key) {
                (Event::Scalar(key, ..), true) => after_title = key == "title",
                (Event::Scalar(value, ..), false) if after_title && title.is_none() => title = Some(value.clone()),
                _ => {}
            }
            at_key = !at_key;
        }
    }
    (documents > 0).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .enumerate()
            .map(|(i, t)| Line {
                number: i + 1,
                text: t.to_string(),
            })
            .collect()
    }

    #[test]
    fn a_mapping_between_fences_is_front_matter() {
        let found = read(&lines(
            "---\ntitle: GitHub Privacy Statement\nredirect_from:\n  - /privacy\nversions:\n  fpt: '*'\n---\n\n## Privacy\n",
        ))
        .unwrap();
        assert_eq!(found.title.as_deref(), Some("GitHub Privacy Statement"));
        assert_eq!(found.lines, vec![1, 2, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn a_block_without_title_or_closed_by_dots_is_read() {
        let found = read(&lines("---\nlayout: page\n...\nText\n")).unwrap();
        assert_eq!(found.title, None);
        assert_eq!(found.lines, vec![1, 2, 3]);
    }

    #[test]
    fn rules_and_text_between_rules_are_not_front_matter() {
        assert_eq!(read(&lines("Privacy\n---\n\nText\n---\n")), None);
        assert_eq!(read(&lines("---\nJust a paragraph between two rules.\n---\n")), None);
        assert_eq!(read(&lines("---\ntitle: never closed\n")), None);
        assert_eq!(read(&lines("---\n[unbalanced: yaml\n---\n")), None);
        assert_eq!(read(&lines("---\n- a list\n- not a mapping\n---\n")), None);
    }

    #[test]
    fn only_the_top_level_title_string_is_the_title() {
        let title = |yaml: &str| read(&lines(&format!("---\n{yaml}\n---\nText\n"))).unwrap().title;
        assert_eq!(title("meta:\n  title: Nested\ntitle: Top"), Some("Top".into()));
        assert_eq!(title("title:\n  - a list"), None);
        assert_eq!(title("name: &n Acme\ntitle: *n"), None);
        assert_eq!(
            title("? [complex, key]\n: value\ntitle: 'Quoted  title'"),
            Some("Quoted title".into())
        );
        // YAML escapes reach no terminal and no policy.toml as control characters.
        assert_eq!(
            title(r#"title: "Evil\e[2J\e]0;pwned\aTitle""#),
            Some("Evil[2J]0;pwnedTitle".into())
        );
    }

    /// Nine levels of nested aliases ("billion laughs"), a few hundred bytes: a loader that
    /// builds the document expands them into 9^9 strings (gigabytes); events cost nothing.
    #[test]
    fn nested_aliases_are_never_expanded() {
        let mut yaml = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..=9 {
            let previous = format!("*a{}", level - 1);
            let list = [previous.as_str(); 9].join(", ");
            yaml.push_str(&format!("a{level}: &a{level} [{list}]\n"));
        }
        yaml.push_str("title: Laughs\n");
        let found = read(&lines(&format!("---\n{yaml}---\nText\n"))).unwrap();
        assert_eq!(found.title.as_deref(), Some("Laughs"));
    }
}
