//! The context of a version page: the version, its provenance, navigation and body.

use std::fmt::Write;

use tera::Context;

use super::body::{body_html, removed_stubs, BodyLinks};
use super::context::{insert_html, OrgView, PolicyView, SiteView, TocEntry, VersionLink, VersionView};
use super::crosslinks::CrossLinks;
use super::pages::page_view;
use crate::content::notice::{Notice, Status};
use crate::content::Policy;
use crate::document::BlockKind;
use crate::history::{AnchoredBlock, PolicyHistory};
use crate::html::{push_escaped, push_link};
use crate::permalinks::{self, Urls};
use crate::site::SiteOrg;

/// The path and context of version `index` of a policy; `canonical` renders the policy's
/// latest page (`/<org>/<policy>/`), which also carries the stubs of removed clauses.
/// `notices` are the policy's versions' notices on the hub's reference date.
#[allow(clippy::too_many_arguments)]
pub(super) fn version_context(
    site_view: &SiteView,
    urls: &Urls,
    org: &SiteOrg,
    org_view: &OrgView,
    policy: &Policy,
    policy_view: &PolicyView,
    history: &PolicyHistory,
    index: usize,
    canonical: bool,
    cross: Option<&CrossLinks<'_>>,
    notices: &[Notice],
) -> (String, Context) {
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
            text: block.text.clone(),
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
    insert_html(&mut context, "toc_html", toc_html(&toc));
    context.insert("toc", &toc);
    let (nearby, newest_listed) = nearby_versions(&policy_view.versions, index);
    insert_html(&mut context, "nearby_html", nearby_html(&nearby, &version.id));
    context.insert("nearby", &nearby);
    context.insert("nearby_start", &newest_listed);
    context.insert("removed_count", &stubs.len());
    insert_html(&mut context, "body", body);
    (path, context)
}

/// The `<li>` of every entry of the table of contents, exactly as a template's loop over `toc`
/// would write them: made here, as each field Tera reads costs string copies.
fn toc_html(toc: &[TocEntry]) -> String {
    let mut out = String::with_capacity(toc.len() * 96);
    for entry in toc {
        // Written with `write!` so the level's digits need no buffer of their own.
        let _ = write!(out, "<li class=\"toc-level-{}\"><a href=\"#", entry.level);
        push_escaped(&mut out, &entry.id);
        out.push_str("\">");
        push_escaped(&mut out, &entry.text);
        out.push_str("</a></li>\n  ");
    }
    out
}

/// The `<li>` of every version listed at a version page's foot, the one shown (`current`)
/// marked rather than linked, as a template's loop over `nearby` would write them.
fn nearby_html(nearby: &[&VersionLink], current: &str) -> String {
    let mut out = String::with_capacity(nearby.len() * 96);
    for v in nearby {
        out.push_str("\n    <li>");
        if v.id == current {
            out.push_str("<strong aria-current=\"true\">");
            push_escaped(&mut out, &v.effective_long);
            out.push_str("</strong>");
        } else {
            push_link(&mut out, &v.url, &v.effective_long);
        }
        out.push_str("</li>\n  ");
    }
    out
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
    fn fragments_are_what_the_template_loops_wrote() {
        let hostile = "<b>\"Ads\" & 'you'</b>";
        let toc = vec![
            TocEntry {
                id: "a-&-b".into(),
                text: hostile.into(),
                level: 2,
            },
            TocEntry {
                id: "c".into(),
                text: "Plain".into(),
                level: 3,
            },
        ];
        let mut versions = links(3);
        versions[0].effective_long = hostile.into();
        versions[1].url = "/o/p/1/?a=1&b=\"2\"".into();
        let (nearby, _) = nearby_versions(&versions, 1);
        let mut context = Context::new();
        context.insert("toc", &toc);
        context.insert("nearby", &nearby);
        context.insert("current", "1");
        let toc_loop = r##"{% for entry in toc %}<li class="toc-level-{{ entry.level }}"><a href="#{{ entry.id }}">{{ entry.text }}</a></li>
  {% endfor %}"##;
        assert_eq!(
            toc_html(&toc),
            super::super::theme::render_like_a_theme(toc_loop, &context)
        );
        let nearby_loop = r#"{% for v in nearby %}
    <li>{% if v.id == current %}<strong aria-current="true">{{ v.effective_long }}</strong>{% else %}<a href="{{ v.url }}">{{ v.effective_long }}</a>{% endif %}</li>
  {% endfor %}"#;
        let written = nearby_html(&nearby, "1");
        assert_eq!(written, super::super::theme::render_like_a_theme(nearby_loop, &context));
        assert!(written.contains("&lt;b&gt;&quot;Ads&quot;"), "{written}");
        assert!(written.contains("<strong aria-current=\"true\">"), "{written}");
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
