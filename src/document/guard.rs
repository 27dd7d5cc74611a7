//! What a body is when pulldown-cmark cannot parse it: the parser panics on a few malformed
//! inputs, and captured policies are untrusted. A panic while parsing is caught (and not
//! printed: the build says what it did), and the body falls back to plain paragraphs.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use super::{count_words, Block, BlockKind, Document};
use crate::html::escape_html;

thread_local! {
    /// This thread is parsing: a panic here is caught and handled, not reported.
    static PARSING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `parse`, `None` if it panicked. The panic hook stays quiet for panics caught here and
/// reports every other one as before.
pub(super) fn quietly<T>(parse: impl FnOnce() -> T) -> Option<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !PARSING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = PARSING.with(|p| p.replace(true));
    let result = catch_unwind(AssertUnwindSafe(parse));
    PARSING.with(|p| p.set(outer));
    result.ok()
}

/// A body as paragraphs of plain text (split at blank lines, every run of whitespace one
/// space), its markup shown as written.
pub(super) fn plain_paragraphs(markdown: &str) -> Document {
    let mut blocks = Vec::new();
    let mut line = 1;
    for chunk in markdown.split("\n\n") {
        let text = chunk.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            let leading = chunk.len() - chunk.trim_start_matches('\n').len();
            blocks.push(Block {
                kind: BlockKind::Paragraph,
                level: 0,
                html: escape_html(&text).into(),
                words: count_words(&text),
                text: text.into(),
                list_open: None,
                list_close: false,
                footnote: None,
                anchors: Vec::new(),
                line: line + leading,
            });
        }
        line += chunk.matches('\n').count() + 2;
    }
    Document { blocks }
}

#[cfg(test)]
mod tests {
    use crate::document::{parse, parse_versions, BlockKind};

    /// A body pulldown-cmark 0.13.6 panics on with heading attributes on.
    const PANICS: &str = "- two\n   {a}\n  --\n";

    #[test]
    fn a_body_the_parser_panics_on_is_parsed_without_heading_attributes() {
        let doc = parse(&format!("# Title\n\n{PANICS}\nAfter.\n"));
        let texts: Vec<&str> = doc.blocks.iter().map(|b| &*b.text).collect();
        assert!(texts.contains(&"Title"), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("two")), "{texts:?}");
        assert!(texts.contains(&"After."), "{texts:?}");
        assert_eq!(doc.blocks[0].kind, BlockKind::Heading);
    }

    #[test]
    fn versions_around_a_body_the_parser_panics_on_parse_as_alone() {
        let bodies = ["Kept.\n\nOne.\n", PANICS, "Kept.\n\nTwo.\n"];
        let alone: Vec<_> = bodies.iter().map(|b| parse(b)).collect();
        assert_eq!(parse_versions(bodies), alone);
    }

    #[test]
    fn plain_paragraphs_keep_every_word_escaped() {
        let doc = super::plain_paragraphs("First <b>line</b>\nsame paragraph\n\n\nSecond & last\n");
        let texts: Vec<&str> = doc.blocks.iter().map(|b| &*b.text).collect();
        assert_eq!(texts, ["First <b>line</b> same paragraph", "Second & last"]);
        assert_eq!(&*doc.blocks[0].html, "First &lt;b&gt;line&lt;/b&gt; same paragraph");
        assert_eq!(doc.blocks[1].line, 5);
        assert!(super::quietly(|| panic!("caught")).is_none());
    }
}
