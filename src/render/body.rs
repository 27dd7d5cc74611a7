//! A version's body as HTML: every heading and clause with its permanent id, `data-clause`
//! attribute, permalink and link to its history; on a policy's latest page, a stub for every
//! id the policy ever removed. This markup is the product's contract (§3), so it is written
//! here rather than left to themes; themes style it through its classes.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use super::crosslinks::CrossLinks;
use super::outline::Outline;
use crate::document::{BlockKind, ListMark};
use crate::history::{AnchoredBlock, AnchoredVersion, PolicyHistory, RESERVED_IDS};
use crate::html::{escape_html, holds_block};
use crate::links::anchor_aliases;
use crate::permalinks;

/// A removed id's stub on the latest page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RemovedStub {
    /// The block of the latest version after which the stub goes (`None`: at the start).
    pub after: Option<usize>,
    /// The removed id.
    pub id: String,
    /// When it was removed (long date).
    pub removed_on: String,
    /// The first words of its last text.
    pub snippet: String,
    /// The version page that last showed it, with the fragment.
    pub last_url: String,
    /// The clause its text went into, when it was merged into another.
    pub merged_into: Option<String>,
}

/// What the body needs beyond the version itself.
pub(super) struct BodyLinks<'a> {
    /// The policy's clause-history page; each clause links to `<history_url>#<id>`.
    pub history_url: &'a str,
    /// Stubs of removed ids (only on the latest page).
    pub stubs: &'a [RemovedStub],
    /// Term links, references and topic chips (none: the text as it is).
    pub cross: Option<&'a CrossLinks<'a>>,
}

/// Renders an anchored version's blocks. Headings sit under the page's own title (the `<h1>`),
/// their levels compacted so the outline never skips one. Each block carries the anchor names the
/// original site gave it as aliases (empty elements a copied `…#name` link lands on).
pub(super) fn body_html(version: &AnchoredVersion, links: &BodyLinks<'_>) -> String {
    let mut out = String::with_capacity(version.blocks.iter().map(|b| b.block.html.len() + 320).sum());
    let mut footnotes_seen: HashSet<String> = HashSet::new();
    let mut list_end = "</ul>\n";
    let mut outline = Outline::under(1);
    let stub_ids: HashSet<&str> = links.stubs.iter().map(|s| s.id.as_str()).collect();
    let taken = |name: &str| name.starts_with("fn-") || RESERVED_IDS.contains(&name) || stub_ids.contains(name);
    let aliases = anchor_aliases(version, &taken);
    let mut stubs = links.stubs.iter().peekable();
    while let Some(stub) = stubs.next_if(|s| s.after.is_none()) {
        write_stub(&mut out, stub, links.history_url);
    }
    for (
        index,
        AnchoredBlock {
            block, id, revisions, ..
        },
    ) in version.blocks.iter().enumerate()
    {
        let kind = block.kind.name();
        let aliases = Aliases(&aliases[index]);
        let tools = Tools {
            id,
            revisions: *revisions,
            history_url: links.history_url,
            chips: links.cross.map(|c| c.chips(index)).unwrap_or_default(),
        };
        let html = match links.cross {
            Some(cross) => cross.html(index, &block.html),
            None => Cow::Borrowed(&*block.html),
        };
        let html = match boxed_tables(&html) {
            Some(boxed) => Cow::Owned(boxed),
            None => html,
        };
        match block.kind {
            BlockKind::Rule => out.push_str("<hr>\n"),
            BlockKind::Heading => {
                let level = outline.level(block.level);
                let _ = writeln!(
                    out,
                    "<h{level} id=\"{id}\" data-clause=\"{id}\" class=\"section-heading\">{aliases}{}{}</h{level}>",
                    block.html,
                    tools.section()
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
                    "<li id=\"{id}\" data-clause=\"{id}\" class=\"clause\">{aliases}{}{}</li>",
                    html,
                    tools.clause()
                );
                if block.list_close {
                    out.push_str(list_end);
                }
            }
            BlockKind::Paragraph => {
                // Raw HTML may have put a block inside the paragraph (`text <div>…</div> more`).
                let tag = match holds_block(&html) {
                    true => "div",
                    false => "p",
                };
                let _ = writeln!(
                    out,
                    "<{tag} id=\"{id}\" data-clause=\"{id}\" class=\"clause\">{aliases}{}{}</{tag}>",
                    html,
                    tools.clause()
                );
            }
            BlockKind::Footnote => {
                let label = block.footnote.as_deref().unwrap_or("");
                let note = crate::document::footnote_id(label);
                let anchor = if footnotes_seen.insert(note.clone()) {
                    format!(" id=\"{note}\"")
                } else {
                    String::new()
                };
                let label = escape_html(label);
                let _ = writeln!(
                    out,
                    "<div id=\"{id}\" data-clause=\"{id}\" class=\"clause footnote\">{aliases}<span class=\"footnote-label\"{anchor}>{label}</span>{}{}</div>",
                    html,
                    tools.clause()
                );
            }
            BlockKind::Table | BlockKind::Quote | BlockKind::Code | BlockKind::Html => {
                let html = match block.kind {
                    BlockKind::Quote => format!("<blockquote>{html}</blockquote>").into(),
                    BlockKind::Code => match html.strip_prefix("<pre>") {
                        Some(rest) => format!("{CODE_SCROLL}{rest}").into(),
                        None => html,
                    },
                    _ => html,
                };
                let _ = writeln!(
                    out,
                    "<div id=\"{id}\" data-clause=\"{id}\" class=\"clause clause-{kind}\">{aliases}{html}{}</div>",
                    tools.clause()
                );
            }
        }
        let inside_list = block.kind == BlockKind::ListItem && !block.list_close;
        if !inside_list {
            while let Some(stub) = stubs.next_if(|s| s.after.is_some_and(|a| a <= index)) {
                write_stub(&mut out, stub, links.history_url);
            }
        }
    }
    for stub in stubs {
        write_stub(&mut out, stub, links.history_url);
    }
    out
}

/// A table's box: on a narrow screen the table scrolls sideways inside it (the clause's tools
/// stay outside), and it is focusable so that the keyboard scrolls it too.
const TABLE_SCROLL: &str =
    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table (scrolls sideways)\">";

/// Every `<table>` of a clause's HTML (a table clause, or one inside a list item, a quote or raw
/// HTML) in a [`TABLE_SCROLL`] box; `None` when it has no table. Only tags are read: text is
/// escaped, and a `<table>` inside a quoted attribute value is not a tag.
fn boxed_tables(html: &str) -> Option<String> {
    if !html.contains("<table") {
        return None;
    }
    let is_tag = |tag: &str, name: &str| {
        tag.get(1..=name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name))
            && matches!(
                tag.as_bytes().get(name.len() + 1),
                Some(b'>' | b' ' | b'\t' | b'\n' | b'/')
            )
    };
    let mut out = String::with_capacity(html.len() + 2 * TABLE_SCROLL.len());
    let (mut copied, mut at) = (0, 0);
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        // The tag ends at the first `>` outside quotes.
        let mut quote = None;
        let mut end = html.len();
        for (i, c) in html[start + 1..].char_indices() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => {
                    end = start + 1 + i + 1;
                    break;
                }
                _ => {}
            }
        }
        let tag = &html[start..end];
        if is_tag(tag, "table") {
            out.push_str(&html[copied..start]);
            out.push_str(TABLE_SCROLL);
            out.push_str(tag);
            copied = end;
        } else if is_tag(tag, "/table") {
            out.push_str(&html[copied..end]);
            out.push_str("</div>");
            copied = end;
        }
        at = end;
    }
    out.push_str(&html[copied..]);
    Some(out)
}
/// A code block scrolls sideways too: the keyboard reaches it.
const CODE_SCROLL: &str = "<pre tabindex=\"0\">";

/// A block's anchor aliases: an empty element for each, first inside the block's element.
struct Aliases<'a>(&'a [String]);

impl std::fmt::Display for Aliases<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for alias in self.0 {
            write!(f, "<span id=\"{}\" class=\"anchor-alias\"></span>", escape_html(alias))?;
        }
        Ok(())
    }
}

/// The permalink and history link of a block.
struct Tools<'a> {
    id: &'a str,
    revisions: u32,
    history_url: &'a str,
    /// Topic chips, after the tools.
    chips: String,
}

impl<'a> Tools<'a> {
    fn clause(&'a self) -> ToolsOf<'a> {
        ToolsOf {
            tools: self,
            what: "clause",
        }
    }

    fn section(&'a self) -> ToolsOf<'a> {
        ToolsOf {
            tools: self,
            what: "section",
        }
    }
}

/// The tools of a clause or a section, written straight into the page.
struct ToolsOf<'a> {
    tools: &'a Tools<'a>,
    what: &'static str,
}

impl std::fmt::Display for ToolsOf<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Tools {
            id,
            revisions,
            history_url: url,
            chips,
        } = self.tools;
        let what = self.what;
        let class = if *revisions == 0 {
            "changes unchanged"
        } else {
            "changes"
        };
        write!(
            f,
            " <span class=\"clause-tools\"><a class=\"permalink\" href=\"#{id}\" aria-label=\"Permalink to this {what}\">¶</a> <a class=\"{class}\" href=\"{url}#{id}\">"
        )?;
        match revisions {
            0 => f.write_str("history")?,
            n => write!(f, "changed {n}×")?,
        }
        write!(f, "</a></span>{chips}")
    }
}

fn write_stub(out: &mut String, stub: &RemovedStub, history_url: &str) {
    let id = &stub.id;
    let merged = stub
        .merged_into
        .as_ref()
        .map(|into| format!(" Merged into <a href=\"#{into}\">this clause</a> ·"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<p id=\"{id}\" data-clause=\"{id}\" class=\"clause clause-removed\">Removed on {}: <q>{}</q>{merged} <a href=\"{}\">last text</a> · <a href=\"{history_url}#{id}\">history</a></p>",
        stub.removed_on,
        escape_html(&stub.snippet),
        stub.last_url
    );
}

/// The stubs of every id a policy removed, placed after the nearest block of the latest
/// version that preceded them when they were last seen. `version_url(v)` is version v's URL.
pub(super) fn removed_stubs(
    history: &PolicyHistory,
    dates: &[String],
    version_url: &dyn Fn(usize) -> String,
) -> Vec<RemovedStub> {
    let Some(latest) = history.versions.last() else {
        return Vec::new();
    };
    let latest_index: HashMap<&str, usize> = latest
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.as_str(), i))
        .collect();
    // For each version that last held a removed id: for each of its blocks, the latest
    // version's block of the nearest block before it that the latest version still holds
    // (made once per version, not once per removed id: a rewrite removes thousands).
    let mut kept_before: HashMap<usize, Vec<Option<usize>>> = HashMap::new();
    let mut list_ends: HashMap<usize, usize> = HashMap::new();
    let mut stubs: Vec<(Option<usize>, usize, RemovedStub)> = Vec::new();
    for (order, lineage) in history.lineages.iter().enumerate() {
        let Some(removed_in) = lineage.removed_in() else {
            continue;
        };
        let last = &history.versions[lineage.last_version];
        let before = kept_before.entry(lineage.last_version).or_insert_with(|| {
            let mut nearest = None;
            let mut before = Vec::with_capacity(last.blocks.len());
            for block in &last.blocks {
                before.push(nearest);
                nearest = latest_index.get(block.id.as_str()).copied().or(nearest);
            }
            before
        });
        // Not inside a list: after its last item.
        let after = before.get(lineage.last_block).copied().flatten();
        let after = after.map(|a| *list_ends.entry(a).or_insert_with(|| list_end(&latest.blocks, a)));
        let text = &last.blocks[lineage.last_block].block.text;
        stubs.push((
            after,
            order,
            RemovedStub {
                after,
                id: lineage.id.clone(),
                removed_on: dates.get(removed_in).cloned().unwrap_or_default(),
                snippet: snippet(text, 14),
                last_url: permalinks::anchor(&version_url(lineage.last_version), &lineage.id),
                merged_into: lineage.merged_into().map(str::to_string),
            },
        ));
    }
    stubs.sort_by_key(|(after, order, _)| (after.map_or(0, |a| a + 1), *order));
    stubs.into_iter().map(|(_, _, s)| s).collect()
}

/// The last item of the list that block `a` is an item of (`a` itself when it is not one).
fn list_end(blocks: &[AnchoredBlock], mut a: usize) -> usize {
    while blocks[a].block.kind == BlockKind::ListItem && !blocks[a].block.list_close && a + 1 < blocks.len() {
        a += 1;
    }
    a
}

/// The first `words` words of a text, with an ellipsis when cut.
pub(super) fn snippet(text: &str, words: usize) -> String {
    let mut parts = text.split_whitespace();
    let head: Vec<&str> = parts.by_ref().take(words).collect();
    let mut s = head.join(" ");
    if parts.next().is_some() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_gets_a_scrolling_box() {
        assert_eq!(boxed_tables("<p>No table, only &lt;table&gt; as text.</p>"), None);
        let boxed = |html| boxed_tables(html).unwrap().replace(TABLE_SCROLL, "[");
        assert_eq!(
            boxed("<table><tr><td>a</td></tr></table>"),
            "[<table><tr><td>a</td></tr></table></div>"
        );
        // In a list item, in raw HTML with attributes, nested: each table, tags only.
        assert_eq!(
            boxed("<p>Recipients:</p>\n<table class=\"x\"><tr><td><table>\n<tr><td>b</td></tr></table></td></tr></TABLE> after"),
            "<p>Recipients:</p>\n[<table class=\"x\"><tr><td>[<table>\n<tr><td>b</td></tr></table></div></td></tr></TABLE></div> after"
        );
        // A `<table>` inside an attribute's value is no tag; `<tbody>` and `<tablex>` are not tables.
        let quoted = "<a title=\"<table> '>\" href=\"#t\">t</a><tbody></tbody><tablex>";
        assert_eq!(boxed(quoted), quoted);
    }
}
