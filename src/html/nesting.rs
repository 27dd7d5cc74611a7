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
const UNCOUNTED: [&str; 31] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "html", "head", "body", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup",
    "rt", "rp",
];

/// `html` with the start and end tags past [`MAX_DEPTH`] open elements removed (unchanged,
/// and not copied, when it never nests so deep). Depth is counted as written: each start tag
/// opens one level, each end tag closes one, but for the [`UNCOUNTED`] elements.
pub(crate) fn flatten_deep(html: &str) -> Cow<'_, str> {
    if html.matches('<').count() <= MAX_DEPTH {
        return Cow::Borrowed(html);
    }
    let mut out = String::new();
    let (mut depth, mut copied, mut at) = (0usize, 0, 0);
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let Some((kind, end)) = tag_at(html, start) else {
            at = start + 1;
            continue;
        };
        let deep = match kind {
            Tag::Start => {
                depth += 1;
                depth > MAX_DEPTH
            }
            Tag::End => {
                depth = depth.saturating_sub(1);
                depth >= MAX_DEPTH
            }
            Tag::Other => false,
        };
        if deep {
            out.push_str(&html[copied..start]);
            copied = end;
        }
        at = end;
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// What a tag does to the depth.
enum Tag {
    /// A start tag of an element that holds content.
    Start,
    End,
    /// An uncounted or self-closed element, a comment, a doctype.
    Other,
}

/// The tag that starts at `start` (a `<`) and the index just past its `>`; `None` when no tag
/// starts there (a `<` in text).
fn tag_at(html: &str, start: usize) -> Option<(Tag, usize)> {
    let rest = &html[start + 1..];
    if let Some(comment) = rest.strip_prefix("!--") {
        let end = comment.find("-->").map_or(html.len(), |e| start + 4 + e + 3);
        return Some((Tag::Other, end));
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
    } else if html[..end].ends_with("/>") {
        Tag::Other
    } else {
        Tag::Start
    };
    Some((kind, end))
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
    fn unclosed_tags_count_and_void_or_self_closing_ones_do_not() {
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
}
