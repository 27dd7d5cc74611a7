//! The context of a version page: the version, its provenance, navigation and body.

use tera::Context;

use super::body::{body_html, removed_stubs, BodyLinks};
use super::context::{insert_html, OrgView, PolicyView, SiteView, TocEntry, VersionLink, VersionView};
use super::crosslinks::CrossLinks;
use super::pages::page_view;
use super::partial::{write_each, NearbyVersionInput, TocEntryInput};
use super::Theme;
use crate::content::notice::{Notice, Status};
use crate::content::{Org, Policy};
use crate::document::BlockKind;
use crate::error::Diagnostic;
use crate::history::PolicyHistory;
use crate::permalinks::{self, Urls};

/// The path and context of version `index` of a policy; `canonical` renders the policy's
/// latest page (`/<org>/<policy>/`), which also carries the stubs of removed clauses.
/// `notices` are the policy's versions' notices on the hub's reference date.
#[allow(clippy::too_many_arguments)]
pub(super) fn version_context(
    site_view: &SiteView,
    urls: &Urls,
    org: &Org,
    org_view: &OrgView,
    policy: &Policy,
    policy_view: &PolicyView,
    history: &PolicyHistory,
    index: usize,
    canonical: bool,
    cross: Option<&CrossLinks<'_>>,
    notices: &[Notice],
    theme: &Theme,
) -> Result<(String, Context), Diagnostic> {
    let version = &policy.versions[index];
    let notice = &notices[index];
    let anchored = &history.versions[index];
    let blocks = &anchored.document.blocks;
    let path = if canonical {
        permalinks::policy(&org.slug, &policy.slug)
    } else {
        permalinks::version(&org.slug, &policy.slug, &version.id)
    };
    let is_latest = index + 1 == policy.versions.len();
    let version_view = VersionView {
        id: version.id.clone(),
        effective: version.effective.to_string(),
        effective_long: version.effective.long(),
        announced: version.announced.map(|d| d.to_string()),
        announced_long: version.announced.map(|d| d.long()),
        captured: version.captured.map(|d| d.to_string()),
        source: version.source.clone(),
        archive: version.archive.clone(),
        summary: version.summary.clone(),
        url: urls.path(&permalinks::version(&org.slug, &policy.slug, &version.id)),
        diff_url: policy_view.versions[index].diff_url.clone(),
        is_latest,
        number: index + 1,
        word_count: anchored.words,
        clause_count: blocks
            .iter()
            .filter(|b| b.kind != BlockKind::Heading && b.kind.is_anchored())
            .count(),
        status: notice.status.name(),
        notice: notice.describe(),
        warning: notice.warning(),
    };
    let toc: Vec<TocEntry> = blocks
        .iter()
        .zip(&anchored.ids)
        .filter(|(b, _)| b.kind == BlockKind::Heading && b.level >= 2)
        .map(|(b, id)| TocEntry {
            id: id.clone(),
            text: b.text.clone(),
            level: b.level,
        })
        .collect();
    let title = if canonical {
        format!("{} — {}", policy.title, org.name)
    } else {
        format!("{} — {} (version of {})", policy.title, org.name, version.effective)
    };
    let description = format!(
        "{} of {}, in effect from {}, as captured and archived by this hub.",
        policy.title,
        org.name,
        version.effective.long()
    );
    let stubs = if canonical {
        let dates: Vec<String> = policy.versions.iter().map(|v| v.effective.long()).collect();
        removed_stubs(history, &dates, &|v| policy_view.versions[v].url.clone())
    } else {
        Vec::new()
    };
    let history_url = permalinks::clauses_relative(!canonical);
    let body = body_html(
        anchored,
        &BodyLinks {
            history_url,
            stubs: &stubs,
            cross,
        },
    );
    let mut context = Context::new();
    context.insert("site", site_view);
    context.insert(
        "page",
        &page_view(
            urls,
            title,
            description,
            &path,
            if canonical { "policy" } else { "version" },
        ),
    );
    context.insert("org", org_view);
    context.insert("policy", policy_view);
    context.insert("version", &version_view);
    context.insert("prev", &index.checked_sub(1).map(|i| &policy_view.versions[i]));
    context.insert("next", &policy_view.versions.get(index + 1));
    context.insert("latest", &policy_view.latest);
    let in_force = notices.iter().position(|n| n.status == Status::InForce);
    context.insert("in_force", &in_force.map(|i| &policy_view.versions[i]));
    let toc_html = write_each(theme, toc.iter().map(|entry| TocEntryInput { entry }))?;
    insert_html(&mut context, "toc_html", toc_html);
    context.insert("toc", &toc);
    let (nearby, newest_listed) = nearby_versions(&policy_view.versions, index);
    let nearby_html = write_each(
        theme,
        nearby.iter().map(|v| NearbyVersionInput {
            version: v,
            current: v.id == version.id,
        }),
    )?;
    insert_html(&mut context, "nearby_html", nearby_html);
    context.insert("nearby", &nearby);
    context.insert("nearby_start", &newest_listed);
    context.insert("removed_count", &stubs.len());
    insert_html(&mut context, "body", body);
    Ok((path, context))
}

/// How many versions a version page lists at its foot.
pub(super) const NEARBY_VERSIONS: usize = 11;

/// The versions listed at the foot of version `index`'s page, newest first: all of them up to
/// [`NEARBY_VERSIONS`], else that many around it (a page's cost stays the same however long
/// the policy's history; the timeline lists them all), with the 1-based number of the newest
/// listed (the list counts down from it).
fn nearby_versions(versions: &[VersionLink], index: usize) -> (Vec<&VersionLink>, usize) {
    let count = versions.len().min(NEARBY_VERSIONS);
    let start = index.saturating_sub(count / 2).min(versions.len() - count);
    (versions[start..start + count].iter().rev().collect(), start + count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(n: usize) -> Vec<VersionLink> {
        (0..n)
            .map(|i| VersionLink {
                id: i.to_string(),
                effective: String::new(),
                effective_long: String::new(),
                url: String::new(),
                diff_url: None,
            })
            .collect()
    }

    fn ids((list, newest): (Vec<&VersionLink>, usize)) -> Vec<usize> {
        let ids: Vec<usize> = list.iter().map(|v| v.id.parse().unwrap()).collect();
        assert_eq!(ids[0] + 1, newest, "the number of the newest listed");
        ids
    }

    #[test]
    fn short_histories_are_listed_whole_newest_first() {
        let versions = links(4);
        assert_eq!(ids(nearby_versions(&versions, 0)), vec![3, 2, 1, 0]);
        assert_eq!(ids(nearby_versions(&versions, 3)), vec![3, 2, 1, 0]);
    }

    #[test]
    fn long_histories_are_listed_around_the_version() {
        let versions = links(120);
        assert_eq!(ids(nearby_versions(&versions, 60)), (55..=65).rev().collect::<Vec<_>>());
        assert_eq!(ids(nearby_versions(&versions, 1)), (0..=10).rev().collect::<Vec<_>>());
        assert_eq!(
            ids(nearby_versions(&versions, 119)),
            (109..=119).rev().collect::<Vec<_>>()
        );
    }
}
