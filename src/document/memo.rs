//! Blocks reused from one version of a policy to the next: most blocks of a version are the
//! previous version's word for word, and their HTML and text are not written again.

use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;

use foldhash::HashMap;
use pulldown_cmark::RefDefs;

use super::BlockKind;

/// The blocks of the version parsed last, by their source, to reuse in the next version.
///
/// A block's HTML and text follow from its source (from the start of its first line: a tab's
/// width and an HTML block's indentation depend on the column), with exceptions: a list item
/// is written differently in a tight and in a loose list (the key says which); reference-style
/// links resolve against the body's definitions (the memo is kept only while they are the
/// same, as the parser read them); footnote references resolve against definitions the parser
/// does not expose (a block with `[^` is never reused); and references stop expanding past a
/// limit ([`Memo::start`]).
#[derive(Default)]
pub(super) struct Memo {
    /// Blocks of this version may be reused.
    enabled: bool,
    /// A digest of the version's link reference definitions.
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
    /// Starts a version whose body is `markdown` and whose link reference definitions are
    /// `definitions` (as the parser found them: a line that looks like one may not be one).
    /// The blocks of the version before are kept when its definitions are the same, and the
    /// memo is off for a body where pulldown-cmark's limit on expanded references could apply
    /// (then whether a reference expands depends on the references before it).
    pub(super) fn start(&mut self, markdown: &str, definitions: &RefDefs<'_>) {
        let mut all: Vec<(&str, &str, &str)> = definitions
            .iter()
            .map(|(label, d)| (label, &*d.dest, d.title.as_deref().unwrap_or("")))
            .collect();
        all.sort_unstable();
        let longest = all
            .iter()
            .map(|(_, dest, title)| dest.len() + title.len())
            .max()
            .unwrap_or(0);
        // (Without definitions nothing expands: the body need not be read.)
        self.enabled = longest == 0 || {
            let brackets = markdown.bytes().filter(|&b| b == b'[').count();
            longest.saturating_mul(brackets) < markdown.len().max(EXPANSION_LIMIT)
        };
        let mut hasher = foldhash::fast::FixedState::with_seed(0).build_hasher();
        for part in all.iter().flat_map(|&(label, dest, title)| [label, dest, title]) {
            hasher.write_usize(part.len());
            hasher.write(part.as_bytes());
        }
        let context = hasher.finish();
        self.before = std::mem::take(&mut self.now);
        if context != self.context || !self.enabled {
            self.before.clear();
            self.context = context;
        }
    }

    /// Whether blocks of this version may be reused (see [`Memo::start`]).
    pub(super) fn enabled(&self) -> bool {
        self.enabled
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
        self.keep(hash, opened, source, &parsed);
        Some(parsed)
    }

    /// Keeps the block parsed from `source` opened as `opened` for the next version.
    pub(super) fn insert(&mut self, opened: Opened, source: &str, parsed: &Parsed) {
        self.keep(Self::hash(opened, source), opened, source, parsed);
    }

    fn keep(&mut self, hash: u64, opened: Opened, source: &str, parsed: &Parsed) {
        self.now
            .entry(hash)
            .or_insert_with(|| (opened, source.into(), parsed.clone()));
    }
}

/// pulldown-cmark stops expanding link references once this many bytes (or the body's
/// length, if more) were expanded.
const EXPANSION_LIMIT: usize = 100_000;

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

    #[test]
    fn what_surrounds_a_block_is_read_as_the_parser_reads_it() {
        let long = "x".repeat(2000);
        let many: String = (0..120).map(|i| format!("[t] {i}\n\n")).collect();
        let cases: Vec<(String, String)> = vec![
            // A line that looks like a definition and is not one (it cannot interrupt a
            // paragraph; it is code, or HTML), or becomes one.
            ("[t]\n\nx\n[t]: /u\n".into(), "[t]\n\nx\n\n[t]: /u\n".into()),
            ("[t]\n\n```\n[t]: /u\n```\n".into(), "[t]\n\nx\n\n[t]: /u\n```\n".into()),
            (
                "Kept.[^n]\n\n```\n[^n]: note\n```\n".into(),
                "Kept.[^n]\n\nx\n\n[^n]: note\n```\n".into(),
            ),
            ("[t]\n\n<div>\n[t]: /u\n".into(), "[t]\n\n<div>\n\n[t]: /u\n".into()),
            ("[t]\n\n- x\n\n    [t]: /u\n".into(), "[t]\n\nx\n\n    [t]: /u\n".into()),
            // A label over two lines, a title over three.
            (
                "[foo bar]\n\n[foo\nbar]: /url\n".into(),
                "[foo bar]\n\n[baz\nbar]: /url\n".into(),
            ),
            ("[t]\n\n[t]:\n/u\n'a\nb'\n".into(), "[t]\n\n[t]:\n/u\n'a\nc'\n".into()),
            // The column a block starts at.
            (">\t  foo\n".into(), " >\t  foo\n".into()),
            ("<div>x</div>\n".into(), "  <div>x</div>\n".into()),
            ("- a\n\n      b\n".into(), "  - a\n\n      b\n".into()),
            // pulldown-cmark's limit on expanded references.
            (
                format!("[t] end\n\n[t]: /{long}\n"),
                format!("{many}[t] end\n\n[t]: /{long}\n"),
            ),
        ];
        for (a, b) in &cases {
            same_as_alone(&[a, b]);
        }
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
        "```",
        "<div>",
        "<!--",
        "-->",
        "[r]:",
        "/u",
        "'ti",
        "tle'",
        "[q\nr]: /u",
        "[q r]",
        "    [r]: /u",
        "   [r]: /three",
        "\t[r]: /t",
        "> [^n]: quoted note",
        "* [^n]",
        "  - one",
        "- a\n\n      b",
        ">\t  q",
        "  <div>raw</div>",
        "lazy",
    ];

    fn body() -> impl Strategy<Value = String> {
        proptest::collection::vec((0..PIECES.len(), prop_oneof!["\n\n", "\n"]), 0..10).prop_map(|pieces| {
            pieces
                .into_iter()
                .map(|(i, sep)| format!("{}{sep}", PIECES[i]))
                .collect()
        })
    }

    /// A version and the next made from it by a few edits (pieces changed, added or removed,
    /// their separation and indentation changed), as versions of a policy are.
    fn related_versions() -> impl Strategy<Value = (String, String)> {
        let piece = (0..PIECES.len(), 0u8..12);
        (
            proptest::collection::vec(piece, 1..8),
            proptest::collection::vec((0u8..3, 0usize..64, 0u8..64), 1..4),
        )
            .prop_map(|(first, edits)| {
                let mut next = first.clone();
                for (op, at, x) in edits {
                    let at = at % (next.len() + 1);
                    match op {
                        0 if at < next.len() => next[at].1 = x % 12,
                        1 => next.insert(at, (usize::from(x) % PIECES.len(), x % 12)),
                        2 if at < next.len() => {
                            next.remove(at);
                        }
                        _ => {}
                    }
                }
                let render = |pieces: &[(usize, u8)]| -> String {
                    pieces
                        .iter()
                        .map(|&(i, style)| {
                            let indent = ["", " ", "  ", "   "][usize::from(style / 3) % 4];
                            let separator = ["\n\n", "\n", "\n\n\n"][usize::from(style % 3)];
                            format!("{indent}{}{separator}", PIECES[i])
                        })
                        .collect()
                };
                (render(&first), render(&next))
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
        #[test]
        fn a_version_edited_from_the_one_before_parses_as_alone((first, next) in related_versions()) {
            let together = parse_versions([first.as_str(), next.as_str()]);
            prop_assert_eq!(&together[1], &parse(&next), "{:?} then {:?}", first, next);
        }

        #[test]
        fn versions_parse_as_each_alone(bodies in proptest::collection::vec(body(), 1..5)) {
            let alone: Vec<_> = bodies.iter().map(|b| parse(b)).collect();
            prop_assert_eq!(parse_versions(bodies.iter().map(String::as_str)), alone);
        }
    }
}
