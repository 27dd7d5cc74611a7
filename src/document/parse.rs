//! The walk over pulldown-cmark's events that cuts a version's body into blocks.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use super::highlight::code_block;
use super::sanitize::{clean_html, is_safe_url};
use super::{Block, BlockKind, Document, ListMark};
use crate::content::slugify;

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// Parses a version's Markdown body into a [`Document`].
pub fn parse(markdown: &str) -> Document {
    let mut cutter = Cutter::new(markdown);
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        cutter.event(event, range.start);
    }
    Document { blocks: cutter.blocks }
}

/// The block being collected.
struct Open<'a> {
    kind: BlockKind,
    level: u8,
    /// The events inside the block's own element.
    events: Vec<Event<'a>>,
    text: String,
    line: usize,
    footnote: Option<String>,
    code_language: Option<String>,
    has_raw_html: bool,
    /// For each open link or image: whether it was kept.
    links: Vec<bool>,
}

struct Cutter<'a> {
    source: &'a str,
    blocks: Vec<Block>,
    open: Option<Open<'a>>,
    /// Nesting depth inside the open block's element.
    depth: usize,
    /// Inside a top-level list (its items are blocks).
    in_list: bool,
    pending_list: Option<ListMark>,
    /// Line counting: the last offset seen and its line.
    line_offset: usize,
    line: usize,
}

impl<'a> Cutter<'a> {
    fn new(source: &'a str) -> Self {
        Cutter {
            source,
            blocks: Vec::new(),
            open: None,
            depth: 0,
            in_list: false,
            pending_list: None,
            line_offset: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, offset: usize) -> usize {
        if offset > self.line_offset {
            self.line += self.source.as_bytes()[self.line_offset..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line_offset = offset;
        }
        self.line
    }

    fn begin(&mut self, kind: BlockKind, level: u8, offset: usize) {
        let line = self.line_at(offset);
        self.open = Some(Open {
            kind,
            level,
            events: Vec::new(),
            text: String::new(),
            line,
            footnote: None,
            code_language: None,
            has_raw_html: false,
            links: Vec::new(),
        });
        self.depth = 0;
    }

    fn event(&mut self, event: Event<'a>, offset: usize) {
        if self.open.is_some() {
            self.inside(event);
            return;
        }
        match event {
            Event::Start(Tag::List(start)) if !self.in_list => {
                self.in_list = true;
                self.pending_list = Some(match start {
                    Some(n) => ListMark::OpenNumbered(n),
                    None => ListMark::OpenBulleted,
                });
            }
            Event::End(TagEnd::List(_)) if self.in_list => {
                self.in_list = false;
                if let Some(last) = self.blocks.last_mut() {
                    last.list_close = true;
                }
            }
            Event::Start(Tag::Item) => self.begin(BlockKind::ListItem, 0, offset),
            Event::Start(Tag::Paragraph) => self.begin(BlockKind::Paragraph, 0, offset),
            Event::Start(Tag::Heading { level, .. }) => self.begin(BlockKind::Heading, level as u8, offset),
            Event::Start(Tag::BlockQuote(_)) => self.begin(BlockKind::Quote, 0, offset),
            Event::Start(Tag::HtmlBlock) => self.begin(BlockKind::Html, 0, offset),
            Event::Start(Tag::Table(alignments)) => {
                self.begin(BlockKind::Table, 0, offset);
                if let Some(open) = &mut self.open {
                    open.events.push(Event::Start(Tag::Table(alignments)));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.begin(BlockKind::Code, 0, offset);
                if let Some(open) = &mut self.open {
                    open.code_language = Some(match kind {
                        CodeBlockKind::Fenced(lang) => lang.to_string(),
                        CodeBlockKind::Indented => String::new(),
                    });
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.begin(BlockKind::Footnote, 0, offset);
                if let Some(open) = &mut self.open {
                    open.footnote = Some(slugify(&label));
                }
            }
            Event::Rule => {
                let line = self.line_at(offset);
                self.blocks.push(Block {
                    kind: BlockKind::Rule,
                    level: 0,
                    html: String::new(),
                    text: String::new(),
                    list_open: None,
                    list_close: false,
                    footnote: None,
                    line,
                    words: 0,
                });
            }
            // Loose top-level HTML or text outside any block (rare): keep it as an HTML block.
            Event::Html(html) | Event::InlineHtml(html) => {
                self.begin(BlockKind::Html, 0, offset);
                self.inside(Event::Html(html));
                self.finish();
            }
            _ => {}
        }
    }

    /// An event inside the open block.
    fn inside(&mut self, event: Event<'a>) {
        let Some(open) = self.open.as_mut() else {
            return;
        };
        match &event {
            Event::Start(tag) => {
                self.depth += 1;
                match tag {
                    Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                        let keep = is_safe_url(dest_url);
                        open.links.push(keep);
                        if keep {
                            open.events.push(event);
                        }
                        return;
                    }
                    Tag::Paragraph | Tag::Item | Tag::TableCell | Tag::Heading { .. } => push_space(&mut open.text),
                    _ => {}
                }
            }
            Event::End(end) => {
                if self.depth == 0 {
                    if open.kind == BlockKind::Table {
                        open.events.push(event);
                    }
                    self.finish();
                    return;
                }
                self.depth -= 1;
                if matches!(end, TagEnd::Link | TagEnd::Image) && !open.links.pop().unwrap_or(false) {
                    return;
                }
            }
            Event::Text(text) | Event::Code(text) => push_text(&mut open.text, text),
            Event::SoftBreak | Event::HardBreak => push_space(&mut open.text),
            Event::Html(_) | Event::InlineHtml(_) => open.has_raw_html = true,
            Event::FootnoteReference(label) => {
                let label = slugify(label);
                let html = format!("<sup class=\"footnote-ref\"><a href=\"#fn-{label}\">{label}</a></sup>");
                open.events.push(Event::InlineHtml(CowStr::from(html)));
                return;
            }
            _ => {}
        }
        open.events.push(event);
    }

    fn finish(&mut self) {
        let Some(open) = self.open.take() else { return };
        let html = match &open.code_language {
            Some(language) => {
                let code: String = open
                    .events
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                code_block(language, &code)
            }
            None => {
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, drop_empty_links(open.events).into_iter());
                if open.has_raw_html {
                    clean_html(&html)
                } else {
                    html
                }
            }
        };
        let text = match open.kind {
            BlockKind::Code => collapse_whitespace(&open.text),
            // Raw HTML was sanitized: the text is what survived, not what the capture said.
            _ if open.has_raw_html => collapse_whitespace(&decode_entities(&strip_tags(&html))),
            _ => open.text.trim().to_string(),
        };
        self.blocks.push(Block {
            kind: open.kind,
            level: open.level,
            html: html.trim_end().to_string(),
            list_open: if open.kind == BlockKind::ListItem {
                self.pending_list.take()
            } else {
                None
            },
            list_close: false,
            footnote: open.footnote,
            line: open.line,
            words: super::count_words(&text),
            text,
        });
    }
}

/// Links with no text (`[](https://…)`) are invisible to readers and unnamed for screen
/// readers: their text-less anchors are dropped.
fn drop_empty_links(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    for event in events {
        if matches!(event, Event::End(TagEnd::Link)) && matches!(out.last(), Some(Event::Start(Tag::Link { .. }))) {
            out.pop();
            continue;
        }
        out.push(event);
    }
    out
}

fn push_space(text: &mut String) {
    if !text.is_empty() && !text.ends_with(' ') {
        text.push(' ');
    }
}

/// Appends text with every run of whitespace collapsed to one space, in one pass.
fn push_text(out: &mut String, text: &str) {
    let mut space = out.is_empty() || out.ends_with(' ');
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
}

/// The text of sanitized HTML: tags removed, entities left as written.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Decodes the entities a sanitizer writes in text.
fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(doc: &Document) -> Vec<(BlockKind, &str)> {
        doc.blocks.iter().map(|b| (b.kind, b.text.as_str())).collect()
    }

    #[test]
    fn cuts_headings_paragraphs_and_list_items() {
        let doc = parse("# Title\n\nIntro *text*.\n\n## Use\n\n- one\n- two\n\nAfter.\n");
        assert_eq!(
            kinds(&doc),
            vec![
                (BlockKind::Heading, "Title"),
                (BlockKind::Paragraph, "Intro text."),
                (BlockKind::Heading, "Use"),
                (BlockKind::ListItem, "one"),
                (BlockKind::ListItem, "two"),
                (BlockKind::Paragraph, "After."),
            ]
        );
        assert_eq!(doc.blocks[3].list_open, Some(ListMark::OpenBulleted));
        assert!(doc.blocks[4].list_close);
        assert_eq!(doc.blocks[1].html, "Intro <em>text</em>.");
        assert_eq!(doc.blocks[2].level, 2);
        assert_eq!(doc.blocks[5].line, 10);
    }

    #[test]
    fn nested_lists_stay_in_their_item() {
        let doc = parse("1. a\n   - x\n   - y\n2. b\n");
        assert_eq!(
            kinds(&doc),
            vec![(BlockKind::ListItem, "a x y"), (BlockKind::ListItem, "b")]
        );
        assert_eq!(doc.blocks[0].list_open, Some(ListMark::OpenNumbered(1)));
        assert!(doc.blocks[0].html.contains("<ul>"), "{}", doc.blocks[0].html);
    }

    #[test]
    fn tables_footnotes_and_strikethrough() {
        let doc = parse("| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^n] ~~old~~.\n\n[^n]: The note.\n");
        assert_eq!(doc.blocks[0].kind, BlockKind::Table);
        assert!(doc.blocks[0].html.starts_with("<table>"), "{}", doc.blocks[0].html);
        assert!(doc.blocks[1].html.contains("<del>old</del>"), "{}", doc.blocks[1].html);
        assert!(doc.blocks[1].html.contains("href=\"#fn-n\""), "{}", doc.blocks[1].html);
        assert_eq!(doc.blocks[2].kind, BlockKind::Footnote);
        assert_eq!(doc.blocks[2].footnote.as_deref(), Some("n"));
    }

    #[test]
    fn unsafe_links_lose_their_href_but_keep_their_text() {
        let doc = parse("[click](javascript:alert(1)) and [ok](https://e.org) and [](https://empty.org)\n");
        let html = &doc.blocks[0].html;
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("click"), "{html}");
        assert!(html.contains("<a href=\"https://e.org\">ok</a>"), "{html}");
        assert!(!html.contains("empty.org"), "{html}");
    }

    #[test]
    fn raw_html_is_sanitized() {
        let doc = parse(
            "<div onmouseover=\"x()\">Hello <script>alert(1)</script></div>\n\nText <img src=x onerror=alert(1)> end\n",
        );
        let all: String = doc.blocks.iter().map(|b| b.html.as_str()).collect();
        assert!(!all.contains("script"), "{all}");
        assert!(!all.contains("onmouseover"), "{all}");
        assert!(!all.contains("onerror"), "{all}");
        assert!(all.contains("Hello"), "{all}");
        assert_eq!(doc.blocks[0].text, "Hello");
        assert!(!doc.blocks[1].text.contains("onerror"), "{}", doc.blocks[1].text);
    }

    #[test]
    fn code_blocks_are_clauses() {
        let doc = parse("```toml\nkey = 1\n```\n");
        assert_eq!(doc.blocks[0].kind, BlockKind::Code);
        assert_eq!(doc.blocks[0].text, "key = 1");
        assert!(doc.blocks[0].html.starts_with("<pre><code"), "{}", doc.blocks[0].html);
    }
}
