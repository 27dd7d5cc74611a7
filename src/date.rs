//! Calendar dates (`YYYY-MM-DD`) as the content format uses them: validated, ordered, printable;
//! and the names of the months, as policies write them.

use std::fmt;
use std::str::FromStr;

/// Month names, January first, by language (ISO 639-1 code): what the importer reads in a
/// policy's dates and the change classifier counts as a month.
pub(crate) const MONTH_NAMES: [(&str, [&str; 12]); 7] = [
    (
        "en",
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
    ),
    (
        "fr",
        [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
    ),
    (
        "de",
        [
            "januar",
            "februar",
            "märz",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "dezember",
        ],
    ),
    (
        "es",
        [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
    ),
    (
        "it",
        [
            "gennaio",
            "febbraio",
            "marzo",
            "aprile",
            "maggio",
            "giugno",
            "luglio",
            "agosto",
            "settembre",
            "ottobre",
            "novembre",
            "dicembre",
        ],
    ),
    (
        "pt",
        [
            "janeiro",
            "fevereiro",
            "março",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro",
            "novembro",
            "dezembro",
        ],
    ),
    (
        "nl",
        [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
    ),
];

/// A valid Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year (1..=9999).
    pub year: u16,
    /// Month (1..=12).
    pub month: u8,
    /// Day of the month (1..=31, checked against the month).
    pub day: u8,
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD`.
    Format,
    /// Well-formed but not a day of the calendar (e.g. 2015-02-30).
    Impossible,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Format => f.write_str("not a date of the form YYYY-MM-DD"),
            DateError::Impossible => f.write_str("no such day in the calendar"),
        }
    }
}

impl Date {
    /// A date from its parts, checked against the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, DateError> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::Impossible);
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before), for arithmetic and feeds.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The calendar date `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
        .ok()
    }

    /// The UTC day of a Unix time (seconds since 1970-01-01, negative before).
    pub fn from_unix_seconds(seconds: i64) -> Option<Date> {
        Date::from_days_since_epoch(seconds.div_euclid(86_400))
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }

    /// The day before.
    pub fn previous_day(self) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch() - 1)
    }

    /// "10 December 2015", for readers.
    pub fn long(self) -> String {
        format!("{} {}", self.day_and_month(), self.year)
    }

    /// "10 December": the long form without its year, for a date next to one of the same year.
    pub fn day_and_month(self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!("{} {}", self.day, MONTHS[usize::from(self.month - 1)])
    }

    /// The long form, without the year when it is `beside`'s: "announced 1 February" next to
    /// "1 March 2027", "announced 20 December 2026" next to "1 January 2027".
    pub fn long_beside(self, beside: Date) -> String {
        if self.year == beside.year {
            self.day_and_month()
        } else {
            self.long()
        }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        _ => 28,
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
            return Err(DateError::Format);
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<u16>().map_err(|_| DateError::Format);
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::new(year, month as u8, day as u8)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse()
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a date (YYYY-MM-DD)")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let d: Date = "2015-12-10".parse().unwrap();
        assert_eq!(d.to_string(), "2015-12-10");
        assert_eq!(d.long(), "10 December 2015");
    }

    #[test]
    fn refuses_impossible_and_malformed() {
        assert_eq!("2015-02-29".parse::<Date>(), Err(DateError::Impossible));
        assert!("2016-02-29".parse::<Date>().is_ok());
        assert_eq!("2015-13-01".parse::<Date>(), Err(DateError::Impossible));
        assert_eq!("2015-1-01".parse::<Date>(), Err(DateError::Format));
        assert_eq!("not a date".parse::<Date>(), Err(DateError::Format));
    }

    #[test]
    fn counts_days_between_dates() {
        let (a, b): (Date, Date) = ("2027-02-01".parse().unwrap(), "2027-03-01".parse().unwrap());
        assert_eq!(a.days_until(b), 28);
        assert_eq!(b.days_until(a), -28);
        assert_eq!(b.previous_day().unwrap().to_string(), "2027-02-28");
        assert_eq!(a.long_beside(b), "1 February");
        assert_eq!("2026-12-20".parse::<Date>().unwrap().long_beside(b), "20 December 2026");
        assert_eq!(
            Date::from_unix_seconds(1_709_251_199).unwrap().to_string(),
            "2024-02-29"
        );
        assert_eq!(Date::from_unix_seconds(-1).unwrap().to_string(), "1969-12-31");
        // Only the years a date is written with (four digits): the last second of 9999 is a
        // date, the next one none (a release index would not read `10000-01-01` back).
        assert_eq!(
            Date::from_unix_seconds(253_402_300_799).unwrap().to_string(),
            "9999-12-31"
        );
        assert_eq!(Date::from_unix_seconds(253_402_300_800), None);
        assert!(Date::new(10_000, 1, 1).is_err());
    }

    #[test]
    fn counts_days_from_epoch() {
        assert_eq!("1970-01-01".parse::<Date>().unwrap().days_since_epoch(), 0);
        assert_eq!("2000-03-01".parse::<Date>().unwrap().days_since_epoch(), 11_017);
    }
}
