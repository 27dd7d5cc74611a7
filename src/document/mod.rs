//! Markdown → [`Document`]: the only user of pulldown-cmark. A version's text becomes a flat
//! run of blocks: headings (which open sections) and clauses (paragraphs, list items, tables,
//! block quotes, code blocks, footnotes), each with its sanitized inner HTML and plain text.
//! Ids are not chosen here: the history stage mints them.

mod highlight;
mod parse;
mod sanitize;

pub use highlight::syntax_css;
pub use parse::parse;

use serde::Serialize;

/// A parsed version: its blocks in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Headings and clauses in reading order.
    pub blocks: Vec<Block>,
}

/// What a block is. Headings open sections; every other kind is a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    /// A heading of level 1..=6.
    Heading,
    /// A paragraph.
    Paragraph,
    /// An item of a top-level list (nested lists stay inside their item).
    ListItem,
    /// A whole table.
    Table,
    /// A block quote.
    Quote,
    /// A fenced or indented code block.
    Code,
    /// A footnote's text.
    Footnote,
    /// A block of raw HTML (sanitized).
    Html,
    /// A thematic break (`---`): layout, not a clause.
    Rule,
}

impl BlockKind {
    /// The name used in CSS classes and in the JSON API.
    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Heading => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::ListItem => "list-item",
            BlockKind::Table => "table",
            BlockKind::Quote => "quote",
            BlockKind::Code => "code",
            BlockKind::Footnote => "footnote",
            BlockKind::Html => "html",
            BlockKind::Rule => "rule",
        }
    }

    /// True for the kinds that carry an id (everything but thematic breaks).
    pub fn is_anchored(self) -> bool {
        self != BlockKind::Rule
    }
}

/// The list around a list item, given on its first and last item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListMark {
    /// The first item of a bulleted list.
    OpenBulleted,
    /// The first item of a numbered list starting at this number.
    OpenNumbered(u64),
}

/// One heading or clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Heading level (1..=6); 0 for clauses.
    pub level: u8,
    /// The sanitized HTML inside the block's element (for tables and code blocks: the element itself).
    pub html: String,
    /// The block's plain text, whitespace collapsed: what alignment, search and the API read.
    pub text: String,
    /// On a list's first item: the list it opens.
    pub list_open: Option<ListMark>,
    /// On a list's last item: the list closes after it.
    pub list_close: bool,
    /// On a footnote: its label, for the `#fn-<label>` anchor of its references.
    pub footnote: Option<String>,
    /// The 1-based line of the body where the block starts.
    pub line: usize,
    /// The number of words of `text` (tokens with a letter or digit), counted once.
    pub words: usize,
}

/// Counts the words of a text: whitespace-separated tokens with a letter or digit.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

impl Block {
    /// The number of words of the block's text.
    pub fn word_count(&self) -> usize {
        self.words
    }
}
