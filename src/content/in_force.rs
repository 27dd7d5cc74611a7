//! The policy in force on any day: the periods between a policy's changes, and the
//! point-in-time lookup that `policyhub diff ORG/POLICY DATE` and the `/<org>/<policy>/at/`
//! page share, so that the two always agree. Reads effective dates only, never the clock.

use super::{Date, Policy};

/// A stretch of days during which one version of a policy was in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// The version in force (index into the policy's versions).
    pub version: usize,
    /// Its first day in force: the version's effective date.
    pub from: Date,
    /// Its last day in force (the day before the next change), or `None` while no later
    /// version exists.
    pub until: Option<Date>,
    /// Earlier versions with the same effective date, replaced by this one before they were
    /// ever the last word of that day (indexes, oldest first).
    pub same_day: Vec<usize>,
}

impl Period {
    /// True when `date` falls in the period.
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && self.until.is_none_or(|until| date <= until)
    }

    /// "from 10 December 2015 to 1 March 2018" or "from 2 March 2018 onwards".
    pub fn span(&self) -> String {
        match self.until {
            Some(until) => format!("from {} to {}", self.from.long(), until.long()),
            None => format!("from {} onwards", self.from.long()),
        }
    }

    /// "from 10 December 2015 to 1 March 2018: version of 10 December 2015" (with the version's
    /// id when it is not its date alone: "version of 25 May 2018 (2018-05-25.4)").
    pub fn describe(&self, policy: &Policy) -> String {
        format!("{}: {}", self.span(), version_name(policy, self.version))
    }
}

/// "version of 10 December 2015", or "version of 25 May 2018 (2018-05-25.4)" for a second
/// version of a day.
pub fn version_name(policy: &Policy, v: usize) -> String {
    let version = &policy.versions[v];
    if version.sequence == 1 {
        format!("version of {}", version.effective.long())
    } else {
        format!("version of {} ({})", version.effective.long(), version.id)
    }
}

/// How to name version `v` so that `policyhub diff` and the compare page read it back as that
/// version and not as a date: its id, or `YYYY-MM-DD.1` for the first version of a day that
/// has more (its id, a bare date, names the version in force that day: the day's last).
pub fn version_ref(policy: &Policy, v: usize) -> String {
    let version = &policy.versions[v];
    let later_same_day = policy
        .versions
        .get(v + 1)
        .is_some_and(|next| next.effective == version.effective);
    if version.sequence == 1 && later_same_day {
        format!("{}.1", version.id)
    } else {
        version.id.clone()
    }
}

/// The periods of a policy, oldest first: one per distinct effective date, each held by the
/// last version of that date.
pub fn periods(policy: &Policy) -> Vec<Period> {
    let versions = &policy.versions;
    let mut periods: Vec<Period> = Vec::new();
    for (v, version) in versions.iter().enumerate() {
        match periods.last_mut() {
            Some(last) if last.from == version.effective => {
                last.same_day.push(last.version);
                last.version = v;
            }
            _ => {
                if let Some(last) = periods.last_mut() {
                    last.until = version.effective.previous_day();
                }
                periods.push(Period {
                    version: v,
                    from: version.effective,
                    until: None,
                    same_day: Vec::new(),
                });
            }
        }
    }
    periods
}

/// The period in force on `date`, or `None` before the policy's first version took effect.
pub fn in_force_on(periods: &[Period], date: Date) -> Option<&Period> {
    periods.iter().rev().find(|p| p.from <= date)
}

/// The message for a day before any version: "no version of acme/privacy-policy was in force
/// on 1 January 2015: its first version took effect on 10 December 2015".
pub fn none_in_force(policy: &Policy, name: &str, date: Date) -> String {
    let first = policy.versions.first().map_or(String::new(), |v| {
        format!(": its first version took effect on {}", v.effective.long())
    });
    format!("no version of {name} was in force on {}{first}", date.long())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Version;

    fn policy(ids: &[&str]) -> Policy {
        Policy {
            slug: "privacy-policy".into(),
            title: "Privacy policy".into(),
            url: None,
            versions: ids
                .iter()
                .map(|id| {
                    let (date, sequence) = id.split_once('.').map_or((*id, 1), |(d, n)| (d, n.parse().unwrap()));
                    Version {
                        id: id.to_string(),
                        announced: None,
                        effective: date.parse().unwrap(),
                        sequence,
                        captured: None,
                        source: None,
                        archive: None,
                        summary: None,
                        path: format!("{id}.md").into(),
                        body: String::new(),
                        digest: 0,
                        body_line: 1,
                    }
                })
                .collect(),
        }
    }

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn periods_run_from_each_change_to_the_day_before_the_next() {
        let p = policy(&["2015-12-10", "2018-03-02", "2018-05-25", "2018-05-25.2"]);
        let periods = periods(&p);
        let described: Vec<String> = periods.iter().map(|period| period.describe(&p)).collect();
        assert_eq!(
            described,
            [
                "from 10 December 2015 to 1 March 2018: version of 10 December 2015",
                "from 2 March 2018 to 24 May 2018: version of 2 March 2018",
                "from 25 May 2018 onwards: version of 25 May 2018 (2018-05-25.2)",
            ]
        );
        assert_eq!(periods[2].same_day, [2]);
        let refs: Vec<String> = (0..4).map(|v| version_ref(&p, v)).collect();
        assert_eq!(refs, ["2015-12-10", "2018-03-02", "2018-05-25.1", "2018-05-25.2"]);
    }

    #[test]
    fn the_lookup_is_exact_at_the_boundaries() {
        let p = policy(&["2015-12-10", "2018-03-02"]);
        let periods = periods(&p);
        let at = |d: &str| in_force_on(&periods, date(d)).map(|period| period.version);
        assert_eq!(at("2015-12-09"), None);
        assert_eq!(at("2015-12-10"), Some(0));
        assert_eq!(at("2018-03-01"), Some(0));
        assert_eq!(at("2018-03-02"), Some(1));
        assert_eq!(at("9999-12-31"), Some(1));
        assert!(periods[0].contains(date("2018-03-01")) && !periods[0].contains(date("2018-03-02")));
        assert_eq!(
            none_in_force(&p, "acme/privacy-policy", date("2015-12-09")),
            "no version of acme/privacy-policy was in force on 9 December 2015: its first version took effect on 10 December 2015"
        );
    }
}
