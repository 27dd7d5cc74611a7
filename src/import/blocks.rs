//! A capture's kept lines read into blocks: paragraphs, list items, Markdown headings and
//! verbatim blocks (tables, HTML, quotes, fences, rules). A Markdown extract keeps its Markdown
//! meaning except that indentation never makes code; plain text has one block per line (or per
//! paragraph when it is hard-wrapped). Deciding which paragraphs are headings is not done here.

use super::capture::Line;
use super::headings::{heading_shape, HeadingKind};
use super::shape::{atx_heading, bullet, is_rule, ordered, Fence};

/// How the capture's lines make blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Markdown: blank lines separate paragraphs, `#`, `*`, `1.` keep their meaning.
    Markdown,
    /// Text scraped from a page: every line is a block.
    Plain,
    /// Plain text wrapped at a fixed width: blank lines separate paragraphs.
    Wrapped,
}

/// A block of the version being built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Block {
    /// A heading with its level (1 for the title).
    Heading(Heading),
    /// A paragraph.
    Paragraph(Paragraph),
    /// A list item.
    Item(Item),
    /// Lines written back as they are (tables, HTML, block quotes, fenced code, rules).
    Verbatim {
        /// First line number in the capture.
        line: usize,
        /// The lines.
        lines: Vec<String>,
    },
}

/// A heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Heading {
    /// Line number in the capture.
    pub line: usize,
    /// 1 (title) to 6.
    pub level: u8,
    /// The heading's text, without `#` or emphasis markers.
    pub text: String,
    /// What made it a heading.
    pub kind: HeadingKind,
}

/// A paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Paragraph {
    /// First line number in the capture.
    pub line: usize,
    /// The text on one line (hard line breaks kept as `\` + newline).
    pub text: String,
    /// True when the text is plain text, not Markdown: anything that would read as Markdown
    /// block markers or HTML must be escaped when written.
    pub plain: bool,
}

/// A list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Item {
    /// Line number in the capture.
    pub line: usize,
    /// Nesting depth, 0 for a top-level item.
    pub depth: usize,
    /// Its marker.
    pub marker: Marker,
    /// The item's first line.
    pub text: String,
    /// Lines that continue the item's text (written indented under it).
    pub continuation: Vec<String>,
    /// True when the item was recovered from plain text or a typographic bullet.
    pub recovered: bool,
}

/// A list item's marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Marker {
    /// `-`.
    Bullet,
    /// `1.` or `1)` as captured.
    Ordered(String),
}

/// Which mode the lines are in: Markdown when any line uses Markdown syntax, else plain text,
/// wrapped when most lines run on into the next one at a fixed width.
pub(super) fn detect_mode(lines: &[Line]) -> Mode {
    let markdown = lines.iter().any(|l| {
        let text = l.text.trim();
        atx_heading(text).is_some_and(|(_, t)| !t.is_empty())
            || bullet(text).is_some_and(|(md, _)| md)
            || text.starts_with("> ")
            || text.contains("](")
            || text.contains("<http")
            || text.matches("**").count() >= 2
    });
    if markdown {
        return Mode::Markdown;
    }
    let text: Vec<&Line> = lines.iter().filter(|l| !l.is_blank()).collect();
    let mut lengths: Vec<usize> = text.iter().map(|l| l.text.chars().count()).collect();
    lengths.sort_unstable();
    let p90 = lengths.get(lengths.len() * 9 / 10).copied().unwrap_or(0);
    let runs_on = lines
        .windows(2)
        .filter(|w| !w[0].is_blank() && !w[1].is_blank() && w[0].text.chars().count() >= 40)
        .count();
    if p90 <= 100 && runs_on * 2 >= text.len() && text.len() >= 4 {
        Mode::Wrapped
    } else {
        Mode::Plain
    }
}

/// The lines read into blocks.
pub(super) fn read(lines: &[Line], mode: Mode) -> Vec<Block> {
    let blocks = match mode {
        Mode::Markdown => read_markdown(lines),
        Mode::Plain | Mode::Wrapped => read_plain(lines, mode == Mode::Wrapped),
    };
    split_joined_paragraphs(blocks)
}

/// Columns of leading whitespace (a tab counts 4).
fn indentation(text: &str) -> usize {
    text.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// Open list levels, by the indentation of their items.
#[derive(Default)]
struct ListLevels(Vec<usize>);

impl ListLevels {
    /// The depth of an item indented by `indent`: two or more columns deeper than the current
    /// item opens a level, shallower closes levels, anything else is a sibling.
    fn depth(&mut self, indent: usize) -> usize {
        while self.0.last().is_some_and(|&top| top > indent + 1) {
            self.0.pop();
        }
        match self.0.last() {
            Some(&top) if indent >= top + 2 => self.0.push(indent),
            Some(_) => {}
            None => self.0.push(indent),
        }
        self.0.len() - 1
    }

    fn close(&mut self) {
        self.0.clear();
    }
}

/// Runs of spaces and tabs as one space, so that nothing inside a quote reads as indented code.
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c == ' ' || c == '\t' {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// A setext underline: its heading level.
fn setext(text: &str) -> Option<u8> {
    if !text.is_empty() && text.chars().all(|c| c == '=') {
        Some(1)
    } else if text.len() >= 2 && text.chars().all(|c| c == '-') {
        Some(2)
    } else {
        None
    }
}

/// A line kept as it is with the lines after it that start the same way: block quotes (`>`) and
/// tables (`|`). Raw HTML is left to paragraphs (the site sanitizes it).
fn verbatim_mark(text: &str) -> Option<char> {
    text.chars().next().filter(|c| matches!(c, '>' | '|'))
}

/// A numbered line that reads as a heading ("1. INTRODUCTION"), not as a list item.
fn numbered_heading(text: &str, plain: bool) -> bool {
    heading_shape(text, plain).is_some_and(|s| matches!(s.kind, HeadingKind::Numbered(_)))
}

struct MarkdownReader {
    blocks: Vec<Block>,
    paragraph: Vec<(usize, String, bool)>,
    levels: ListLevels,
    in_item: bool,
}

impl MarkdownReader {
    fn flush(&mut self) {
        let Some(&(line, _, _)) = self.paragraph.first() else {
            return;
        };
        let mut text = String::new();
        // A hard line break (a trailing backslash, or two trailing spaces written as a
        // backslash) keeps its line end; other line ends become spaces.
        for (i, (_, part, spaces)) in self.paragraph.iter().enumerate() {
            text.push_str(part);
            if i + 1 < self.paragraph.len() {
                text.push_str(match (part.ends_with('\\'), spaces) {
                    (true, _) => "\n",
                    (false, true) => "\\\n",
                    (false, false) => " ",
                });
            }
        }
        self.paragraph.clear();
        self.blocks.push(Block::Paragraph(Paragraph {
            line,
            text,
            plain: false,
        }));
    }

    fn end_list(&mut self) {
        self.levels.close();
        self.in_item = false;
    }
}

fn read_markdown(lines: &[Line]) -> Vec<Block> {
    let mut r = MarkdownReader {
        blocks: Vec::new(),
        paragraph: Vec::new(),
        levels: ListLevels::default(),
        in_item: false,
    };
    let mut i = 0;
    while i < lines.len() {
        let (number, raw) = (lines[i].number, lines[i].text.as_str());
        let text = raw.trim();
        i += 1;
        if text.is_empty() {
            r.flush();
            r.in_item = false;
            continue;
        }
        if let Some(fence) = Fence::opened_by(text) {
            r.flush();
            r.end_list();
            let mut block = vec![raw.trim_end().to_string()];
            while i < lines.len() {
                let line = lines[i].text.trim_end();
                i += 1;
                block.push(line.to_string());
                if fence.closed_by(line.trim_start()) {
                    break;
                }
            }
            r.blocks.push(Block::Verbatim {
                line: number,
                lines: block,
            });
            continue;
        }
        if let Some((level, title)) = atx_heading(text) {
            r.flush();
            r.end_list();
            r.blocks.push(Block::Heading(Heading {
                line: number,
                level,
                text: title.to_string(),
                kind: HeadingKind::Markdown(level),
            }));
            continue;
        }
        if !r.paragraph.is_empty() && !r.in_item {
            if let Some(level) = setext(text) {
                let title: Vec<String> = r.paragraph.drain(..).map(|(_, t, _)| t).collect();
                r.blocks.push(Block::Heading(Heading {
                    line: number - 1,
                    level,
                    text: title.join(" "),
                    kind: HeadingKind::Markdown(level),
                }));
                continue;
            }
        }
        if is_rule(text) {
            r.flush();
            r.end_list();
            r.blocks.push(Block::Verbatim {
                line: number,
                lines: vec![text.to_string()],
            });
            continue;
        }
        let item = match (bullet(text), ordered(text)) {
            (Some((markdown, rest)), _) => Some((Marker::Bullet, rest, !markdown)),
            (None, Some((marker, rest))) if !numbered_heading(text, false) => {
                Some((Marker::Ordered(marker.into()), rest, false))
            }
            _ => None,
        };
        if let Some((marker, rest, recovered)) = item {
            r.flush();
            let depth = r.levels.depth(indentation(raw));
            r.blocks.push(Block::Item(Item {
                line: number,
                depth,
                marker,
                text: rest.to_string(),
                recovered,
                continuation: Vec::new(),
            }));
            r.in_item = true;
            continue;
        }
        // A block quote interrupts a paragraph; a table row does not.
        if let Some(mark) = verbatim_mark(text).filter(|&m| m == '>' || r.paragraph.is_empty()) {
            r.flush();
            r.end_list();
            let tidy = |line: &str| {
                if mark == '>' {
                    collapse_spaces(line)
                } else {
                    line.to_string()
                }
            };
            let mut block = vec![tidy(text)];
            while i < lines.len() && lines[i].text.trim_start().starts_with(mark) {
                block.push(tidy(lines[i].text.trim()));
                i += 1;
            }
            r.blocks.push(Block::Verbatim {
                line: number,
                lines: block,
            });
            continue;
        }
        if r.in_item {
            if let Some(Block::Item(item)) = r.blocks.last_mut() {
                item.continuation.push(text.to_string());
                continue;
            }
        }
        if r.paragraph.is_empty() {
            r.end_list();
        }
        r.paragraph.push((number, text.to_string(), raw.ends_with("  ")));
    }
    r.flush();
    r.blocks
}

fn read_plain(lines: &[Line], wrapped: bool) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut levels = ListLevels::default();
    let mut joining = false;
    for line in lines {
        let text = line.text.trim();
        if text.is_empty() {
            joining = false;
            continue;
        }
        let item = match (bullet(text), ordered(text)) {
            (Some((_, rest)), _) => Some((Marker::Bullet, rest)),
            (None, Some((marker, rest))) if !numbered_heading(text, true) => {
                Some((Marker::Ordered(marker.into()), rest))
            }
            _ => None,
        };
        if let Some((marker, rest)) = item {
            blocks.push(Block::Item(Item {
                line: line.number,
                depth: levels.depth(indentation(&line.text)),
                marker,
                text: rest.to_string(),
                recovered: true,
                continuation: Vec::new(),
            }));
            joining = false;
            continue;
        }
        levels.close();
        if joining {
            if let Some(Block::Paragraph(p)) = blocks.last_mut() {
                p.text.push(' ');
                p.text.push_str(text);
                continue;
            }
        }
        blocks.push(Block::Paragraph(Paragraph {
            line: line.number,
            text: text.to_string(),
            plain: true,
        }));
        joining = wrapped;
    }
    blocks
}

/// Web-archive extracts join the page's paragraphs on one line with " \u{a0} " (a no-break
/// space between spaces) after the end of a sentence or of emphasis: split them again. A piece
/// or a line after a hard break that starts with a typographic bullet becomes a list item.
fn split_joined_paragraphs(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    for block in blocks {
        let Block::Paragraph(p) = block else {
            out.push(block);
            continue;
        };
        for piece in paragraph_pieces(&p.text) {
            let mut paragraph: Vec<&str> = Vec::new();
            let mut item: Option<Item> = None;
            for line in piece.split('\n') {
                if let Some((false, text)) = bullet(line) {
                    flush_piece(&mut out, &p, &mut paragraph, item.take());
                    item = Some(Item {
                        line: p.line,
                        depth: 0,
                        marker: Marker::Bullet,
                        text: text.to_string(),
                        recovered: true,
                        continuation: Vec::new(),
                    });
                } else if let Some(item) = item.as_mut() {
                    item.continuation.push(line.to_string());
                } else {
                    paragraph.push(line);
                }
            }
            flush_piece(&mut out, &p, &mut paragraph, item);
        }
    }
    out
}

/// Writes out the paragraph lines gathered so far, then the item that followed them.
fn flush_piece(out: &mut Vec<Block>, from: &Paragraph, paragraph: &mut Vec<&str>, item: Option<Item>) {
    if !paragraph.is_empty() {
        out.push(Block::Paragraph(Paragraph {
            line: from.line,
            text: paragraph.join("\n"),
            plain: from.plain,
        }));
        paragraph.clear();
    }
    out.extend(item.map(Block::Item));
}

/// The pieces of a line joined with " \u{a0} " separators.
fn paragraph_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    let mut before: Option<char> = None;
    while let Some((at, c)) = chars.next() {
        if !c.is_whitespace() {
            before = Some(c);
            continue;
        }
        let mut end = at + c.len_utf8();
        let mut last = c;
        let mut has_nbsp = c == '\u{a0}';
        while let Some(&(next_at, next)) = chars.peek() {
            if !next.is_whitespace() {
                break;
            }
            has_nbsp |= next == '\u{a0}';
            last = next;
            end = next_at + next.len_utf8();
            chars.next();
        }
        let separates = has_nbsp
            && c != '\u{a0}'
            && last != '\u{a0}'
            && before.is_some_and(|b| !b.is_alphanumeric() && b != ',')
            && end < text.len();
        if separates {
            let piece = text[start..at].trim();
            if !piece.is_empty() {
                pieces.push(piece);
                start = end;
            }
        }
    }
    let last = text[start..].trim();
    if !last.is_empty() || pieces.is_empty() {
        pieces.push(last);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::capture::lines;

    fn blocks(text: &str) -> Vec<Block> {
        let lines = lines(text, 1);
        read(&lines, detect_mode(&lines))
    }

    fn items(blocks: &[Block]) -> Vec<(usize, &str)> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Item(i) => Some((i.depth, i.text.as_str())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn indented_bullets_are_list_items_not_code() {
        let got = blocks("Intro:\n\n      * First\n\n\n    * Second\n\n\n\n\u{a0} \u{a0} After the list.\n");
        assert_eq!(items(&got), vec![(0, "First"), (0, "Second")]);
        assert!(matches!(&got[3], Block::Paragraph(p) if p.text == "After the list."));
    }

    #[test]
    fn a_fence_ends_at_a_run_as_long_as_its_own() {
        let got = blocks("Intro text.\n\n````\n```\n* not an item\n````\n\n* an item\n");
        assert!(
            matches!(&got[1], Block::Verbatim { lines, .. } if lines == &["````", "```", "* not an item", "````"]),
            "{got:?}"
        );
        assert_eq!(items(&got), vec![(0, "an item")]);
        // Code in a list item ends with the item's fence, not the document's.
        let got = blocks("Intro text.\n\n- ```\n  code\n  ```\n\n* an item\n");
        assert_eq!(items(&got), vec![(0, "an item")], "{got:?}");
    }

    #[test]
    fn nested_bullets_keep_their_depth() {
        let got = blocks("* a\n  * b\n    * c\n* d\n");
        assert_eq!(items(&got), vec![(0, "a"), (1, "b"), (2, "c"), (0, "d")]);
    }

    #[test]
    fn lazy_lines_continue_their_item() {
        let got = blocks("* **Lead:** text\nmore text\n\nParagraph.\n");
        assert_eq!(items(&got), vec![(0, "**Lead:** text")]);
        assert!(matches!(&got[0], Block::Item(i) if i.continuation == ["more text"]));
    }

    #[test]
    fn plain_text_has_one_block_per_line() {
        let got = blocks("Title Here\nFirst line of text.\nSecond line of text.\n• Bullet\n");
        assert_eq!(got.len(), 4);
        assert!(matches!(&got[3], Block::Item(i) if i.recovered && i.text == "Bullet"));
    }

    #[test]
    fn wrapped_plain_text_joins_its_paragraphs() {
        let text = "This policy explains how we collect and use your personal\ninformation when you visit our site or use our services\nand what choices you have about it.\n\nWe keep it safe and we never sell it to anyone else at\nall, whatever happens to the company in the future.\n";
        let got = blocks(text);
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn setext_headings_and_rules() {
        let got = blocks("Title\n=====\n\nText **bold** here.\n\n---\n");
        assert!(matches!(&got[0], Block::Heading(h) if h.text == "Title" && h.level == 1));
        assert!(matches!(&got[2], Block::Verbatim { lines, .. } if lines == &["---"]));
    }

    #[test]
    fn splits_lines_joined_with_no_break_spaces() {
        assert_eq!(
            paragraph_pieces("One. \u{a0} Two \u{a0} three. \u{a0} **Bold** \u{a0} Four.\u{a0} Five"),
            vec!["One.", "Two \u{a0} three.", "**Bold**", "Four.\u{a0} Five"]
        );
        assert_eq!(paragraph_pieces("Date: \u{a0}December"), vec!["Date: \u{a0}December"]);
        assert_eq!(paragraph_pieces("End. \u{a0} "), vec!["End."]);
    }

    #[test]
    fn caps_numbered_lines_are_not_list_items() {
        let got = blocks("# T\n\n1. INTRODUCTION\n\n1. first item\n");
        assert!(matches!(&got[1], Block::Paragraph(p) if p.text == "1. INTRODUCTION"));
        assert!(matches!(&got[2], Block::Item(_)));
    }
}
