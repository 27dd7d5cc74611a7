//! Change timelines: every version of a policy, of an organisation, or of the whole hub, with
//! its date, summary, notice (pending, days' notice, early changes), change figures and links
//! to the version and its redline.

use std::fmt::Write;

use serde::Serialize;

use super::chart::{history_chart, ChartPoint};
use super::context::VersionLink;
use crate::content::notice::{notices, Notice, Status};
use crate::content::{Date, Policy};
use crate::history::{ChangeFigures, Class, ClassCounts, PolicyHistory};
use crate::html::{push_escaped, push_link, push_time};
use crate::permalinks::{self, Urls};
use crate::site::{Site, SiteOrg};

/// One entry of a timeline.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    pub org_name: String,
    pub org_url: String,
    pub policy_title: String,
    pub policy_url: String,
    pub version: VersionLink,
    /// The redline against the previous version (none for the first version).
    pub diff_url: Option<String>,
    /// The curator's summary from the front matter.
    pub summary: Option<String>,
    pub figures: ChangeFigures,
    /// The figures in words.
    pub description: String,
    /// True for a policy's first captured version.
    pub first: bool,
    /// Words of the version.
    pub words: usize,
    /// `pending`, `in-force` or `superseded` on the hub's reference date.
    pub status: &'static str,
    /// True when the version is not yet in force on the hub's reference date.
    pub pending: bool,
    /// When it was announced and captured (ISO dates), if known.
    pub announced: Option<String>,
    pub captured: Option<String>,
    /// Days from its announcement to its effective date, when announced ahead.
    pub notice_days: Option<i64>,
    /// The notice in words ("Takes effect on 1 March 2027, announced 1 February: 28 days'
    /// notice."), if there is one.
    pub notice: Option<String>,
    /// The warning for a change that took effect before it was announced or captured.
    pub warning: Option<String>,
    /// The version's class (`formatting`, `editorial`, `substantive`; none for the first
    /// version), in words (`Formatting only`, `Editorial`, `Substantive`), and why.
    pub class: Option<&'static str>,
    pub class_label: Option<&'static str>,
    pub class_reason: Option<String>,
    /// How many changed clauses are of each class.
    pub class_counts: ClassCounts,
}

/// A version's class in words, for badges.
pub fn class_label(class: Class) -> &'static str {
    match class {
        Class::Formatting => "Formatting only",
        Class::Editorial => "Editorial",
        Class::Substantive => "Substantive",
    }
}

/// The timeline entry of version `v` of a policy, with its notice on the hub's reference
/// date (see [`notices`]).
pub fn change_view(
    urls: &Urls,
    org: &SiteOrg,
    policy: &Policy,
    history: &PolicyHistory,
    v: usize,
    notice: &Notice,
) -> ChangeView {
    let version = &policy.versions[v];
    let anchored = &history.versions[v];
    let first = v == 0;
    let classes = &anchored.classes;
    ChangeView {
        class: classes.class.map(Class::name),
        class_label: classes.class.map(class_label),
        class_reason: classes.summary(3),
        class_counts: classes.counts,
        status: notice.status.name(),
        pending: notice.status == Status::Pending,
        announced: version.announced.map(|d| d.to_string()),
        captured: version.captured.map(|d| d.to_string()),
        notice_days: notice.days,
        notice: notice.describe(),
        warning: notice.warning(),
        org_name: org.name.clone(),
        org_url: urls.path(&permalinks::org(&org.slug)),
        policy_title: policy.title.clone(),
        policy_url: urls.path(&permalinks::policy(&org.slug, &policy.slug)),
        version: VersionLink::new(urls, org, policy, version),
        diff_url: (!first).then(|| urls.path(&permalinks::redline(&org.slug, &policy.slug, &version.id))),
        summary: version.summary.clone(),
        figures: anchored.figures,
        description: if first {
            "First captured version.".to_string()
        } else {
            anchored.figures.describe()
        },
        first,
        words: anchored.words,
    }
}

/// Timeline entries as the `<li>` items the default theme's `change_entry` macro writes
/// (`show_policy` adds the organisation and policy to each), exactly, every value escaped as
/// Tera's autoescape does: made here for the timelines of every policy and organisation, as
/// each field Tera reads costs string copies.
pub(super) fn entries_html<'a>(entries: impl IntoIterator<Item = &'a ChangeView>, show_policy: bool) -> String {
    let mut out = String::new();
    for entry in entries {
        out.reserve(512);
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
        push_time(&mut out, &entry.version.effective, &entry.version.effective_long);
        if entry.pending {
            out.push_str(" <strong class=\"badge-pending\">Pending</strong>");
        }
        if let (Some(class), Some(label)) = (entry.class, entry.class_label) {
            let _ = write!(out, " <strong class=\"badge-class badge-{class}\">{label}</strong>");
        }
        if show_policy {
            out.push_str(" · ");
            push_link(&mut out, &entry.org_url, &entry.org_name);
            out.push_str(", ");
            push_link(&mut out, &entry.policy_url, &entry.policy_title);
        }
        out.push_str("</p>\n  ");
        // As `{% if entry.summary %}`: an empty string is false.
        if let Some(summary) = entry.summary.as_deref().filter(|s| !s.is_empty()) {
            out.push_str("<p class=\"summary\">");
            push_escaped(&mut out, summary);
            out.push_str("</p>");
        }
        if let Some(notice) = entry.notice.as_deref().filter(|s| !s.is_empty()) {
            out.push_str("<p class=\"notice-period\">");
            push_escaped(&mut out, notice);
            out.push_str("</p>");
        }
        if let Some(warning) = entry.warning.as_deref().filter(|s| !s.is_empty()) {
            out.push_str("<p class=\"early-change\">");
            push_escaped(&mut out, warning);
            out.push_str("</p>");
        }
        if let (Some(label), Some(reason)) = (entry.class_label, entry.class_reason.as_deref()) {
            out.push_str("<p class=\"change-class\">");
            out.push_str(label);
            out.push_str(": ");
            push_escaped(&mut out, reason);
            out.push_str("</p>");
        }
        out.push_str("\n  <p class=\"meta\">");
        push_escaped(&mut out, &entry.description);
        let _ = write!(out, " {} words.</p>\n  <p class=\"change-links\">", entry.words);
        push_link(&mut out, &entry.version.url, "Read this version");
        if let Some(diff_url) = entry.diff_url.as_deref().filter(|s| !s.is_empty()) {
            out.push_str(" · ");
            push_link(&mut out, diff_url, "See what changed");
        }
        out.push_str("</p>\n</li>\n");
    }
    out
}

/// Every version of a policy, oldest first, with its notice on the reference date.
pub fn policy_timeline(
    urls: &Urls,
    org: &SiteOrg,
    policy: &Policy,
    history: &PolicyHistory,
    reference: Option<Date>,
) -> Vec<ChangeView> {
    notices(policy, reference)
        .iter()
        .enumerate()
        .map(|(v, notice)| change_view(urls, org, policy, history, v, notice))
        .collect()
}

/// The SVG chart of a policy's length and changes over time.
pub(super) fn policy_chart(org: &SiteOrg, policy: &Policy, timeline: &[ChangeView]) -> String {
    let points: Vec<ChartPoint> = policy
        .versions
        .iter()
        .zip(timeline)
        .map(|(v, entry)| ChartPoint {
            day: v.effective.days_since_epoch(),
            words: entry.words,
            changed: entry.figures.words_added + entry.figures.words_removed,
            class: entry.class,
        })
        .collect();
    let (first, last) = (timeline.first(), timeline.last());
    let label = match (first, last) {
        (Some(f), Some(l)) => format!(
            "Length of {}'s {} over {} versions: {} words on {}, {} words on {}.",
            org.name,
            policy.title,
            timeline.len(),
            f.words,
            f.version.effective_long,
            l.words,
            l.version.effective_long
        ),
        _ => "No versions.".to_string(),
    };
    history_chart(&points, &label)
}

/// The hub's versions, newest first (by effective date, then organisation and policy), at
/// most `limit`; with `only`, the versions of that class only.
pub fn recent_changes(site: &Site, urls: &Urls, limit: usize, only: Option<Class>) -> Vec<ChangeView> {
    let mut all: Vec<(crate::content::Date, usize, usize, usize)> = Vec::new();
    for (o, org) in site.orgs.iter().enumerate() {
        for (p, record) in org.policies.iter().enumerate() {
            for (v, version) in record.policy.versions.iter().enumerate() {
                if only.is_none() || record.history.versions[v].classes.class == only {
                    all.push((version.effective, o, p, v));
                }
            }
        }
    }
    all.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
            .then(b.3.cmp(&a.3))
    });
    all.into_iter()
        .take(limit)
        .map(|(_, o, p, v)| {
            let org = &site.orgs[o];
            let record = &org.policies[p];
            let notice = notices(&record.policy, site.reference)[v];
            change_view(urls, org, &record.policy, &record.history, v, &notice)
        })
        .collect()
}

/// An organisation's versions across its policies, newest first.
pub fn org_timeline(urls: &Urls, org: &SiteOrg, reference: Option<Date>) -> Vec<ChangeView> {
    let mut entries: Vec<ChangeView> = org
        .policies
        .iter()
        .flat_map(|p| policy_timeline(urls, org, &p.policy, &p.history, reference))
        .collect();
    entries.sort_by(|a, b| {
        b.version
            .effective
            .cmp(&a.version.effective)
            .then(a.policy_url.cmp(&b.policy_url))
    });
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(first: bool, summary: Option<&str>) -> ChangeView {
        let hostile = "<b>\"Acme\" & 'Co'</b>";
        ChangeView {
            org_name: hostile.into(),
            org_url: "/acme/?a=1&b=2".into(),
            policy_title: hostile.into(),
            policy_url: "/acme/privacy/".into(),
            version: VersionLink {
                id: "2024-01-01".into(),
                effective: "2024-01-01".into(),
                effective_long: "1 January 2024".into(),
                url: "/acme/privacy/2024-01-01/".into(),
                diff_url: None,
            },
            diff_url: (!first).then(|| "/acme/privacy/2024-01-01/diff/".into()),
            summary: summary.map(str::to_string),
            figures: ChangeFigures::default(),
            description: "2 clauses added; <40> words added.".into(),
            first,
            words: 1234,
            status: if first { "superseded" } else { "pending" },
            pending: !first,
            announced: None,
            captured: None,
            notice_days: Some(28),
            notice: (!first).then(|| "Takes effect on <1 March 2027>: 28 days' notice.".into()),
            warning: first.then(|| "Took effect 4 days before it was captured (\"29 May 2018\").".into()),
            class: (!first).then_some("substantive"),
            class_label: (!first).then_some("Substantive"),
            class_reason: (!first).then(|| "“30 days” → “90 days” & <more>".into()),
            class_counts: ClassCounts::default(),
        }
    }

    /// The default theme's `change_entry` macro, rendered by Tera over `entries`.
    fn macro_html(entries: &[ChangeView], show_policy: bool) -> String {
        let page = format!(
            "{{% import \"_macros.html\" as macros %}}{{% for entry in timeline %}}{{{{ macros::change_entry(entry=entry, show_policy={show_policy}) }}}}{{% endfor %}}"
        );
        let mut context = tera::Context::new();
        context.insert("timeline", entries);
        super::super::theme::render_like_a_theme(&page, &context)
    }

    #[test]
    fn entries_are_what_the_change_entry_macro_wrote() {
        let entries = vec![
            entry(false, Some("Retention <shortened> & clarified")),
            entry(false, Some("")),
            entry(true, None),
        ];
        for show_policy in [false, true] {
            let written = entries_html(&entries, show_policy);
            assert_eq!(
                written,
                macro_html(&entries, show_policy),
                "show_policy = {show_policy}"
            );
            assert_eq!(written.contains("&lt;b&gt;&quot;Acme&quot;"), show_policy, "{written}");
        }
    }
}
