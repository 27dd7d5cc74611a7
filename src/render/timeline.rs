//! Change timelines: every version of a policy, of an organisation, or of the whole hub, with
//! its date, summary, notice (pending, days' notice, early changes), change figures and links
//! to the version and its redline.

use serde::Serialize;

use super::chart::{history_chart, ChartPoint};
use super::context::VersionLink;
use crate::content::notice::{notices, Notice, Status};
use crate::content::{Date, Policy};
use crate::history::{ChangeFigures, Class, ClassCounts, PolicyHistory};
use crate::permalinks::{self, Urls};
use crate::site::{Site, SiteOrg};

/// One entry of a timeline.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangeView {
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
pub(crate) fn class_label(class: Class) -> &'static str {
    match class {
        Class::Formatting => "Formatting only",
        Class::Editorial => "Editorial",
        Class::Substantive => "Substantive",
    }
}

/// The timeline entry of version `v` of a policy, with its notice on the hub's reference
/// date (see [`notices`]).
pub(super) fn change_view(
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

/// Every version of a policy, oldest first, with its notice on the reference date.
pub(crate) fn policy_timeline(
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
pub(crate) fn recent_changes(site: &Site, urls: &Urls, limit: usize, only: Option<Class>) -> Vec<ChangeView> {
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

/// An organisation's versions across its policies, newest first (versions of one day too: the
/// sort keeps each policy's own order, read backwards).
pub(crate) fn org_timeline(urls: &Urls, org: &SiteOrg, reference: Option<Date>) -> Vec<ChangeView> {
    let mut entries: Vec<ChangeView> = org
        .policies
        .iter()
        .flat_map(|p| {
            policy_timeline(urls, org, &p.policy, &p.history, reference)
                .into_iter()
                .rev()
        })
        .collect();
    entries.sort_by(|a, b| {
        b.version
            .effective
            .cmp(&a.version.effective)
            .then(a.policy_url.cmp(&b.policy_url))
    });
    entries
}
