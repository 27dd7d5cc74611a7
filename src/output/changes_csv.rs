//! `/api/changes.csv`: the hub's changes dataset, one row per changed clause of every version
//! against the one before it (organisation, policy, version and dates, clause, kind of change,
//! class and reason, topics, words added and removed, the redline at the clause). The only
//! user of `csv`.

use super::OutputFile;
use crate::history::Change;
use crate::permalinks::{self, Urls};
use crate::site::{Site, SitePolicy};

/// The columns, in order (documented in README.md, "The changes dataset").
pub(super) const COLUMNS: [&str; 15] = [
    "org",
    "policy",
    "version",
    "previous_version",
    "effective",
    "captured",
    "clause",
    "kind",
    "change",
    "class",
    "reason",
    "topics",
    "words_added",
    "words_removed",
    "url",
];

/// The dataset of every change on the hub, policies in the hub's order, versions oldest first,
/// clauses in reading order.
pub(super) fn changes_csv(site: &Site, urls: &Urls) -> OutputFile {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(COLUMNS);
    for (org, SitePolicy { policy, changes, .. }) in site.policies() {
        // The columns of the version of the clauses read last (none yet: changes are of
        // versions 1 and later), made once for its clauses.
        let (mut at, mut effective, mut captured, mut redline) = (0, String::new(), String::new(), String::new());
        for clause in changes {
            let v = clause.version;
            let meta = &policy.versions[v];
            if at != v {
                at = v;
                effective = meta.effective.to_string();
                captured = meta.captured.map(|d| d.to_string()).unwrap_or_default();
                redline = urls.absolute(&permalinks::redline(&org.slug, &policy.slug, &meta.id));
            }
            let change = match clause.change {
                Change::Unchanged => "restyled",
                change => change.name(),
            };
            let _ = out.write_record([
                org.slug.as_str(),
                policy.slug.as_str(),
                meta.id.as_str(),
                policy.versions[v - 1].id.as_str(),
                &effective,
                &captured,
                &clause.id,
                clause.kind.name(),
                change,
                clause.verdict.class.name(),
                &clause.verdict.reason,
                &site.topics.slugs(&clause.topics).join(" "),
                &clause.added.to_string(),
                &clause.removed.to_string(),
                &permalinks::anchor(&redline, &clause.id),
            ]);
        }
    }
    OutputFile {
        path: permalinks::changes_csv().to_string(),
        bytes: out.into_inner().unwrap_or_default(),
    }
}
