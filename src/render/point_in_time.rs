//! The point-in-time page (`/<org>/<policy>/at/`): every period of a policy with the version
//! in force, in the words of `policyhub diff ORG/POLICY DATE` (both read
//! [`crate::content::in_force`]), and a date form that `static/point-in-time.js` answers from
//! the periods listed, which are the answer without JavaScript.

use serde::Serialize;

use super::context::VersionLink;
use crate::content::in_force::{periods, version_name};
use crate::content::notice::{Notice, Status};
use crate::content::Policy;

/// One period, as the page lists it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PeriodView {
    /// Its first day (ISO).
    pub from: String,
    /// Its last day (ISO), or empty while no later version exists.
    pub until: String,
    /// "from 10 December 2015 to 1 March 2018", or "from 2 March 2018 onwards".
    pub span: String,
    /// "version of 10 December 2015".
    pub name: String,
    /// The version in force.
    pub version: VersionLink,
    /// True when that version is not yet in force on the hub's reference date.
    pub pending: bool,
    /// Its notice ("Takes effect on …, announced …: 28 days' notice."), if any.
    pub notice: Option<String>,
    /// Earlier texts with the same effective date, replaced by this one.
    pub same_day: Vec<VersionLink>,
}

/// The days before a policy's first version: no version in force.
#[derive(Debug, Clone, Serialize)]
pub(super) struct BeforeView {
    /// The last day without a version (ISO).
    pub until: String,
    /// "before 10 December 2015".
    pub span: String,
}

/// The periods of a policy for its page, oldest first, with the days before the first.
pub(super) fn period_views(
    policy: &Policy,
    versions: &[VersionLink],
    notices: &[Notice],
) -> (Option<BeforeView>, Vec<PeriodView>) {
    let before = policy.versions.first().and_then(|first| {
        let until = first.effective.previous_day()?;
        Some(BeforeView {
            until: until.to_string(),
            span: format!("before {}", first.effective.long()),
        })
    });
    let views = periods(policy)
        .into_iter()
        .map(|period| {
            let notice = &notices[period.version];
            PeriodView {
                from: period.from.to_string(),
                until: period.until.map_or(String::new(), |d| d.to_string()),
                span: period.span(),
                name: version_name(policy, period.version),
                version: versions[period.version].clone(),
                pending: notice.status == Status::Pending,
                notice: notice.describe(),
                same_day: period.same_day.iter().map(|&v| versions[v].clone()).collect(),
            }
        })
        .collect();
    (before, views)
}
