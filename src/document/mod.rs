//! Markdown → [`Document`]: the only user of pulldown-cmark. A version's text becomes a flat
//! run of blocks: headings (which open sections) and clauses (paragraphs, list items, tables,
//! block quotes, code blocks, footnotes), each with its sanitized inner HTML, its plain text and
//! the anchor names its source gives it (`{#id}`, `{: #id}`, raw HTML's `id` and `<a name>`).
//! Ids are not chosen here: the history stage mints them.

mod anchors;
mod guard;
mod highlight;
mod memo;
mod parse;
mod sanitize;
pub(crate) mod shared_text;

pub use highlight::syntax_css;
pub use parse::{parse, parse_versions};
pub use shared_text::{reading_shared, writing_shared};

use std::sync::Arc;

/// A parsed version: its blocks in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Document {
    /// Headings and clauses in reading order.
    pub blocks: Vec<Block>,
}

/// What a block is. Headings open sections; every other kind is a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ListMark {
    /// The first item of a bulleted list.
    OpenBulleted,
    /// The first item of a numbered list starting at this number.
    OpenNumbered(u64),
}

/// One heading or clause.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Heading level (1..=6); 0 for clauses.
    pub level: u8,
    /// The sanitized HTML inside the block's element (for tables and code blocks: the element
    /// itself). Shared: the versions of a policy hold one copy of each text they repeat
    /// ([`share_texts`]).
    #[serde(with = "shared_text")]
    pub html: Arc<str>,
    /// The block's plain text, whitespace collapsed: what alignment, search and the API read.
    #[serde(with = "shared_text")]
    pub text: Arc<str>,
    /// On a list's first item: the list it opens.
    pub list_open: Option<ListMark>,
    /// On a list's last item: the list closes after it.
    pub list_close: bool,
    /// On a footnote: its label as written, for the anchor of its references ([`footnote_id`]).
    pub footnote: Option<String>,
    /// The anchor names the source gives the block or elements inside it, in order: a heading's
    /// `{#id}`, a kramdown `{: #id}` line, `id` and `<a name>` in raw HTML. They are not ids on
    /// the hub (`html` has none): a link to one lands on the block's id, and the version's page
    /// carries them as aliases.
    pub anchors: Vec<String>,
    /// The 1-based line of the body where the block starts.
    pub line: usize,
    /// The number of words of `text` (tokens with a letter or digit), counted once.
    pub words: usize,
}

/// The id of the note a footnote label names, `fn-` and the label: ASCII letters (lowercased,
/// as labels match whatever their case), digits, `-` and `_` as they are, any other character
/// as its code point in hex between underscores (`[^1]` → `fn-1`, `[^*]` → `fn-_2a_`,
/// `[^a.b]` → `fn-a_2e_b`): labels that differ keep notes apart, and the id stays plain ASCII.
pub fn footnote_id(label: &str) -> String {
    let mut id = String::with_capacity(label.len() + 3);
    id.push_str("fn-");
    for c in label.chars() {
        match c {
            'a'..='z' | '0'..='9' | '-' | '_' => id.push(c),
            'A'..='Z' => id.push(c.to_ascii_lowercase()),
            _ => {
                use std::fmt::Write;
                let _ = write!(id, "_{:x}_", u32::from(c));
            }
        }
    }
    id
}

/// Counts the words of a text: whitespace-separated tokens with a letter or digit.
///
/// One pass over the bytes: ASCII is classified byte by byte, any other character is
/// decoded and classified as Unicode says (`char::is_whitespace`, `char::is_alphanumeric`).
pub fn count_words(text: &str) -> usize {
    let mut words = 0;
    // The current token has a letter or digit (and was counted).
    let mut counted = false;
    let mut i = 0;
    while let Some(&byte) = text.as_bytes().get(i) {
        let (whitespace, alphanumeric, len) = if byte.is_ascii() {
            // `char::is_whitespace` on ASCII: space, tab, line feed, vertical tab, form feed, return.
            (matches!(byte, b' ' | b'\t'..=b'\r'), byte.is_ascii_alphanumeric(), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            (c.is_whitespace(), c.is_alphanumeric(), c.len_utf8())
        };
        if whitespace {
            counted = false;
        } else if alphanumeric && !counted {
            words += 1;
            counted = true;
        }
        i += len;
    }
    words
}

/// [`count_words`] of a text whose only whitespace is single spaces (a block's text, where
/// every run of whitespace became one space), in one pass over its bytes: a token is a word
/// when its first byte is an ASCII letter or digit, else when any of its characters is a
/// letter or digit (looked at only for tokens that start otherwise).
pub fn count_spaced_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut start = 0;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b' ')
            .map_or(bytes.len(), |n| start + n);
        let word = match bytes[start] {
            b' ' => false,
            b if b.is_ascii_alphanumeric() => true,
            // Spaces are ASCII, so `start` and `end` are character boundaries.
            _ => text[start..end].chars().any(char::is_alphanumeric),
        };
        words += usize::from(word);
        start = end + 1;
    }
    words
}

impl Block {
    /// The number of words of the block's text.
    pub fn word_count(&self) -> usize {
        self.words
    }

    /// Where the block leads when it is one link and nothing else (a menu item, a pointer to
    /// another page): its HTML is one `<a href>` around all of its text. A second link, even
    /// one whose unsafe address sanitizing took away (`<a>here</a>`), makes it none.
    pub fn sole_link(&self) -> Option<&str> {
        let inner = self.html.trim().strip_prefix("<a ")?.strip_suffix("</a>")?;
        let (tag, text) = inner.split_once('>')?;
        if text.contains("</a>") {
            return None; // More than one link.
        }
        let (_, rest) = tag.split_once("href=\"")?;
        rest.split_once('"')
            .map(|(href, _)| href)
            .filter(|href| !href.is_empty())
    }
}

/// Makes blocks (those of the versions of one policy) share one copy of each HTML and text
/// they repeat: most clauses of a version are those of the one before, and a history of ten
/// versions then holds about two copies of its text rather than ten.
pub fn share_texts<'a>(blocks: impl Iterator<Item = &'a mut Block>) {
    let mut seen: foldhash::HashSet<Arc<str>> = foldhash::HashSet::default();
    let mut share = |text: &mut Arc<str>| match seen.get(text) {
        Some(known) => *text = Arc::clone(known),
        None => {
            seen.insert(Arc::clone(text));
        }
    };
    for block in blocks {
        share(&mut block.html);
        share(&mut block.text);
    }
}

#[cfg(test)]
mod tests {
    use super::{count_spaced_words, count_words};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn spaced_text_counts_as_any_text(words in proptest::collection::vec("[a-zé’“().§0-9 -]{1,6}", 0..12)) {
            let text = words.join(" ");
            prop_assert_eq!(count_spaced_words(&text), count_words(&text));
        }
    }

    #[test]
    fn a_block_is_one_link_only_when_its_html_is_one_link_around_all_its_text() {
        let link = |markdown: &str| super::parse(markdown).blocks[0].sole_link().map(str::to_string);
        assert_eq!(
            link("- [Shop all](https://shop.example/all)\n").as_deref(),
            Some("https://shop.example/all")
        );
        assert_eq!(link("[Contents](#16)\n").as_deref(), Some("#16"));
        assert_eq!(link("Read [this](https://example.org/a).\n"), None);
        assert_eq!(link("[One](https://a.example) [two](https://b.example)\n"), None);
        // A second link whose unsafe address sanitizing took away is still a second link.
        let block = super::Block {
            html: "<a href=\"https://example.org/partners\">Partners</a> receive your data <a>here</a>".into(),
            ..super::parse("x\n").blocks.remove(0)
        };
        assert_eq!(block.sole_link(), None);
    }

    #[test]
    fn counts_tokens_with_a_letter_or_digit() {
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("  one two\tthree\n"), 3);
        assert_eq!(count_words("a - b — c"), 3);
        assert_eq!(count_words("x\u{b}y\u{c}z"), 3);
        assert_eq!(count_words("café naïve\u{a0}über\u{3000}日本 ’s"), 5);
        assert_eq!(count_words("(1) § ... 2nd"), 2);
    }
}
