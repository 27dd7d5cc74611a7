//! Blocks written as CommonMark: one blank line between blocks, tight lists indented by their
//! markers' width, and escapes where plain text would otherwise start a Markdown construct
//! (`1.`, `-`, `#`, `>`, `---`) or hold raw HTML. Only whitespace and markup are written here;
//! never a word.

use super::blocks::{Block, Marker};
use super::headings::HeadingKind;
use super::shape::Fence;

/// The blocks as a CommonMark document ending with one newline (empty when there are none).
pub(super) fn write(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut columns: Vec<usize> = Vec::new();
    let mut previous_was_item = false;
    for block in blocks {
        let is_item = matches!(block, Block::Item(_));
        if !out.is_empty() {
            out.push_str(if is_item && previous_was_item { "\n" } else { "\n\n" });
        }
        if !is_item {
            columns.clear();
        }
        match block {
            Block::Heading(h) => {
                out.push_str(&"#".repeat(usize::from(h.level)));
                if !h.text.is_empty() {
                    out.push(' ');
                    let text = escape_heading_end(&h.text);
                    // A heading made from a line of text keeps its braces as text too.
                    let text = match h.kind {
                        HeadingKind::Markdown(_) => text,
                        _ => escape_attribute_list(&text),
                    };
                    out.push_str(&text);
                }
            }
            Block::Paragraph(p) => {
                // Every line's start is escaped whatever the paragraph's origin: joined lines, a
                // split line or the line after a hard break may start like a list marker.
                let lines: Vec<String> = p.text.split('\n').map(escape_block_start).collect();
                let text = lines.join("\n");
                out.push_str(&if p.plain { escape_plain_inline(&text) } else { text });
            }
            Block::Item(item) => {
                columns.truncate(item.depth);
                let indent: usize = columns.iter().sum();
                let marker = match &item.marker {
                    Marker::Bullet => "-",
                    Marker::Ordered(m) => m.as_str(),
                };
                columns.push(marker.len() + 1);
                out.push_str(&" ".repeat(indent));
                out.push_str(marker);
                if !item.text.is_empty() {
                    out.push(' ');
                    if item.recovered {
                        out.push_str(&escape_plain_inline(&escape_block_start(&item.text)));
                    } else {
                        out.push_str(&escape_block_start(&item.text));
                    }
                }
                let content = " ".repeat(indent + marker.len() + 1);
                for line in &item.continuation {
                    out.push('\n');
                    out.push_str(&content);
                    out.push_str(&escape_block_start(line));
                }
            }
            Block::Verbatim { lines, .. } => out.push_str(&lines.join("\n")),
        }
        previous_was_item = is_item;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// The text with a backslash before a start that CommonMark would read as a block marker (or
/// that would start a table row).
pub(super) fn escape_block_start(text: &str) -> String {
    let first = text.chars().next();
    let after_first = first.map_or("", |c| &text[c.len_utf8()..]);
    let opens_block = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    let hashes = text.bytes().take_while(|&b| b == b'#').count();
    let marks: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let rule_or_underline = marks.len() >= 2 && ['-', '*', '_', '='].iter().any(|m| marks.iter().all(|c| c == m));
    let escape_first = match first {
        Some('#') => (1..=6).contains(&hashes) && opens_block(&text[hashes..]),
        Some('>' | '|') => true,
        Some('-' | '+' | '*') => opens_block(after_first) || rule_or_underline,
        Some('=' | '_') => rule_or_underline,
        Some('`') => text.starts_with("```"),
        Some('~') => text.starts_with("~~~"),
        _ => false,
    };
    if escape_first {
        return format!("\\{text}");
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) && text[digits..].starts_with(['.', ')']) && opens_block(&text[digits + 1..]) {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    text.to_string()
}

/// Plain text with a backslash before every `<` that would open an HTML tag or comment,
/// every `&` that would start a character reference (a capture that shows `&copy;` means
/// those six characters), and a `{:` that starts a line (a kramdown attribute list, which the
/// build reads as markup).
pub(super) fn escape_plain_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = None;
    for (at, c) in text.char_indices() {
        let rest = &text[at + c.len_utf8()..];
        let special = match c {
            '<' => rest.starts_with(|n: char| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => starts_reference(rest),
            '{' => rest.starts_with(':') && matches!(previous, None | Some('\n')),
            _ => false,
        };
        if special && previous != Some('\\') {
            out.push('\\');
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

/// True when the text after a `&` makes it a character reference: `name;`, `#digits;` or
/// `#xhex;`.
fn starts_reference(rest: &str) -> bool {
    let (body, radix) = match rest.strip_prefix('#') {
        Some(number) => match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (number, 10),
        },
        None => (rest, 0),
    };
    let len = body
        .char_indices()
        .find(|&(_, c)| {
            !(if radix == 0 {
                c.is_ascii_alphanumeric()
            } else {
                c.is_digit(radix)
            })
        })
        .map_or(body.len(), |(i, _)| i);
    let named_start = radix != 0 || body.starts_with(|c: char| c.is_ascii_alphabetic());
    (1..=32).contains(&len) && named_start && body[len..].starts_with(';')
}

/// A heading whose text ends in `#` after a space would lose it as a closing sequence.
fn escape_heading_end(text: &str) -> String {
    let trimmed = text.trim_end_matches('#');
    if trimmed.len() < text.len() && (trimmed.is_empty() || trimmed.ends_with(' ')) {
        format!("{trimmed}\\{}", &text[trimmed.len()..])
    } else {
        text.to_string()
    }
}

/// A heading's text that ends in `{…}`, which CommonMark with attributes reads as an attribute
/// list (`Cookies {#top}` is the heading "Cookies" with the id `top`), with its closing brace
/// written as a character reference: the braces stay text.
fn escape_attribute_list(text: &str) -> String {
    match text.strip_suffix('}') {
        Some(rest) if rest.contains('{') => format!("{rest}&#125;"),
        _ => text.to_string(),
    }
}

/// Markdown written from a page's text (an HTML capture's), with a backslash before every `&`
/// of its text that would start a character reference: a page that shows `&copy;` means those
/// six characters. Code (spans and fenced blocks), link destinations and autolinks are left as
/// they are: a reference there is read as the writer meant.
pub(super) fn escape_text_references(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut fence: Option<Fence> = None;
    for line in markdown.split_inclusive('\n') {
        let in_code = match fence {
            Some(open) => {
                if open.closed_by(line) {
                    fence = None;
                }
                true
            }
            None => {
                fence = Fence::opened_by(line);
                fence.is_some()
            }
        };
        if in_code {
            out.push_str(line);
            continue;
        }
        let opening = line.trim_start_matches(' ');
        let heading = opening.starts_with('#') && opening.trim_start_matches('#').starts_with([' ', '\t']);
        if heading {
            let mut text = String::new();
            escape_line_references(line.trim_end(), &mut text);
            out.push_str(&escape_attribute_list(&text));
            out.push_str(&line[line.trim_end().len()..]);
        } else {
            escape_line_references(line, &mut out);
        }
    }
    out
}

/// [`escape_text_references`] of a line outside fenced code.
fn escape_line_references(line: &str, out: &mut String) {
    let bytes = line.as_bytes();
    let mut backslashes = 0;
    let mut at = 0;
    while at < line.len() {
        let c = bytes[at];
        let escaped = backslashes % 2 == 1;
        // Where the text goes on: after a code span, a link's destination or an autolink.
        let skip_to = match c {
            b'`' if !escaped => {
                let run = bytes[at..].iter().take_while(|&&b| b == b'`').count();
                let closing = "`".repeat(run);
                line[at + run..].find(&closing).map(|end| at + run + end + run)
            }
            b'(' if !escaped && at > 0 && bytes[at - 1] == b']' => line[at..].find(')').map(|end| at + end + 1),
            b'<' if !escaped => line[at..].find('>').map(|end| at + end + 1),
            b'&' if !escaped && starts_reference(&line[at + 1..]) => {
                out.push('\\');
                None
            }
            _ => None,
        };
        let end = skip_to.unwrap_or_else(|| at + line[at..].chars().next().map_or(1, char::len_utf8));
        out.push_str(&line[at..end]);
        backslashes = if c == b'\\' && end == at + 1 {
            backslashes + 1
        } else {
            0
        };
        at = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::blocks::{Heading, Item, Paragraph};
    use crate::import::headings::HeadingKind;

    #[test]
    fn escapes_block_starts_of_plain_text() {
        assert_eq!(escape_block_start("1. Not a list"), "1\\. Not a list");
        assert_eq!(escape_block_start("2015) was"), "2015\\) was");
        assert_eq!(escape_block_start("# of users"), "\\# of users");
        assert_eq!(escape_block_start("- dash"), "\\- dash");
        assert_eq!(escape_block_start("---"), "\\---");
        assert_eq!(escape_block_start("> quote"), "\\> quote");
        assert_eq!(escape_block_start("+1 514-787-2100"), "+1 514-787-2100");
        assert_eq!(escape_block_start("#1 priority"), "#1 priority");
        assert_eq!(escape_block_start("3.1 XM Fax"), "3.1 XM Fax");
        assert_eq!(escape_block_start("**bold** start"), "**bold** start");
    }

    #[test]
    fn escapes_the_references_of_a_pages_text_but_not_of_its_code_or_addresses() {
        let markdown = "A &copy; sign, \\\\&amp; after a backslash, \\&reg; escaped, AT&T & co.\n\
                        `&copy;` and [see &amp; read](https://e.com/?a=1&amp;b=2) <https://e.com/?x&amp;y>\n\
                        ```\n&amp; in code\n```\n";
        assert_eq!(
            escape_text_references(markdown),
            "A \\&copy; sign, \\\\\\&amp; after a backslash, \\&reg; escaped, AT&T & co.\n\
             `&copy;` and [see \\&amp; read](https://e.com/?a=1&amp;b=2) <https://e.com/?x&amp;y>\n\
             ```\n&amp; in code\n```\n"
        );
        // Code holding a fence is fenced with a longer one, which only a run as long closes:
        // the text after the code is escaped again.
        assert_eq!(
            escape_text_references("````\n```\n&amp;\n````\n&amp; after\n~~~~ \n~~~\n&copy;\n~~~~\n&copy;\n"),
            "````\n```\n&amp;\n````\n\\&amp; after\n~~~~ \n~~~\n&copy;\n~~~~\n\\&copy;\n"
        );
        // Code in a list item or a quote, as the HTML importer writes it.
        assert_eq!(
            escape_text_references("- ````\n  &amp;\n  ```\n  ````\n\n&amp;\n\n> ```\n> &copy;\n> ```\n&copy;\n"),
            "- ````\n  &amp;\n  ```\n  ````\n\n\\&amp;\n\n> ```\n> &copy;\n> ```\n\\&copy;\n"
        );
    }

    #[test]
    fn a_heading_keeps_a_closing_brace_as_text() {
        assert_eq!(escape_attribute_list("Cookies {#top}"), "Cookies {#top&#125;");
        assert_eq!(escape_attribute_list("Cookies }"), "Cookies }");
        assert_eq!(
            escape_text_references("## Cookies {#top}\n\nText {#a}\n"),
            "## Cookies {#top&#125;\n\nText {#a}\n"
        );
    }

    #[test]
    fn escapes_html_like_text_once() {
        assert_eq!(
            escape_plain_inline("a <b> and \\<c> and 1 < 2"),
            "a \\<b> and \\<c> and 1 < 2"
        );
        assert_eq!(
            escape_plain_inline("&copy; AT&amp;T &#169; &#x2F; \\&lt; AT&T & Co; a&b;c"),
            "\\&copy; AT\\&amp;T \\&#169; \\&#x2F; \\&lt; AT&T & Co; a\\&b;c"
        );
        assert_eq!(
            escape_plain_inline("{: #kramdown}\nText {: not at a start}\n{:.x}"),
            "\\{: #kramdown}\nText {: not at a start}\n\\{:.x}"
        );
    }

    #[test]
    fn writes_blocks_with_tight_nested_lists() {
        let blocks = vec![
            Block::Heading(Heading {
                line: 1,
                level: 1,
                text: "Title #".into(),
                kind: HeadingKind::Caps,
            }),
            Block::Paragraph(Paragraph {
                line: 2,
                text: "Intro:".into(),
                plain: true,
            }),
            Block::Item(Item {
                line: 3,
                depth: 0,
                marker: Marker::Ordered("1.".into()),
                text: "one".into(),
                recovered: false,
                continuation: Vec::new(),
            }),
            Block::Item(Item {
                line: 4,
                depth: 1,
                marker: Marker::Bullet,
                text: "1. nested".into(),
                recovered: true,
                continuation: Vec::new(),
            }),
            Block::Paragraph(Paragraph {
                line: 5,
                text: "End.".into(),
                plain: false,
            }),
        ];
        assert_eq!(
            write(&blocks),
            "# Title \\#\n\nIntro:\n\n1. one\n   - 1\\. nested\n\nEnd.\n"
        );
        assert_eq!(write(&[]), "");
    }
}
