//! A version's body as HTML: every heading and clause with its permanent id, `data-clause`
//! attribute and permalink. This markup is the product's contract (§3), so it is written here
//! rather than left to themes; themes style it through its classes.

use std::collections::HashSet;
use std::fmt::Write;

use crate::document::{BlockKind, ListMark};
use crate::history::AnchoredVersion;

/// Renders an anchored version's blocks. Headings are shifted one level down (the page's own
/// title is the `<h1>`), so the outline stays in order.
pub fn body_html(version: &AnchoredVersion) -> String {
    let blocks = &version.document.blocks;
    let mut out = String::with_capacity(blocks.iter().map(|b| b.html.len() + 160).sum());
    let mut footnotes_seen: HashSet<&str> = HashSet::new();
    let mut list_end = "</ul>\n";
    for (block, id) in blocks.iter().zip(&version.ids) {
        let kind = block.kind.name();
        match block.kind {
            BlockKind::Rule => out.push_str("<hr>\n"),
            BlockKind::Heading => {
                let level = (block.level + 1).min(6);
                let _ = writeln!(
                    out,
                    "<h{level} id=\"{id}\" data-clause=\"{id}\" class=\"section-heading\">{}{}</h{level}>",
                    block.html,
                    permalink(id, "section")
                );
            }
            BlockKind::ListItem => {
                match &block.list_open {
                    Some(ListMark::OpenBulleted) => {
                        out.push_str("<ul class=\"clauses\">\n");
                        list_end = "</ul>\n";
                    }
                    Some(ListMark::OpenNumbered(n)) => {
                        out.push_str("<ol class=\"clauses\"");
                        if *n != 1 {
                            let _ = write!(out, " start=\"{n}\"");
                        }
                        out.push_str(">\n");
                        list_end = "</ol>\n";
                    }
                    None => {}
                }
                let _ = writeln!(
                    out,
                    "<li id=\"{id}\" data-clause=\"{id}\" class=\"clause\">{}{}</li>",
                    block.html,
                    permalink(id, "clause")
                );
                if block.list_close {
                    out.push_str(list_end);
                }
            }
            BlockKind::Paragraph => {
                let _ = writeln!(
                    out,
                    "<p id=\"{id}\" data-clause=\"{id}\" class=\"clause\">{}{}</p>",
                    block.html,
                    permalink(id, "clause")
                );
            }
            BlockKind::Footnote => {
                let label = block.footnote.as_deref().unwrap_or("");
                let anchor = if footnotes_seen.insert(label) {
                    format!(" id=\"fn-{label}\"")
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "<div id=\"{id}\" data-clause=\"{id}\" class=\"clause footnote\"><span class=\"footnote-label\"{anchor}>{label}</span>{}{}</div>",
                    block.html,
                    permalink(id, "footnote")
                );
            }
            BlockKind::Table | BlockKind::Quote | BlockKind::Code | BlockKind::Html => {
                let _ = writeln!(
                    out,
                    "<div id=\"{id}\" data-clause=\"{id}\" class=\"clause clause-{kind}\">{}{}</div>",
                    wrap_quote(block.kind, &block.html),
                    permalink(id, "clause")
                );
            }
        }
    }
    out
}

fn wrap_quote(kind: BlockKind, html: &str) -> std::borrow::Cow<'_, str> {
    if kind == BlockKind::Quote {
        format!("<blockquote>{html}</blockquote>").into()
    } else {
        html.into()
    }
}

fn permalink(id: &str, what: &str) -> String {
    format!(" <a class=\"permalink\" href=\"#{id}\" aria-label=\"Permalink to this {what}\">¶</a>")
}
