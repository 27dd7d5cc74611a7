//! Notice: a version's three dates (announced, effective, captured) judged on the hub's
//! reference date: which version is pending, in force or superseded, how many days' notice a
//! change gave, and which changes took effect before anyone could know of them. Pure
//! functions of the content's dates and `SOURCE_DATE_EPOCH`: never the clock, so that the same
//! inputs always give the same site.

use super::in_force::{in_force_on, periods};
use super::{Date, Policy, Version};

/// The hub's reference date: the day of `SOURCE_DATE_EPOCH` when it is set, else the newest
/// day the content vouches for (the last day the hub knows the policies as they were): each
/// version's `captured` date, or for a version without one, its `announced` date, or for a
/// version with neither, its effective date (a version added with no date but its name was
/// seen in force). When every version has a capture date, that is the newest capture.
/// `None` for a hub without versions. `policies` are every policy of the hub.
pub fn reference_date<'a>(source_date: Option<Date>, policies: impl IntoIterator<Item = &'a Policy>) -> Option<Date> {
    source_date.or_else(|| {
        policies
            .into_iter()
            .flat_map(|p| &p.versions)
            .map(|v| v.captured.or(v.announced).unwrap_or(v.effective))
            .max()
    })
}

/// Where a version stands on the reference date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Replaced by a later version that is in force.
    Superseded,
    /// The version in force.
    InForce,
    /// Not yet in force: it takes effect after the reference date.
    Pending,
}

impl Status {
    /// The name used in CSS classes and the JSON API.
    pub fn name(self) -> &'static str {
        match self {
            Status::Superseded => "superseded",
            Status::InForce => "in-force",
            Status::Pending => "pending",
        }
    }
}

/// What the hub knew before a change took effect: the evidence a change came too early for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The version's `announced` date.
    Announced,
    /// Its `captured` date, when no announcement is on record.
    Captured,
}

impl Evidence {
    /// The name used in the JSON API.
    pub fn name(self) -> &'static str {
        match self {
            Evidence::Announced => "announced",
            Evidence::Captured => "captured",
        }
    }
}

/// A change that took effect before it was announced or, with no announcement on record,
/// before it was captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Early {
    /// What came after the effective date.
    pub before: Evidence,
    /// That date.
    pub date: Date,
    /// How many days after the effective date it came.
    pub days: i64,
}

/// A version's notice: its status on the reference date, the notice it gave, and whether it
/// came too early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    pub status: Status,
    pub announced: Option<Date>,
    pub effective: Date,
    /// Days from the announcement to the effective date (0 for "announced the day it took
    /// effect"); `None` when no announcement is on record or it came after.
    pub days: Option<i64>,
    /// Set when the change took effect before it was announced or captured. Without an
    /// announcement, only a version that starts a new effective date is judged on its capture,
    /// and never a policy's first: a hub's first capture of a policy naturally comes after it
    /// took effect, and a later text of the same effective date is an edit of a change already
    /// judged.
    pub early: Option<Early>,
}

/// True when every page of `policy` reads the same judged on reference date `a` as on `b`:
/// each version has the same status on both, and none is pending (the page of a policy with a
/// pending version names the reference date). A new newest capture moves the hub's reference
/// date: only the policies this is false for are rendered again.
pub fn judged_alike(policy: &Policy, a: Option<Date>, b: Option<Date>) -> bool {
    a == b
        || notices(policy, a)
            .iter()
            .zip(&notices(policy, b))
            .all(|(x, y)| x.status == y.status && x.status != Status::Pending)
}

/// The notice of every version of a policy on the reference date (see [`reference_date`]).
pub fn notices(policy: &Policy, reference: Option<Date>) -> Vec<Notice> {
    let periods = periods(policy);
    let in_force = match reference {
        Some(date) => in_force_on(&periods, date).map(|p| p.version),
        None => periods.last().map(|p| p.version),
    };
    policy
        .versions
        .iter()
        .enumerate()
        .map(|(v, version)| {
            let status = if reference.is_some_and(|r| version.effective > r) {
                Status::Pending
            } else if in_force == Some(v) {
                Status::InForce
            } else {
                Status::Superseded
            };
            let new_date = v > 0 && policy.versions[v - 1].effective != version.effective;
            notice(version, status, new_date)
        })
        .collect()
}

/// The notice of one version; `judge_capture` when its capture date counts as evidence.
fn notice(version: &Version, status: Status, judge_capture: bool) -> Notice {
    let effective = version.effective;
    let days = version.announced.map(|a| a.days_until(effective)).filter(|&d| d >= 0);
    let evidence = match (version.announced, version.captured) {
        (Some(announced), _) => Some((Evidence::Announced, announced)),
        (None, Some(captured)) if judge_capture => Some((Evidence::Captured, captured)),
        _ => None,
    };
    let early = evidence
        .filter(|&(_, date)| date > effective)
        .map(|(before, date)| Early {
            before,
            date,
            days: effective.days_until(date),
        });
    Notice {
        status,
        announced: version.announced,
        effective,
        days,
        early,
    }
}

/// "28 days' notice", "1 day's notice", "no notice".
fn notice_days(days: i64) -> String {
    match days {
        0 => "no notice".to_string(),
        1 => "1 day's notice".to_string(),
        n => format!("{n} days' notice"),
    }
}

/// "1 day", "16 days".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

impl Notice {
    /// The notice in words, for timelines, feeds and version pages: "Takes effect on 1 March
    /// 2027, announced 1 February: 28 days' notice." for a pending version; "Announced 1
    /// February: 28 days' notice." once in force; `None` when there is nothing to say.
    pub fn describe(&self) -> Option<String> {
        let effective = self.effective;
        let announced = self.announced.filter(|_| self.days.is_some());
        match (self.status, announced, self.days) {
            (Status::Pending, Some(a), Some(d)) => Some(format!(
                "Takes effect on {}, announced {}: {}.",
                effective.long(),
                a.long_beside(effective),
                notice_days(d)
            )),
            (Status::Pending, _, _) => Some(format!("Takes effect on {}.", effective.long())),
            (_, Some(_), Some(0)) => Some("Announced the day it took effect: no notice.".to_string()),
            (_, Some(a), Some(d)) => Some(format!("Announced {}: {}.", a.long_beside(effective), notice_days(d))),
            _ => None,
        }
    }

    /// The warning for a change that came too early: "Took effect 9 days before it was
    /// announced (10 March 2020)." or "Took effect 4 days before it was captured (29 May
    /// 2018); no announcement is on record."
    pub fn warning(&self) -> Option<String> {
        let early = self.early?;
        Some(match early.before {
            Evidence::Announced => format!(
                "Took effect {} before it was announced ({}).",
                days(early.days),
                early.date.long()
            ),
            Evidence::Captured => format!(
                "Took effect {} before it was captured ({}); no announcement is on record.",
                days(early.days),
                early.date.long()
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(id: &str, announced: Option<&str>, captured: Option<&str>) -> Version {
        Version {
            id: id.into(),
            announced: announced.map(|d| d.parse().unwrap()),
            effective: id.parse().unwrap(),
            sequence: 1,
            captured: captured.map(|d| d.parse().unwrap()),
            source: None,
            archive: None,
            summary: None,
            path: format!("{id}.md").into(),
            body: String::new(),
            digest: 0,
            body_line: 1,
        }
    }

    fn policy(versions: Vec<Version>) -> Policy {
        Policy {
            slug: "p".into(),
            title: "P".into(),
            url: None,
            versions,
        }
    }

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_version_announced_and_not_yet_in_force_is_pending() {
        let p = policy(vec![
            version("2020-01-01", None, Some("2020-01-05")),
            version("2027-03-01", Some("2027-02-01"), Some("2027-02-10")),
        ]);
        let on = notices(&p, Some(date("2027-02-10")));
        assert_eq!(
            on.iter().map(|n| n.status).collect::<Vec<_>>(),
            [Status::InForce, Status::Pending]
        );
        assert_eq!(
            on[1].describe().unwrap(),
            "Takes effect on 1 March 2027, announced 1 February: 28 days' notice."
        );
        assert_eq!(on[1].warning(), None);
        // The day it takes effect, it is in force and the notice is still said.
        let later = notices(&p, Some(date("2027-03-01")));
        assert_eq!(later[1].status, Status::InForce);
        assert_eq!(later[0].status, Status::Superseded);
        assert_eq!(later[1].describe().unwrap(), "Announced 1 February: 28 days' notice.");
        // Without a reference date nothing is pending and the last version is in force.
        assert_eq!(notices(&p, None)[1].status, Status::InForce);
    }

    #[test]
    fn a_change_before_its_announcement_or_capture_is_flagged() {
        let mut same_day = version("2018-05-25", None, Some("2018-07-03"));
        same_day.id = "2018-05-25.2".into();
        same_day.sequence = 2;
        let p = policy(vec![
            version("2015-12-10", None, Some("2015-12-26")),
            version("2018-05-25", None, Some("2018-05-29")),
            same_day,
            version("2020-03-01", Some("2020-03-10"), Some("2020-04-01")),
            version("2021-01-01", Some("2020-12-31"), Some("2021-02-01")),
        ]);
        let mut on = notices(&p, Some(date("2021-02-01")));
        assert_eq!(on[0].early, None, "a first capture after the fact is no flag");
        assert_eq!(on.remove(2).early, None, "an edit of a day already judged is no flag");
        assert_eq!(
            on[1].warning().unwrap(),
            "Took effect 4 days before it was captured (29 May 2018); no announcement is on record."
        );
        assert_eq!(
            on[2].warning().unwrap(),
            "Took effect 9 days before it was announced (10 March 2020)."
        );
        assert_eq!(on[2].days, None);
        assert_eq!(on[2].describe(), None);
        assert_eq!(on[3].early, None, "an announcement ahead of time is the evidence");
        assert_eq!(on[3].describe().unwrap(), "Announced 31 December 2020: 1 day's notice.");
    }

    #[test]
    fn the_reference_date_is_the_source_date_else_the_newest_capture() {
        assert_eq!(reference_date(None, &[]), None);
        let captured = [policy(vec![
            version("2020-01-01", None, Some("2020-02-01")),
            version("2021-01-01", None, Some("2020-12-01")),
            version("2027-03-01", Some("2027-02-01"), Some("2027-02-10")),
        ])];
        assert_eq!(reference_date(None, &captured), Some(date("2027-02-10")));
        let source = Some(date("2019-01-01"));
        assert_eq!(reference_date(source, &captured), source);
        // Without a capture date, a version vouches for its announcement, else its effective date.
        let uncaptured = [policy(vec![
            version("2020-01-01", None, Some("2020-01-05")),
            version("2021-06-01", None, None),
            version("2027-03-01", Some("2027-02-01"), None),
        ])];
        assert_eq!(reference_date(None, &uncaptured), Some(date("2027-02-01")));
        let on = notices(&uncaptured[0], reference_date(None, &uncaptured));
        assert_eq!(on[1].status, Status::InForce);
        assert_eq!(on[2].status, Status::Pending);
    }
}
