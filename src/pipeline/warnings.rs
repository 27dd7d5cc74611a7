//! What a successful build still has to say, as warnings with file and line (`policyhub
//! check` prints them): the policies' own links that lead nowhere, and versions that define
//! more terms than a version links.

use std::path::{Path, PathBuf};

use crate::content::Policy;
use crate::error::Diagnostic;
use crate::links::MAX_DEFINITIONS;
use crate::site::{Site, SiteOrg, SitePolicy};

/// Every warning of the hub, policy by policy.
pub(super) fn build_warnings(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (org, record) in site.policies() {
        unresolved_links(org, record, &mut warnings);
        unlinked_definitions(org, record, &mut warnings);
    }
    warnings
}

/// The file of version `v` of `policy`, as the hub's content names it.
fn version_file(org: &SiteOrg, policy: &Policy, v: usize) -> PathBuf {
    Path::new("content")
        .join(&org.slug)
        .join(&policy.slug)
        .join(format!("{}.md", policy.versions[v].id))
}

/// A warning for each of the policy's own links that lead nowhere: file, line and link.
fn unresolved_links(org: &SiteOrg, record: &SitePolicy, warnings: &mut Vec<Diagnostic>) {
    let SitePolicy { policy, history, .. } = record;
    for link in &history.unresolved_links {
        let version = &policy.versions[link.version];
        let message = format!("the link `{}` leads nowhere on the hub: it is shown as text", link.href);
        let hint = if link.href.starts_with('#') {
            "no heading of this version has that anchor: link to a heading's text as the original site slugs it, or remove the link"
        } else {
            "a relative link needs the version's `source` URL in its front matter to reach the original site"
        };
        warnings.push(
            Diagnostic::new(version_file(org, policy, link.version), message)
                .at_line(version.body_line + link.line - 1)
                .hint(hint),
        );
    }
}

/// A warning for each version that defines more terms than a version links.
fn unlinked_definitions(org: &SiteOrg, record: &SitePolicy, warnings: &mut Vec<Diagnostic>) {
    for (v, links) in record.links.versions.iter().enumerate() {
        if links.unlinked_definitions > 0 {
            let message = format!(
                "this version defines {} terms: the first {MAX_DEFINITIONS} link to their definitions, the other {} do not",
                MAX_DEFINITIONS + links.unlinked_definitions,
                links.unlinked_definitions
            );
            warnings.push(Diagnostic::new(version_file(org, &record.policy, v), message).hint(
                "a capture that defines this many terms is rarely a policy: check that it was captured whole and alone",
            ));
        }
    }
}
