//! Change timelines: every version of a policy, of an organisation, or of the whole hub, with
//! its date, summary, change figures and links to the version and its redline.

use serde::Serialize;

use super::chart::{history_chart, ChartPoint};
use super::context::{policy_path, version_path, Urls, VersionLink};
use crate::content::{Org, Policy};
use crate::history::{ChangeFigures, PolicyHistory};
use crate::site::Site;

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
}

/// The site path of version `v`'s redline.
pub fn diff_path(org: &Org, policy: &Policy, v: usize) -> String {
    format!("{}diff/", version_path(org, policy, &policy.versions[v]))
}

/// The timeline entry of version `v` of a policy.
pub fn change_view(urls: &Urls, org: &Org, policy: &Policy, history: &PolicyHistory, v: usize) -> ChangeView {
    let version = &policy.versions[v];
    let anchored = &history.versions[v];
    let first = v == 0;
    ChangeView {
        org_name: org.name.clone(),
        org_url: urls.path(&format!("{}/", org.slug)),
        policy_title: policy.title.clone(),
        policy_url: urls.path(&policy_path(org, policy)),
        version: VersionLink::new(urls, org, policy, version),
        diff_url: (!first).then(|| urls.path(&diff_path(org, policy, v))),
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

/// Every version of a policy, oldest first.
pub fn policy_timeline(urls: &Urls, org: &Org, policy: &Policy, history: &PolicyHistory) -> Vec<ChangeView> {
    (0..policy.versions.len())
        .map(|v| change_view(urls, org, policy, history, v))
        .collect()
}

/// The SVG chart of a policy's length and changes over time.
pub fn policy_chart(org: &Org, policy: &Policy, timeline: &[ChangeView]) -> String {
    let points: Vec<ChartPoint> = policy
        .versions
        .iter()
        .zip(timeline)
        .map(|(v, entry)| ChartPoint {
            day: v.effective.days_since_epoch(),
            words: entry.words,
            changed: entry.figures.words_added + entry.figures.words_removed,
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

/// The hub's versions, newest first (by effective date, then organisation and policy), at most `limit`.
pub fn recent_changes(site: &Site, urls: &Urls, limit: usize) -> Vec<ChangeView> {
    let mut all: Vec<(crate::content::Date, usize, usize, usize)> = Vec::new();
    for (o, org) in site.content.orgs.iter().enumerate() {
        for (p, policy) in org.policies.iter().enumerate() {
            for (v, version) in policy.versions.iter().enumerate() {
                all.push((version.effective, o, p, v));
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
            let org = &site.content.orgs[o];
            change_view(urls, org, &org.policies[p], &site.histories[o][p], v)
        })
        .collect()
}

/// An organisation's versions across its policies, newest first.
pub fn org_timeline(urls: &Urls, org: &Org, histories: &[PolicyHistory]) -> Vec<ChangeView> {
    let mut entries: Vec<ChangeView> = org
        .policies
        .iter()
        .zip(histories)
        .flat_map(|(policy, history)| policy_timeline(urls, org, policy, history))
        .collect();
    entries.sort_by(|a, b| {
        b.version
            .effective
            .cmp(&a.version.effective)
            .then(a.policy_url.cmp(&b.policy_url))
    });
    entries
}
