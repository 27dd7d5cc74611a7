//! A policy's clause-history page (`/<org>/<policy>/clauses/`): for every id the policy ever
//! minted, every version in which it appeared, changed, moved or went away, with redlines.

use std::fmt::Write;

use serde::Serialize;

use super::body::snippet;
use super::context::VersionLink;
use super::redline::Redlines;
use crate::history::{Change, PolicyHistory};
use crate::html::{push_escaped, push_time};
use crate::permalinks;

/// `lineages[]` on the clause-history page.
#[derive(Debug, Clone, Serialize)]
pub(super) struct LineageView {
    pub id: String,
    pub kind: &'static str,
    /// `current` or `removed`.
    pub status: &'static str,
    /// The first words of its latest text.
    pub title: String,
    /// Where it is now: the latest page, or the last version that had it, with `#id`.
    pub url: String,
    pub revisions: usize,
    pub events: Vec<EventView>,
    /// The `<li>` of every event as the default theme writes them: made here, as a clause
    /// history has thousands of events and each field Tera reads costs string copies.
    pub events_html: String,
}

/// One event of a lineage.
#[derive(Debug, Clone, Serialize)]
pub(super) struct EventView {
    /// added, modified, moved, moved-modified, removed, restored.
    pub change: &'static str,
    /// A sentence for readers: "Added", "Edited", "Moved", …
    pub label: &'static str,
    pub version: VersionLink,
    /// The clause whose text it split from (added) or merged into (removed).
    pub related: Option<String>,
    /// The clause's text at that point (for additions and removals), escaped by the template.
    pub text: Option<String>,
    /// The word-level redline from the previous version (for edits), as HTML.
    pub redline: Option<String>,
}

/// The lineages of a policy, current ones in the latest version's order, then removed ones.
pub(super) fn lineage_views(
    history: &PolicyHistory,
    links: &[VersionLink],
    latest_url: &str,
    redlines: &mut Redlines<'_>,
) -> Vec<LineageView> {
    let Some(latest_version) = history.versions.len().checked_sub(1) else {
        return Vec::new();
    };
    let mut order: Vec<usize> = (0..history.lineages.len()).collect();
    let position = |l: usize| {
        let lineage = &history.lineages[l];
        if lineage.last_version == latest_version {
            (0, lineage.last_block, 0)
        } else {
            (1, lineage.removed_in().unwrap_or(0), l)
        }
    };
    order.sort_by_key(|&l| position(l));
    order
        .into_iter()
        .map(|l| {
            let lineage = &history.lineages[l];
            let current = lineage.last_version == latest_version;
            let last = &history.versions[lineage.last_version];
            let text_at = |v: usize, b: usize| history.versions[v].blocks[b].block.text.clone();
            let events: Vec<EventView> = lineage
                .events
                .iter()
                .map(|e| {
                    let related = match e.change {
                        Change::Added => lineage.split_from.clone(),
                        Change::Removed if lineage.removed_in() == Some(e.version) => lineage.merged_into.clone(),
                        _ => None,
                    };
                    let (label, text, redline) = match e.change {
                        Change::Added if related.is_some() => ("Split from", Some(text_at(e.version, e.block)), None),
                        Change::Removed if related.is_some() => {
                            ("Merged into", Some(text_at(e.version - 1, e.block)), None)
                        }
                        Change::Added => ("Added", Some(text_at(e.version, e.block)), None),
                        Change::Restored => ("Restored", Some(text_at(e.version, e.block)), None),
                        Change::Removed => ("Removed", Some(text_at(e.version - 1, e.block)), None),
                        Change::Moved => ("Moved", None, None),
                        Change::Modified | Change::MovedModified => {
                            let label = if e.change == Change::Modified {
                                "Edited"
                            } else {
                                "Moved and edited"
                            };
                            (label, None, Some(redlines.of(e.version, e.block).to_string()))
                        }
                        Change::Unchanged => ("Unchanged", None, None),
                    };
                    EventView {
                        change: e.change.name(),
                        label,
                        version: links[e.version].clone(),
                        related,
                        text,
                        redline,
                    }
                })
                .collect();
            let url = if current {
                permalinks::anchor(latest_url, &lineage.id)
            } else {
                permalinks::anchor(&links[lineage.last_version].url, &lineage.id)
            };
            LineageView {
                events_html: events_html(&lineage.id, &events),
                id: lineage.id.clone(),
                kind: lineage.kind.name(),
                status: if current { "current" } else { "removed" },
                title: snippet(&last.blocks[lineage.last_block].block.text, 12),
                url,
                revisions: lineage.revisions(),
                events,
            }
        })
        .collect()
}

/// Every lineage as the `<section>` the default theme writes for it, exactly as the
/// template's loop over `lineages` did (every value escaped as Tera's autoescape does): a
/// policy's clause history has hundreds of lineages, and each field Tera reads costs string
/// copies.
pub(super) fn lineages_html(lineages: &[LineageView]) -> String {
    let size: usize = lineages.iter().map(|l| l.events_html.len() + 320).sum();
    let mut out = String::with_capacity(size);
    for lineage in lineages {
        out.push_str("\n<section id=\"");
        push_escaped(&mut out, &lineage.id);
        out.push_str("\" class=\"lineage lineage-");
        push_escaped(&mut out, lineage.status);
        out.push_str("\">\n  <h2><a href=\"");
        push_escaped(&mut out, &lineage.url);
        out.push_str("\"><code>#");
        push_escaped(&mut out, &lineage.id);
        out.push_str("</code></a> <span class=\"lineage-title\">");
        push_escaped(&mut out, &lineage.title);
        out.push_str("</span></h2>\n  <p class=\"meta\">");
        push_escaped(&mut out, &lineage.kind.replace('-', " "));
        out.push_str(" · ");
        if lineage.status == "removed" {
            out.push_str("<strong>removed</strong> · ");
        }
        match lineage.revisions {
            0 => out.push_str("never changed"),
            1 => out.push_str("changed 1 time"),
            n => {
                let _ = write!(out, "changed {n} times");
            }
        }
        out.push_str("</p>\n  <ol class=\"lineage-events\">\n  ");
        out.push_str(&lineage.events_html);
        out.push_str("\n  </ol>\n</section>\n");
    }
    out
}

/// The events of lineage `id` as `<li>` items, exactly as the template's loop over `events`
/// would write them (every value escaped as Tera's autoescape does).
fn events_html(id: &str, events: &[EventView]) -> String {
    let mut out = String::with_capacity(events.len() * 256);
    for event in events {
        out.push_str("\n    <li class=\"event event-");
        push_escaped(&mut out, event.change);
        out.push_str("\"><span class=\"event-label\">");
        push_escaped(&mut out, event.label);
        out.push_str("</span>");
        if let Some(related) = &event.related {
            out.push_str(" <a href=\"#");
            push_escaped(&mut out, related);
            out.push_str("\"><code>#");
            push_escaped(&mut out, related);
            out.push_str("</code></a>");
        }
        out.push_str(" in the version of <a href=\"");
        push_escaped(&mut out, &event.version.url);
        if event.change != "removed" {
            out.push('#');
            push_escaped(&mut out, id);
        }
        out.push_str("\">");
        push_time(&mut out, &event.version.effective, &event.version.effective_long);
        out.push_str("</a>");
        // As `{% if event.redline %}…{% elif event.text %}`: an empty string is false.
        match (event.redline.as_deref(), event.text.as_deref()) {
            (Some(redline), _) if !redline.is_empty() => {
                out.push_str(":\n      <p class=\"redline\">");
                out.push_str(redline);
                out.push_str("</p>");
            }
            (_, Some(text)) if !text.is_empty() => {
                out.push_str(":\n      <p class=\"event-text\">");
                push_escaped(&mut out, text);
                out.push_str("</p>");
            }
            _ => {}
        }
        out.push_str("\n    </li>\n  ");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lineage(id: &str, status: &'static str, title: &str, revisions: usize) -> LineageView {
        LineageView {
            id: id.into(),
            kind: "list-item",
            status,
            title: title.into(),
            url: format!("/o/p/?a=1&b=2#{id}"),
            revisions,
            events: Vec::new(),
            events_html: "<li>event</li>".into(),
        }
    }

    #[test]
    fn lineage_sections_are_what_the_template_loop_wrote() {
        let lineages = vec![
            lineage("a", "current", "<b>\"Ads\" & 'you'</b>", 0),
            lineage("b-1", "removed", "Plain", 1),
            lineage("c", "current", "Kept", 3),
        ];
        // The default theme's loop before `lineages_html`.
        let template = r##"{% for lineage in lineages %}{% set id = lineage.id %}
<section id="{{ id }}" class="lineage lineage-{{ lineage.status }}">
  <h2><a href="{{ lineage.url }}"><code>#{{ id }}</code></a> <span class="lineage-title">{{ lineage.title }}</span></h2>
  <p class="meta">{{ lineage.kind | replace(from="-", to=" ") }} · {% if lineage.status == "removed" %}<strong>removed</strong> · {% endif %}{% if lineage.revisions == 0 %}never changed{% else %}changed {{ lineage.revisions }} time{{ lineage.revisions | pluralize }}{% endif %}</p>
  <ol class="lineage-events">
  {{ lineage.events_html | safe }}
  </ol>
</section>
{% endfor %}"##;
        let mut context = tera::Context::new();
        context.insert("lineages", &lineages);
        let written = lineages_html(&lineages);
        assert_eq!(written, super::super::theme::render_like_a_theme(template, &context));
        assert!(
            written.contains("&lt;b&gt;&quot;Ads&quot; &amp; &#39;you&#39;"),
            "{written}"
        );
        assert!(
            written.contains("changed 1 time<") && written.contains("changed 3 times"),
            "{written}"
        );
    }
}
