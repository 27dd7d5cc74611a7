//! Cross-links written into a clause: term links (with the definition as a tooltip on hover
//! and keyboard focus, and as the link's accessible description), `<dfn>` on a term's
//! definition, section references, links to sibling policies, and topic chips.

use std::borrow::Cow;
use std::fmt::Write;

use crate::history::AnchoredBlock;
use crate::html::escape_html;
use crate::links::{SpanKind, VersionLinks};
use crate::permalinks::{self, Urls};
use crate::site::Site;

/// What a version's body needs to write its cross-links. The opening tag of each term link
/// is made once per version (a definition's escaped sentence is ~300 bytes and a term is used
/// dozens of times), each topic chip once per policy.
pub(super) struct CrossLinks<'a> {
    /// The version's cross-links.
    pub links: &'a VersionLinks,
    /// The version's blocks (for their ids).
    blocks: &'a [AnchoredBlock],
    /// The hub URL of each policy of the organisation (for links to sibling policies).
    policy_urls: &'a [String],
    /// Each topic's chip, in the order of the hub's topics.
    chips: &'a [String],
    /// `<a class="term" …>` for each of the version's definitions.
    term_tags: Vec<String>,
}

/// The chip of each topic of the hub, in the order of its rules: a link to the topic's page.
pub(super) fn topic_chips(site: &Site, urls: &Urls) -> Vec<String> {
    site.topics
        .topics
        .iter()
        .map(|t| {
            let (title, url) = (escape_html(&t.title), urls.path(&permalinks::topic(&t.slug)));
            format!("<a class=\"topic-chip\" href=\"{url}\" aria-label=\"Topic: {title}\">{title}</a>")
        })
        .collect()
}

impl<'a> CrossLinks<'a> {
    pub(super) fn new(
        links: &'a VersionLinks,
        blocks: &'a [AnchoredBlock],
        policy_urls: &'a [String],
        chips: &'a [String],
    ) -> Self {
        let term_tags = links
            .definitions
            .iter()
            .map(|def| {
                let id = &blocks[def.block].id;
                format!(
                    "<a class=\"term\" href=\"#{id}\" aria-describedby=\"{id}\" data-definition=\"{}\">",
                    escape_html(&def.sentence)
                )
            })
            .collect();
        CrossLinks {
            links,
            blocks,
            policy_urls,
            chips,
            term_tags,
        }
    }

    /// Block `index`'s HTML with its spans written in.
    pub(super) fn html<'h>(&self, index: usize, html: &'h str) -> Cow<'h, str> {
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
                    out.push_str(&self.term_tags[d]);
                    out.push_str(text);
                    out.push_str("</a>");
                }
                SpanKind::Defining(_) => {
                    let _ = write!(out, "<dfn>{text}</dfn>");
                }
                SpanKind::Section(target) => {
                    let _ = write!(out, "<a class=\"xref\" href=\"#{}\">{text}</a>", self.blocks[target].id);
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
    pub(super) fn chips(&self, index: usize) -> String {
        let Some(topics) = self.links.topics.get(index).filter(|t| !t.is_empty()) else {
            return String::new();
        };
        let mut out = String::from(" <span class=\"clause-topics\">");
        for (n, &t) in topics.iter().enumerate() {
            if let Some(chip) = self.chips.get(t) {
                if n > 0 {
                    out.push(' ');
                }
                out.push_str(chip);
            }
        }
        out.push_str("</span>");
        out
    }
}
