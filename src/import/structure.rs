//! The policy's structure recovered from its kept lines: blocks read in the capture's mode
//! (Markdown or plain text), headings and their levels, plain-text lists after a lead-in line
//! ending in ":", then written as CommonMark. Only whitespace and markup change; words never do.

use super::blocks::{detect_mode, read, Block, Item, Marker, Mode};
use super::capture::Line;
use super::dates::is_date_line;
use super::headings::{resolve, HeadingKind};
use super::markdown::write;
use super::report::StructureCounts;
use super::shape::{ends_like_sentence, word_count};

/// The recovered policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Structure {
    /// The Markdown body.
    pub body: String,
    /// Its title (the level-1 heading), if it has one.
    pub title: Option<String>,
    /// Headings, list items and paragraphs written.
    pub counts: StructureCounts,
}

/// Recovers the structure of the lines (dropped lines already blanked out). The body of a
/// version file (`markdown`) is CommonMark by definition; a capture's mode is detected.
pub(super) fn recover(lines: &[Line], markdown: bool) -> Structure {
    let mode = if markdown { Mode::Markdown } else { detect_mode(lines) };
    let plain = mode != Mode::Markdown;
    let mut blocks = resolve(read(lines, mode), plain);
    if plain {
        blocks = plain_lists(blocks, blank_separated(lines));
    }
    let title = blocks.iter().find_map(|b| match b {
        Block::Heading(h) if h.level == 1 => Some(h.text.clone()),
        _ => None,
    });
    Structure {
        body: write(&blocks),
        title,
        counts: count(&blocks),
    }
}

fn count(blocks: &[Block]) -> StructureCounts {
    let mut counts = StructureCounts::default();
    for block in blocks {
        match block {
            Block::Heading(h) => {
                counts.headings += 1;
                if !matches!(h.kind, HeadingKind::Markdown(_)) {
                    counts.recovered_headings += 1;
                }
            }
            Block::Item(item) => {
                counts.list_items += 1;
                if item.recovered {
                    counts.recovered_items += 1;
                }
            }
            Block::Paragraph(_) => counts.paragraphs += 1,
            Block::Verbatim { .. } => {}
        }
    }
    counts
}

/// Short lines in a plain-text list: at most this many words.
const SHORT_ITEM_WORDS: usize = 12;

/// True when most lines of text are followed by a blank line: then lines written without a
/// blank line between them belong together.
fn blank_separated(lines: &[Line]) -> bool {
    let text = lines.iter().filter(|l| !l.is_blank()).count();
    let spaced = (0..lines.len())
        .filter(|&i| !lines[i].is_blank() && lines.get(i + 1).is_none_or(Line::is_blank))
        .count();
    text >= 4 && spaced * 3 >= text * 2
}

/// Plain-text lists: after a paragraph ending in ":", the lines ending in ";" (or "; and",
/// "; or"), then one line ending in "." that closes the list; or a run of two or more short
/// lines (an address, a contact block). In text whose paragraphs are separated by blank lines,
/// two or more short lines written together are a list too.
fn plain_lists(blocks: Vec<Block>, blank_separated: bool) -> Vec<Block> {
    let mut items = vec![false; blocks.len()];
    if blank_separated {
        short_lines_together(&blocks, &mut items);
    }
    let paragraph = |i: usize| match blocks.get(i) {
        Some(Block::Paragraph(p)) if p.plain && !p.text.contains('\n') => Some(p.text.trim()),
        _ => None,
    };
    let mut i = 0;
    while i < blocks.len() {
        let leads_in = paragraph(i).is_some_and(|t| t.ends_with(':'));
        i += 1;
        if !leads_in {
            continue;
        }
        let start = i;
        let mut short_run = false;
        while let Some(text) = paragraph(i) {
            if continues_list(text) && !short_run {
                i += 1;
            } else if ends_like_sentence(text) && !short_run {
                i += 1;
                break;
            } else if word_count(text) <= SHORT_ITEM_WORDS
                && !text.ends_with(':')
                && !ends_like_sentence(text)
                && !is_date_line(text)
            {
                short_run = true;
                i += 1;
            } else {
                break;
            }
        }
        let run = start..i;
        let one_short_line = run.len() == 1 && short_run;
        if !run.is_empty() && !one_short_line {
            for flag in &mut items[run] {
                *flag = true;
            }
        }
    }
    blocks
        .into_iter()
        .zip(items)
        .map(|(block, is_item)| match block {
            Block::Paragraph(p) if is_item => Block::Item(Item {
                line: p.line,
                depth: 0,
                marker: Marker::Bullet,
                text: p.text,
                recovered: true,
                continuation: Vec::new(),
            }),
            other => other,
        })
        .collect()
}

/// Marks runs of two or more short plain paragraphs on consecutive lines of the capture.
fn short_lines_together(blocks: &[Block], items: &mut [bool]) {
    let short = |b: &Block| match b {
        Block::Paragraph(p) if p.plain && !p.text.contains('\n') => {
            let text = p.text.trim();
            word_count(text) <= SHORT_ITEM_WORDS && !text.ends_with(':') && !is_date_line(text)
        }
        _ => false,
    };
    let line = |b: &Block| match b {
        Block::Paragraph(p) => p.line,
        _ => 0,
    };
    let mut start = 0;
    while start < blocks.len() {
        let mut end = start + 1;
        if short(&blocks[start]) {
            while end < blocks.len() && short(&blocks[end]) && line(&blocks[end]) == line(&blocks[end - 1]) + 1 {
                end += 1;
            }
            if end - start >= 2 {
                items[start..end].iter_mut().for_each(|flag| *flag = true);
            }
        }
        start = end;
    }
}

/// A line that a list continues after: it ends in ";", "; and", "; or", ", and" or ", or".
fn continues_list(text: &str) -> bool {
    let text = text.trim_end();
    text.ends_with(';')
        || [" and", " or"]
            .iter()
            .any(|w| text.strip_suffix(w).is_some_and(|t| t.ends_with([';', ','])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::capture::lines;

    fn body(text: &str) -> String {
        recover(&lines(text, 1), false).body
    }

    #[test]
    fn lines_ending_in_semicolons_after_a_colon_are_a_list() {
        let text = "Some Policy Title\nWe use it for the following purposes and no others:\nto render the services;\nto track usage; and\nto invoice customers.\nA closing paragraph that is not part of the list at all.\n";
        assert_eq!(
            body(text),
            "# Some Policy Title\n\nWe use it for the following purposes and no others:\n\n- to render the services;\n- to track usage; and\n- to invoice customers.\n\nA closing paragraph that is not part of the list at all.\n"
        );
    }

    #[test]
    fn a_single_sentence_after_a_label_is_a_one_item_list() {
        let text = "Retention Period:\nData will be deleted 60 days after the account ends.\nNext paragraph goes here and is plain text.\n";
        assert!(body(text).contains("Retention Period:\n\n- Data will be deleted"));
    }

    #[test]
    fn short_lines_after_a_colon_are_a_list() {
        let text = "Contact our privacy officer in the following manner:\nAddress : 1 Main Street, Springfield\nPhone: +1 555 0100\nWe will answer promptly, within thirty days of your request.\n";
        let got = body(text);
        assert!(
            got.contains("\n\n- Address : 1 Main Street, Springfield\n- Phone: +1 555 0100\n\nWe will"),
            "{got}"
        );
    }

    #[test]
    fn short_lines_written_together_in_spaced_text_are_a_list() {
        let text = "TITLE\n\nA first paragraph of text that is long enough.\n\nOpt out here www.a.org/out\nOr there www.b.org/out\n\nA last paragraph of text that is long enough.\n";
        let got = body(text);
        assert!(
            got.contains("\n\n- Opt out here www.a.org/out\n- Or there www.b.org/out\n\n"),
            "{got}"
        );
    }

    #[test]
    fn markdown_paragraphs_after_a_colon_stay_paragraphs() {
        let text = "# T\n\nAs described below:\n\n**Lead.** We may share.\n";
        assert_eq!(body(text), text);
    }

    #[test]
    fn output_is_a_fixed_point() {
        let text = "ACME POLICY\nIntro with enough words to be a paragraph here.\nSCOPE\n1. not a heading.\n- a dash line\n<b>bold</b> text\n";
        let once = body(text);
        assert_eq!(recover(&lines(&once, 1), true).body, once);
    }
}
