//! What a successful build still has to say: the policies' own links that lead nowhere, as
//! warnings with file and line (`policyhub check` prints them).

use std::path::Path;

use crate::error::Diagnostic;
use crate::site::{Site, SitePolicy};

/// A warning for each of the policies' own links that lead nowhere: file, line and link.
pub(super) fn unresolved_links(site: &Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (org, SitePolicy { policy, history, .. }) in site.policies() {
        for link in &history.unresolved_links {
            let version = &policy.versions[link.version];
            let path = Path::new("content")
                .join(&org.slug)
                .join(&policy.slug)
                .join(format!("{}.md", version.id));
            let message = format!("the link `{}` leads nowhere on the hub: it is shown as text", link.href);
            let hint = if link.href.starts_with('#') {
                "no heading of this version has that anchor: link to a heading's text as the original site slugs it, or remove the link"
            } else {
                "a relative link needs the version's `source` URL in its front matter to reach the original site"
            };
            warnings.push(
                Diagnostic::new(path, message)
                    .at_line(version.body_line + link.line - 1)
                    .hint(hint),
            );
        }
    }
    warnings
}
