//! Blocks reused from one version of a policy to the next: most blocks of a version are the
//! previous version's word for word, and their HTML and text are not written again.

use std::hash::BuildHasher;
use std::sync::Arc;

use foldhash::HashMap;

use super::BlockKind;

/// The blocks of the version parsed last, by their source, to reuse in the next version.
///
/// A block's HTML and text follow from its own source, with two exceptions the key covers:
/// a list item is written differently in a tight and in a loose list (the key says which),
/// and reference-style links and footnotes resolve against definitions anywhere in the body
/// (every line that may hold one is part of the version's context: the memo is kept only
/// while the context is the same).
#[derive(Default)]
pub(super) struct Memo {
    context: u64,
    /// The blocks of the version before, and those of this version so far, by the hash of
    /// their key.
    before: HashMap<u64, (Opened, Box<str>, Parsed)>,
    now: HashMap<u64, (Opened, Box<str>, Parsed)>,
}

/// A block as parsed from its source alone (what the rest of the body adds is not here).
#[derive(Clone)]
pub(super) struct Parsed {
    pub(super) kind: BlockKind,
    pub(super) level: u8,
    pub(super) html: Arc<str>,
    pub(super) text: Arc<str>,
    pub(super) footnote: Option<String>,
    pub(super) anchors: Vec<String>,
    pub(super) words: usize,
}

/// What a block is known by in the memo: its source, and how it was opened (a list item's
/// list tight or loose, or any other block).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Opened {
    Block,
    TightItem,
    LooseItem,
}

impl Memo {
    /// Starts a version: the blocks of the version before are those found so far.
    pub(super) fn start(&mut self, markdown: &str) {
        let context = definitions_context(markdown);
        self.before = std::mem::take(&mut self.now);
        if context != self.context {
            self.before.clear();
            self.context = context;
        }
    }

    fn hash(opened: Opened, source: &str) -> u64 {
        foldhash::fast::FixedState::with_seed(opened as u64).hash_one(source)
    }

    /// The block parsed from `source` opened as `opened` in the version before (or earlier in
    /// this one), kept for the next version.
    pub(super) fn get(&mut self, opened: Opened, source: &str) -> Option<Parsed> {
        let hash = Self::hash(opened, source);
        let found = self.before.get(&hash).or_else(|| self.now.get(&hash))?;
        if found.0 != opened || &*found.1 != source {
            return None;
        }
        let parsed = found.2.clone();
        self.now
            .entry(hash)
            .or_insert_with(|| (opened, source.into(), parsed.clone()));
        Some(parsed)
    }

    pub(super) fn insert(&mut self, opened: Opened, source: &str, parsed: &Parsed) {
        let hash = Self::hash(opened, source);
        self.now
            .entry(hash)
            .or_insert_with(|| (opened, source.into(), parsed.clone()));
    }
}

/// A digest of the lines of a body that may define a link reference or a footnote (a line
/// with `]:`, and the line after it, which may hold a reference's title).
fn definitions_context(markdown: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = foldhash::fast::FixedState::with_seed(0).build_hasher();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        if line.contains("]:") {
            hasher.write(line.as_bytes());
            hasher.write_u8(0);
            // A reference's destination and title may follow on the next two lines.
            for next in lines.clone().take(2) {
                hasher.write(next.as_bytes());
                hasher.write_u8(0);
            }
        }
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::document::{parse, parse_versions};

    /// Parsing versions one after another gives what parsing each alone gives.
    fn same_as_alone(bodies: &[&str]) {
        let alone: Vec<_> = bodies.iter().map(|b| parse(b)).collect();
        assert_eq!(parse_versions(bodies.iter().copied()), alone, "{bodies:#?}");
    }

    #[test]
    fn a_list_item_in_a_tight_and_in_a_loose_list() {
        same_as_alone(&[
            "- one\n- two\n\n- three\n",
            "- one\n- two\n- three\n",
            "- one\n- two\n\n- three\n",
        ]);
        let docs = parse_versions(["- one\n- two\n- three\n", "- one\n- two\n\n- three\n"]);
        assert_eq!(&*docs[0].blocks[0].html, "one");
        assert_eq!(&*docs[1].blocks[0].html, "<p>one</p>");
    }

    #[test]
    fn references_and_footnotes_resolve_in_their_own_version() {
        same_as_alone(&[
            "See [the terms][t].\n\n[t]: https://a.example/\n",
            "See [the terms][t].\n\n[t]: https://b.example/\n",
            "See [the terms][t].\n\n[t]:\n  https://b.example/\n  \"Terms\"\n",
            "See [the terms][t].\n",
        ]);
        same_as_alone(&["Kept.[^1]\n", "Kept.[^1]\n\n[^1]: A note.\n", "Kept.[^1]\n"]);
    }

    #[test]
    fn unchanged_blocks_share_their_text_with_the_version_before() {
        let docs = parse_versions([
            "# Title\n\nKept *as is*.\n\nOld.\n",
            "# Title\n\nKept *as is*.\n\nNew.\n",
        ]);
        assert!(std::sync::Arc::ptr_eq(&docs[0].blocks[1].html, &docs[1].blocks[1].html));
        assert_eq!(docs[1].blocks[1].line, 3);
        assert_eq!(&*docs[1].blocks[2].text, "New.");
    }

    /// Pieces of Markdown whose parse may depend on what is around them.
    const PIECES: &[&str] = &[
        "# Title",
        "Title\n=====",
        "## Use {#use}",
        "A paragraph with a [link](https://x.example/) and *emphasis*.",
        "A paragraph with [a reference][r] and [r].",
        "[r]: https://r.example/ \"R\"",
        "[r]: https://s.example/",
        "A note.[^n]",
        "[^n]: The note's text.",
        "- one\n- two",
        "- one",
        "- two\n\n- three",
        "1. first\n2. second",
        "- item with [r]\n  - nested",
        "> quoted [r]\n> text",
        "<div id=\"x\">raw <b>html</b></div>",
        "| a | b |\n|---|---|\n| 1 | [r] |",
        "{: #kept-id}",
        "    indented code",
        "```\nfenced\n```",
        "---",
        "Plain text.",
    ];

    fn body() -> impl Strategy<Value = String> {
        proptest::collection::vec((0..PIECES.len(), prop_oneof!["\n\n", "\n"]), 0..10).prop_map(|pieces| {
            pieces
                .into_iter()
                .map(|(i, sep)| format!("{}{sep}", PIECES[i]))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn versions_parse_as_each_alone(bodies in proptest::collection::vec(body(), 1..5)) {
            let alone: Vec<_> = bodies.iter().map(|b| parse(b)).collect();
            prop_assert_eq!(parse_versions(bodies.iter().map(String::as_str)), alone);
        }
    }
}
