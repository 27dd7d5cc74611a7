//! The context of a version page: the version, its provenance, navigation and body.

use tera::Context;

use super::body::{body_html, removed_stubs, BodyLinks};
use super::context::{
    insert_html, policy_path, version_path, OrgView, PolicyView, SiteView, TocEntry, Urls, VersionView,
};
use super::crosslinks::CrossLinks;
use super::pages::page_view;
use crate::content::{Org, Policy};
use crate::document::BlockKind;
use crate::history::PolicyHistory;

/// The path and context of version `index` of a policy; `canonical` renders the policy's
/// latest page (`/<org>/<policy>/`), which also carries the stubs of removed clauses.
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
) -> (String, Context) {
    let version = &policy.versions[index];
    let anchored = &history.versions[index];
    let blocks = &anchored.document.blocks;
    let path = if canonical {
        policy_path(org, policy)
    } else {
        version_path(org, policy, version)
    };
    let is_latest = index + 1 == policy.versions.len();
    let version_view = VersionView {
        id: version.id.clone(),
        effective: version.effective.to_string(),
        effective_long: version.effective.long(),
        captured: version.captured.map(|d| d.to_string()),
        source: version.source.clone(),
        archive: version.archive.clone(),
        summary: version.summary.clone(),
        url: urls.path(&version_path(org, policy, version)),
        diff_url: policy_view.versions[index].diff_url.clone(),
        is_latest,
        number: index + 1,
        word_count: anchored.words,
        clause_count: blocks
            .iter()
            .filter(|b| b.kind != BlockKind::Heading && b.kind.is_anchored())
            .count(),
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
    // Relative, as clause links are many: `clauses/` from the policy's page, `../clauses/` from a version's.
    let history_url = if canonical { "clauses/" } else { "../clauses/" };
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
    context.insert("toc", &toc);
    context.insert("removed_count", &stubs.len());
    insert_html(&mut context, "body", body);
    (path, context)
}
