//! The JSON API (DESIGN §9): `/api/index.json`, `/api/<org>/<policy>.json` and
//! `/api/<org>/<policy>/<version>.json`. Plain structs serialized in a fixed field order, so
//! the same site always gives the same bytes. URLs are absolute. Each version carries its
//! status on the hub's reference date (pending, in force, superseded) and its notice.

use serde::Serialize;

use super::changes_csv::changes_csv;
use super::OutputFile;
use crate::content::notice::{notices, Early, Notice};
use crate::content::{Date, Policy};
use crate::history::{Change, ChangeFigures, Class, ClassCounts};
use crate::links::TopicRules;
use crate::permalinks::{self, Urls};
use crate::site::{Scope, Site, SiteOrg, SitePolicy};

#[derive(Serialize)]
struct Index<'a> {
    generator: String,
    title: &'a str,
    base_url: &'a str,
    /// The day on which `status` is judged: `SOURCE_DATE_EPOCH`'s, else the newest capture.
    reference_date: Option<Date>,
    orgs: Vec<IndexOrg<'a>>,
}

#[derive(Serialize)]
struct IndexOrg<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    website: Option<&'a str>,
    policies: Vec<IndexPolicy<'a>>,
}

#[derive(Serialize)]
struct IndexPolicy<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
    api: String,
    latest: &'a str,
    versions: Vec<VersionRef<'a>>,
}

#[derive(Serialize)]
struct VersionRef<'a> {
    id: &'a str,
    effective: String,
    status: &'static str,
    url: String,
    api: String,
}

#[derive(Serialize)]
struct PolicyJson<'a> {
    org: &'a str,
    org_name: &'a str,
    policy: &'a str,
    title: &'a str,
    url: String,
    live_url: Option<&'a str>,
    versions: Vec<PolicyVersion<'a>>,
    lineages: Vec<LineageJson<'a>>,
}

#[derive(Serialize)]
struct PolicyVersion<'a> {
    id: &'a str,
    announced: Option<Date>,
    effective: String,
    captured: Option<String>,
    status: &'static str,
    /// Days from the announcement to the effective date, when announced ahead (or the same day).
    notice_days: Option<i64>,
    /// Set when the change took effect before it was announced or captured.
    early: Option<EarlyJson>,
    summary: Option<&'a str>,
    url: String,
    api: String,
    changes: ChangeFigures,
    /// The version's class (none for the first version), why, and its changes per class.
    class: Option<Class>,
    class_reason: Option<String>,
    classes: ClassCounts,
}

/// A change that took effect before the evidence of it: `{"before": "announced", "date":
/// "2020-03-10", "days": 9}`.
#[derive(Serialize)]
struct EarlyJson {
    before: &'static str,
    date: Date,
    days: i64,
}

impl From<Early> for EarlyJson {
    fn from(early: Early) -> Self {
        EarlyJson {
            before: early.before.name(),
            date: early.date,
            days: early.days,
        }
    }
}

#[derive(Serialize)]
struct LineageJson<'a> {
    id: &'a str,
    kind: &'static str,
    first_version: &'a str,
    last_version: &'a str,
    removed_in: Option<&'a str>,
    changes: usize,
    /// The id of the clause whose text it began as part of (a split).
    split_from: Option<&'a str>,
    /// The id of the clause its text went into when it was removed (a merge).
    merged_into: Option<&'a str>,
    /// Every time its text went into another clause as it was removed, oldest first (a clause
    /// can be merged, come back and be merged again).
    merges: Vec<MergeJson<'a>>,
}

#[derive(Serialize)]
struct MergeJson<'a> {
    version: &'a str,
    into: &'a str,
}

#[derive(Serialize)]
struct VersionJson<'a> {
    org: &'a str,
    policy: &'a str,
    version: &'a str,
    announced: Option<Date>,
    effective: String,
    status: &'static str,
    url: String,
    class: Option<Class>,
    classes: ClassCounts,
    clauses: Vec<ClauseJson<'a>>,
    /// Every changed clause against the previous version, in reading order.
    changes: Vec<ChangeJson<'a>>,
}

/// One changed clause: `{"id": "retention", "change": "modified", "class": "substantive",
/// "reason": "“30 days” → “90 days”"}`.
#[derive(Serialize)]
struct ChangeJson<'a> {
    id: &'a str,
    change: &'static str,
    class: Class,
    reason: &'a str,
}

#[derive(Serialize)]
struct ClauseJson<'a> {
    id: &'a str,
    kind: &'static str,
    section: Option<&'a str>,
    text: &'a str,
    topics: Vec<&'a str>,
}

fn json(path: String, value: &impl Serialize) -> OutputFile {
    let mut bytes = serde_json::to_vec(value).unwrap_or_default();
    bytes.push(b'\n');
    OutputFile { path, bytes }
}

fn version_api(urls: &Urls, org: &SiteOrg, policy: &Policy, id: &str) -> String {
    urls.absolute(&permalinks::api_version(&org.slug, &policy.slug, id))
}

/// The JSON API files of one scope: the index for the hub, a policy's files for a policy.
pub(crate) fn api_files(site: &Site, scope: &Scope) -> Vec<OutputFile> {
    let urls = Urls::new(&site.config.base_path, &site.config.base_url);
    match scope {
        Scope::Hub => {
            let (index, changes) = rayon::join(|| index_file(site, &urls), || changes_csv(site, &urls));
            vec![index, changes]
        }
        Scope::Policy(org, policy) => match site.policy(org, policy) {
            Some((org, record)) => {
                let notices = notices(&record.policy, site.reference);
                policy_files(&urls, org, record, &site.topics, &notices)
            }
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn index_file(site: &Site, urls: &Urls) -> OutputFile {
    let index = Index {
        generator: format!("policyhub {}", env!("CARGO_PKG_VERSION")),
        title: &site.config.title,
        base_url: &site.config.base_url,
        reference_date: site.reference,
        orgs: site
            .orgs
            .iter()
            .map(|org| IndexOrg {
                slug: &org.slug,
                name: &org.name,
                url: urls.absolute(&permalinks::org(&org.slug)),
                website: org.website.as_deref(),
                policies: org
                    .policies
                    .iter()
                    .map(|record| &record.policy)
                    .map(|policy| IndexPolicy {
                        slug: &policy.slug,
                        title: &policy.title,
                        url: urls.absolute(&permalinks::policy(&org.slug, &policy.slug)),
                        api: urls.absolute(&permalinks::api_policy(&org.slug, &policy.slug)),
                        latest: policy.versions.last().map_or("", |v| v.id.as_str()),
                        versions: policy
                            .versions
                            .iter()
                            .zip(notices(policy, site.reference))
                            .map(|(v, notice)| VersionRef {
                                id: &v.id,
                                effective: v.effective.to_string(),
                                status: notice.status.name(),
                                url: urls.absolute(&permalinks::version(&org.slug, &policy.slug, &v.id)),
                                api: version_api(urls, org, policy, &v.id),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    json(permalinks::api_index().into(), &index)
}

fn policy_files(
    urls: &Urls,
    org: &SiteOrg,
    SitePolicy {
        policy, history, links, ..
    }: &SitePolicy,
    rules: &TopicRules,
    notices: &[Notice],
) -> Vec<OutputFile> {
    let id_of = |v: usize| policy.versions[v].id.as_str();
    let summary = PolicyJson {
        org: &org.slug,
        org_name: &org.name,
        policy: &policy.slug,
        title: &policy.title,
        url: urls.absolute(&permalinks::policy(&org.slug, &policy.slug)),
        live_url: policy.url.as_deref(),
        versions: policy
            .versions
            .iter()
            .zip(&history.versions)
            .zip(notices)
            .map(|((v, anchored), notice)| PolicyVersion {
                id: &v.id,
                announced: v.announced,
                effective: v.effective.to_string(),
                captured: v.captured.map(|d| d.to_string()),
                status: notice.status.name(),
                notice_days: notice.days,
                early: notice.early.map(EarlyJson::from),
                summary: v.summary.as_deref(),
                url: urls.absolute(&permalinks::version(&org.slug, &policy.slug, &v.id)),
                api: version_api(urls, org, policy, &v.id),
                changes: anchored.figures,
                class: anchored.classes.class,
                class_reason: anchored.classes.summary(3),
                classes: anchored.classes.counts,
            })
            .collect(),
        lineages: history
            .lineages
            .iter()
            .map(|l| LineageJson {
                id: &l.id,
                kind: l.kind.name(),
                first_version: id_of(l.first_version()),
                last_version: id_of(l.last_version),
                removed_in: l.removed_in().map(id_of),
                changes: l.revisions(),
                split_from: l.split_from.as_deref(),
                merged_into: l.merged_into(),
                merges: l
                    .merges
                    .iter()
                    .map(|(v, into)| MergeJson {
                        version: id_of(*v),
                        into,
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut files = vec![json(permalinks::api_policy(&org.slug, &policy.slug), &summary)];
    for (v, (version, anchored)) in policy.versions.iter().zip(&history.versions).enumerate() {
        let topics_of = |i: usize| -> Vec<&str> {
            links
                .versions
                .get(v)
                .and_then(|l| l.topics.get(i))
                .map(|t| {
                    t.iter()
                        .filter_map(|&t| rules.topics.get(t))
                        .map(|t| t.slug.as_str())
                        .collect()
                })
                .unwrap_or_default()
        };
        let clauses = anchored
            .blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.block.kind.is_anchored())
            .map(|(i, b)| ClauseJson {
                id: &b.id,
                kind: b.block.kind.name(),
                section: b.section.map(|s| anchored.blocks[s].id.as_str()),
                text: &b.block.text,
                topics: topics_of(i),
            })
            .collect();
        let page = VersionJson {
            org: &org.slug,
            policy: &policy.slug,
            version: &version.id,
            announced: version.announced,
            effective: version.effective.to_string(),
            status: notices[v].status.name(),
            url: urls.absolute(&permalinks::version(&org.slug, &policy.slug, &version.id)),
            class: anchored.classes.class,
            classes: anchored.classes.counts,
            clauses,
            changes: anchored
                .classes
                .clauses
                .iter()
                .map(|c| ChangeJson {
                    id: match (c.new, c.old) {
                        (Some(n), _) => &anchored.blocks[n].id,
                        (None, Some(o)) => &history.versions[v - 1].blocks[o].id,
                        (None, None) => "",
                    },
                    change: if c.change == Change::Unchanged {
                        "restyled"
                    } else {
                        c.change.name()
                    },
                    class: c.verdict.class,
                    reason: &c.verdict.reason,
                })
                .collect(),
        };
        files.push(json(
            permalinks::api_version(&org.slug, &policy.slug, &version.id),
            &page,
        ));
    }
    files
}
