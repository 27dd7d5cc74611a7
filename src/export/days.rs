//! Which day each version is recorded on, so that `import --ota` (one version per document and
//! day, named after the date its text gives or else after its day) reads the versions back:
//! the order of a document's commits, their days, and their times. Pure: days are numbers.

/// A calendar day as days since 1970-01-01.
pub(super) type Day = i64;

/// The day a version would like its commit on, and the day it needs it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Want {
    /// The day it was observed: its captured date, else its effective date.
    pub preferred: Day,
    /// Its effective date.
    pub effective: Day,
    /// The only day that gives the version back, when its text gives no date.
    pub fixed: Option<Day>,
}

/// The order of a document's commits (`wants` in the order of its versions): by the day each
/// version wants, the versions of one effective date kept in their order, since an import
/// numbers them in the order it meets them.
pub(super) fn chain_order(wants: &[Want]) -> Vec<usize> {
    let mut keys = Vec::with_capacity(wants.len());
    let mut latest = Day::MIN;
    for (i, want) in wants.iter().enumerate() {
        if i > 0 && wants[i - 1].effective != want.effective {
            latest = Day::MIN;
        }
        latest = latest.max(want.fixed.unwrap_or(want.preferred));
        keys.push((latest, want.effective, i));
    }
    keys.sort_unstable();
    keys.into_iter().map(|(_, _, i)| i).collect()
}

/// The day of each of a document's commits, in their order: strictly rising (an import keeps one
/// version per day), each fixed day where it can be, else the preferred day, else the effective
/// date, else the nearest day that leaves room for the fixed days after it.
pub(super) fn commit_days(wants: &[Want]) -> Vec<Day> {
    let mut latest = vec![Day::MAX; wants.len()];
    let mut bound = Day::MAX;
    for (i, want) in wants.iter().enumerate().rev() {
        bound = want.fixed.unwrap_or(Day::MAX).min(bound.saturating_sub(1));
        latest[i] = bound;
    }
    let mut days = Vec::with_capacity(wants.len());
    let mut earliest = Day::MIN;
    for (want, latest) in wants.iter().zip(latest) {
        let fits = |day: Day| day >= earliest && day <= latest;
        let day = match want.fixed {
            Some(fixed) => fixed.max(earliest),
            None if fits(want.preferred) => want.preferred,
            None if fits(want.effective) => want.effective,
            None => want.preferred.clamp(earliest, latest.max(earliest)),
        };
        days.push(day);
        earliest = day.saturating_add(1);
    }
    days
}

/// Noon (UTC) of the day, one second later for each commit before it that day: the same day in
/// every time zone from UTC−12 to UTC+11.
pub(super) fn commit_time(day: Day, before: usize) -> i64 {
    const NOON: i64 = 12 * 3600;
    day * 86_400 + NOON + (before as i64).min(NOON - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Date;

    fn want(preferred: Day, effective: Day, fixed: bool) -> Want {
        Want {
            preferred,
            effective,
            fixed: fixed.then_some(effective),
        }
    }

    #[test]
    fn observed_days_are_kept_when_they_rise() {
        let wants = [want(15, 10, false), want(20, 20, true), want(30, 25, false)];
        assert_eq!(commit_days(&wants), vec![15, 20, 30]);
    }

    #[test]
    fn a_version_that_needs_its_date_makes_room_before_it() {
        // The first was captured after the second took effect: its text gives its date, so it
        // moves to its effective date and the second keeps its own day.
        let wants = [want(25, 10, false), want(20, 20, true)];
        assert_eq!(commit_days(&wants), vec![10, 20]);
        // No day of its own fits: the nearest that leaves room.
        let wants = [want(25, 20, false), want(20, 20, true)];
        assert_eq!(commit_days(&wants), vec![19, 20]);
    }

    #[test]
    fn two_versions_of_one_day_get_two_days() {
        // Same effective date, both texts giving it: the captured days apart.
        let wants = [want(10, 10, false), want(12, 10, false)];
        assert_eq!(commit_days(&wants), vec![10, 12]);
        // Same effective date, no captured date: the second goes to the next day.
        let wants = [want(10, 10, false), want(10, 10, false)];
        assert_eq!(commit_days(&wants), vec![10, 11]);
        // Neither text gives a date: only one can have the day.
        let wants = [want(10, 10, true), want(10, 10, true)];
        assert_eq!(commit_days(&wants), vec![10, 11]);
    }

    #[test]
    fn commits_follow_the_days_observed_keeping_the_order_of_one_date() {
        // Versions of day 10 observed on days 12, 30 and 40; a version of day 20 whose text gives
        // no date comes between them, as it was observed.
        let wants = [
            want(12, 10, false),
            want(30, 10, false),
            want(40, 10, false),
            want(20, 20, true),
        ];
        assert_eq!(chain_order(&wants), vec![0, 3, 1, 2]);
        let chained: Vec<Want> = [0, 3, 1, 2].iter().map(|&i| wants[i]).collect();
        assert_eq!(commit_days(&chained), vec![12, 20, 30, 40]);
        // Observed out of their order: the second of a day never goes before the first.
        let wants = [want(30, 10, false), want(15, 10, false), want(20, 20, false)];
        assert_eq!(chain_order(&wants), vec![2, 0, 1]);
    }

    #[test]
    fn commits_of_a_day_are_seconds_apart_from_noon() {
        let day = Date::new(2020, 1, 1).unwrap().days_since_epoch();
        assert_eq!(commit_time(day, 0), 1_577_880_000);
        assert_eq!(commit_time(day, 2), 1_577_880_002);
        assert!(commit_time(day, 1_000_000) < commit_time(day + 1, 0));
    }
}
