//! A bound on how deep captured HTML nests before a parser reads it. The HTML parser under
//! the sanitizer and the page importer (html5ever) looks through every open element at each
//! new tag, so a capture of 100,000 nested `<div>`s (or unclosed `<b>`s) would take minutes;
//! no policy nests so deep, and browsers stop building the tree deeper too. Tags past
//! [`MAX_DEPTH`] are dropped; their text stays.

use std::borrow::Cow;

/// Elements open at once, at most, in one block of raw HTML.
pub(crate) const MAX_DEPTH: usize = 256;

/// Elements that never hold content, and elements whose end tag may be left out (a `<p>` or
/// `<li>` is closed by the next one): neither is counted as opening a level.
const UNCOUNTED: [&str; 34] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "html", "head", "body", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup",
    "rt", "rp", "rb", "rtc", "colgroup",
];

/// Elements whose content is text, not markup, up to their end tag (a `<` in a script's
/// `i<n` opens nothing).
const RAW_TEXT: [&str; 7] = ["script", "style", "textarea", "title", "xmp", "iframe", "noembed"];

/// Elements of other vocabularies, inside which a tag written `<x/>` closes itself (in HTML
/// the slash means nothing: `<div/>` opens a `div`).
const FOREIGN: [&str; 2] = ["svg", "math"];

/// `html` with the start and end tags past [`MAX_DEPTH`] open elements removed (unchanged,
/// and not copied, when it never nests so deep). Depth is counted as written: each start tag
/// opens one level, each end tag closes one, but for the [`UNCOUNTED`] elements; the content
/// of a [`RAW_TEXT`] element is skipped.
pub(crate) fn flatten_deep(html: &str) -> Cow<'_, str> {
    if html.matches('<').count() <= MAX_DEPTH {
        return Cow::Borrowed(html);
    }
    let mut out = String::new();
    let (mut depth, mut copied, mut at) = (0usize, 0, 0);
    // The depth at which an `svg` or `math` element was opened, while inside one.
    let mut foreign: Option<usize> = None;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let Some(tag) = tag_at(html, start, foreign.is_some()) else {
            at = start + 1;
            continue;
        };
        let deep = match tag.kind {
            Tag::Start => {
                depth += 1;
                if foreign.is_none() && FOREIGN.contains(&tag.name.as_str()) {
                    foreign = Some(depth);
                }
                depth > MAX_DEPTH
            }
            Tag::End => {
                if foreign.is_some_and(|opened| depth <= opened) {
                    foreign = None;
                }
                depth = depth.saturating_sub(1);
                depth >= MAX_DEPTH
            }
            Tag::Other => false,
        };
        if deep {
            out.push_str(&html[copied..start]);
            copied = tag.end;
        }
        at = tag.end;
        if matches!(tag.kind, Tag::Start) && RAW_TEXT.contains(&tag.name.as_str()) {
            // Its text is skipped up to its end tag, which is read as the next tag.
            at = end_tag_of(html, at, &tag.name);
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

/// What a tag does to the depth.
enum Tag {
    /// A start tag of an element that holds content.
    Start,
    End,
    /// An uncounted or self-closed element, a comment, a doctype.
    Other,
}

/// A tag found in the text: what it does, its element's name (lowercase) and the index just
/// past its `>`.
struct Found {
    kind: Tag,
    name: String,
    end: usize,
}

/// The tag that starts at `start` (a `<`); `None` when no tag starts there (a `<` in text).
/// In `foreign` content (inside `svg` or `math`), `<x/>` closes itself.
fn tag_at(html: &str, start: usize, foreign: bool) -> Option<Found> {
    let rest = &html[start + 1..];
    if let Some(comment) = rest.strip_prefix("!--") {
        let end = comment.find("-->").map_or(html.len(), |e| start + 4 + e + 3);
        return Some(Found {
            kind: Tag::Other,
            name: String::new(),
            end,
        });
    }
    let (closing, name_at) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let name_len = name_at
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name_at.len());
    if !name_at.starts_with(|c: char| c.is_ascii_alphabetic()) && !rest.starts_with('!') {
        return None;
    }
    let end = start + 1 + closing_bracket(rest)? + 1;
    let name = name_at[..name_len].to_ascii_lowercase();
    let kind = if rest.starts_with('!') || UNCOUNTED.contains(&name.as_str()) {
        Tag::Other
    } else if closing {
        Tag::End
    } else if foreign && html[..end].ends_with("/>") {
        Tag::Other
    } else {
        Tag::Start
    };
    Some(Found { kind, name, end })
}

/// The index of the `>` that ends a tag's text, outside quoted attribute values.
fn closing_bracket(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_html_is_left_as_it_is() {
        let html = "<div><p>One <b>two</b><br> three</p><!-- <x> --></div>".repeat(100);
        assert!(matches!(flatten_deep(&html), Cow::Borrowed(_)));
    }

    #[test]
    fn tags_past_the_limit_go_and_their_text_stays() {
        let depth = MAX_DEPTH + 50;
        let html = format!(
            "{}deep text{}",
            "<div class=\"a>b\">".repeat(depth),
            "</div>".repeat(depth)
        );
        let flat = flatten_deep(&html);
        assert_eq!(flat.matches("<div").count(), MAX_DEPTH);
        assert_eq!(flat.matches("</div>").count(), MAX_DEPTH);
        assert!(flat.contains(">deep text<"), "{flat}");
    }

    #[test]
    fn unclosed_tags_count_and_void_ones_do_not() {
        let html = format!(
            "{}{}words",
            "<br><img src=x><p>One<li>two".repeat(400),
            "<b>".repeat(MAX_DEPTH + 10)
        );
        let flat = flatten_deep(&html);
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
            matches!(flatten_deep(&html), Cow::Borrowed(_)),
            "nothing is past the limit"
        );
        let (open, close) = ("<b>".repeat(MAX_DEPTH - 1), "</b>".repeat(MAX_DEPTH - 1));
        let deep = format!("{open}<script>{script}</script><i>words</i>{close}");
        assert!(
            matches!(flatten_deep(&deep), Cow::Borrowed(_)),
            "a script as deep as can be"
        );
    }

    #[test]
    fn a_slash_closes_only_elements_of_svg_and_math() {
        let html = format!("{}words", "<div/>".repeat(MAX_DEPTH + 10));
        let flat = flatten_deep(&html);
        assert_eq!(flat.matches("<div/>").count(), MAX_DEPTH, "<div/> opens a div");
        let svg = format!(
            "<div><svg>{}</svg></div>{}",
            "<path d=\"M0\"/>".repeat(MAX_DEPTH + 10),
            "<b>x</b>"
        );
        assert!(
            matches!(flatten_deep(&svg), Cow::Borrowed(_)),
            "svg's paths close themselves"
        );
        let after = format!("{svg}{}", "<i>y</i>".repeat(MAX_DEPTH));
        assert_eq!(
            flatten_deep(&after).matches("</i>").count(),
            MAX_DEPTH,
            "and the depth is back after </svg>"
        );
    }
}
