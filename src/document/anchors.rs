//! The anchor names a version's Markdown gives its blocks explicitly, besides raw HTML's (taken
//! out by the sanitizer): kramdown's block attribute lists (`{: #id}` on a line of its own) and
//! the trailing `{…}` of a heading. Pure functions over text: the cutter (`parse.rs`) decides
//! which block each name belongs to.

use super::sanitize::is_valid_id;

/// A kramdown block attribute list (`{: #id .class}`, `{:#id}`) on a line of its own: markup
/// for the block beside it, never text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AttributeList {
    /// The id it gives (its last `#id`), when it gives a valid one.
    pub id: Option<String>,
}

/// The attribute list a line is, if it is one: `{:` then attributes then `}`, no brace inside
/// (`{:name: …}` defines a reference, it is not one).
pub(super) fn attribute_list(line: &str) -> Option<AttributeList> {
    let inner = line.trim().strip_prefix("{:")?.strip_suffix('}')?;
    let first = inner.split_whitespace().next().unwrap_or("");
    let defines_reference = !inner.starts_with(char::is_whitespace) && first.ends_with(':');
    if inner.contains(['{', '}', '\n']) || defines_reference {
        return None;
    }
    let id = inner
        .split_whitespace()
        .filter_map(|token| token.strip_prefix('#'))
        .next_back()
        .filter(|id| is_valid_id(id))
        .map(str::to_string);
    Some(AttributeList { id })
}

/// Takes a block's last line off its HTML and text when it is an attribute list
/// (`Text.\n{: #id}`: kramdown reads it as the paragraph's attributes, CommonMark as its last
/// line); returns it.
pub(super) fn take_trailing_attribute_list(html: &mut String, text: &mut String) -> Option<AttributeList> {
    let line_start = html.rfind('\n')? + 1;
    let text_start = text.rfind("{:")?;
    if !html[line_start..].starts_with("{:") {
        return None;
    }
    let list = attribute_list(&text[text_start..])?;
    html.truncate(line_start - 1);
    html.truncate(html.trim_end().len());
    text.truncate(text[..text_start].trim_end().len());
    Some(list)
}

/// Takes a block's first line off its HTML and text when it is an attribute list
/// (`{: #id}\nText.`: kramdown reads it as the attributes of the block below); returns it.
pub(super) fn take_leading_attribute_list(html: &mut String, text: &mut String) -> Option<AttributeList> {
    let line_end = html.find('\n')?;
    let text_end = text.find('}')? + 1;
    // The list is its line's whole: a line that goes on after it is text.
    let line = html[..line_end].trim_end();
    if !(line.starts_with("{:") && line.ends_with('}') && line.matches('}').count() == 1) {
        return None;
    }
    let list = attribute_list(&text[..text_end])?;
    html.drain(..=line_end);
    html.drain(..html.len() - html.trim_start().len());
    text.drain(..text_end);
    text.drain(..text.len() - text.trim_start().len());
    Some(list)
}

/// True when the line before the one at `offset` of `source` is not blank: a block there ends
/// right above it.
pub(super) fn follows_a_line(source: &str, offset: usize) -> bool {
    let Some(line_start) = source.get(..offset).and_then(|s| s.rfind('\n')) else {
        return false;
    };
    let above = &source[..line_start];
    let previous = above.rsplit('\n').next().unwrap_or(above);
    !previous.trim().is_empty()
}

/// The trailing `{…}` of a heading's line that pulldown-cmark read as attributes but that names
/// no id (`## Using {% data variables.product %}`): text of the heading, to write back. `tail` is
/// the source from the end of the heading's text to the end of the heading; the text comes with
/// the space that stood before it.
pub(super) fn unread_heading_attributes(tail: &str) -> Option<String> {
    let line = tail.trim_start().lines().next()?.trim_end();
    if !(line.starts_with('{') && line.ends_with('}')) {
        return None;
    }
    let space = if tail.starts_with([' ', '\t']) { " " } else { "" };
    Some(format!("{space}{line}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(line: &str) -> Option<Option<String>> {
        attribute_list(line).map(|list| list.id)
    }

    #[test]
    fn reads_kramdown_attribute_lists() {
        assert_eq!(id("{: #data-we-collect}"), Some(Some("data-we-collect".into())));
        assert_eq!(id("  {:#a .wide #b}  "), Some(Some("b".into())));
        assert_eq!(id("{: .note}"), Some(None));
        assert_eq!(id("{:toc: .x}"), None, "a reference definition");
        assert_eq!(id("{#id}"), None, "a heading attribute, not a block attribute list");
        assert_eq!(id("{: #a}{: #b}"), None);
        assert_eq!(id("Some {: #text}"), None);
    }

    #[test]
    fn a_trailing_attribute_list_leaves_the_block() {
        let mut html = "We keep <em>little</em>.\n{: #retention}".to_string();
        let mut text = "We keep little. {: #retention}".to_string();
        let list = take_trailing_attribute_list(&mut html, &mut text);
        assert_eq!(list.and_then(|l| l.id).as_deref(), Some("retention"));
        assert_eq!(
            (html.as_str(), text.as_str()),
            ("We keep <em>little</em>.", "We keep little.")
        );
        let mut html = "One line {: #not-alone}".to_string();
        let mut text = html.clone();
        assert_eq!(take_trailing_attribute_list(&mut html, &mut text), None);
        assert_eq!(text, "One line {: #not-alone}");
    }

    #[test]
    fn a_leading_attribute_list_leaves_the_block() {
        let mut html = "{: #retention}\nWe keep <em>little</em>.".to_string();
        let mut text = "{: #retention} We keep little.".to_string();
        let list = take_leading_attribute_list(&mut html, &mut text);
        assert_eq!(list.and_then(|l| l.id).as_deref(), Some("retention"));
        assert_eq!(
            (html.as_str(), text.as_str()),
            ("We keep <em>little</em>.", "We keep little.")
        );
        let mut html = "{: #a} on one line".to_string();
        let mut text = html.clone();
        assert_eq!(take_leading_attribute_list(&mut html, &mut text), None);
        // A first line that goes on after the list keeps every word.
        let mut html = "{: #x} We collect <b>your\ndata</b>.".to_string();
        let mut text = "{: #x} We collect your data.".to_string();
        assert_eq!(take_leading_attribute_list(&mut html, &mut text), None);
        assert_eq!(text, "{: #x} We collect your data.");
    }

    #[test]
    fn a_line_follows_a_block_when_the_line_above_is_not_blank() {
        let source = "# Title\n{: #t}\n\n{: #next}\nText\n";
        assert!(follows_a_line(source, source.find("{: #t}").unwrap()));
        assert!(!follows_a_line(source, source.find("{: #next}").unwrap()));
        assert!(!follows_a_line(source, 0));
    }

    #[test]
    fn heading_braces_without_an_id_are_text() {
        assert_eq!(
            unread_heading_attributes(" {% data variables.product %}\n").as_deref(),
            Some(" {% data variables.product %}")
        );
        assert_eq!(unread_heading_attributes("{x}").as_deref(), Some("{x}"));
        assert_eq!(unread_heading_attributes("\n=====\n"), None);
        assert_eq!(unread_heading_attributes(""), None);
    }
}
