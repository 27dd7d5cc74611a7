//! A capture's YAML front matter (`---` … `---` at the very top, as docs-as-code sites such as
//! Jekyll, Hugo and GitHub Docs write it): read, never rendered. Only `title` is used; every
//! other line is reported as dropped. The only user of the YAML parser.

use yaml_rust2::{Yaml, YamlLoader};

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
    let documents = YamlLoader::load_from_str(&inner.join("\n")).ok()?;
    let Some(Yaml::Hash(mapping)) = documents.into_iter().next() else {
        return None;
    };
    let title = mapping
        .get(&Yaml::String("title".into()))
        .and_then(Yaml::as_str)
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    Some(YamlFrontMatter {
        lines: lines[..=close].iter().map(|l| l.number).collect(),
        title,
    })
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
    }
}
