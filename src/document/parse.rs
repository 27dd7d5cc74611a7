//! The walk over pulldown-cmark's events that cuts a version's body into blocks, each with the
//! anchor names its source gives it (see `anchors.rs`).

use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use super::anchors::{
    attribute_list, follows_a_line, take_leading_attribute_list, take_trailing_attribute_list,
    unread_heading_attributes, AttributeList,
};
use super::guard;
use super::highlight::code_block;
use super::memo::{Memo, Opened, Parsed};
use super::sanitize::{clean_html, is_safe_url, is_valid_id};
use super::{Block, BlockKind, Document, ListMark};
use crate::content::{has_stray_controls, without_controls};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Parses a version's Markdown body into a [`Document`].
pub fn parse(markdown: &str) -> Document {
    parse_guarded(markdown, &mut Memo::default())
}

/// Parses the Markdown bodies of a policy's versions, oldest first: a block whose source the
/// version before had word for word (most blocks, from one version to the next) is not
/// written again (see [`Memo`]).
pub fn parse_versions<'a>(bodies: impl IntoIterator<Item = &'a str>) -> Vec<Document> {
    let mut memo = Memo::default();
    bodies.into_iter().map(|body| parse_guarded(body, &mut memo)).collect()
}

/// Parses a body, whatever it holds: pulldown-cmark panics on a few malformed inputs (0.13.6:
/// a list item whose `{…}` line stands over a setext underline, `- two\n   {a}\n  --`), and a
/// captured policy is untrusted. Such a body is parsed again without heading attributes, and
/// if that fails too, kept as plain paragraphs of text: its words are never lost.
fn parse_guarded(markdown: &str, memo: &mut Memo) -> Document {
    let attempt = |options: Options, memo: &mut Memo| guard::quietly(|| parse_with(markdown, memo, options));
    attempt(options(), memo)
        .or_else(|| {
            *memo = Memo::default();
            attempt(options() - Options::ENABLE_HEADING_ATTRIBUTES, memo)
        })
        .unwrap_or_else(|| {
            *memo = Memo::default();
            guard::plain_paragraphs(markdown)
        })
}

fn parse_with(markdown: &str, memo: &mut Memo, options: Options) -> Document {
    let parser = Parser::new_ext(markdown, options);
    memo.start(markdown, parser.reference_definitions());
    let mut events = parser.into_offset_iter().peekable();
    let mut cutter = Cutter::new(markdown, memo);
    while let Some((event, range)) = events.next() {
        cutter.event(event, range, &mut events);
    }
    Document {
        blocks: cutter.finish(),
    }
}

/// Walks the top level of a body: each block's events are read to its end as it opens.
struct Cutter<'a, 'm> {
    source: &'a str,
    /// The blocks of the version before, to reuse those whose source did not change.
    memo: &'m mut Memo,
    blocks: Vec<Block>,
    /// Inside a top-level list (its items are blocks).
    in_list: bool,
    pending_list: Option<ListMark>,
    /// Anchor names for the next block (an attribute list above it).
    pending_anchors: Vec<String>,
    /// Line counting: the last offset seen and its line.
    line_offset: usize,
    line: usize,
    /// Scratch buffers, cleared and reused from block to block: the block's HTML as written,
    /// its plain text, the source of a code block.
    html: String,
    text: String,
    code: String,
    /// The block being read, when it can be reused: how it opened and its source.
    opened: Option<(Opened, Range<usize>)>,
}

/// How a block starts, besides its kind.
#[derive(Default)]
struct Opening<'a> {
    level: u8,
    footnote: Option<String>,
    /// An event of the block's own element to write first (a table's start, loose HTML).
    first: Option<Event<'a>>,
    /// A heading's id from its attributes (`# Title {#id}`).
    id: Option<String>,
}

impl<'a, 'm> Cutter<'a, 'm> {
    fn new(source: &'a str, memo: &'m mut Memo) -> Self {
        Cutter {
            source,
            memo,
            blocks: Vec::new(),
            in_list: false,
            pending_list: None,
            pending_anchors: Vec::new(),
            line_offset: 0,
            line: 1,
            html: String::new(),
            text: String::new(),
            code: String::new(),
            opened: None,
        }
    }

    /// The blocks, once every event was read: anchor names still pending go to the last block.
    fn finish(mut self) -> Vec<Block> {
        let pending = std::mem::take(&mut self.pending_anchors);
        if let Some(last) = self.blocks.iter_mut().rev().find(|b| b.kind.is_anchored()) {
            last.anchors.extend(pending);
        }
        self.blocks
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

    /// A top-level event (at `range` of the source, for a block's start its whole source); a
    /// block's start reads the block's events from `events` to its end.
    fn event<I: Iterator<Item = (Event<'a>, Range<usize>)>>(
        &mut self,
        event: Event<'a>,
        range: Range<usize>,
        events: &mut Peekable<I>,
    ) {
        let offset = range.start;
        let plain = Opening::default;
        let opened = self.memo.enabled().then(|| self.reusable(&event, events)).flatten();
        if let Some(opened) = opened {
            // A block is known by its source from the start of its line; one with a footnote
            // reference is never reused.
            let line_start = self.source[..offset].rfind('\n').map_or(0, |n| n + 1);
            let range = line_start..range.end;
            let source = &self.source[range.clone()];
            if !source.contains("[^") {
                if let Some(parsed) = self.memo.get(opened, source) {
                    skip_block(events);
                    let line = self.line_at(offset);
                    self.push(parsed, line);
                    return;
                }
                self.opened = Some((opened, range));
            }
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
            Event::Start(Tag::Item) => self.block(BlockKind::ListItem, offset, plain(), events),
            Event::Start(Tag::Paragraph) => self.block(BlockKind::Paragraph, offset, plain(), events),
            Event::Start(Tag::Heading { level, id, .. }) => {
                let opening = Opening {
                    level: level as u8,
                    id: id.map(|id| id.to_string()).filter(|id| is_valid_id(id)),
                    ..plain()
                };
                self.block(BlockKind::Heading, offset, opening, events)
            }
            Event::Start(Tag::BlockQuote(_)) => self.block(BlockKind::Quote, offset, plain(), events),
            Event::Start(Tag::HtmlBlock) => self.block(BlockKind::Html, offset, plain(), events),
            Event::Start(Tag::Table(alignments)) => {
                let opening = Opening {
                    first: Some(Event::Start(Tag::Table(alignments))),
                    ..plain()
                };
                self.block(BlockKind::Table, offset, opening, events)
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match &kind {
                    CodeBlockKind::Fenced(lang) => lang.as_ref(),
                    CodeBlockKind::Indented => "",
                };
                self.code_block(language, offset, events)
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let opening = Opening {
                    footnote: Some(label.to_string()),
                    ..plain()
                };
                self.block(BlockKind::Footnote, offset, opening, events)
            }
            Event::Rule => {
                let line = self.line_at(offset);
                self.blocks.push(Block {
                    kind: BlockKind::Rule,
                    level: 0,
                    html: "".into(),
                    text: "".into(),
                    list_open: None,
                    list_close: false,
                    footnote: None,
                    anchors: Vec::new(),
                    line,
                    words: 0,
                });
            }
            // Loose top-level HTML or text outside any block (rare): keep it as an HTML block.
            Event::Html(html) | Event::InlineHtml(html) => {
                let opening = Opening {
                    first: Some(Event::Html(html)),
                    ..plain()
                };
                self.block(BlockKind::Html, offset, opening, &mut std::iter::empty())
            }
            _ => {}
        }
    }

    /// How a block that opens with `event` is known in the memo, when its HTML and text
    /// follow from its source alone (a list item's once its list's tightness is known: a
    /// tight list's items start with their inline content, a loose one's with a paragraph).
    fn reusable<I: Iterator<Item = (Event<'a>, Range<usize>)>>(
        &self,
        event: &Event<'a>,
        events: &mut Peekable<I>,
    ) -> Option<Opened> {
        match event {
            Event::Start(Tag::Item) => match events.peek().map(|(e, _)| e) {
                Some(Event::Start(Tag::Paragraph)) => Some(Opened::LooseItem),
                Some(
                    Event::Text(_)
                    | Event::Code(_)
                    | Event::InlineHtml(_)
                    | Event::SoftBreak
                    | Event::HardBreak
                    | Event::FootnoteReference(_)
                    | Event::TaskListMarker(_)
                    | Event::Start(
                        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. },
                    ),
                ) => Some(Opened::TightItem),
                _ => None,
            },
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::HtmlBlock
                | Tag::Table(_)
                | Tag::FootnoteDefinition(_),
            ) => Some(Opened::Block),
            _ => None,
        }
    }

    /// Reads a block to its end, writing its HTML with pulldown-cmark as its events come.
    fn block<I: Iterator<Item = (Event<'a>, Range<usize>)>>(
        &mut self,
        kind: BlockKind,
        offset: usize,
        opening: Opening<'a>,
        events: &mut I,
    ) {
        let opened = self.opened.take();
        let line = self.line_at(offset);
        self.html.clear();
        self.text.clear();
        let mut reader = BlockEvents::new(kind, opening.first, events, &mut self.text).within(self.source);
        pulldown_cmark::html::push_html(&mut self.html, &mut reader);
        let (has_raw_html, text_end, end) = (reader.has_raw_html, reader.text_end, reader.end);
        let nested_anchors = std::mem::take(&mut reader.anchors);
        if kind == BlockKind::Heading && opening.id.is_none() {
            self.write_back_heading_braces(text_end.max(offset), end);
        }
        let mut anchors: Vec<String> = opening.id.into_iter().chain(nested_anchors).collect();
        let (mut html, mut text) = if has_raw_html {
            let mut clean = clean_html(&self.html);
            // The sanitizer decodes character references (`&#x0e;`) and writes what they
            // stand for as it is.
            clean.html = without_controls(clean.html);
            anchors.extend(clean.anchors);
            // Raw HTML was sanitized: the text is what survived, not what the capture said.
            let text = collapse_whitespace(&decode_entities(&strip_tags(&clean.html)));
            (clean.html.trim_end().to_string(), text)
        } else {
            (self.html.trim_end().to_string(), self.text.trim().to_string())
        };
        if html.contains(" style=\"text-align: ") {
            html = aligned_by_class(&html);
        }
        if kind == BlockKind::Paragraph {
            if let Some(list) = attribute_list(&text) {
                return self.attach(list, offset);
            }
        }
        if matches!(kind, BlockKind::Paragraph | BlockKind::ListItem) {
            let leading = take_leading_attribute_list(&mut html, &mut text);
            let trailing = take_trailing_attribute_list(&mut html, &mut text);
            anchors.extend([leading, trailing].into_iter().flatten().filter_map(|list| list.id));
        }
        let parsed = Parsed {
            kind,
            level: opening.level,
            // Every run of whitespace of the text is one space (`push_text`, `collapse_whitespace`).
            words: super::count_spaced_words(&text),
            html: html.into(),
            text: text.into(),
            footnote: opening.footnote,
            anchors,
        };
        if let Some((opened, range)) = opened {
            self.memo.insert(opened, &self.source[range], &parsed);
        }
        self.push(parsed, line);
    }

    /// Writes back the trailing `{…}` of a heading (source `from..to` after its text) that
    /// pulldown-cmark took for attributes although it gives no id: it is the heading's text.
    fn write_back_heading_braces(&mut self, from: usize, to: usize) {
        let Some(braces) = self.source.get(from..to).and_then(unread_heading_attributes) else {
            return;
        };
        let braces = if self.html.is_empty() {
            braces.trim_start()
        } else {
            &braces
        };
        pulldown_cmark::html::push_html(&mut self.html, std::iter::once(Event::Text(braces.into())));
        push_text(&mut self.text, braces);
    }

    /// A paragraph that is only an attribute list gives its id to the block right above it, or
    /// when a blank line stands between them, to the next block.
    fn attach(&mut self, list: AttributeList, offset: usize) {
        let Some(id) = list.id else {
            return;
        };
        match self.blocks.last_mut() {
            Some(above) if above.kind.is_anchored() && follows_a_line(self.source, offset) => above.anchors.push(id),
            _ => self.pending_anchors.push(id),
        }
    }

    /// Reads a code block to its end and highlights its source.
    fn code_block<I: Iterator<Item = (Event<'a>, Range<usize>)>>(
        &mut self,
        language: &str,
        offset: usize,
        events: &mut I,
    ) {
        let line = self.line_at(offset);
        self.text.clear();
        self.code.clear();
        for event in BlockEvents::new(BlockKind::Code, None, events, &mut self.text) {
            if let Event::Text(text) = event {
                self.code.push_str(&text);
            }
        }
        let html = code_block(language, &self.code);
        let text = collapse_whitespace(&self.text);
        let parsed = Parsed {
            kind: BlockKind::Code,
            level: 0,
            words: super::count_spaced_words(&text),
            html: html.trim_end().into(),
            text: text.into(),
            footnote: None,
            anchors: Vec::new(),
        };
        self.push(parsed, line);
    }

    /// Adds a finished block after the anchor names pending for it (a list item opens the list
    /// pending, if it is the first). Raw HTML that shows nothing (a comment such as
    /// `<!-- markdownlint-disable -->`, or markup the sanitizer emptied) is no block: a reader
    /// would see an empty clause, and an empty "added" in the redline; its anchor names go to
    /// the next block.
    fn push(&mut self, parsed: Parsed, line: usize) {
        if parsed.kind == BlockKind::Html && parsed.text.is_empty() && !shows_something(&parsed.html) {
            self.pending_anchors.extend(parsed.anchors);
            return;
        }
        let list_open = if parsed.kind == BlockKind::ListItem {
            self.pending_list.take()
        } else {
            None
        };
        debug_assert_eq!(parsed.words, super::count_words(&parsed.text), "{:?}", parsed.text);
        let mut anchors = std::mem::take(&mut self.pending_anchors);
        anchors.extend(parsed.anchors);
        self.blocks.push(Block {
            kind: parsed.kind,
            level: parsed.level,
            html: parsed.html,
            text: parsed.text,
            list_open,
            list_close: false,
            footnote: parsed.footnote,
            anchors,
            line,
            words: parsed.words,
        });
    }
}

/// True when sanitized HTML without text shows something all the same: an image, a figure, a
/// rule, a control (the sanitizer writes tag names in lower case).
fn shows_something(html: &str) -> bool {
    const SHOWN: [&str; 10] = [
        "<img", "<svg", "<picture", "<video", "<audio", "<iframe", "<object", "<hr", "<input", "<math",
    ];
    SHOWN.iter().any(|tag| html.contains(tag))
}

/// Reads the events of a block whose start was read, up to its end.
fn skip_block<'a>(events: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>) {
    let mut depth = 0usize;
    for (event, _) in events {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return,
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
}

/// The events of one block's own element, read from the body's events up to the block's end
/// and filtered on the way: unsafe links and images lose their anchor (their text stays),
/// empty links are dropped, footnote references become anchors. The block's plain text is
/// collected as the events pass.
struct BlockEvents<'e, 'a, I> {
    events: &'e mut I,
    text: &'e mut String,
    kind: BlockKind,
    /// Nesting depth inside the block's element.
    depth: usize,
    /// The block's end was read.
    ended: bool,
    /// An event to give before reading on (a table's start, or the one after a link's start).
    queued: Option<Event<'a>>,
    /// For each open link or image: whether it was kept.
    links: Vec<bool>,
    /// The block holds raw HTML, to sanitize once written.
    has_raw_html: bool,
    /// Source offsets: the end of the block's contents read so far, and of the block.
    text_end: usize,
    end: usize,
    /// The source, to give back a nested heading's `{…}` ([`NestedHeading`]); empty when the
    /// block's events do not come from it.
    source: &'a str,
    /// The heading being read inside the block (a block quote's, a list item's).
    nested_heading: Option<NestedHeading>,
    /// The ids that headings inside the block gave themselves (`{#id}`): anchors of the block.
    anchors: Vec<String>,
}

/// A heading inside a block. pulldown-cmark would write its `{…}` attributes into the page as
/// they are (event handlers, styles, the hub's own classes and ids): the heading is written
/// bare, its id becomes an anchor of the block, and braces that give no id are its text.
struct NestedHeading {
    /// Whether a trailing `{…}` without an id was taken for attributes.
    braces: bool,
    /// Source offsets: the end of its text so far, and its end.
    text_end: usize,
    end: usize,
}

impl<'e, 'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> BlockEvents<'e, 'a, I> {
    fn new(kind: BlockKind, first: Option<Event<'a>>, events: &'e mut I, text: &'e mut String) -> Self {
        BlockEvents {
            has_raw_html: matches!(first, Some(Event::Html(_))),
            events,
            text,
            kind,
            depth: 0,
            ended: false,
            queued: first,
            links: Vec::new(),
            text_end: 0,
            end: 0,
            source: "",
            nested_heading: None,
            anchors: Vec::new(),
        }
    }

    /// The block's events come from `source` (the offsets they carry are into it).
    fn within(self, source: &'a str) -> Self {
        BlockEvents { source, ..self }
    }

    /// The next event of the block, links not yet checked for emptiness.
    fn next_kept(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.queued.take() {
            return Some(event);
        }
        while !self.ended {
            let (event, range) = self.events.next()?;
            let event = without_stray_controls(event);
            if self.depth == 0 && matches!(event, Event::End(_)) {
                self.end = range.end;
            } else {
                self.text_end = self.text_end.max(range.end);
            }
            if let Some(heading) = &mut self.nested_heading {
                if !matches!(event, Event::End(TagEnd::Heading(_))) {
                    heading.text_end = heading.text_end.max(range.end);
                }
            }
            match &event {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                    ..
                }) => {
                    self.depth += 1;
                    push_space(self.text);
                    self.anchors
                        .extend(id.as_deref().filter(|id| is_valid_id(id)).map(str::to_string));
                    self.nested_heading = Some(NestedHeading {
                        braces: id.is_none() && !(classes.is_empty() && attrs.is_empty()),
                        text_end: range.start,
                        end: range.end,
                    });
                    return Some(Event::Start(Tag::Heading {
                        level: *level,
                        id: None,
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    }));
                }
                Event::End(TagEnd::Heading(_)) if self.depth > 0 => {
                    self.depth -= 1;
                    let heading = self.nested_heading.take();
                    let braces = heading
                        .filter(|h| h.braces)
                        .and_then(|h| unread_heading_attributes(self.source.get(h.text_end..h.end)?));
                    if let Some(braces) = braces {
                        push_text(self.text, &braces);
                        self.queued = Some(event);
                        return Some(Event::Text(braces.into()));
                    }
                }
                // A note inside a block (a quote's, a list item's) is written with its label as
                // written and no id: pulldown-cmark would give it the raw label as id.
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    self.depth += 1;
                    push_space(self.text);
                    let html = format!(
                        "<div class=\"footnote-definition\"><sup class=\"footnote-definition-label\">{}</sup>",
                        crate::html::escape_html(label)
                    );
                    return Some(Event::Html(html.into()));
                }
                Event::End(TagEnd::FootnoteDefinition) if self.depth > 0 => {
                    self.depth -= 1;
                    return Some(Event::Html("</div>\n".into()));
                }
                Event::Start(tag) => {
                    self.depth += 1;
                    match tag {
                        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                            let keep = is_safe_url(dest_url);
                            self.links.push(keep);
                            if !keep {
                                continue;
                            }
                        }
                        Tag::Paragraph | Tag::Item | Tag::TableCell | Tag::Heading { .. } => push_space(self.text),
                        _ => {}
                    }
                }
                Event::End(end) => {
                    if self.depth == 0 {
                        self.ended = true;
                        return (self.kind == BlockKind::Table).then_some(event);
                    }
                    self.depth -= 1;
                    if matches!(end, TagEnd::Link | TagEnd::Image) && !self.links.pop().unwrap_or(false) {
                        continue;
                    }
                }
                Event::Text(text) | Event::Code(text) => push_text(self.text, text),
                Event::SoftBreak | Event::HardBreak => push_space(self.text),
                Event::Html(_) | Event::InlineHtml(_) => self.has_raw_html = true,
                Event::FootnoteReference(label) => return Some(footnote_reference(label)),
                _ => {}
            }
            return Some(event);
        }
        None
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for BlockEvents<'_, 'a, I> {
    type Item = Event<'a>;

    /// Links with no text (`[](https://…)`) are invisible to readers and unnamed for screen
    /// readers: a link's start is given only when the next event is not its end.
    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            let event = self.next_kept()?;
            if matches!(event, Event::Start(Tag::Link { .. })) {
                match self.next_kept() {
                    Some(Event::End(TagEnd::Link)) => continue,
                    next => self.queued = next,
                }
            }
            return Some(event);
        }
    }
}

/// A table's column alignments as classes (`align-center`), not the inline styles pulldown-cmark
/// writes: the pages' Content-Security-Policy allows no inline style. Only the library writes
/// these attributes: raw HTML has lost its styles to the sanitizer, and text its quotes.
fn aligned_by_class(html: &str) -> String {
    let mut html = html.to_string();
    for side in ["left", "center", "right"] {
        html = html.replace(
            &format!(" style=\"text-align: {side}\""),
            &format!(" class=\"align-{side}\""),
        );
    }
    html
}

/// The anchor of a footnote reference, to its note ([`super::footnote_id`]), showing the label
/// as written.
fn footnote_reference<'a>(label: &str) -> Event<'a> {
    let html = format!(
        "<sup class=\"footnote-ref\"><a href=\"#{}\">{}</a></sup>",
        super::footnote_id(label),
        crate::html::escape_html(label)
    );
    Event::InlineHtml(CowStr::from(html))
}

/// A text event without the stray control characters that a character reference (`&#27;`)
/// decodes to: those written in the file were dropped when it was read.
fn without_stray_controls(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Text(text) if has_stray_controls(&text) => Event::Text(without_controls(text.into_string()).into()),
        Event::Code(text) if has_stray_controls(&text) => Event::Code(without_controls(text.into_string()).into()),
        event => event,
    }
}

fn push_space(text: &mut String) {
    if !text.is_empty() && !text.ends_with(' ') {
        text.push(' ');
    }
}

/// Appends text with every run of whitespace collapsed to one space, in one pass over the
/// bytes (ASCII classified byte by byte, other characters decoded): the runs between
/// whitespace characters are copied whole.
fn push_text(out: &mut String, text: &str) {
    let mut space = out.is_empty() || out.ends_with(' ');
    let (mut run, mut i) = (0, 0);
    while let Some(&byte) = text.as_bytes().get(i) {
        let (whitespace, len) = if byte.is_ascii() {
            (matches!(byte, b' ' | b'\t'..=b'\r'), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            (c.is_whitespace(), c.len_utf8())
        };
        if whitespace {
            if run < i {
                out.push_str(&text[run..i]);
                space = false;
            }
            if !space {
                out.push(' ');
                space = true;
            }
            run = i + len;
        }
        i += len;
    }
    out.push_str(&text[run..]);
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

/// Decodes the entities a sanitizer writes in text (a no-break space too: a space between
/// words, as `collapse_whitespace` then reads it).
fn decode_entities(text: &str) -> String {
    text.replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
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
        doc.blocks.iter().map(|b| (b.kind, &*b.text)).collect()
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
        assert_eq!(&*doc.blocks[1].html, "Intro <em>text</em>.");
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
        let all: String = doc.blocks.iter().map(|b| &*b.html).collect();
        assert!(!all.contains("script"), "{all}");
        assert!(!all.contains("onmouseover"), "{all}");
        assert!(!all.contains("onerror"), "{all}");
        assert!(all.contains("Hello"), "{all}");
        assert_eq!(&*doc.blocks[0].text, "Hello");
        assert!(!doc.blocks[1].text.contains("onerror"), "{}", doc.blocks[1].text);
    }

    #[test]
    fn a_capture_borrows_none_of_the_hub_classes_but_footnotes_keep_theirs() {
        let doc = parse(
            "<p class=\"visually-hidden\">Hidden words.</p>\n\n<div class=\"clause clause-removed\">Removed on 2020-01-01</div>\n\nA note[^1] and <b class=\"x\">bold</b>.\n\n[^1]: The note.\n",
        );
        let all: String = doc.blocks.iter().map(|b| &*b.html).collect();
        assert!(
            !all.contains("visually-hidden") && !all.contains("clause-removed"),
            "{all}"
        );
        assert!(all.contains("<b>bold</b>"), "{all}");
        assert!(all.contains("<sup class=\"footnote-ref\">"), "{all}");
    }

    #[test]
    fn a_no_break_space_in_sanitized_html_is_a_space_in_the_text() {
        // PayPal's table, whose cells hold a line break: a hidden address's no-break space
        // came back from the sanitizer as "&nbsp;" glued to the words around it.
        let doc = parse("| Contact |\n|---|\n| email: [email\u{a0}protected]<br>phone: 1 < 2 & more |\n");
        assert_eq!(
            &*doc.blocks[0].text,
            "Contact email: [email protected] phone: 1 < 2 & more"
        );
    }

    #[test]
    fn text_runs_of_whitespace_become_one_space_as_split_whitespace_says() {
        // Whitespace collapsed the plain way, for comparison.
        let reference = |before: &str, text: &str| {
            let joined = format!("{before}{text}");
            let mut out = joined.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.ends_with(char::is_whitespace) && !out.is_empty() {
                out.push(' ');
            }
            out
        };
        for (before, text) in [
            ("", " a\u{2003}b\u{85}"),
            ("x", "\u{a0}é  ü"),
            ("x ", "\r\n"),
            ("", "日本 語\t"),
        ] {
            let mut out = before.to_string();
            push_text(&mut out, text);
            assert_eq!(out, reference(before, text), "{before:?} + {text:?}");
        }
    }

    #[test]
    fn text_runs_of_whitespace_become_one_space() {
        let mut out = String::new();
        push_text(&mut out, " a  b\u{a0}\tc ");
        assert_eq!(out, "a b c ");
        push_text(&mut out, " d");
        assert_eq!(out, "a b c d");
        push_text(&mut out, "e\n");
        assert_eq!(out, "a b c de ");
    }

    fn anchors(doc: &Document) -> Vec<(&str, Vec<&str>)> {
        doc.blocks
            .iter()
            .map(|b| (&*b.text, b.anchors.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn heading_attributes_give_an_anchor_and_leave_the_text() {
        let doc =
            parse("# Data we keep {#retention .wide}\n\n## Using {% data variables.product %}\n\n## Plain {.note}\n");
        assert_eq!(
            anchors(&doc),
            vec![
                ("Data we keep", vec!["retention"]),
                ("Using {% data variables.product %}", vec![]),
                ("Plain {.note}", vec![]),
            ]
        );
        assert_eq!(&*doc.blocks[0].html, "Data we keep");
        assert_eq!(&*doc.blocks[1].html, "Using {% data variables.product %}");
    }

    #[test]
    fn kramdown_attribute_lists_give_an_anchor_and_are_no_text() {
        let doc =
            parse("# Title\n{: #top}\n\n{: #next}\nFirst.\n{: #first .x}\n\n- item\n{:#item}\n\nLast.\n\n{: #end}\n");
        assert_eq!(
            anchors(&doc),
            vec![
                ("Title", vec!["top"]),
                ("First.", vec!["next", "first"]),
                ("item", vec!["item"]),
                ("Last.", vec!["end"]),
            ]
        );
        assert_eq!(&*doc.blocks[1].html, "First.");
    }

    #[test]
    fn raw_html_anchors_belong_to_their_block() {
        let doc = parse(
            "## <a name=\"old\"></a>Data\n\n<h2 id=\"eea\">EEA</h2>\n\n* <a name=\"public-data\"></a>\n  * Username\n\nSee <span id=\"x y\">here</span>.\n",
        );
        assert_eq!(
            anchors(&doc),
            vec![
                ("Data", vec!["old"]),
                ("EEA", vec!["eea"]),
                ("Username", vec!["public-data"]),
                ("See here .", vec![]),
            ]
        );
        let all: String = doc.blocks.iter().map(|b| &*b.html).collect();
        assert!(!all.contains("id=") && !all.contains("name="), "{all}");
    }

    #[test]
    fn raw_html_that_shows_nothing_is_no_block() {
        let doc = parse("# T\n\n<!-- markdownlint-disable GHD034 -->\n\n- item\n\n<!-- markdownlint-enable -->\n\n<div><a name=\"later\"></a><script>x</script></div>\n\nMore.\n");
        let kinds: Vec<(BlockKind, &str)> = doc.blocks.iter().map(|b| (b.kind, &*b.text)).collect();
        assert_eq!(
            kinds,
            [
                (BlockKind::Heading, "T"),
                (BlockKind::ListItem, "item"),
                (BlockKind::Paragraph, "More.")
            ]
        );
        assert_eq!(doc.blocks[2].anchors, ["later"], "its anchor goes to the next block");
    }

    proptest::proptest! {
        /// Untrusted text with attribute syntax in every shape: no panic, valid anchors only.
        #[test]
        fn anchor_syntax_never_breaks_the_parse(text in "([#{}: a-z<>=\"\n-]|<a name=|id=|é|\r){0,80}") {
            for block in parse(&text).blocks {
                proptest::prop_assert!(block.anchors.iter().all(|a| is_valid_id(a)), "{:?}", block.anchors);
            }
        }
    }

    #[test]
    fn character_references_write_no_stray_controls() {
        let doc = parse(
            "We keep &#x1;data &#27;[31msecure&#xFFFE; and `&#8;`.\n\n<p>Raw &#x0e;HTML&#xffff; here.</p>\n\n- An item &#x7f;&#x85;too\n",
        );
        let texts = kinds(&doc);
        assert_eq!(
            texts,
            [
                (BlockKind::Paragraph, "We keep data [31msecure and &#8;."),
                (BlockKind::Html, "Raw HTML here."),
                (BlockKind::ListItem, "An item too"),
            ]
        );
        for block in &doc.blocks {
            assert!(!crate::content::has_stray_controls(&block.html), "{:?}", block.html);
        }
    }

    #[test]
    fn code_blocks_are_clauses() {
        let doc = parse("```toml\nkey = 1\n```\n");
        assert_eq!(doc.blocks[0].kind, BlockKind::Code);
        assert_eq!(&*doc.blocks[0].text, "key = 1");
        assert!(doc.blocks[0].html.starts_with("<pre><code"), "{}", doc.blocks[0].html);
    }
}
