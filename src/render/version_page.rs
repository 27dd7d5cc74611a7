//! A version page's input (`version.html`): the version, its provenance, navigation and body.

use super::body::{body_html, removed_stubs, BodyLinks};
use super::context::{TocEntry, VersionLink, VersionView};
use super::crosslinks::CrossLinks;
use super::page_inputs::VersionPage;
use super::pages::PolicyParts;
use super::partial::{write_each, NearbyVersionInput, TocEntryInput};
use crate::content::notice::Status;
use crate::document::BlockKind;
use crate::error::Diagnostic;
use crate::history::AnchoredBlock;
use crate::permalinks;

/// Which version page to make, and what from.
#[derive(Clone, Copy)]
pub(super) struct VersionSource<'a> {
    /// The policy's pages' common parts.
    pub(super) parts: PolicyParts<'a>,
    /// Which version, oldest first.
    pub(super) index: usize,
    /// Whether this is the policy's latest page (`/<org>/<policy>/`), which also carries the
    /// stubs of removed clauses, rather than the version's permanent one.
    pub(super) canonical: bool,
    /// The version's cross-links.
    pub(super) cross: Option<&'a CrossLinks<'a>>,
}

/// The site path and input of a version page.
pub(super) fn version_page(source: VersionSource<'_>) -> Result<(String, VersionPage<'_>), Diagnostic> {
    let VersionSource {
        parts,
        index,
        canonical,
        cross,
    } = source;
    let PolicyParts {
        common,
        org,
        org_view,
        policy,
        policy_view,
        history,
        notices,
    } = parts;
    let urls = &common.urls;
    let version = &policy.versions[index];
    let notice = &notices[index];
    let anchored = &history.versions[index];
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
        clause_count: anchored
            .blocks
            .iter()
            .filter(|b| b.block.kind != BlockKind::Heading && b.block.kind.is_anchored())
            .count(),
        status: notice.status.name(),
        notice: notice.describe(),
        warning: notice.warning(),
    };
    let toc: Vec<TocEntry> = anchored
        .blocks
        .iter()
        .filter(|b| b.block.kind == BlockKind::Heading && b.block.level >= 2)
        .map(|AnchoredBlock { block, id, .. }| TocEntry {
            id: id.clone(),
            text: block.text.to_string(),
            level: block.level,
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
    let in_force = notices.iter().position(|n| n.status == Status::InForce);
    let toc_html = write_each(common.theme, toc.iter().map(|entry| TocEntryInput { entry }))?;
    let (nearby, nearby_start) = nearby_versions(&policy_view.versions, index);
    let nearby_html = write_each(
        common.theme,
        nearby.iter().map(|v| NearbyVersionInput {
            version: v,
            current: v.id == version.id,
        }),
    )?;
    let kind = if canonical { "policy" } else { "version" };
    let page = VersionPage {
        layout: common.layout(title, description, &path, kind),
        org: org_view,
        policy: &policy_view.entry,
        version: version_view,
        prev: index.checked_sub(1).map(|i| &policy_view.versions[i]),
        next: policy_view.versions.get(index + 1),
        latest: &policy_view.latest,
        in_force: in_force.map(|i| &policy_view.versions[i]),
        toc,
        toc_html,
        nearby,
        nearby_html,
        nearby_start,
        removed_count: stubs.len(),
        body,
    };
    Ok((path, page))
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
