//! The Rust writers of the default partials (`templates/_*.html`): each appends exactly what
//! its partial writes for one input, every value escaped as Tera's autoescape does. They exist
//! for speed (each field Tera reads costs it string copies, on lists of thousands of items);
//! change a writer and its partial together, and `partial::tests` checks they agree.

use std::fmt::Write;

use super::{
    ChangeEntryInput, LineageEventInput, LineageInput, NearbyVersionInput, Partial, PartialInput, TocEntryInput,
    TopicOrgInput,
};
use crate::html::{push_escaped, push_link, push_time};

/// `Some(text)` as Tera's `{% if text %}` reads it: an empty string is false.
fn nonempty(text: Option<&str>) -> Option<&str> {
    text.filter(|s| !s.is_empty())
}

impl PartialInput for ChangeEntryInput<'_> {
    const PARTIAL: Partial = Partial::ChangeEntry;

    fn size(&self) -> usize {
        512
    }

    fn write(&self, out: &mut String) {
        let entry = self.entry;
        out.push_str("\n<li class=\"change-entry");
        if let Some(class) = entry.class {
            out.push_str(" change-");
            out.push_str(class);
        }
        if entry.first {
            out.push_str(" change-first");
        }
        if entry.pending {
            out.push_str(" change-pending");
        }
        out.push_str("\">\n  <p class=\"change-head\">");
        push_time(out, &entry.version.effective, &entry.version.effective_long);
        if entry.pending {
            out.push_str(" <strong class=\"badge-pending\">Pending</strong>");
        }
        if let (Some(class), Some(label)) = (entry.class, entry.class_label) {
            let _ = write!(out, " <strong class=\"badge-class badge-{class}\">{label}</strong>");
        }
        if self.show_policy {
            out.push_str(" · ");
            push_link(out, &entry.org_url, &entry.org_name);
            out.push_str(", ");
            push_link(out, &entry.policy_url, &entry.policy_title);
        }
        out.push_str("</p>\n  ");
        if let Some(summary) = nonempty(entry.summary.as_deref()) {
            out.push_str("<p class=\"summary\">");
            push_escaped(out, summary);
            out.push_str("</p>");
        }
        if let Some(notice) = nonempty(entry.notice.as_deref()) {
            out.push_str("<p class=\"notice-period\">");
            push_escaped(out, notice);
            out.push_str("</p>");
        }
        if let Some(warning) = nonempty(entry.warning.as_deref()) {
            out.push_str("<p class=\"early-change\">");
            push_escaped(out, warning);
            out.push_str("</p>");
        }
        if let (Some(label), Some(reason)) = (entry.class_label, nonempty(entry.class_reason.as_deref())) {
            out.push_str("<p class=\"change-class\">");
            out.push_str(label);
            out.push_str(": ");
            push_escaped(out, reason);
            out.push_str("</p>");
        }
        out.push_str("\n  <p class=\"meta\">");
        push_escaped(out, &entry.description);
        let _ = write!(out, " {} words.</p>\n  <p class=\"change-links\">", entry.words);
        push_link(out, &entry.version.url, "Read this version");
        if let Some(diff_url) = nonempty(entry.diff_url.as_deref()) {
            out.push_str(" · ");
            push_link(out, diff_url, "See what changed");
        }
        out.push_str("</p>\n</li>\n");
    }
}

impl PartialInput for TocEntryInput<'_> {
    const PARTIAL: Partial = Partial::TocEntry;

    fn size(&self) -> usize {
        96
    }

    fn write(&self, out: &mut String) {
        // Written with `write!` so the level's digits need no buffer of their own.
        let _ = write!(out, "<li class=\"toc-level-{}\"><a href=\"#", self.entry.level);
        push_escaped(out, &self.entry.id);
        out.push_str("\">");
        push_escaped(out, &self.entry.text);
        out.push_str("</a></li>\n  ");
    }
}

impl PartialInput for NearbyVersionInput<'_> {
    const PARTIAL: Partial = Partial::NearbyVersion;

    fn size(&self) -> usize {
        96
    }

    fn write(&self, out: &mut String) {
        out.push_str("\n    <li>");
        if self.current {
            out.push_str("<strong aria-current=\"true\">");
            push_escaped(out, &self.version.effective_long);
            out.push_str("</strong>");
        } else {
            push_link(out, &self.version.url, &self.version.effective_long);
        }
        out.push_str("</li>\n  ");
    }
}

impl PartialInput for TopicOrgInput<'_> {
    const PARTIAL: Partial = Partial::TopicOrg;

    fn size(&self) -> usize {
        1024
    }

    fn write(&self, out: &mut String) {
        let (org, n) = (self.org, self.number);
        let _ = write!(
            out,
            "\n<section class=\"topic-org\" aria-labelledby=\"org-{n}\">\n  <h2 id=\"org-{n}\">"
        );
        push_link(out, &org.url, &org.name);
        out.push_str("</h2>\n  ");
        for policy in &org.policies {
            out.push_str("\n  <p class=\"meta\">");
            push_link(out, &policy.url, &policy.title);
            out.push_str(" of ");
            push_time(out, &policy.version, &policy.version_long);
            out.push_str("; on this topic, last changed ");
            push_time(out, &policy.last_changed, &policy.last_changed_long);
            out.push_str(".</p>\n  <ul class=\"topic-clauses\">\n  ");
            for c in &policy.clauses {
                out.push_str("\n    <li><p>");
                push_escaped(out, &c.text);
                out.push_str("</p><p class=\"meta\">");
                if let Some(section) = nonempty(c.section.as_deref()) {
                    push_escaped(out, section);
                    out.push_str(" · ");
                }
                push_link(out, &c.url, "read in context");
                out.push_str(" · changed ");
                push_time(out, &c.changed, &c.changed_long);
                out.push_str("</p></li>\n  ");
            }
            out.push_str("\n  </ul>\n  ");
        }
        if org.policies.is_empty() {
            out.push_str("\n  <p class=\"meta\">Nothing in its current policies matches this topic's rules.</p>\n  ");
        }
        out.push_str("\n</section>\n");
    }
}

impl PartialInput for LineageInput<'_> {
    const PARTIAL: Partial = Partial::Lineage;

    fn size(&self) -> usize {
        self.lineage.events_html.len() + 320
    }

    fn write(&self, out: &mut String) {
        let lineage = self.lineage;
        out.push_str("\n<section id=\"");
        push_escaped(out, &lineage.id);
        out.push_str("\" class=\"lineage lineage-");
        push_escaped(out, lineage.status);
        out.push_str("\">\n  <h2><a href=\"");
        push_escaped(out, &lineage.url);
        out.push_str("\"><code>#");
        push_escaped(out, &lineage.id);
        out.push_str("</code></a> <span class=\"lineage-title\">");
        push_escaped(out, &lineage.title);
        out.push_str("</span></h2>\n  <p class=\"meta\">");
        push_escaped(out, &lineage.kind.replace('-', " "));
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
}

impl PartialInput for LineageEventInput<'_> {
    const PARTIAL: Partial = Partial::LineageEvent;

    fn size(&self) -> usize {
        256
    }

    fn write(&self, out: &mut String) {
        let event = self.event;
        out.push_str("\n    <li class=\"event event-");
        push_escaped(out, event.change);
        out.push_str("\"><span class=\"event-label\">");
        push_escaped(out, event.label);
        out.push_str("</span>");
        if let Some(related) = nonempty(event.related.as_deref()) {
            out.push_str(" <a href=\"#");
            push_escaped(out, related);
            out.push_str("\"><code>#");
            push_escaped(out, related);
            out.push_str("</code></a>");
        }
        out.push_str(" in the version of <a href=\"");
        push_escaped(out, &event.version.url);
        if event.change != "removed" {
            out.push('#');
            push_escaped(out, self.id);
        }
        out.push_str("\">");
        push_time(out, &event.version.effective, &event.version.effective_long);
        out.push_str("</a>");
        if let Some(redline) = nonempty(event.redline.as_deref()) {
            out.push_str(":\n      <p class=\"redline\">");
            out.push_str(redline);
            out.push_str("</p>");
        } else if let Some(text) = nonempty(event.text.as_deref()) {
            out.push_str(":\n      <p class=\"event-text\">");
            push_escaped(out, text);
            out.push_str("</p>");
        }
        out.push_str("\n    </li>\n  ");
    }
}
