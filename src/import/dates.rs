//! Dates in a capture's text ("December 10, 2015", "10 December 2015", "2015-12-10",
//! "12/25/2015"), the phrases that introduce them ("Effective Date:", "will take effect on",
//! "Last updated", "Posted on"), and the choice of the version's effective and announced dates.
//! A date that could be read two ways is reported, never guessed.

use std::path::Path;

use super::capture::Line;
use super::report::{shorten, Warning};
use super::shape::strip_prefix_ignore_case;
use crate::content::Date;
use crate::date::MONTH_NAMES;
use crate::error::Diagnostic;

/// A date as written in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateValue {
    /// One day of the calendar.
    Exact(Date),
    /// A numeric date whose day and month could be swapped (03/04/2015): month-first reading,
    /// then day-first reading.
    Ambiguous(Date, Date),
    /// A month and a year without a day ("December 2015").
    MonthOnly(u16, u8),
    /// Well-formed but not a day of the calendar ("February 30, 2015").
    Impossible,
    /// A numeric date with a two-digit year (12/25/15).
    ShortYear,
}

/// What a phrase before a date says about it, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum DateKind {
    /// "Effective Date:", "effective as of", "in effect since", "will take effect on".
    Effective,
    /// "Updated:", "Last updated", "Last modified", "Revised".
    Updated,
    /// "Posted on", "Published", "Announced": when the text was made public.
    Posted,
}

/// A date introduced by a phrase somewhere in the capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Mention {
    /// 1-based line number.
    pub line: usize,
    /// True when the phrase labels the line ("Effective Date: …", "Last updated …") or speaks
    /// of the policy wherever it stands ("These changes will take effect on …"), false when it
    /// is inside a sentence ("the law, effective May 25, 2018, …").
    pub label: bool,
    /// What the phrase says.
    pub kind: DateKind,
    /// The date.
    pub value: DateValue,
    /// The line's text, shortened, for messages.
    pub context: String,
}

/// The phrases that introduce a date, in English.
const PHRASES: &[(&str, DateKind)] = &[
    ("effective", DateKind::Effective),
    ("in effect", DateKind::Effective),
    ("take effect", DateKind::Effective),
    ("takes effect", DateKind::Effective),
    ("took effect", DateKind::Effective),
    ("into force", DateKind::Effective),
    ("updated", DateKind::Updated),
    ("modified", DateKind::Updated),
    ("revised", DateKind::Updated),
    ("amended", DateKind::Updated),
    ("revision", DateKind::Updated),
    ("last change", DateKind::Updated),
    ("posted", DateKind::Posted),
    ("published", DateKind::Posted),
    ("announced", DateKind::Posted),
];

/// The phrases that introduce a date in French, German, Spanish, Italian, Portuguese and
/// Dutch. They also say how a numeric date that reads both ways is meant: day first, as those
/// languages write it.
const OTHER_PHRASES: &[(&str, DateKind)] = &[
    // French
    ("en vigueur", DateKind::Effective),
    ("date d'effet", DateKind::Effective),
    ("date d\u{2019}effet", DateKind::Effective),
    ("prend effet", DateKind::Effective),
    ("prendra effet", DateKind::Effective),
    ("mise à jour", DateKind::Updated),
    ("mis à jour", DateKind::Updated),
    ("modifié", DateKind::Updated),
    ("révisé", DateKind::Updated),
    ("publié", DateKind::Posted),
    // German
    ("gültig ab", DateKind::Effective),
    ("gültig seit", DateKind::Effective),
    ("wirksam ab", DateKind::Effective),
    ("in kraft", DateKind::Effective),
    ("stand", DateKind::Updated),
    ("aktualisiert", DateKind::Updated),
    ("aktualisierung", DateKind::Updated),
    ("geändert", DateKind::Updated),
    ("letzte änderung", DateKind::Updated),
    ("veröffentlicht", DateKind::Posted),
    // Spanish
    ("en vigor", DateKind::Effective),
    ("vigente", DateKind::Effective),
    ("actualizado", DateKind::Updated),
    ("actualizada", DateKind::Updated),
    ("actualización", DateKind::Updated),
    ("modificado", DateKind::Updated),
    ("modificación", DateKind::Updated),
    ("publicado", DateKind::Posted),
    // Italian
    ("in vigore", DateKind::Effective),
    ("aggiornato", DateKind::Updated),
    ("aggiornata", DateKind::Updated),
    ("aggiornamento", DateKind::Updated),
    ("modificato", DateKind::Updated),
    ("pubblicato", DateKind::Posted),
    // Portuguese
    ("em vigor", DateKind::Effective),
    ("vigência", DateKind::Effective),
    ("atualizado", DateKind::Updated),
    ("atualizada", DateKind::Updated),
    ("atualização", DateKind::Updated),
    // Dutch
    ("van kracht", DateKind::Effective),
    ("ingangsdatum", DateKind::Effective),
    ("bijgewerkt", DateKind::Updated),
    ("gewijzigd", DateKind::Updated),
    ("gepubliceerd", DateKind::Posted),
];

/// Phrases that announce a change of the policy itself wherever they stand in a sentence
/// ("These changes will take effect on 1 March 2027"): they count as labels. Past tenses
/// ("the GDPR took effect on …") do not.
const ANNOUNCING: [&str; 9] = [
    "take effect",
    "takes effect",
    "into force",
    "become effective",
    "becomes effective",
    "prendra effet",
    "entrera en vigueur",
    "entrará en vigor",
    "entrerà in vigore",
];

/// Words allowed between a phrase and its date ("Effective *as of* …", "Last updated *on* …",
/// "Mise à jour *le* …", "Gültig *ab* …"), in lower case.
const CONNECTORS: [&str; 30] = [
    "date", "as", "of", "on", "from", "since", "is", "was", "at", "the", "this", "dated", "le", "du", "au", "à",
    "depuis", "am", "vom", "seit", "ab", "zum", "el", "del", "desde", "de", "il", "dal", "em", "op",
];

/// Words before a phrase that leave it a label ("Date *de la dernière* mise à jour"), in lower
/// case.
const LABEL_FILLERS: [&str; 20] = [
    "of",
    "the",
    "last",
    "de",
    "la",
    "le",
    "des",
    "dernière",
    "der",
    "die",
    "das",
    "letzte",
    "del",
    "última",
    "di",
    "ultima",
    "ultimo",
    "da",
    "van",
    "laatst",
];

/// Every date introduced by a phrase in the lines, in order.
pub(super) fn mentions(lines: &[Line]) -> Vec<Mention> {
    let mut found = Vec::new();
    for line in lines {
        let lower = lowercase_in_place(&line.text);
        let mut hits: Vec<(usize, bool, DateKind, DateValue)> = Vec::new();
        let phrases = PHRASES.iter().map(|p| (p, true));
        for (&(phrase, kind), english) in phrases.chain(OTHER_PHRASES.iter().map(|p| (p, false))) {
            let mut from = 0;
            while let Some(at) = lower[from..].find(phrase) {
                let start = from + at;
                let end = start + phrase.len();
                from = end;
                let boundary = lower[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
                if !boundary {
                    continue;
                }
                if let Some(value) = date_after(&line.text[end..]) {
                    let value = match value {
                        DateValue::Ambiguous(_, day_first) if !english => DateValue::Exact(day_first),
                        value => value,
                    };
                    let label = is_label(&line.text[..start]) || announces(&lower[..end]);
                    hits.push((start, label, kind, value));
                }
            }
        }
        hits.sort_by_key(|h| h.0);
        for (_, label, kind, value) in hits {
            found.push(Mention {
                line: line.number,
                label,
                kind,
                value,
                context: shorten(&line.text, 80),
            });
        }
    }
    found
}

/// `text` in lower case where that keeps each character's length in bytes (every letter of
/// the languages of the phrases), so that positions in it are positions in `text`.
fn lowercase_in_place(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        })
        .collect()
}

/// True when a line is a date label ("Last revised: 5 March 2019", "Effective Date: …").
pub(super) fn is_date_line(text: &str) -> bool {
    let line = Line {
        number: 0,
        text: text.to_string(),
    };
    mentions(std::slice::from_ref(&line)).iter().any(|m| m.label)
}

/// True when the text up to a phrase's end is a phrase of [`ANNOUNCING`] in the future or
/// present ("will take effect", "become effective"), not the past ("took effect").
fn announces(up_to_phrase: &str) -> bool {
    ANNOUNCING.iter().any(|a| up_to_phrase.ends_with(a))
        && !["came into force", "entered into force"]
            .iter()
            .any(|past| up_to_phrase.ends_with(past))
}

/// True when what comes before a phrase on its line leaves it a label: at most one word
/// ("Last", "Date", "This") besides markup.
fn is_label(before: &str) -> bool {
    before
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .filter(|w| !LABEL_FILLERS.contains(&lowercase_in_place(w).as_str()))
        .count()
        <= 1
}

/// The date that follows a phrase, across separators, emphasis and connecting words.
fn date_after(text: &str) -> Option<DateValue> {
    let mut rest = text;
    for _ in 0..5 {
        rest = rest.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—' | '*' | '_' | ',' | '(' | '=')
        });
        if let Some((value, _)) = parse_date_at(rest) {
            return Some(value);
        }
        let word_len = rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len());
        if word_len == 0 || !CONNECTORS.contains(&lowercase_in_place(&rest[..word_len]).as_str()) {
            return None;
        }
        rest = &rest[word_len..];
    }
    None
}

/// A date at the very start of `text`, and how many bytes it takes.
pub(super) fn parse_date_at(text: &str) -> Option<(DateValue, usize)> {
    iso(text)
        .or_else(|| numeric(text))
        .or_else(|| month_first(text))
        .or_else(|| day_first(text))
}

/// 1 to `max` ASCII digits at the start (not followed by another digit): value and length.
fn number(text: &str, max: usize) -> Option<(u32, usize)> {
    let len = text.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > max {
        return None;
    }
    text[..len].parse().ok().map(|n| (n, len))
}

fn exact(year: u32, month: u32, day: u32) -> DateValue {
    let parts = (u16::try_from(year), u8::try_from(month), u8::try_from(day));
    match parts {
        (Ok(y), Ok(m), Ok(d)) => Date::new(y, m, d).map_or(DateValue::Impossible, DateValue::Exact),
        _ => DateValue::Impossible,
    }
}

/// `2015-12-10`, `2015/12/10`, `2015.12.10`.
fn iso(text: &str) -> Option<(DateValue, usize)> {
    let (year, y) = number(text, 4).filter(|&(_, len)| len == 4)?;
    let sep = text[y..].chars().next().filter(|c| matches!(c, '-' | '/' | '.'))?;
    let (month, m) = number(&text[y + 1..], 2)?;
    let at = y + 1 + m;
    text[at..].strip_prefix(sep)?;
    let (day, d) = number(&text[at + 1..], 2)?;
    Some((exact(year, month, day), at + 1 + d))
}

/// `12/25/2015`, `25.12.2015`, `03-04-2015`: resolved when one part exceeds 12, else ambiguous.
fn numeric(text: &str) -> Option<(DateValue, usize)> {
    let (a, a_len) = number(text, 2)?;
    let sep = text[a_len..].chars().next().filter(|c| matches!(c, '-' | '/' | '.'))?;
    let (b, b_len) = number(&text[a_len + 1..], 2)?;
    let at = a_len + 1 + b_len;
    text[at..].strip_prefix(sep)?;
    let (year, y_len) = number(&text[at + 1..], 4).filter(|&(_, len)| len == 4 || len == 2)?;
    let len = at + 1 + y_len;
    if y_len == 2 {
        return Some((DateValue::ShortYear, len));
    }
    let value = match (exact(year, a, b), exact(year, b, a)) {
        (DateValue::Exact(x), DateValue::Exact(y)) if x == y => DateValue::Exact(x),
        // Dots are how the languages that put the day first write a date (25.12.2015).
        (_, DateValue::Exact(day_first)) if sep == '.' => DateValue::Exact(day_first),
        (DateValue::Exact(x), DateValue::Exact(y)) => DateValue::Ambiguous(x, y),
        (DateValue::Exact(x), _) | (_, DateValue::Exact(x)) => DateValue::Exact(x),
        _ => DateValue::Impossible,
    };
    Some((value, len))
}

/// A month's name or its abbreviation (at least three letters that begin the same month in
/// every language they begin one: "mar", "sept", "déc"): its number.
fn month_name(text: &str) -> Option<(u8, usize)> {
    let len = text.find(|c: char| !c.is_alphabetic()).unwrap_or(text.len());
    if text[..len].chars().count() < 3 {
        return None;
    }
    let word = lowercase_in_place(&text[..len]);
    let names = MONTH_NAMES.iter().flat_map(|(_, months)| months.iter().enumerate());
    let mut months = names.filter(|(_, name)| name.starts_with(&word)).map(|(n, _)| n);
    let month = months.next()?;
    if months.any(|other| other != month) {
        return None;
    }
    let len = if text[len..].starts_with('.') { len + 1 } else { len };
    Some((month as u8 + 1, len))
}

/// Whitespace (no-break spaces included) at the start: its length.
fn spaces(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

/// A day of the month with an optional ordinal suffix (`10`, `1st`, `22nd`): value and length.
fn day_number(text: &str) -> Option<(u32, usize)> {
    let (day, len) = number(text, 2)?;
    let suffix = ["st", "nd", "rd", "th", "er", "."]
        .iter()
        .find(|s| strip_prefix_ignore_case(&text[len..], s).is_some())
        .map_or(0, |s| s.len());
    let end = len + suffix;
    if text[end..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    Some((day, end))
}

/// A four-digit year after optional `,` and whitespace: value and bytes taken from `text`.
fn year_after(text: &str) -> Option<(u32, usize)> {
    let comma = usize::from(text.starts_with(','));
    let gap = spaces(&text[comma..]);
    if comma + gap == 0 {
        return None;
    }
    let mut at = comma + gap;
    // "12 de marzo de 2024", "março de 2024".
    if let Some(after) = ["de ", "del "]
        .iter()
        .find_map(|w| strip_prefix_ignore_case(&text[at..], w))
    {
        at = text.len() - after.len();
        at += spaces(&text[at..]);
    }
    let (year, len) = number(&text[at..], 4).filter(|&(_, len)| len == 4)?;
    Some((year, at + len))
}

/// `December 10, 2015`, `Dec. 10th 2015`, or `December 2015` (no day).
fn month_first(text: &str) -> Option<(DateValue, usize)> {
    let (month, m_len) = month_name(text)?;
    let gap = spaces(&text[m_len..]);
    if let Some((year, y_len)) = year_after(&text[m_len..]) {
        let year = u16::try_from(year).ok()?;
        return Some((DateValue::MonthOnly(year, month), m_len + y_len));
    }
    if gap == 0 {
        return None;
    }
    let at = m_len + gap;
    let (day, d_len) = day_number(&text[at..])?;
    let (year, y_len) = year_after(&text[at + d_len..])?;
    Some((exact(year, u32::from(month), day), at + d_len + y_len))
}

/// `10 December 2015`, `10th of December, 2015`.
fn day_first(text: &str) -> Option<(DateValue, usize)> {
    let (day, d_len) = day_number(text)?;
    let gap = spaces(&text[d_len..]);
    if gap == 0 {
        return None;
    }
    let mut at = d_len + gap;
    if let Some(after) = ["of ", "de "]
        .iter()
        .find_map(|w| strip_prefix_ignore_case(&text[at..], w))
    {
        at += 3 + spaces(after);
    }
    let (month, m_len) = month_name(&text[at..])?;
    let (year, y_len) = year_after(&text[at + m_len..])?;
    Some((exact(year, u32::from(month), day), at + m_len + y_len))
}

/// What decided the effective date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Effective {
    /// The date.
    pub date: Date,
    /// Where it came from, for the report.
    pub from: String,
    /// The kind of phrase it was read from (none for a flag, a front matter or a capture date).
    pub kind: Option<DateKind>,
    /// Things the curator should check.
    pub warnings: Vec<Warning>,
}

/// Everything the effective and announced dates may come from, strongest first.
#[derive(Debug, Clone, Default)]
pub(super) struct DateSources {
    /// `--effective`.
    pub flag: Option<Date>,
    /// `--announced`.
    pub announced_flag: Option<Date>,
    /// The front matter of a file imported before.
    pub front_matter: Option<Date>,
    /// The `announced` date of that front matter.
    pub front_matter_announced: Option<Date>,
    /// The capture date from the web-archive header (or a history's commit day).
    pub captured: Option<Date>,
    /// True when the capture date is known from outside the text (a history's commit day): a
    /// date phrase that cannot be read as one day then falls back to it, with a warning,
    /// instead of stopping a whole history's import.
    pub captured_is_known: bool,
}

/// Chooses the version's effective date: `--effective`, then an existing front matter, then the
/// strongest phrase in the text, then the capture date. A posting date ("Posted on …") counts
/// only when the text gives no other. Ambiguous, partial or impossible dates and the absence of
/// any date are errors that say what to pass.
pub(super) fn choose_effective(name: &Path, found: &[Mention], sources: &DateSources) -> Result<Effective, Diagnostic> {
    let mut warnings = Vec::new();
    let not_posted: Vec<Mention> = found.iter().filter(|m| m.kind != DateKind::Posted).cloned().collect();
    let found = if not_posted.is_empty() { found } else { &not_posted };
    // Labels before sentences, then effective dates before update dates.
    let rank = |m: &Mention| (!m.label, m.kind);
    let strongest = found.iter().map(rank).min();
    let best = strongest.map(|r| found.iter().filter(|m| rank(m) == r).collect::<Vec<_>>());
    if let Some(date) = sources.flag {
        if let Some(m) = best
            .as_ref()
            .and_then(|b| b.iter().find(|m| m.value != DateValue::Exact(date)))
        {
            warnings.push(Warning::at(
                m.line,
                format!(
                    "the text gives another date (\"{}\"); --effective {date} was used",
                    m.context
                ),
            ));
        }
        return Ok(Effective {
            date,
            from: "--effective".into(),
            kind: None,
            warnings,
        });
    }
    if let Some(date) = sources.front_matter {
        return Ok(Effective {
            date,
            from: "front matter".into(),
            kind: None,
            warnings,
        });
    }
    if let Some(best) = best {
        let exact = best.iter().find_map(|m| match m.value {
            DateValue::Exact(d) => Some((d, *m)),
            _ => None,
        });
        if let Some((date, chosen)) = exact {
            for other in best.iter().filter(|m| m.value != DateValue::Exact(date)) {
                warnings.push(Warning::at(
                    other.line,
                    format!(
                        "another date here (\"{}\"); the one on line {} was used",
                        other.context, chosen.line
                    ),
                ));
            }
            return Ok(Effective {
                date,
                from: format!("line {}: {}", chosen.line, chosen.context),
                kind: Some(chosen.kind),
                warnings,
            });
        }
        match sources.captured.filter(|_| sources.captured_is_known) {
            Some(date) => {
                let why = unusable(name, best[0]);
                warnings.push(Warning::at(
                    best[0].line,
                    format!("{}: the capture date {date} was used", why.message),
                ));
                return Ok(Effective {
                    date,
                    from: "capture date (the text's date is unclear)".into(),
                    kind: None,
                    warnings,
                });
            }
            None => return Err(unusable(name, best[0])),
        }
    }
    if let Some(date) = sources.captured {
        warnings.push(Warning::general(format!(
            "no effective date in the text: the capture date {date} was used (pass --effective if you know it)"
        )));
        return Ok(Effective {
            date,
            from: "capture date (no effective date in the text)".into(),
            kind: None,
            warnings,
        });
    }
    Err(Diagnostic::new(name, "no date found: the capture names no effective or update date, and it has no web-archive header")
        .hint("pass --effective YYYY-MM-DD, the date this version of the policy took effect (or an estimate, recorded in your notes)"))
}

/// Chooses the version's announced date, if any: `--announced`, then an existing front matter,
/// then a posting date in the text ("Posted on …", "Published …", "Announced …"; a label first),
/// then, when the effective date was read from an effective-date phrase ("will take effect on
/// …"), an update date before it ("Last updated …"): a policy updated on 1 February that takes
/// effect on 1 March announced the change on 1 February. Returns the date and where it came from.
pub(super) fn choose_announced(
    found: &[Mention],
    sources: &DateSources,
    effective: &Effective,
) -> Option<(Date, String)> {
    if let Some(date) = sources.announced_flag {
        return Some((date, "--announced".into()));
    }
    if let Some(date) = sources.front_matter_announced {
        return Some((date, "front matter".into()));
    }
    let exact = |m: &Mention| match m.value {
        DateValue::Exact(date) => Some((date, format!("line {}: {}", m.line, m.context))),
        _ => None,
    };
    let labels_first = |kind: DateKind| {
        let of_kind = || found.iter().filter(move |m| m.kind == kind);
        of_kind().filter(|m| m.label).chain(of_kind().filter(|m| !m.label))
    };
    if let Some(posted) = labels_first(DateKind::Posted).find_map(exact) {
        return Some(posted);
    }
    if effective.kind != Some(DateKind::Effective) {
        return None;
    }
    labels_first(DateKind::Updated)
        .filter_map(exact)
        .find(|(date, _)| *date < effective.date)
}

/// The error for a date phrase whose date cannot be used as it is.
fn unusable(name: &Path, m: &Mention) -> Diagnostic {
    let (message, hint) = match m.value {
        DateValue::Ambiguous(month_first, day_first) => (
            format!(
                "the date in \"{}\" is ambiguous: {month_first} (month first) or {day_first} (day first)",
                m.context
            ),
            format!("pass --effective {month_first} or --effective {day_first}"),
        ),
        DateValue::ShortYear => (
            format!("the date in \"{}\" has a two-digit year", m.context),
            "pass --effective YYYY-MM-DD with the full year".to_string(),
        ),
        DateValue::MonthOnly(year, month) => (
            format!("the date in \"{}\" has no day", m.context),
            format!("pass --effective {year:04}-{month:02}-DD with the day it took effect"),
        ),
        _ => (
            format!("the date in \"{}\" is not a day of the calendar", m.context),
            "pass --effective YYYY-MM-DD with the right date".to_string(),
        ),
    };
    Diagnostic::new(name, message).at_line(m.line).hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn parsed(s: &str) -> Option<DateValue> {
        parse_date_at(s).map(|(v, _)| v)
    }

    #[test]
    fn parses_every_common_form() {
        let want = Some(DateValue::Exact(date("2015-12-10")));
        for text in [
            "2015-12-10",
            "December 10, 2015",
            "December 10 2015",
            "Dec. 10, 2015",
            "Dec 10th, 2015",
            "10 December 2015",
            "10th of December, 2015",
        ] {
            assert_eq!(parsed(text), want, "{text}");
        }
        assert_eq!(parsed("12/25/2015"), Some(DateValue::Exact(date("2015-12-25"))));
        assert_eq!(parsed("25.12.2015"), Some(DateValue::Exact(date("2015-12-25"))));
        assert_eq!(parsed("4/4/2015"), Some(DateValue::Exact(date("2015-04-04"))));
    }

    #[test]
    fn ambiguous_partial_and_impossible_dates_are_not_guessed() {
        assert_eq!(
            parsed("03/04/2015"),
            Some(DateValue::Ambiguous(date("2015-03-04"), date("2015-04-03")))
        );
        assert_eq!(parsed("December 2015"), Some(DateValue::MonthOnly(2015, 12)));
        assert_eq!(parsed("February 30, 2015"), Some(DateValue::Impossible));
        assert_eq!(parsed("2015-13-01"), Some(DateValue::Impossible));
        assert_eq!(parsed("May we"), None);
        assert_eq!(parsed("10 apples"), None);
        assert_eq!(parsed("123/4/2015"), None);
        assert_eq!(parsed("Mar"), None);
    }

    fn lines(texts: &[&str]) -> Vec<Line> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Line {
                number: i + 1,
                text: (*t).to_string(),
            })
            .collect()
    }

    #[test]
    fn finds_phrases_with_their_dates() {
        let found = mentions(&lines(&[
            "Effective Date: \u{a0}December 10, 2015",
            "Updated: March 12, 2015",
            "This policy was last modified on 2020-11-01.",
            "It is effective as of 1 June 2018.",
            "**Last Updated:** _January 2, 2019_",
            "indicates its effective date. If the change",
            "outdated 2015-01-01",
        ]));
        let got: Vec<(usize, DateKind, DateValue)> = found.iter().map(|m| (m.line, m.kind, m.value)).collect();
        assert_eq!(
            got,
            vec![
                (1, DateKind::Effective, DateValue::Exact(date("2015-12-10"))),
                (2, DateKind::Updated, DateValue::Exact(date("2015-03-12"))),
                (3, DateKind::Updated, DateValue::Exact(date("2020-11-01"))),
                (4, DateKind::Effective, DateValue::Exact(date("2018-06-01"))),
                (5, DateKind::Updated, DateValue::Exact(date("2019-01-02"))),
            ]
        );
    }

    #[test]
    fn reads_the_dates_and_phrases_of_other_languages() {
        let found = mentions(&lines(&[
            "Dernière mise à jour : 12 mars 2024",
            "Date de la dernière mise à jour : 1er février 2023",
            "Stand: 1. März 2024",
            "Zuletzt aktualisiert am 03.04.2022",
            "Última actualización: 5 de mayo de 2021",
            "Data di entrata in vigore: 3 giugno 2020",
            "Esta política está em vigor desde 15 de setembro de 2019",
            "Laatst bijgewerkt op 7 augustus 2018",
            "Mise à jour le 03/04/2017",
            "La présente politique entrera en vigueur le 1er juillet 2026.",
        ]));
        let got: Vec<(usize, DateKind, DateValue, bool)> =
            found.iter().map(|m| (m.line, m.kind, m.value, m.label)).collect();
        let exact = |s: &str| DateValue::Exact(date(s));
        assert_eq!(
            got,
            vec![
                (1, DateKind::Updated, exact("2024-03-12"), true),
                (2, DateKind::Updated, exact("2023-02-01"), true),
                (3, DateKind::Updated, exact("2024-03-01"), true),
                (4, DateKind::Updated, exact("2022-04-03"), true),
                (5, DateKind::Updated, exact("2021-05-05"), true),
                (6, DateKind::Effective, exact("2020-06-03"), false),
                (7, DateKind::Effective, exact("2019-09-15"), false),
                (8, DateKind::Updated, exact("2018-08-07"), true),
                // Day first, as a French phrase writes it.
                (9, DateKind::Updated, exact("2017-04-03"), true),
                (10, DateKind::Effective, exact("2026-07-01"), true),
            ]
        );
        // A dotted date is day first whatever the phrase; an English phrase leaves a slashed
        // one that reads both ways to the curator.
        assert_eq!(parsed("03.04.2022"), Some(exact("2022-04-03")));
        assert!(matches!(
            mentions(&lines(&["Last updated: 03/04/2017"]))[0].value,
            DateValue::Ambiguous(..)
        ));
        // Abbreviations that begin one month in every language; none that begin two.
        assert_eq!(parsed("déc. 2019"), Some(DateValue::MonthOnly(2019, 12)));
        assert_eq!(parsed("Sept 3, 2019"), Some(exact("2019-09-03")));
        assert_eq!(parsed("ju 2019"), None);
    }

    fn choose(texts: &[&str], sources: &DateSources) -> Result<Effective, Diagnostic> {
        choose_effective(Path::new("cap.txt"), &mentions(&lines(texts)), sources)
    }

    #[test]
    fn a_labelled_date_beats_a_date_inside_a_sentence() {
        let text = [
            "Last Updated: June 1, 2019",
            "Under the GDPR, effective May 25, 2018, you have rights.",
        ];
        assert_eq!(choose(&text, &DateSources::default()).unwrap().date, date("2019-06-01"));
        let sentence = ["This Privacy Policy is effective as of January 1, 2020."];
        assert_eq!(
            choose(&sentence, &DateSources::default()).unwrap().date,
            date("2020-01-01")
        );
        let short = choose(&["Updated: 12/25/15"], &DateSources::default()).unwrap_err();
        assert!(short.message.contains("two-digit year"), "{short}");
    }

    #[test]
    fn effective_beats_updated_and_flag_beats_all() {
        let text = ["Last updated: 2016-01-01", "Effective date: 2015-12-10"];
        assert_eq!(choose(&text, &DateSources::default()).unwrap().date, date("2015-12-10"));
        let flag = DateSources {
            flag: Some(date("2014-01-01")),
            ..DateSources::default()
        };
        let chosen = choose(&text, &flag).unwrap();
        assert_eq!(chosen.date, date("2014-01-01"));
        assert_eq!(chosen.warnings.len(), 1);
    }

    fn announced(texts: &[&str], sources: &DateSources) -> (Date, Option<Date>) {
        let found = mentions(&lines(texts));
        let effective = choose_effective(Path::new("cap.txt"), &found, sources).unwrap();
        let announced = choose_announced(&found, sources, &effective).map(|(d, _)| d);
        (effective.date, announced)
    }

    #[test]
    fn an_announced_change_gives_both_dates() {
        let none = DateSources::default();
        let cases: [(&[&str], &str, Option<&str>); 7] = [
            (
                &[
                    "Last updated: February 1, 2027",
                    "These changes will take effect on March 1, 2027.",
                ],
                "2027-03-01",
                Some("2027-02-01"),
            ),
            (
                &[
                    "Posted on 1 February 2027",
                    "This policy is effective as of 1 March 2027.",
                ],
                "2027-03-01",
                Some("2027-02-01"),
            ),
            (
                &[
                    "The new terms come into force on 1 March 2027.",
                    "Published: 2027-01-15",
                ],
                "2027-03-01",
                Some("2027-01-15"),
            ),
            (&["Last updated: June 1, 2019"], "2019-06-01", None),
            // An update after the effective date is an edit, not an announcement.
            (
                &["Effective Date: January 1, 2020", "Last updated: March 3, 2020"],
                "2020-01-01",
                None,
            ),
            // A law that took effect, in a sentence, is not the policy's date.
            (
                &[
                    "Last updated: June 1, 2019",
                    "Under the GDPR, which took effect on May 25, 2018, you may ask.",
                ],
                "2019-06-01",
                None,
            ),
            // A posting date alone is the best guess of both.
            (&["Posted on February 1, 2027."], "2027-02-01", Some("2027-02-01")),
        ];
        for (text, effective, expected) in cases {
            assert_eq!(
                announced(text, &none),
                (date(effective), expected.map(date)),
                "{text:?}"
            );
        }
        let flag = DateSources {
            announced_flag: Some(date("2026-12-01")),
            ..DateSources::default()
        };
        assert_eq!(
            announced(&["Posted on 1 February 2027"], &flag).1,
            Some(date("2026-12-01"))
        );
    }

    #[test]
    fn capture_date_is_the_fallback() {
        let sources = DateSources {
            captured: Some(date("2015-03-14")),
            ..DateSources::default()
        };
        let chosen = choose(&["No date here."], &sources).unwrap();
        assert_eq!(chosen.date, date("2015-03-14"));
        assert!(chosen.from.contains("capture date"));
    }

    #[test]
    fn a_known_capture_day_replaces_an_unclear_date_with_a_warning() {
        let sources = DateSources {
            captured: Some(date("2015-03-14")),
            captured_is_known: true,
            ..DateSources::default()
        };
        let chosen = choose(&["", "Effective: 03/04/2015"], &sources).unwrap();
        assert_eq!(chosen.date, date("2015-03-14"));
        assert_eq!(chosen.warnings[0].line, Some(2));
        assert!(
            chosen.warnings[0].message.contains("ambiguous"),
            "{:?}",
            chosen.warnings
        );
        let archive_header_only = DateSources {
            captured: Some(date("2015-03-14")),
            ..DateSources::default()
        };
        assert!(choose(&["", "Effective: 03/04/2015"], &archive_header_only).is_err());
    }

    #[test]
    fn no_date_and_ambiguous_dates_are_errors_that_say_what_to_pass() {
        let none = choose(&["No date here."], &DateSources::default()).unwrap_err();
        assert!(none.hint.unwrap().contains("--effective"));
        let ambiguous = choose(&["", "Effective: 03/04/2015"], &DateSources::default()).unwrap_err();
        assert_eq!(ambiguous.line, Some(2));
        assert!(ambiguous.message.contains("ambiguous"), "{ambiguous}");
        assert!(ambiguous
            .hint
            .unwrap()
            .contains("--effective 2015-03-04 or --effective 2015-04-03"));
        let partial = choose(&["Updated: December 2015"], &DateSources::default()).unwrap_err();
        assert!(partial.hint.unwrap().contains("2015-12-DD"));
    }
}
