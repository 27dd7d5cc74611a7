//! An edit to a clause's words, explained: the leading number and declared renames set aside,
//! the two word lists diffed, and each hunk of deleted and inserted words read by the rules,
//! most telling first (numbers and dates, modal verbs and negations, content words, spellings,
//! function words). The edit's class is its weightiest hunk's.

use std::cell::OnceCell;

use super::super::myers::common;
use super::super::words::{is_function_word, is_month, is_numbering, reader_words, singular, Word};
use super::rules::{ChangeRules, COORDINATORS, MODALS, NEGATIONS};
use super::{Class, Verdict};
use crate::document::{Block, BlockKind};

/// Reasons shown per class before "and N more".
const REASONS: usize = 3;

/// The verdict on an edit from `old` to `new`, whose reader words differ.
pub(super) fn explain(
    old: &Block,
    new: &Block,
    old_words: &[Word],
    new_words: &[Word],
    rules: &ChangeRules,
) -> Verdict {
    let mut found: Vec<(Class, String)> = Vec::new();
    let (old_number, old_rest) = split_numbering(&old.text, old_words);
    let (new_number, new_rest) = split_numbering(&new.text, new_words);
    if old_number != new_number {
        found.push((
            Class::Editorial,
            format!("renumbered: {} → {}", or_none(old_number), or_none(new_number)),
        ));
    }
    let (renamed, labels) = apply_renames(old_rest, rules);
    found.extend(labels.into_iter().map(|l| (Class::Editorial, format!("rename: {l}"))));
    let context = Context {
        date_line: OnceCell::new(),
        // A heading names a section: what the section commits to is in its clauses. So does a
        // heading become a title written as a paragraph, or back; two short paragraphs (the
        // cells of a flattened table: `Consent` → `Legitimate interest`) are read by their words.
        heading: (old.kind == BlockKind::Heading || new.kind == BlockKind::Heading)
            && [(old, old_words), (new, new_words)]
                .iter()
                .all(|&(block, words)| block.kind == BlockKind::Heading || super::is_title_line(block, words, rules)),
        pointer: rules.is_pointer(old_rest) && rules.is_pointer(new_rest) && new_rest.len() <= POINTER,
        old_words,
        new_words,
        old_text: &old.text,
        new_text: &new.text,
        markers: OnceCell::new(),
        old_topics: OnceCell::new(),
        capitalised: OnceCell::new(),
    };
    for hunk in hunks(&renamed, new_rest) {
        found.push(hunk.explain(&context, rules));
    }
    let class = found.iter().map(|(c, _)| *c).max().unwrap_or(Class::Editorial);
    let mut seen = foldhash::HashSet::default();
    let mut reasons: Vec<&str> = Vec::new();
    for (_, reason) in found.iter().filter(|(c, _)| *c == class) {
        if seen.insert(reason.as_str()) {
            reasons.push(reason);
        }
    }
    let more = reasons.len().saturating_sub(REASONS);
    reasons.truncate(REASONS);
    let mut reason = reasons.join("; ");
    if more > 0 {
        reason.push_str(&format!("; and {more} more"));
    }
    if reason.is_empty() {
        reason = "wording".to_string();
    }
    Verdict::new(class, reason)
}

/// What the hunks of one edit are read with: the clause around them.
struct Context<'a> {
    /// A "last updated" line, or a date alone (read when a number changed).
    date_line: OnceCell<bool>,
    /// Both sides are headings, or one is and the other a title line written as a paragraph
    /// ([`super::is_title_line`]).
    heading: bool,
    /// A short clause that only points elsewhere ("Read more in section D").
    pointer: bool,
    /// The old clause's words and text, and the new clause's.
    old_words: &'a [Word],
    new_words: &'a [Word],
    old_text: &'a str,
    new_text: &'a str,
    /// The numbers written as the old and the new text's inline list markers ("(1)", "(2)"),
    /// read when a hunk has digits.
    markers: OnceCell<[Vec<&'a str>; 2]>,
    /// The topics of the old clause's words that are not a topic's own name, read when a
    /// topic's name is added.
    old_topics: OnceCell<Vec<&'static str>>,
    /// The old text's words written with a capital (lowercased), read when a word became "we".
    capitalised: OnceCell<foldhash::HashSet<String>>,
}

impl<'a> Context<'a> {
    fn date_line(&self, rules: &ChangeRules) -> bool {
        *self.date_line.get_or_init(|| {
            is_date_line(self.old_text, self.old_words, rules) || is_date_line(self.new_text, self.new_words, rules)
        })
    }

    fn old_topics(&self, rules: &ChangeRules) -> &[&'static str] {
        self.old_topics.get_or_init(|| {
            let mut topics: Vec<&'static str> = self
                .old_words
                .iter()
                .filter(|o| !rules.topic_names.contains(o.as_str()))
                .filter_map(|o| rules.topic(o))
                .collect();
            topics.sort_unstable();
            topics.dedup();
            topics
        })
    }

    fn capitalised(&self) -> &foldhash::HashSet<String> {
        self.capitalised.get_or_init(|| {
            self.old_text
                .split_whitespace()
                .map(|token| token.trim_matches(|c: char| !c.is_alphanumeric()))
                .filter(|token| token.starts_with(|c: char| c.is_uppercase()))
                .map(str::to_lowercase)
                .collect()
        })
    }

    fn markers(&self) -> &[Vec<&'a str>; 2] {
        self.markers
            .get_or_init(|| [list_markers(self.old_text), list_markers(self.new_text)])
    }
}

/// How many words and marks of `text` join the items of a list ([`COORDINATORS`], `&`, `/`, `,`).
fn joins(text: &str) -> usize {
    text.split_whitespace()
        .map(|token| {
            let marks = token.chars().filter(|c| matches!(c, '&' | '/' | ',')).count();
            let word = token.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
            marks + usize::from(COORDINATORS.contains(&word.as_str()))
        })
        .sum()
}

/// The numbers of `text` written as the markers of an inline list: "(1) having your agent send
/// us a letter …; or (2) by you and the agent …". A number in parentheses is a marker only
/// beside the one before or after it ("(2)" with "(1)" or "(3)"): "under (16)" is an age.
/// Markers are digits only: [`Hunk::explain`] reads them only for a hunk with a word of digits.
fn list_markers(text: &str) -> Vec<&str> {
    if !text.contains(')') {
        return Vec::new();
    }
    let numbers: Vec<(&str, u32)> = text
        .split_whitespace()
        .filter_map(|token| {
            token
                .trim_end_matches([',', ';', ':', '.'])
                .strip_prefix('(')?
                .strip_suffix(')')
        })
        .filter(|n| (1..=2).contains(&n.len()) && is_digits(n))
        .filter_map(|n| Some((n, n.parse().ok()?)))
        .collect();
    // Numbers of one or two digits: a table of those present.
    let mut seen = [false; 101];
    for &(_, n) in &numbers {
        seen[n as usize] = true;
    }
    let present = |v: u32| seen.get(v as usize).copied().unwrap_or(false);
    numbers
        .iter()
        .filter(|&&(_, n)| present(n + 1) || (n > 0 && present(n - 1)))
        .map(|&(word, _)| word)
        .collect()
}

/// Words of a clause that only points elsewhere, at most.
const POINTER: usize = 20;

/// Words of an inline heading, at most.
const INLINE_HEADING: usize = 6;

/// True when the first `words` words of `text` (after its own number) are written as a title
/// before a sentence: each word that is not a function word begins with a capital, and the
/// word after them too ("Mobile Devices We collect …", not "Advertisers and we use …").
fn is_title(text: &str, words: usize) -> bool {
    let mut tokens = text.split_whitespace().peekable();
    tokens.next_if(|t| is_numbering(t));
    let capitalised = |token: &str| {
        token
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .starts_with(char::is_uppercase)
    };
    for token in tokens.by_ref().take(words) {
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        if !word.is_empty() && !capitalised(word) && !is_function_word(&word.to_lowercase()) {
            return false;
        }
    }
    tokens.next().is_some_and(capitalised)
}

/// True when the first `count` words of `text` (its own number included) are a phrase closed
/// by a full stop or a colon before a sentence that begins with a capital, and the phrase says
/// nothing itself (no subject, no verb "to be", no modal, no negation, no number): a heading
/// written in sentence case ("7.5 Right to data portability. You can request …", "First party
/// profile information. When you sign up …"; not "We sell data. You can …").
fn is_phrase_heading(text: &str, count: usize) -> bool {
    let mut tokens = text.split_whitespace().peekable();
    // The words counted may or may not include the clause's number.
    let number = tokens.next_if(|t| is_numbering(t)).map_or(0, |n| reader_words(n).len());
    let says = |w: &Word| {
        w.bytes().any(|b| b.is_ascii_digit())
            || [super::STATEMENT, MODALS, NEGATIONS]
                .iter()
                .any(|list| list.contains(&w.as_str()))
    };
    let mut seen = 0;
    while let Some(token) = tokens.next() {
        let words = reader_words(token);
        if words.iter().any(says) {
            return false;
        }
        seen += words.len();
        if token.ends_with(['.', ':']) {
            let next_starts = tokens.next().is_some_and(|t| {
                let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
                t.starts_with(char::is_uppercase)
            });
            return (seen == count || seen + number == count) && next_starts;
        }
        if seen >= count {
            return false;
        }
    }
    false
}

/// The clause's own leading number ("2.1.5", "(a)") as reader words, and the words after it.
fn split_numbering<'a>(text: &str, words: &'a [Word]) -> (&'a [Word], &'a [Word]) {
    let Some(first) = text.split_whitespace().next().filter(|t| is_numbering(t)) else {
        return (&[], words);
    };
    let n = reader_words(first).len().min(words.len());
    words.split_at(n)
}

fn or_none(words: &[Word]) -> String {
    if words.is_empty() {
        "none".to_string()
    } else {
        words.join(" ")
    }
}

/// The words with every declared rename applied, and the renames that applied.
fn apply_renames<'a>(words: &'a [Word], rules: &ChangeRules) -> (std::borrow::Cow<'a, [Word]>, Vec<String>) {
    if rules.renames.is_empty() {
        return (std::borrow::Cow::Borrowed(words), Vec::new());
    }
    let mut words = words.to_vec();
    let mut applied = Vec::new();
    for rename in &rules.renames {
        let mut i = 0;
        let mut any = false;
        while i + rename.from.len() <= words.len() {
            if words[i..i + rename.from.len()] == rename.from[..] {
                words.splice(i..i + rename.from.len(), rename.to.iter().cloned());
                i += rename.to.len();
                any = true;
            } else {
                i += 1;
            }
        }
        if any {
            applied.push(rename.label.clone());
        }
    }
    (std::borrow::Cow::Owned(words), applied)
}

/// True for a clause that dates the policy: a "last updated" line, a copyright line, or a
/// clause of a date alone.
pub(super) fn is_date_line(text: &str, words: &[Word], rules: &ChangeRules) -> bool {
    let short = words.len() <= 24;
    short && (rules.is_updated_line(words) || text.contains('©') || words.first().is_some_and(|w| w == "copyright"))
        || (!words.is_empty() && words.iter().all(|w| is_date_word(w)))
        || is_version_stamp(words)
        || is_signed_date(words)
}

/// A clause that only numbers the policy's version ("version 20180525", "Revision 3.2").
fn is_version_stamp(words: &[Word]) -> bool {
    let stamp = |w: &Word| matches!(w.as_str(), "version" | "revision" | "rev" | "v");
    words.len() <= 4 && words.iter().any(stamp) && words.iter().all(|w| stamp(w) || is_date_word(w))
}

/// A signature with a date: a month, a year and at most three other words, none of them a
/// function word ("Acme Ltd, May 2023, version 1.1", but not "kept until May 2023").
fn is_signed_date(words: &[Word]) -> bool {
    let year = |w: &Word| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit());
    let others = words.iter().filter(|w| !is_date_word(w) && w.as_str() != "version");
    let mut count = 0;
    for word in others {
        count += 1;
        if count > 3 || is_function_word(word) {
            return false;
        }
    }
    words.iter().any(|w| is_month(w) || w == "may") && words.iter().any(year)
}

/// A word of a date: a number, an ordinal, a month (May too, which the lexicon leaves out as
/// it is a modal verb).
fn is_date_word(word: &str) -> bool {
    is_number(word)
        || is_month(word)
        || word == "may"
        || (word.len() <= 4
            && word.as_bytes()[0].is_ascii_digit()
            && matches!(
                word.trim_start_matches(|c: char| c.is_ascii_digit()),
                "st" | "nd" | "rd" | "th" | "er"
            ))
}

/// A number: a word with a digit (an amount, a count, a version) or a number written in
/// words ("two years" → "one year" is a new duration).
fn is_number(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_digit()) || NUMBER_WORDS.contains(&word)
}

/// True for a word shaped like a section's label: a letter or two and dotted numbers ("d.7",
/// "a.1.2"). An amount ("rs.500") or a version ("v.2") has the same shape: only beside
/// another label or a word that names a place is it a label.
fn is_section_label(word: &str) -> bool {
    let Some((letters, numbers)) = word.split_once('.') else {
        return false;
    };
    (1..=2).contains(&letters.len())
        && letters.bytes().all(|b| b.is_ascii_alphabetic())
        && numbers.split('.').all(is_digits)
}

/// True for a word of digits alone ("16", not "sixteen" or "2nd").
fn is_digits(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

/// Units of time, singular and plural (English, French, German, Spanish): with a number, a
/// duration. Not words that are also common words of another sense ("second", "an", "tag").
const TIME_UNITS: &[&str] = &[
    "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years", "heure",
    "heures", "jour", "jours", "semaine", "semaines", "mois", "ans", "année", "années", "stunde", "stunden", "tage",
    "woche", "wochen", "monat", "monate", "monaten", "jahr", "jahre", "jahren", "hora", "horas", "día", "días",
    "semana", "semanas", "mes", "meses", "año", "años",
];

/// The value of a number in digits or in English words up to ninety-nine's parts ("16",
/// "sixteen", "thirty"); `None` for any other word.
fn number_value(word: &str) -> Option<u64> {
    if is_digits(word) && word.len() <= 18 {
        return word.parse().ok();
    }
    // NUMBER_WORDS opens with English's "zero" … "nineteen", then "twenty" … "ninety".
    let (units, tens) = NUMBER_WORDS[..28].split_at(20);
    (units.iter().position(|&u| u == word).map(|i| i as u64))
        .or_else(|| tens.iter().position(|&t| t == word).map(|i| 20 + 10 * i as u64))
}

/// Numbers in words (English, French, German, Spanish), but for the articles among them
/// ("un", "une", "ein"). English's first 28, in order, give [`number_value`] its values.
const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
    "half",
    "twice",
    "double",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "quinze",
    "vingt",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
    "cent",
    "mille",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "zwölf",
    "zwanzig",
    "dreißig",
    "hundert",
    "tausend",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "doce",
    "veinte",
    "treinta",
    "cien",
    "mil",
];

/// Runs of words of a text.
pub(super) type Runs<'a> = Vec<&'a [Word]>;

/// The runs of words an edit only cut from `old` and only joined to it (a clause split or
/// merged), when every hunk of the edit is one or the other and at least `run` words long:
/// none for an edit that replaced words.
pub(super) fn cut_or_joined<'a>(old: &'a [Word], new: &'a [Word], run: usize) -> Option<(Runs<'a>, Runs<'a>)> {
    let (mut cut, mut joined) = (Vec::new(), Vec::new());
    for hunk in hunks(old, new) {
        match (hunk.deleted.len(), hunk.inserted.len()) {
            (d, 0) if d >= run => cut.push(hunk.deleted),
            (0, i) if i >= run => joined.push(hunk.inserted),
            _ => return None,
        }
    }
    (!cut.is_empty() || !joined.is_empty()).then_some((cut, joined))
}

/// A run of deleted and inserted words between two runs the texts share.
struct Hunk<'a> {
    deleted: &'a [Word],
    inserted: &'a [Word],
    /// The shared word before the hunk, and after it (in the new text).
    before: Option<&'a str>,
    after: Option<&'a str>,
    /// The new text's words after the hunk.
    rest: &'a [Word],
}

/// The hunks of the word diff from `old` to `new`.
fn hunks<'a>(old: &'a [Word], new: &'a [Word]) -> Vec<Hunk<'a>> {
    let pairs = common(old, new);
    let mut hunks = Vec::new();
    let (mut i, mut j) = (0, 0);
    for &(a, b) in pairs.iter().chain(std::iter::once(&(old.len(), new.len()))) {
        if a > i || b > j {
            hunks.push(Hunk {
                deleted: &old[i..a],
                inserted: &new[j..b],
                before: j.checked_sub(1).map(|k| new[k].as_str()),
                after: new.get(b).map(Word::as_str),
                rest: &new[b..],
            });
        }
        (i, j) = (a + 1, b + 1);
    }
    hunks
}

impl Hunk<'_> {
    /// The class of this hunk and why, by the first rule that decides it.
    fn explain(&self, context: &Context<'_>, rules: &ChangeRules) -> (Class, String) {
        if [self.deleted, self.inserted]
            .iter()
            .all(|words| words.is_empty() || non_limiting(words))
        {
            return (
                Class::Editorial,
                format!("says the list goes on: {}", self.replacement(false)),
            );
        }
        // A number written out beside its digits says it once ("sixteen (16)" → "16"), and
        // a number in words is its digits ("thirty days" → "30 days"). Digits beside the same
        // digits are two numbers (a phone number's groups), and a unit of time is part of the
        // amount ("30 days" → "30 months").
        let beside = [self.before, self.after].map(|w| w.filter(|w| !is_digits(w)).and_then(number_value));
        let beside_digits = [self.before, self.after].map(|w| w.filter(|w| is_digits(w)).and_then(number_value));
        let restated = |w: &Word| {
            let others = if is_digits(w) { &beside } else { &beside_digits };
            number_value(w).is_some_and(|v| others.contains(&Some(v)))
        };
        if self.deleted.iter().chain(self.inserted).all(restated) {
            return (
                Class::Editorial,
                format!("number said once: {}", self.replacement(false)),
            );
        }
        // An inline list marker that came or went ("either: (1) having …" → "either having …")
        // renumbers a list: it counts no more than a clause's own number does.
        let numbers = |words: &[Word], markers: &[&str]| -> Vec<String> {
            let mut n: Vec<String> = words
                .iter()
                .filter(|w| is_number(w) || is_month(w) || TIME_UNITS.contains(&w.as_str()))
                .filter(|w| !restated(w) && !markers.contains(&w.as_str()))
                .map(|w| number_value(w).map_or_else(|| w.to_string(), |v| v.to_string()))
                .collect();
            n.sort_unstable();
            n
        };
        let no_markers = [Vec::new(), Vec::new()];
        let digits = self.deleted.iter().chain(self.inserted).any(|w| is_digits(w));
        let [old_markers, new_markers] = if digits { context.markers() } else { &no_markers };
        let markers_only = |words: &[Word], markers: &[&str]| words.iter().all(|w| markers.contains(&w.as_str()));
        if markers_only(self.deleted, old_markers) && markers_only(self.inserted, new_markers) {
            return (Class::Editorial, format!("list markers: {}", self.replacement(false)));
        }
        if numbers(self.deleted, old_markers) != numbers(self.inserted, new_markers) {
            // ("Last updated at: February 9, 2020" → "Last updated: 21st July 2022".)
            let dates_only = (self.deleted.iter().chain(self.inserted))
                .all(|w| is_date_word(w) || w == "version" || is_function_word(w));
            if dates_only && context.date_line(rules) {
                return (Class::Editorial, format!("date: {}", self.replacement(false)));
            }
            // A number after a word that names a place ("section 4"), or a label after another
            // label ("Sections D.4 — D.7"): not an amount or a version of the same shape
            // ("Rs.500", "v.2").
            let reference = self.before.is_some_and(|w| rules.references.contains(w))
                || (self.before.is_some_and(is_section_label)
                    && self.deleted.iter().chain(self.inserted).all(|w| is_section_label(w)));
            let numbers_only = self.deleted.iter().chain(self.inserted).all(|w| is_number(w));
            if reference && numbers_only {
                return (
                    Class::Editorial,
                    format!("reference renumbered: {}", self.replacement(false)),
                );
            }
            return (Class::Substantive, self.replacement(true));
        }
        if let Some(reason) = self.substantive_words(rules) {
            // A heading names its section ("Can children use our services?" → "Whether
            // children may use our services"): only a negation changes what it names.
            let negation = self
                .deleted
                .iter()
                .chain(self.inserted)
                .any(|w| NEGATIONS.contains(&w.as_str()));
            if !context.heading || negation {
                return (Class::Substantive, reason);
            }
            if let Some(verdict) = self.heading_subjects(context, &reason) {
                return verdict;
            }
            return (Class::Editorial, format!("heading reworded: {reason}"));
        }
        if let Some(verb) = self.inline_heading(context) {
            let words = if self.inserted.is_empty() {
                self.deleted
            } else {
                self.inserted
            };
            return (Class::Editorial, format!("inline heading {verb}: {}", quote(words, 6)));
        }
        let content = |words: &'_ [Word]| -> Vec<Word> {
            words
                .iter()
                .filter(|w| !is_function_word(w) && !rules.editorial.contains(w.as_str()) && !is_number(w))
                .cloned()
                .collect()
        };
        let (deleted, inserted) = (content(self.deleted), content(self.inserted));
        if deleted.is_empty() && inserted.is_empty() {
            return (Class::Editorial, format!("wording: {}", self.replacement(false)));
        }
        if rules.equivalent(self.deleted, self.inserted)
            || rules.equivalent(&deleted, &inserted)
            || self.equivalent_with_neighbours(rules)
        {
            return (Class::Editorial, format!("same thing: {}", self.replacement(false)));
        }
        if deleted.concat() == inserted.concat() {
            return (Class::Editorial, format!("spelling: {}", self.replacement(false)));
        }
        if let Some(reason) = self.hidden_address() {
            return (Class::Editorial, reason.to_string());
        }
        if let Some(name) = self.own_name(context, rules) {
            return (Class::Editorial, name);
        }
        let (deleted, inserted) = unpaired(deleted, inserted);
        // Words after a word of harm name what a safeguard protects against ("unauthorised
        // access"), and a topic's name added to a clause about that topic (another of the old
        // clause's words, not a name) restates it.
        let harmless = self.harmless(rules);
        let restates = |w: &Word| {
            rules.topic_names.contains(w.as_str())
                && rules
                    .topic(w)
                    .is_some_and(|topic| context.old_topics(rules).contains(&topic))
        };
        let said = match (deleted.is_empty(), inserted.is_empty()) {
            (true, true) => return (Class::Editorial, format!("spelling: {}", self.replacement(false))),
            (false, false) => format!("{} → {}", quote(&deleted, 6), quote(&inserted, 6)),
            (true, false) => format!("adds {}", quote(&inserted, 6)),
            (false, true) => format!("removes {}", quote(&deleted, 6)),
        };
        if context.heading {
            if let Some(verdict) = self.heading_subjects(context, &said) {
                return verdict;
            }
            return (Class::Editorial, format!("heading reworded: {said}"));
        }
        if context.pointer {
            return (Class::Editorial, format!("pointer reworded: {said}"));
        }
        let topical = deleted
            .iter()
            .chain(&inserted)
            .filter(|w| !harmless.contains(w) && !restates(w));
        if deleted.iter().chain(&inserted).any(restates) && topical.clone().next().is_none() {
            return (Class::Editorial, format!("restates what the clause is about: {said}"));
        }
        match what_it_is_about(topical, rules) {
            Some(about) => (Class::Substantive, format!("{said} ({about})")),
            None => (Class::Editorial, format!("wording: {said}")),
        }
    }

    /// A heading whose list of subjects grew or shrank (`Website Statistics` → `Website & Mobile
    /// App Statistics`, `Cookies and Web Beacons` → `Cookies`): this hunk only adds or only
    /// removes words, and the heading gained or lost a word or mark that joins subjects. The
    /// section now names more or fewer things: substantive. Any other rewording names the
    /// same section.
    fn heading_subjects(&self, context: &Context<'_>, said: &str) -> Option<(Class, String)> {
        let (old, new) = (joins(context.old_text), joins(context.new_text));
        let verb = match (self.deleted.is_empty(), self.inserted.is_empty()) {
            (true, false) if new > old => "grew",
            (false, true) if new < old => "shrank",
            _ => return None,
        };
        Some((Class::Substantive, format!("heading's subjects {verb}: {said}")))
    }

    /// True when the hunk with the shared word before or after it reads as its replacement
    /// with the same word: "privacy [policy → statement]", "[e-mail → email] address".
    fn equivalent_with_neighbours(&self, rules: &ChangeRules) -> bool {
        let with = |word: Option<&str>, words: &[Word], before: bool| -> Option<Vec<Word>> {
            let word = Word::from(word?);
            let mut all = words.to_vec();
            if before {
                all.insert(0, word);
            } else {
                all.push(word);
            }
            Some(all)
        };
        [(self.before, true), (self.after, false)]
            .into_iter()
            .any(
                |(word, before)| match (with(word, self.deleted, before), with(word, self.inserted, before)) {
                    (Some(a), Some(b)) => rules.equivalent(&a, &b),
                    _ => false,
                },
            )
    }

    /// "added" or "removed" for a few words put before a clause, or taken away from its start,
    /// that only name what it says: an inline heading ("Contact information. We use contact
    /// information to …"; "Mobile Devices We collect information from your mobile device"):
    /// its words are the clause's own, or written as a title (every word that is not a
    /// function word capitalised).
    fn inline_heading(&self, context: &Context<'_>) -> Option<&'static str> {
        let (words, text, verb) = match (self.deleted.is_empty(), self.inserted.is_empty()) {
            (true, false) => (self.inserted, context.new_text, "added"),
            (false, true) => (self.deleted, context.old_text, "removed"),
            _ => return None,
        };
        if self.before.is_some() || !(1..=INLINE_HEADING).contains(&words.len()) || self.rest.is_empty() {
            return None;
        }
        let own_words = words.iter().all(|w| is_function_word(w) || self.rest.contains(w));
        let heading = is_title(text, words.len()) || is_phrase_heading(text, words.len());
        (own_words || heading).then_some(verb)
    }

    /// Cloudflare's "[email protected]" (a link to `/cdn-cgi/l/email-protection`) for an
    /// e-mail address, or back: the web page hid the address from the capture, the route is
    /// the same.
    fn hidden_address(&self) -> Option<&'static str> {
        fn hidden(words: &[Word]) -> bool {
            let protected = |w: &[Word]| w[0] == "email" && (w[1].starts_with("protected") || w[1] == "protection");
            words.windows(2).any(protected)
                && words.iter().all(|w| {
                    is_function_word(w)
                        || is_contact(w)
                        || w.starts_with("protected")
                        || w.starts_with("http")
                        || ["email", "protection", "cdn", "cgi", "l", "mailto"].contains(&w.as_str())
                })
        }
        // An address, or the words of a link to write to it ("Contact us").
        let addresses = |words: &[Word]| {
            words
                .iter()
                .all(|w| is_function_word(w) || w.contains('@') || w == "mailto" || w == "contact")
        };
        // What is left of a hidden address when the capture glued text to it
        // ("[email protected]" → "[email protected]eyrepublic.com"): hidden on both sides, one
        // of them bare (two different glued tails may be two addresses).
        let bare = |words: &[Word]| !words.is_empty() && words.iter().all(|w| w == "protected");
        let glued = |words: &[Word]| !words.is_empty() && words.iter().all(|w| w.starts_with("protected"));
        let remains = |a: &[Word], b: &[Word]| (bare(a) && glued(b)) || (glued(a) && bare(b));
        if hidden(self.inserted) && addresses(self.deleted) {
            Some("e-mail address hidden by the web page")
        } else if hidden(self.deleted) && addresses(self.inserted) {
            Some("e-mail address the web page hid shown")
        } else if remains(self.inserted, self.deleted) {
            Some("e-mail address hidden by the web page, both times")
        } else {
            None
        }
    }

    /// The organisation's name exchanged for how it names itself ("Zoosk" → "our platform",
    /// "Acme" → "we"): one word, capitalised in the old text, for "we", "us" or "our" and a
    /// noun of [`ChangeRules::own_names`], or back.
    fn own_name(&self, context: &Context<'_>, rules: &ChangeRules) -> Option<String> {
        let ourselves = |words: &[Word]| match words {
            [w] => matches!(w.as_str(), "we" | "us"),
            [our, noun] => our == "our" && rules.own_names.contains(noun.as_str()),
            _ => false,
        };
        let name = |words: &[Word]| match words {
            [w] => !is_function_word(w) && rules.topic(w).is_none() && context.capitalised().contains(w.as_str()),
            _ => false,
        };
        if ourselves(self.inserted) && name(self.deleted) {
            Some(format!("the organisation's own name: {}", self.replacement(false)))
        } else {
            None
        }
    }

    /// The words of the hunk that come after a word of harm ("unauthorised access or
    /// destruction"): what a safeguard protects against.
    fn harmless(&self, rules: &ChangeRules) -> Vec<Word> {
        let mut after = Vec::new();
        for words in [self.deleted, self.inserted] {
            if let Some(at) = words.iter().position(|w| rules.harms.contains(w.as_str())) {
                after.extend(words[at + 1..].iter().cloned());
            }
        }
        after
    }

    /// A modal verb, negation or quantifier that came or went ("may → will", "adds “not”").
    fn substantive_words(&self, rules: &ChangeRules) -> Option<String> {
        let pick = |words: &[Word]| {
            let mut w: Vec<Word> = words
                .iter()
                .filter(|w| rules.substantive.contains(w.as_str()))
                .cloned()
                .collect();
            w.sort_unstable();
            w
        };
        let (deleted, inserted) = (pick(self.deleted), pick(self.inserted));
        if deleted == inserted {
            return None;
        }
        Some(match (deleted.is_empty(), inserted.is_empty()) {
            (false, false) => format!("{} → {}", quote(&deleted, 4), quote(&inserted, 4)),
            (true, _) => format!("adds {}", quote(&inserted, 4)),
            (_, true) => format!("removes {}", quote(&deleted, 4)),
        })
    }

    /// "“30 days” → “90 days”": the hunk's words, with the shared word after it when `context`
    /// and the hunk is short (a count needs its unit).
    fn replacement(&self, context: bool) -> String {
        let with = |words: &[Word]| {
            let mut w = words.to_vec();
            if context && words.len() <= 2 {
                w.extend(self.after.map(Word::from));
            }
            w
        };
        let (deleted, inserted) = (with(self.deleted), with(self.inserted));
        match (self.deleted.is_empty(), self.inserted.is_empty()) {
            (false, false) => format!("{} → {}", quote(&deleted, 6), quote(&inserted, 6)),
            (true, _) => format!("adds {}", quote(&inserted, 6)),
            (_, true) => format!("removes {}", quote(&deleted, 6)),
        }
    }
}

/// Whether `words` are only the idiom that says a list goes on ("including, without
/// limitation, …", "including but not limited to …", "sans limitation"): a list said to be
/// open is the same list, so its negation is no negation.
fn non_limiting(words: &[Word]) -> bool {
    let mut content = words
        .iter()
        .map(Word::as_str)
        .filter(|w| !is_function_word(w) || NEGATIONS.contains(w));
    matches!(
        (content.next(), content.next(), content.next()),
        (
            Some("without" | "not" | "sans"),
            Some("limitation" | "limited" | "limiting"),
            None
        )
    )
}

/// Content words changed in one run that make a rewrite: past this, words say something new
/// even when none of them is in the lexicon.
const REWRITE: usize = 10;

/// What changed words are about, when it is something a policy commits to: a topic of the
/// lexicon ("recipients"), a contact route, or a rewrite of many words. `None` for a rewording
/// of a few words about none of these.
pub(super) fn what_it_is_about<'a>(mut words: impl Iterator<Item = &'a Word>, rules: &ChangeRules) -> Option<String> {
    let mut count = 0;
    for word in words.by_ref() {
        count += 1;
        let about = if is_contact(word) {
            Some("contact route")
        } else {
            rules.topic(word)
        };
        if let Some(about) = about {
            return Some(about.to_string());
        }
    }
    (count >= REWRITE).then(|| format!("{count} words rewritten"))
}

/// An e-mail address, a web address or a domain.
pub(super) fn is_contact(word: &str) -> bool {
    word.contains('@') || word.starts_with("http") || word.starts_with("www.") || {
        let tld = word.rsplit_once('.').map(|(_, t)| t);
        tld.is_some_and(|t| matches!(t, "com" | "org" | "net" | "io" | "eu" | "fr" | "de" | "uk" | "gov"))
    }
}

/// Word pairs compared one by one, at most, once the same words are paired off: past that, a
/// clause was rewritten (hundreds of words came and went on each side) and its class does not
/// hang on a typo found among them, while comparing each with each would take minutes.
const COMPARED_PAIRS: usize = 1 << 18;

/// The content words of each side left once spellings of one word are paired off: the same
/// singular, one word's inflection of the other (a shared stem of at least five letters), or
/// a typo (one letter in four at most). The same singulars are paired first, by a table.
fn unpaired(deleted: Vec<Word>, inserted: Vec<Word>) -> (Vec<Word>, Vec<Word>) {
    // A contact route is the same only as written.
    fn key(w: &Word) -> (bool, &str) {
        match is_contact(w) {
            true => (true, w.as_str()),
            false => (false, singular(w)),
        }
    }
    // Each spelling's inserted words, the first last, to be taken in order.
    let mut spelled: foldhash::HashMap<(bool, &str), Vec<usize>> = foldhash::HashMap::default();
    for (k, word) in inserted.iter().enumerate().rev() {
        spelled.entry(key(word)).or_default().push(k);
    }
    let mut taken = vec![false; inserted.len()];
    let mut deleted_left = Vec::new();
    for word in &deleted {
        match spelled.get_mut(&key(word)).and_then(Vec::pop) {
            Some(k) => taken[k] = true,
            None => deleted_left.push(word.clone()),
        }
    }
    drop(spelled);
    let mut inserted_left: Vec<Word> = inserted
        .into_iter()
        .zip(taken)
        .filter_map(|(word, taken)| (!taken).then_some(word))
        .collect();
    if deleted_left.len().saturating_mul(inserted_left.len()) <= COMPARED_PAIRS {
        deleted_left.retain(|d| match inserted_left.iter().position(|i| same_word(d, i)) {
            Some(k) => {
                inserted_left.remove(k);
                false
            }
            None => true,
        });
    }
    (deleted_left, inserted_left)
}

fn same_word(a: &str, b: &str) -> bool {
    if is_contact(a) || is_contact(b) {
        return a == b;
    }
    if singular(a) == singular(b) {
        return true;
    }
    let shared = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let (la, lb) = (a.chars().count(), b.chars().count());
    let shortest = la.min(lb);
    if shared >= 5 && shared + 3 >= shortest {
        return true;
    }
    // The same word with a suffix that makes a noun or a participle of it ("pay", "payment").
    let (short, long) = if la < lb { (a, b) } else { (b, a) };
    if shortest >= 3
        && long
            .strip_prefix(short)
            .is_some_and(|s| ["ment", "ing", "ed", "ation"].contains(&s))
    {
        return true;
    }
    let longest = la.max(lb);
    shortest >= 5 && longest - shortest <= shortest / 4 && edit_distance(a, b) <= shortest / 4
}

/// Edit distance over characters, a swap of two neighbours counting as one edit (optimal
/// string alignment): "recieve" is one edit from "receive". Three rows, reused.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    // Rows i-2, i-1 and i, one after the other.
    let mut rows = vec![0usize; 3 * width];
    for (j, cell) in rows[width..2 * width].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (before, current) = rows.split_at_mut(2 * width);
        let (older, previous) = before.split_at(width);
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(older[j - 2] + 1);
            }
            current[j] = best;
        }
        rows.copy_within(width.., 0);
    }
    rows[width + b.len()]
}

/// Words quoted for a reason, at most `limit` of them: “30 days”.
pub(super) fn quote(words: &[Word], limit: usize) -> String {
    let mut text = words.iter().take(limit).cloned().collect::<Vec<_>>().join(" ");
    if words.len() > limit {
        text.push_str(" …");
    }
    format!("“{text}”")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Word> {
        text.split_whitespace().map(Word::from).collect()
    }

    #[test]
    fn spellings_of_one_word_pair_off_and_the_rest_stay() {
        let (deleted, inserted) = unpaired(
            words("cookies recieve partner share info@acme.com"),
            words("payment receive cookie sell info@acme.org partners"),
        );
        assert_eq!(deleted, words("share info@acme.com"));
        assert_eq!(inserted, words("payment sell info@acme.org"));
    }

    #[test]
    fn the_same_words_pair_off_among_thousands_in_any_order() {
        let many: Vec<Word> = (0..5000).map(|i| Word::from(format!("term{i}"))).collect();
        let mut shuffled = many.clone();
        shuffled.reverse();
        shuffled.push(Word::from("retention"));
        let (deleted, inserted) = unpaired(many, shuffled);
        assert!(deleted.is_empty(), "{deleted:?}");
        assert_eq!(inserted, words("retention"));
    }
}
