//! Headings: which standalone lines are headings (Markdown `#`, bold-only, capitals, section
//! numbers, title case) and at which level, so that a version reads as one title over sections
//! and sub-sections with no level skipped. A table of contents made of heading-like lines
//! becomes a list instead of a run of empty sections.

use std::collections::{BTreeMap, BTreeSet};

use super::blocks::{Block, Heading, Item, Marker};
use super::markdown::escape_block_start;
use super::shape::{
    atx_heading, emphasis_only, ends_like_sentence, has_address, is_all_caps, is_title_case, section_number, word_count,
};

/// What makes a line a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HeadingKind {
    /// A Markdown heading (`#` to `######`, or underlined), with its level as captured.
    Markdown(u8),
    /// A line made only of bold (or italic) text.
    Emphasis,
    /// A short line in capitals.
    Caps,
    /// A line starting with a section number, with the number's depth ("3.1" is 2).
    Numbered(usize),
    /// A short title-case line between paragraphs (plain text only).
    TitleCase,
}

/// The heading a standalone line could be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Shape {
    /// What makes it a heading.
    pub kind: HeadingKind,
    /// The heading's text.
    pub text: String,
}

/// Bold-only lines longer than this are emphasised paragraphs, not headings.
const MAX_BOLD_WORDS: usize = 16;
/// Italic-only lines longer than this are emphasised paragraphs.
const MAX_ITALIC_WORDS: usize = 8;
/// Capitals longer than this are shouted sentences, not headings.
const MAX_CAPS_WORDS: usize = 12;
/// The title after a section number.
const MAX_NUMBERED_WORDS: usize = 14;
/// Title-case headings in plain text.
const MAX_TITLE_WORDS: usize = 8;

/// The heading a standalone line (trimmed) could be, judged from its text alone. `plain` allows
/// the riskier shapes that only plain text needs (title case, "1. Title" without capitals).
pub(super) fn heading_shape(text: &str, plain: bool) -> Option<Shape> {
    if let Some((level, title)) = atx_heading(text) {
        return Some(Shape {
            kind: HeadingKind::Markdown(level),
            text: heading_text(title),
        });
    }
    if let Some(inner) = emphasis_only(text) {
        let bold = text.starts_with("**") || text.starts_with("__");
        let words = word_count(&inner);
        let fits = if bold {
            words <= MAX_BOLD_WORDS
        } else {
            words <= MAX_ITALIC_WORDS && !ends_like_sentence(&inner) && !inner.ends_with(':')
        };
        if !fits {
            return None;
        }
        let kind = section_number(&inner).map_or(HeadingKind::Emphasis, |(depth, _)| HeadingKind::Numbered(depth));
        return Some(Shape { kind, text: inner });
    }
    let shape = |kind| {
        Some(Shape {
            kind,
            text: text.to_string(),
        })
    };
    if let Some((depth, title)) = section_number(text) {
        let reads_as_title = depth >= 2 || is_all_caps(title) || (plain && is_title_case(title));
        let fits = word_count(title) <= MAX_NUMBERED_WORDS && !ends_like_sentence(title) && !has_address(title);
        return if reads_as_title && fits {
            shape(HeadingKind::Numbered(depth))
        } else {
            None
        };
    }
    let words = word_count(text);
    if words == 0 || ends_like_sentence(text) || has_address(text) {
        return None;
    }
    if is_all_caps(text) && words <= MAX_CAPS_WORDS {
        return shape(HeadingKind::Caps);
    }
    let title_case =
        plain && words <= MAX_TITLE_WORDS && is_title_case(text) && !text.contains([':', '|', '>', '»', '›']);
    if title_case {
        return shape(HeadingKind::TitleCase);
    }
    None
}

/// A Markdown heading's text: emphasis around all of it removed (`**Security**` → `Security`).
fn heading_text(title: &str) -> String {
    emphasis_only(title).unwrap_or_else(|| title.to_string())
}

/// Turns heading-like paragraphs into headings, tables of contents into lists, and gives every
/// heading its level: 1 for the title (a heading before any text), then 2 and deeper.
pub(super) fn resolve(blocks: Vec<Block>, plain: bool) -> Vec<Block> {
    let mut shapes: Vec<Option<Shape>> = blocks
        .iter()
        .map(|b| match b {
            // A paragraph with a hard line break is never a heading. One that starts with `#`
            // (split from a longer line) is judged as it will be written: escaped.
            Block::Paragraph(p) if !p.text.contains('\n') => {
                let text = p.text.trim();
                let written = if atx_heading(text).is_some() {
                    escape_block_start(text)
                } else {
                    text.to_string()
                };
                heading_shape(&written, plain).filter(|s| !matches!(s.kind, HeadingKind::Markdown(_)))
            }
            Block::Heading(h) => Some(Shape {
                kind: h.kind,
                text: heading_text(&h.text),
            }),
            _ => None,
        })
        .collect();
    keep_title_case_between_text(&blocks, &mut shapes);
    let contents = tables_of_contents(&shapes);
    let title = blocks
        .iter()
        .zip(&shapes)
        .position(|(_, s)| s.is_some())
        .filter(|&i| !blocks[..i].iter().any(|b| !matches!(b, Block::Heading(_))));
    let mut levels = Levels::new(&blocks, &shapes, title, plain);
    let mut out = Vec::with_capacity(blocks.len());
    for (i, (block, shape)) in blocks.into_iter().zip(shapes).enumerate() {
        let line = block_line(&block);
        match shape {
            Some(shape) if contents.contains(&i) => out.push(Block::Item(Item {
                line,
                depth: 0,
                marker: Marker::Bullet,
                text: shape.text,
                recovered: true,
                continuation: Vec::new(),
            })),
            Some(shape) => {
                let under_heading = matches!(out.last(), Some(Block::Heading(_)));
                let level = if Some(i) == title {
                    1
                } else {
                    levels.next(shape.kind, under_heading)
                };
                out.push(Block::Heading(Heading {
                    line,
                    level,
                    text: shape.text,
                    kind: shape.kind,
                }));
            }
            None => out.push(block),
        }
    }
    out
}

fn block_line(block: &Block) -> usize {
    match block {
        Block::Heading(h) => h.line,
        Block::Paragraph(p) => p.line,
        Block::Item(i) => i.line,
        Block::Verbatim { line, .. } => *line,
    }
}

/// A title-case line is a heading only between real text: after a heading, a list or a
/// paragraph that is not a short label or a lead-in ending in ":", and before text or a list.
fn keep_title_case_between_text(blocks: &[Block], shapes: &mut [Option<Shape>]) {
    let is_text = |b: &Block| match b {
        Block::Paragraph(p) => word_count(&p.text) >= 6,
        Block::Item(_) => true,
        Block::Heading(_) | Block::Verbatim { .. } => false,
    };
    let leads_in = |b: &Block| matches!(b, Block::Paragraph(p) if p.text.trim_end().ends_with(':'));
    for i in 0..blocks.len() {
        if !matches!(&shapes[i], Some(s) if s.kind == HeadingKind::TitleCase) {
            continue;
        }
        let before = i == 0 || shapes[i - 1].is_some() || (is_text(&blocks[i - 1]) && !leads_in(&blocks[i - 1]));
        let after = i + 1 < blocks.len() && shapes[i + 1].is_none() && is_text(&blocks[i + 1]);
        if !(before && after) {
            shapes[i] = None;
        }
    }
}

/// Heading-like lines that form a table of contents: a run of three or more with no text
/// between them, most of which come back later as headings. The run's last line is the first
/// section's heading unless it comes back later too.
fn tables_of_contents(shapes: &[Option<Shape>]) -> BTreeSet<usize> {
    let mut contents = BTreeSet::new();
    // Each heading's words, made once: each is compared with every later one.
    let headings: Vec<(usize, BTreeSet<String>)> = shapes
        .iter()
        .enumerate()
        .filter_map(|(i, shape)| shape.as_ref().map(|s| (i, title_words(&s.text))))
        .collect();
    if headings.len() > MAX_HEADINGS {
        return contents;
    }
    let recovered = |s: &Option<Shape>| s.as_ref().is_some_and(|s| !matches!(s.kind, HeadingKind::Markdown(_)));
    let mut i = 0;
    while i < shapes.len() {
        if !recovered(&shapes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < shapes.len() && recovered(&shapes[i]) {
            i += 1;
        }
        let run = start..i;
        if run.len() < 3 {
            continue;
        }
        // Whether heading `j` comes back as a heading from shape `from` on.
        let comes_back = |j: usize, from: usize| {
            let Some(at) = headings.binary_search_by_key(&j, |(i, _)| *i).ok() else {
                return false;
            };
            let later = headings.partition_point(|(i, _)| *i < from);
            headings[later..]
                .iter()
                .any(|(_, words)| similar_words(&headings[at].1, words))
        };
        let entries = start..i - 1;
        let back = entries.clone().filter(|&j| comes_back(j, j + 1)).count();
        if back * 2 >= entries.len() {
            contents.extend(entries);
            if comes_back(i - 1, i) {
                contents.insert(i - 1);
            }
        }
    }
    contents
}

/// Past this many heading-like lines, a capture's tables of contents are not looked for: each
/// heading is compared with every later one, and real policies have tens (a capture of
/// thousands of upper-case lines would take minutes).
const MAX_HEADINGS: usize = 2_000;

/// A title's words, lowercase, as [`similar_words`] compares them.
fn title_words(title: &str) -> BTreeSet<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// True when two titles' words are mostly shared ("HYPERLINKS AND THIRD-PARTY" and
/// "HYPERLINKS AND THIRD PARTIES").
fn similar_words(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let common = a.intersection(b).count();
    let all = a.len() + b.len() - common;
    all > 0 && common * 5 >= all * 3
}

/// The running state that gives each heading its level.
struct Levels {
    plain: bool,
    /// Markdown levels as captured → levels written (the title's excluded), in order of depth.
    markdown: BTreeMap<u8, u8>,
    previous: u8,
    last_numbered: Option<(usize, u8)>,
    last_section: Option<u8>,
}

impl Levels {
    fn new(blocks: &[Block], shapes: &[Option<Shape>], title: Option<usize>, plain: bool) -> Levels {
        let captured: BTreeSet<u8> = blocks
            .iter()
            .enumerate()
            .filter(|&(i, _)| Some(i) != title)
            .filter_map(|(i, _)| match shapes[i].as_ref().map(|s| s.kind) {
                Some(HeadingKind::Markdown(level)) => Some(level),
                _ => None,
            })
            .collect();
        let markdown = captured.into_iter().zip(2u8..).collect();
        Levels {
            plain,
            markdown,
            previous: 1,
            last_numbered: None,
            last_section: None,
        }
    }

    /// The level of the next heading (not the title): never more than one below the previous
    /// heading, between 2 and 6. `under_heading` is true when no text separates it from the
    /// previous heading.
    fn next(&mut self, kind: HeadingKind, under_heading: bool) -> u8 {
        let wanted = match kind {
            HeadingKind::Markdown(level) => self.markdown.get(&level).copied().unwrap_or(2),
            HeadingKind::Numbered(depth) => match self.last_numbered {
                Some((d0, l0)) => (usize::from(l0) + depth).saturating_sub(d0).min(6) as u8,
                None => {
                    let base = if self.plain { 2 } else { self.previous + 1 };
                    (usize::from(base) + depth - 1).min(6) as u8
                }
            },
            HeadingKind::Caps if self.plain => 2,
            HeadingKind::TitleCase => self.last_section.map_or(2, |l| l + 1),
            // A bold line right under a heading opens its first sub-section; after text, it
            // starts a section at the level of the heading above.
            HeadingKind::Emphasis | HeadingKind::Caps if under_heading => self.previous + 1,
            HeadingKind::Emphasis | HeadingKind::Caps => self.previous,
        };
        let level = wanted.clamp(2, (self.previous + 1).min(6));
        self.previous = level;
        match kind {
            HeadingKind::Numbered(depth) => {
                self.last_numbered = Some((depth, level));
                self.last_section = Some(level);
            }
            HeadingKind::Caps => self.last_section = Some(level),
            _ => {}
        }
        level
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::blocks::{detect_mode, read, Mode};
    use crate::import::capture::lines;

    fn kind(text: &str, plain: bool) -> Option<HeadingKind> {
        heading_shape(text, plain).map(|s| s.kind)
    }

    #[test]
    fn shapes_of_headings() {
        assert_eq!(kind("### **Security**", false), Some(HeadingKind::Markdown(3)));
        assert_eq!(kind("**Blog / Forum**", false), Some(HeadingKind::Emphasis));
        assert_eq!(kind("**1. Scope**", false), Some(HeadingKind::Numbered(1)));
        assert_eq!(kind("**Information we collect:**", false), Some(HeadingKind::Emphasis));
        assert_eq!(kind("_Note:_", false), None);
        assert_eq!(kind("SCOPE AND APPLICATION", false), Some(HeadingKind::Caps));
        assert_eq!(kind("3.1 XM Fax", false), Some(HeadingKind::Numbered(2)));
        assert_eq!(kind("1. Introduction", true), Some(HeadingKind::Numbered(1)));
        assert_eq!(kind("1. Introduction", false), None);
        assert_eq!(
            kind("Information From Other Sources", true),
            Some(HeadingKind::TitleCase)
        );
        assert_eq!(kind("Information From Other Sources", false), None);
        assert_eq!(kind("WE DO NOT SELL YOUR DATA.", true), None);
        assert_eq!(
            kind(
                "**By using the site you agree to all of these terms and to every one of our other policies too**",
                false
            ),
            None
        );
        assert_eq!(kind("Retention Period:", true), None);
        assert_eq!(kind("Contact: Privacy Office", true), None);
        assert_eq!(kind("NAI Opt Out Page www.networkadvertising.org", true), None);
    }

    fn outline(text: &str) -> Vec<String> {
        let lines = lines(text, 1);
        let mode = detect_mode(&lines);
        resolve(read(&lines, mode), mode != Mode::Markdown)
            .into_iter()
            .map(|b| match b {
                Block::Heading(h) => format!("{} {}", h.level, h.text),
                Block::Item(i) => format!("- {}", i.text),
                Block::Paragraph(p) => format!("p {}", p.text.chars().take(12).collect::<String>()),
                Block::Verbatim { .. } => "v".into(),
            })
            .collect()
    }

    #[test]
    fn markdown_levels_are_compacted_and_never_skip() {
        let text =
            "# Title\n\nIntro text here.\n\n#### **Early**\n\nText.\n\n### **Section**\n\n#### **Sub**\n\nText.\n";
        assert_eq!(
            outline(text),
            vec![
                "1 Title",
                "p Intro text h",
                "2 Early",
                "p Text.",
                "2 Section",
                "3 Sub",
                "p Text."
            ]
        );
    }

    #[test]
    fn bold_lines_open_sub_sections_under_a_heading_and_are_peers_after_text() {
        let text = "# T\n\n#### **What do we collect** **?**\n\n**Information you give us.**\n\nText.\n\n**Information we see.**\n\nText.\n\n## **Will it change** **?**\n\nText.\n\n**Contact**\n\nText.\n";
        assert_eq!(
            outline(text),
            vec![
                "1 T",
                "2 What do we collect?",
                "3 Information you give us.",
                "p Text.",
                "3 Information we see.",
                "p Text.",
                "2 Will it change?",
                "p Text.",
                "2 Contact",
                "p Text."
            ]
        );
    }

    #[test]
    fn plain_text_capitals_numbers_and_title_case() {
        let text = "ACME PRIVACY STATEMENT\nA first paragraph of the statement with enough words.\nCOLLECTED DATA\nA paragraph about the data we collect from you.\n3.1 Cookies\nA paragraph about the cookies we set in your browser.\nOther Sources\nA paragraph about the other sources that we use.\n";
        assert_eq!(
            outline(text),
            vec![
                "1 ACME PRIVACY STATEMENT",
                "p A first para",
                "2 COLLECTED DATA",
                "p A paragraph ",
                "3 3.1 Cookies",
                "p A paragraph ",
                "4 Other Sources",
                "p A paragraph "
            ]
        );
    }

    #[test]
    fn a_table_of_contents_becomes_a_list() {
        let text = "ACME POLICY\nIntro paragraph of the policy, long enough to be text.\nSCOPE\nWHAT WE COLLECT\nHYPERLINKS AND THIRD-PARTY\nSCOPE\nText about the scope of this policy and its reach.\nWHAT WE COLLECT\nText about what we collect and why we collect it.\nHYPERLINKS AND THIRD PARTIES\nText about links to other sites and their policies.\n";
        let got = outline(text);
        assert_eq!(
            &got[2..6],
            [
                "- SCOPE",
                "- WHAT WE COLLECT",
                "- HYPERLINKS AND THIRD-PARTY",
                "2 SCOPE"
            ]
        );
    }

    #[test]
    fn title_case_lines_among_short_lines_stay_text() {
        let text = "Contact us:\nAcme Inc\nMain Street\nA long closing paragraph with more than six words in it.\n";
        assert!(outline(text).iter().all(|b| !b.starts_with(char::is_numeric)));
    }
}
