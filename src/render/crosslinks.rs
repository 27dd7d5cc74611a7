//! Cross-links written into a clause: term links (with the definition as a tooltip on hover
//! and keyboard focus, and as the link's accessible description), `<dfn>` on a term's
//! definition, section references, links to sibling policies, and topic chips.

use std::borrow::Cow;
use std::fmt::Write;

use super::escape_html;
use crate::links::{SpanKind, VersionLinks};

/// What a version's body needs to write its cross-links.
pub struct CrossLinks<'a> {
    /// The version's cross-links.
    pub links: &'a VersionLinks,
    /// The hub URL of each policy of the organisation (for links to sibling policies).
    pub policy_urls: &'a [String],
    /// Each topic of the hub: title and page URL.
    pub topics: &'a [(String, String)],
}

impl CrossLinks<'_> {
    /// Block `index`'s HTML with its spans written in.
    pub fn html<'h>(&self, index: usize, html: &'h str, ids: &[String]) -> Cow<'h, str> {
        let Some(spans) = self.links.spans.get(index).filter(|s| !s.is_empty()) else {
            return Cow::Borrowed(html);
        };
        let mut out = String::with_capacity(html.len() + 160 * spans.len());
        let mut at = 0;
        for span in spans {
            let text = &html[span.start..span.end];
            out.push_str(&html[at..span.start]);
            match span.kind {
                SpanKind::Term(d) => {
                    let def = &self.links.definitions[d];
                    let id = &ids[def.block];
                    let _ = write!(
                        out,
                        "<a class=\"term\" href=\"#{id}\" aria-describedby=\"{id}\" data-definition=\"{}\">{text}</a>",
                        escape_html(&def.sentence)
                    );
                }
                SpanKind::Defining(_) => {
                    let _ = write!(out, "<dfn>{text}</dfn>");
                }
                SpanKind::Section(target) => {
                    let _ = write!(out, "<a class=\"xref\" href=\"#{}\">{text}</a>", ids[target]);
                }
                SpanKind::Policy(p) => match self.policy_urls.get(p) {
                    Some(url) => out.push_str(url),
                    None => out.push_str(text),
                },
            }
            at = span.end;
        }
        out.push_str(&html[at..]);
        Cow::Owned(out)
    }

    /// The topic chips of block `index` (empty when it has none).
    pub fn chips(&self, index: usize) -> String {
        let Some(topics) = self.links.topics.get(index).filter(|t| !t.is_empty()) else {
            return String::new();
        };
        let mut out = String::from(" <span class=\"clause-topics\">");
        for (n, &t) in topics.iter().enumerate() {
            if let Some((title, url)) = self.topics.get(t) {
                let sep = if n > 0 { " " } else { "" };
                let _ = write!(
                    out,
                    "{sep}<a class=\"topic-chip\" href=\"{url}\" aria-label=\"Topic: {0}\">{0}</a>",
                    escape_html(title)
                );
            }
        }
        out.push_str("</span>");
        out
    }
}
