//! Bounds on captured HTML before a parser reads it: how deep it nests, and how large one tag
//! is. The HTML parser under the sanitizer and the page importer (html5ever) looks through
//! every open element at each new tag, so a capture of 100,000 nested `<div>`s (or unclosed
//! `<b>`s) would take minutes; no policy nests so deep, and browsers stop building the tree
//! deeper too. The open elements are followed as a parser follows them, roughly and in one
//! pass: an end tag closes the nearest open element of its name and those inside it (a
//! `<a name="x"/>` left open by its slash is closed by the `</h2>` around it); a start tag past
//! [`MAX_DEPTH`] open elements is dropped, with its end tag; their text stays.
//!
//! The parser also compares each attribute of a tag with those before it, and reads a value's
//! character references in time that grows with their square, so one tag of 300,000
//! attributes (3 MB) took 25 s and a value of a million `&amp;` 8 s. A tag of more than
//! [`MAX_ATTRIBUTES`] attributes or [`MAX_REFERENCES`] references is written bare (`<p>`): no
//! policy's markup has so many, and the sanitizer keeps few attributes anyway. Attributes and
//! the end of a tag are found as the parser finds them, so a tag is never taken for longer or
//! shorter than it is.

use std::borrow::Cow;
use std::collections::HashMap;

/// Elements open at once, at most, in one block of raw HTML.
pub(crate) const MAX_DEPTH: usize = 256;

/// Attributes of one tag, at most (about: a tag's name counts as one).
const MAX_ATTRIBUTES: usize = 256;

/// Character references (`&amp;`) in one tag, at most: the parser reads a value's in time that
/// grows with their square.
const MAX_REFERENCES: usize = 16 * 1024;

/// HTML this short is read as it is unless it nests deeper than [`MAX_DEPTH`]: however its
/// tags are made, the parser reads it in well under a millisecond.
const SURELY_SMALL: usize = 4096;

/// Elements that never hold content, and elements whose end tag may be left out (a `<p>` or
/// `<li>` is closed by the next one): neither is counted as opening a level.
const UNCOUNTED: [&str; 34] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "html", "head", "body", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup",
    "rt", "rp", "rb", "rtc", "colgroup",
];

/// Elements that make a block of their own: their text is never run into the text around.
const BLOCKS: [&str; 37] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "legend",
    "main",
    "menu",
    "nav",
    "ol",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "noscript",
    "search",
    "listing",
];

/// True when `html` (sanitized or written by the Markdown library: every `<` opens a tag or a
/// comment) holds an element that cannot stand inside a `<p>`: a block, a paragraph, a list
/// item or a rule. A clause holding one is written as a `<div>`, or a browser would end the
/// clause's paragraph there and leave the rest of its words, and its tools, outside it.
pub(crate) fn holds_block(html: &str) -> bool {
    const NOT_IN_A_PARAGRAPH: [&str; 5] = ["p", "hr", "li", "dd", "dt"];
    html.match_indices('<').any(|(at, _)| {
        let name = html[at + 1..]
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or_default();
        BLOCKS
            .iter()
            .chain(&NOT_IN_A_PARAGRAPH)
            .any(|block| block.eq_ignore_ascii_case(name))
    })
}

/// Elements not counted as levels whose start and end part words: table cells and rows, list
/// items, paragraphs.
const SEPARATED: [&str; 8] = ["td", "th", "tr", "li", "dt", "dd", "p", "br"];

/// True for an element whose start and end part the words before, inside and after it (a
/// block, a table cell or row, a list item, a paragraph): one taken away leaves a space.
pub(crate) fn parts_words(name: &str) -> bool {
    BLOCKS.contains(&name) || SEPARATED.contains(&name)
}

/// Elements whose content is text, not markup, up to their end tag (a `<` in a script's
/// `i<n` opens nothing; `noscript` as a parser that runs scripts reads it). They hold no
/// element, so they open no level.
const RAW_TEXT: [&str; 10] = [
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// Elements of other vocabularies, inside which a tag written `<x/>` closes itself (in HTML
/// the slash means nothing: `<div/>` opens a `div`) and no element's content is raw text.
const FOREIGN: [&str; 2] = ["svg", "math"];

/// Elements of SVG and MathML whose content is HTML again.
const INTEGRATION: [&str; 8] = ["foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext"];

/// HTML elements that end SVG or MathML content when they start inside it.
const BREAKOUT: [&str; 44] = [
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// The open elements: each one's name and whether its content is SVG or MathML.
#[derive(Default)]
struct Open {
    elements: Vec<(String, bool)>,
    /// Start tags dropped past the bound, by name, whose end tags are dropped too.
    dropped: HashMap<String, usize>,
}

impl Open {
    fn foreign(&self) -> bool {
        self.elements.last().is_some_and(|(_, foreign)| *foreign)
    }

    /// A start tag of `name` that opens an element: false when it is past the bound.
    fn start(&mut self, name: &str) -> bool {
        if self.elements.len() >= MAX_DEPTH {
            *self.dropped.entry(name.to_string()).or_default() += 1;
            return false;
        }
        let foreign = match self.foreign() {
            true => !INTEGRATION.contains(&name),
            false => FOREIGN.contains(&name),
        };
        self.elements.push((name.to_string(), foreign));
        true
    }

    /// An end tag of `name`: closes the nearest open element of that name and those inside it;
    /// false when its start tag was dropped.
    fn end(&mut self, name: &str) -> bool {
        if let Some(at) = self.elements.iter().rposition(|(open, _)| open == name) {
            self.elements.truncate(at);
            return true;
        }
        match self.dropped.get_mut(name) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        }
    }

    /// Leaves SVG or MathML content, as an HTML element that starts inside it does.
    fn break_out(&mut self) {
        while self.foreign() {
            self.elements.pop();
        }
    }
}

/// `html` with the start tags past [`MAX_DEPTH`] open elements, and their end tags, removed,
/// and the tags past [`MAX_ATTRIBUTES`] or [`MAX_REFERENCES`] written bare (unchanged, and not
/// copied, when it is within the bounds); the content of a [`RAW_TEXT`] element is skipped.
pub(crate) fn within_bounds(html: &str) -> Cow<'_, str> {
    if html.len() <= SURELY_SMALL && html.matches('<').count() <= MAX_DEPTH {
        return Cow::Borrowed(html);
    }
    let mut out = String::new();
    let (mut copied, mut at) = (0, 0);
    let mut open = Open::default();
    let mut dropped = false;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let Some(tag) = tag_at(html, start) else {
            if tag_begins(html, start) {
                // A tag that never ends: a parser reads the rest as its attributes, then drops
                // it all at the end; so does this when the rest is long, before the parser
                // spends time on them.
                if html.len() - start > SURELY_SMALL {
                    out.push_str(&html[copied..start]);
                    copied = html.len();
                }
                break;
            }
            at = start + 1;
            continue;
        };
        at = tag.end;
        let name = tag.name.as_str();
        let kept = match tag.kind {
            Tag::Other => true,
            Tag::End if open.foreign() || !UNCOUNTED.contains(&name) => open.end(name),
            Tag::End => true,
            Tag::Start { self_closed } => {
                if open.foreign() && BREAKOUT.contains(&name) {
                    open.break_out();
                }
                if open.foreign() {
                    self_closed || open.start(name)
                } else if RAW_TEXT.contains(&name) {
                    // Its text is skipped up to its end tag, which is read as the next tag.
                    at = end_tag_of(html, at, name);
                    true
                } else {
                    UNCOUNTED.contains(&name) || open.start(name)
                }
            }
        };
        // Past the depth, a block's tags part its words from those around it: a space keeps
        // them apart where the block's tag goes, and before the cells, rows and items kept
        // (a table's cells are no cells once the table is gone).
        if !kept {
            out.push_str(&html[copied..start]);
            if BLOCKS.contains(&name) {
                out.push(' ');
            }
            copied = tag.end;
            dropped = true;
        } else if tag.oversized {
            out.push_str(&html[copied..start]);
            if dropped && SEPARATED.contains(&name) {
                out.push(' ');
            }
            out.push_str(&tag.bare());
            copied = tag.end;
        } else if dropped && SEPARATED.contains(&name) {
            out.push_str(&html[copied..start]);
            out.push(' ');
            copied = start;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// Where the end tag of the raw text element `name` whose content starts at `from` begins (the
/// end of `html` when it has none).
fn end_tag_of(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(found) = html[at..].find("</") {
        let start = at + found;
        let after = start + 2 + name.len();
        let named = bytes
            .get(start + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        if named && bytes.get(after).is_none_or(|c| !c.is_ascii_alphanumeric()) {
            return start;
        }
        at = start + 2;
    }
    html.len()
}

/// What a tag is.
enum Tag {
    Start {
        /// Written `<x/>`.
        self_closed: bool,
    },
    End,
    /// A comment, a doctype, a processing instruction or a bogus comment.
    Other,
}

/// A tag found in the text: what it is, its element's name (lowercase) and the index just
/// past its `>`.
struct Found {
    kind: Tag,
    name: String,
    end: usize,
    /// Past [`MAX_ATTRIBUTES`] or [`MAX_REFERENCES`].
    oversized: bool,
}

impl Found {
    /// The tag without its attributes: `<p>`, `<br/>`, `</p>`.
    fn bare(&self) -> String {
        match self.kind {
            Tag::Start { self_closed: true } => format!("<{}/>", self.name),
            Tag::Start { self_closed: false } => format!("<{}>", self.name),
            Tag::End => format!("</{}>", self.name),
            Tag::Other => String::new(),
        }
    }
}

/// True when a tag's name begins at the `<` at `start` (`<a`, `</a`).
fn tag_begins(html: &str, start: usize) -> bool {
    let rest = &html[start + 1..];
    rest.strip_prefix('/')
        .unwrap_or(rest)
        .starts_with(|c: char| c.is_ascii_alphabetic())
}

/// The tag that starts at `start` (a `<`); `None` when no tag starts there (a `<` in text,
/// or a tag that never ends).
fn tag_at(html: &str, start: usize) -> Option<Found> {
    let rest = &html[start + 1..];
    let other = |end: usize| Found {
        kind: Tag::Other,
        name: String::new(),
        end,
        oversized: false,
    };
    if let Some(comment) = rest.strip_prefix("!--") {
        // `<!-->` and `<!--->` are empty comments.
        let end = match comment {
            c if c.starts_with('>') => start + 5,
            c if c.starts_with("->") => start + 6,
            c => c.find("-->").map_or(html.len(), |e| start + 4 + e + 3),
        };
        return Some(other(end));
    }
    let bogus = rest.starts_with(['!', '?'])
        || rest
            .strip_prefix('/')
            .is_some_and(|r| !r.starts_with(|c: char| c.is_ascii_alphabetic()));
    if bogus {
        // A doctype, `<?…>`, `</ …>` or `</>`: no element, up to the next `>`.
        let end = rest.find('>').map_or(html.len(), |e| start + 1 + e + 1);
        return Some(other(end));
    }
    let (closing, name_at) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if !name_at.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_len = name_at
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(name_at.len());
    let (bracket, names, references) = closing_bracket(rest)?;
    let end = start + 1 + bracket + 1;
    let name = name_at[..name_len].to_ascii_lowercase();
    let kind = match closing {
        true => Tag::End,
        false => Tag::Start {
            self_closed: html[..end].ends_with("/>"),
        },
    };
    let oversized = names > MAX_ATTRIBUTES || references > MAX_REFERENCES;
    Some(Found {
        kind,
        name,
        end,
        oversized,
    })
}

/// Where a parser is in a tag's text: the HTML tokenizer's states that tell where the tag
/// ends and where each attribute begins.
#[derive(Clone, Copy, PartialEq, Eq)]
enum In {
    TagName,
    BeforeName,
    Name,
    AfterName,
    BeforeValue,
    Quoted(char),
    Unquoted,
    AfterQuoted,
}

/// The index of the `>` that ends a tag's text (`tag` starts after its `<`), how many names it
/// holds (its element's and its attributes', as the parser tells them apart: `a/b` is two,
/// `href=/x/y` one, `="x"` a name) and how many character references (`&`) it holds. `None`
/// when it never ends: a quoted value left open.
fn closing_bracket(tag: &str) -> Option<(usize, usize, usize)> {
    let (mut state, mut names, mut references) = (In::TagName, 1, 0);
    let skip = usize::from(tag.starts_with('/'));
    for (i, c) in tag[skip..].char_indices() {
        references += usize::from(c == '&');
        let space = c.is_ascii_whitespace();
        state = match (state, c) {
            (In::Quoted(q), c) if c == q => In::AfterQuoted,
            (In::Quoted(q), _) => In::Quoted(q),
            (_, '>') => return Some((skip + i, names, references)),
            (In::BeforeValue, '"' | '\'') => In::Quoted(c),
            (In::BeforeValue, _) if space => In::BeforeValue,
            (In::BeforeValue, _) => In::Unquoted,
            (In::Unquoted, _) if space => In::BeforeName,
            (In::Unquoted, _) => In::Unquoted,
            (In::Name | In::AfterName, _) if space => In::AfterName,
            (_, _) if space => In::BeforeName,
            // A slash outside a value: the tag may close itself, else a name begins after it.
            (_, '/') => In::BeforeName,
            (In::Name | In::AfterName, '=') => In::BeforeValue,
            (In::TagName, _) => In::TagName,
            (In::Name, _) => In::Name,
            (In::BeforeName | In::AfterName | In::AfterQuoted, _) => {
                names += 1;
                In::Name
            }
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_a_paragraph_that_holds_a_block() {
        assert!(holds_block("We collect data <p>inner</p> and more."));
        assert!(holds_block("See <TABLE><tr><td>x</td></tr></TABLE>"));
        assert!(holds_block("A list <ul><li>one</li></ul>"));
        assert!(!holds_block(
            "We <em>collect</em> <a href=\"/x\">data</a> &lt;p&gt;<br>"
        ));
    }

    #[test]
    fn shallow_html_is_left_as_it_is() {
        let html = "<div><p>One <b>two</b><br> three</p><!-- <x> --></div>".repeat(100);
        assert!(matches!(within_bounds(&html), Cow::Borrowed(_)));
    }

    #[test]
    fn tags_past_the_limit_go_and_their_text_stays() {
        let depth = MAX_DEPTH + 50;
        let html = format!(
            "{}deep text{}",
            "<div class=\"a>b\">".repeat(depth),
            "</div>".repeat(depth)
        );
        let flat = within_bounds(&html);
        assert_eq!(flat.matches("<div").count(), MAX_DEPTH);
        assert_eq!(flat.matches("</div>").count(), MAX_DEPTH);
        assert!(flat.contains("  deep text</div>"), "{flat}");
    }

    #[test]
    fn the_words_of_blocks_past_the_limit_stay_apart() {
        let depth = MAX_DEPTH + 20;
        let cells = "<table><tr><td>alpha</td><td>beta</td></tr></table><ul><li>gamma<li>delta</ul>";
        let html = format!(
            "{}{cells}<b>in</b>line{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let flat = within_bounds(&html);
        let text = regex::Regex::new("<[^>]*>").unwrap().replace_all(&flat, "");
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["alpha", "beta", "gamma", "delta", "inline"], "{flat}");
    }

    #[test]
    fn unclosed_tags_count_and_void_ones_do_not() {
        let html = format!(
            "{}{}words",
            "<br><img src=x><p>One<li>two".repeat(400),
            "<b>".repeat(MAX_DEPTH + 10)
        );
        let flat = within_bounds(&html);
        assert_eq!(flat.matches("<b>").count(), MAX_DEPTH);
        assert_eq!(flat.matches("<br>").count(), 400);
        assert_eq!(flat.matches("<li>").count(), 400);
        assert!(flat.ends_with("words"));
    }

    #[test]
    fn a_script_full_of_less_than_signs_opens_nothing() {
        let script = "for(var i=0;i<n;i++){a<b}".repeat(MAX_DEPTH + 50);
        let html = format!("<div><script>{script}</script><STYLE>p<q{{}}</STYLE><p>policy text</p></div>");
        assert!(
            matches!(within_bounds(&html), Cow::Borrowed(_)),
            "nothing is past the limit"
        );
        let (open, close) = ("<b>".repeat(MAX_DEPTH - 1), "</b>".repeat(MAX_DEPTH - 1));
        let deep = format!("{open}<script>{script}</script><i>words</i>{close}");
        assert!(
            matches!(within_bounds(&deep), Cow::Borrowed(_)),
            "a script as deep as can be"
        );
    }

    #[test]
    fn a_slash_closes_only_elements_of_svg_and_math() {
        let html = format!("{}words", "<div/>".repeat(MAX_DEPTH + 10));
        let flat = within_bounds(&html);
        assert_eq!(flat.matches("<div/>").count(), MAX_DEPTH, "<div/> opens a div");
        let svg = format!(
            "<div><svg>{}</svg></div>{}",
            "<path d=\"M0\"/>".repeat(MAX_DEPTH + 10),
            "<b>x</b>"
        );
        assert!(
            matches!(within_bounds(&svg), Cow::Borrowed(_)),
            "svg's paths close themselves"
        );
        let after = format!("{svg}{}", "<i>y</i>".repeat(MAX_DEPTH));
        assert_eq!(
            within_bounds(&after).matches("</i>").count(),
            MAX_DEPTH,
            "and the depth is back after </svg>"
        );
    }

    #[test]
    fn an_anchor_left_open_by_its_slash_is_closed_by_its_heading() {
        let html = (0..MAX_DEPTH + 50)
            .map(|n| format!("<h2><a name=\"s{n}\"/>Section {n}</h2><p>Text.</p>"))
            .collect::<String>();
        assert!(matches!(within_bounds(&html), Cow::Borrowed(_)));
    }

    /// Shapes a parser reads as markup, or as no tag, as it reads them: none of them hides
    /// 20,000 nested elements from the bound.
    #[test]
    fn no_shape_hides_deep_nesting() {
        let deep = "<div>".repeat(20_000);
        let cases = [
            format!("<svg><title>{deep}"),
            format!("<svg><foreignObject>{deep}"),
            format!("<svg><b>{}", "<div/>".repeat(20_000)),
            format!("<math><p>{}", "<div/>".repeat(20_000)),
            format!("<!-->{deep}<!-- -->"),
            format!("<!--->{deep}"),
            format!("<a x\"y>{deep}<b title=\">\">"),
            "<div></ </div>".repeat(20_000),
            "<div></>".repeat(20_000),
        ];
        for html in &cases {
            let flat = within_bounds(html);
            let opened = flat.matches("<div").count();
            assert!(opened <= MAX_DEPTH + 1, "{opened} divs kept of {}", &html[..40]);
        }
        // A script past the bound is kept whole (its text is no markup); the divs after it go.
        let script = format!("{}<script>{deep}</script>{deep}", "<b>".repeat(MAX_DEPTH));
        let flat = within_bounds(&script);
        let (kept, after) = flat.split_once("</script>").unwrap();
        assert!(kept.ends_with(&format!("<script>{deep}")));
        assert_eq!(after.matches("<div").count(), 0);
    }

    #[test]
    fn a_tag_that_never_ends_ends_the_scan() {
        let html = format!("{}<a href=\"x{}", "<i>".repeat(MAX_DEPTH + 5), "<b>".repeat(100_000));
        assert_eq!(
            within_bounds(&html),
            "<i>".repeat(MAX_DEPTH),
            "the rest is the tag's, and goes"
        );
    }

    #[test]
    fn a_tag_of_too_many_attributes_or_references_is_written_bare() {
        let many: String = (0..MAX_ATTRIBUTES + 10).map(|i| format!(" a{i}=x")).collect();
        let html = format!(
            "<p{many}>many</p><br{many}/><span title=\"{}\">refs</span></p{many}>",
            "&amp;".repeat(20_000)
        );
        assert_eq!(within_bounds(&html), "<p>many</p><br/><span>refs</span></p>");
        // Names parted by slashes or quoted values count as a parser reads them.
        let words = "words ".repeat(SURELY_SMALL);
        let slashed = format!("<p {}b>{words}</p>", "a/".repeat(MAX_ATTRIBUTES + 10));
        assert_eq!(within_bounds(&slashed), format!("<p>{words}</p>"));
        let quoted = format!("<p {}>{words}</p>", "a=\"x\"".repeat(MAX_ATTRIBUTES + 10));
        assert_eq!(within_bounds(&quoted), format!("<p>{words}</p>"));
        // As many attributes as a tag may have, in a long block, stay.
        let fine: String = (0..MAX_ATTRIBUTES - 1)
            .map(|i| format!(" a{i}=\"{i} > {i}\""))
            .collect();
        let html = format!("<p{fine}>words</p>{}", "<i>x</i>".repeat(600));
        assert!(matches!(within_bounds(&html), Cow::Borrowed(_)));
    }

    #[test]
    fn a_tag_that_never_ends_goes_as_a_parser_drops_it() {
        let html = format!("<b>kept</b> words <p{}", " a=x".repeat(2000));
        assert_eq!(within_bounds(&html), "<b>kept</b> words ");
    }

    #[test]
    fn attributes_and_the_end_of_a_tag_are_found_as_a_parser_finds_them() {
        let words = "Our policy text. ".repeat(300);
        // `=` where a name begins is a name, so its quote opens no value: the tag ends at `>`.
        for odd in ["<p =\" x>", "<p a=b=\" x>", "<p a=\"x\"b=y\" x>"] {
            let html = format!("{odd}{words}");
            assert!(within_bounds(&html).ends_with(&words), "{odd}");
        }
        // Slashes inside an unquoted value part no names; names after `=` count.
        let path = format!("<a href=/{}x>{words}</a>", "x/".repeat(MAX_ATTRIBUTES + 10));
        assert!(matches!(within_bounds(&path), Cow::Borrowed(_)));
        let named: String = (0..MAX_ATTRIBUTES + 10).map(|i| format!(" =a{i}=v")).collect();
        assert_eq!(within_bounds(&format!("<p{named}>{words}")), format!("<p>{words}"));
        // A value left open in a raw-text element is its text, not a tag that never ends.
        let raw = format!("<noscript><a title=\"x</noscript>{words}");
        assert!(matches!(within_bounds(&raw), Cow::Borrowed(_)));
    }
}
