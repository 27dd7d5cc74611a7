//! What a change means. Each changed clause of a version, and the version itself, is classed
//! `formatting` (the same words: markup, case, punctuation, a list item become a paragraph, a
//! heading level, a move), `editorial` (wording that keeps the meaning: spelling, function
//! words, renumbering, a declared rename, the policy's own "last updated" line) or
//! `substantive` (the rest), with the reason a reader can check ("30 days → 90 days"). The
//! rules are data ([`ChangeRules`]); classes are read from the alignment and never change it.

mod edit;
mod rules;

use serde::Serialize;

pub use rules::ChangeRules;

use super::words::{for_each_reader_word, is_function_word, reader_words, word_hash};
use super::{version_diff, AnchoredBlock, Change, PolicyHistory};
use crate::document::{Block, BlockKind};

/// How much a change matters, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// The same words: markup, whitespace, case, punctuation, kind of block, place.
    Formatting,
    /// Wording that keeps the meaning.
    Editorial,
    /// A change to what the policy says.
    Substantive,
}

impl Class {
    /// The name used in CSS classes, URLs and the JSON API.
    pub fn name(self) -> &'static str {
        match self {
            Class::Formatting => "formatting",
            Class::Editorial => "editorial",
            Class::Substantive => "substantive",
        }
    }

    /// Every class, least first.
    pub const ALL: [Class; 3] = [Class::Formatting, Class::Editorial, Class::Substantive];
}

/// A change's class and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub class: Class,
    /// What decided it, for readers ("30 days → 90 days", "heading became paragraph").
    pub reason: String,
}

impl Verdict {
    fn new(class: Class, reason: impl Into<String>) -> Verdict {
        Verdict {
            class,
            reason: reason.into(),
        }
    }
}

/// How many changed clauses of a version are of each class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ClassCounts {
    pub formatting: usize,
    pub editorial: usize,
    pub substantive: usize,
}

impl ClassCounts {
    fn add(&mut self, class: Class) {
        match class {
            Class::Formatting => self.formatting += 1,
            Class::Editorial => self.editorial += 1,
            Class::Substantive => self.substantive += 1,
        }
    }

    /// The count of one class.
    pub fn of(&self, class: Class) -> usize {
        match class {
            Class::Formatting => self.formatting,
            Class::Editorial => self.editorial,
            Class::Substantive => self.substantive,
        }
    }
}

/// The class of one changed clause of a version: its block in the new version (none when
/// removed) and in the old one (none when added).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseVerdict {
    pub new: Option<usize>,
    pub old: Option<usize>,
    /// How the clause changed (`Unchanged` for a clause only restyled).
    pub change: Change,
    pub verdict: Verdict,
}

/// The classes of a version's changes against the version before it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionClasses {
    /// The class of the version: its weightiest change (formatting when no word changed);
    /// none for a policy's first version.
    pub class: Option<Class>,
    pub counts: ClassCounts,
    /// Every changed clause in reading order (clauses only restyled included).
    pub clauses: Vec<ClauseVerdict>,
}

impl VersionClasses {
    /// The verdict on block `n` of the version, if it changed.
    pub fn of_new(&self, n: usize) -> Option<&Verdict> {
        self.clauses.iter().find(|c| c.new == Some(n)).map(|c| &c.verdict)
    }

    /// The reasons of the version's weightiest class, for a timeline: the first reason of
    /// each edited clause (at most `limit`, then how many more), then how many clauses of the
    /// class came and went ("“30 days” → “90 days”; 2 clauses added, 1 removed").
    pub fn summary(&self, limit: usize) -> Option<String> {
        let class = self.class?;
        let mut reasons: Vec<&str> = Vec::new();
        let (mut added, mut removed) = (0, 0);
        for clause in self.clauses.iter().filter(|c| c.verdict.class == class) {
            match (clause.old, clause.new) {
                (None, _) => added += 1,
                (_, None) => removed += 1,
                _ => {
                    // A clause's first reason: its others are on the redline.
                    let reason = clause.verdict.reason.split("; ").next().unwrap_or_default();
                    if !reasons.contains(&reason) {
                        reasons.push(reason);
                    }
                }
            }
        }
        let more = reasons.len().saturating_sub(limit);
        reasons.truncate(limit);
        let mut parts: Vec<String> = reasons.into_iter().map(str::to_string).collect();
        if more > 0 {
            parts.push(format!("{more} more edit{}", plural(more)));
        }
        match (added, removed) {
            (0, 0) => {}
            (a, 0) => parts.push(format!("{a} clause{} added", plural(a))),
            (0, r) => parts.push(format!("{r} clause{} removed", plural(r))),
            (a, r) => parts.push(format!("{a} clause{} added, {r} removed", plural(a))),
        }
        if parts.is_empty() {
            parts.push("the same words in the same order".to_string());
        }
        Some(parts.join("; "))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Classifies every version of a policy against the one before it.
pub fn classify_history(history: &mut PolicyHistory, rules: &ChangeRules) {
    for v in 1..history.versions.len() {
        let classes = classify_version(history, v, rules);
        history.versions[v].classes = classes;
    }
}

/// The classes of version `v`'s changes (none for the first version).
pub fn classify_version(history: &PolicyHistory, v: usize, rules: &ChangeRules) -> VersionClasses {
    let Some(prev) = v.checked_sub(1).map(|p| &history.versions[p]) else {
        return VersionClasses::default();
    };
    let version = &history.versions[v];
    let mut classes = VersionClasses {
        class: Some(Class::Formatting),
        ..VersionClasses::default()
    };
    // The word triples of the text each side changed, made when a clause came or went: text
    // that only moved between clauses is not new text (it went into, or came from, a clause
    // that changed).
    let rows = version_diff(history, v);
    let changed = |side: fn(&super::DiffRow) -> Option<usize>, blocks: &[AnchoredBlock]| {
        let mut triples = Triples::default();
        rows.iter()
            .filter(|r| r.change != Change::Unchanged)
            .filter_map(side)
            .for_each(|i| triples.add(&blocks[i].block));
        triples
    };
    let (mut old_text, mut new_text) = (None, None);
    for &row in &rows {
        let old = row.old.map(|o| &prev.blocks[o].block);
        let new = row.new.map(|n| &version.blocks[n].block);
        let Some(mut verdict) = classify_change(old, new, row.change, rules) else {
            continue;
        };
        if verdict.class == Class::Substantive {
            let moved = match (old, new) {
                (None, Some(block)) => {
                    Triples::of(block).within(old_text.get_or_insert_with(|| changed(|r| r.old, &prev.blocks)))
                }
                (Some(block), None) => {
                    Triples::of(block).within(new_text.get_or_insert_with(|| changed(|r| r.new, &version.blocks)))
                }
                _ => false,
            };
            if moved {
                let place = if new.is_some() {
                    "the previous version"
                } else {
                    "this version"
                };
                verdict = Verdict::new(Class::Editorial, format!("text moved: its words are in {place}"));
            }
        }
        classes.counts.add(verdict.class);
        classes.class = classes.class.max(Some(verdict.class));
        classes.clauses.push(ClauseVerdict {
            new: row.new,
            old: row.old,
            change: row.change,
            verdict,
        });
    }
    classes
}

/// The word triples of a text (hashed): what "the same text" means across clauses.
#[derive(Debug, Default)]
struct Triples(foldhash::HashSet<u64>);

impl Triples {
    fn of(block: &Block) -> Triples {
        let mut triples = Triples::default();
        triples.add(block);
        triples
    }

    fn add(&mut self, block: &Block) {
        let mut last = [0u64; 2];
        let mut seen = 0;
        for_each_reader_word(&block.text, |word| {
            let hash = word_hash(word);
            if seen >= 2 {
                self.0.insert(last[0].rotate_left(21) ^ last[1].rotate_left(7) ^ hash);
            }
            last = [last[1], hash];
            seen += 1;
        });
    }

    /// True when a text of three triples or more has at least 80% of them in `other`.
    fn within(&self, other: &Triples) -> bool {
        let inside = self.0.iter().filter(|t| other.0.contains(t)).count();
        self.0.len() >= 3 && inside * 5 >= self.0.len() * 4
    }
}

/// The class of one clause's change from `old` to `new` (`None` for a clause that did not
/// change at all).
pub fn classify_change(
    old: Option<&Block>,
    new: Option<&Block>,
    change: Change,
    rules: &ChangeRules,
) -> Option<Verdict> {
    match (old, new) {
        (Some(old), Some(new)) => {
            let restyled = restyling(old, new);
            if old.text == new.text {
                let mut reasons = restyled;
                if matches!(change, Change::Moved | Change::MovedModified) {
                    reasons.push("moved".to_string());
                }
                return (!reasons.is_empty()).then(|| Verdict::new(Class::Formatting, reasons.join(", ")));
            }
            let (old_words, new_words) = (reader_words(&old.text), reader_words(&new.text));
            if same_letters(&old_words, &new_words) {
                let mut reasons = vec![text_formatting(&old.text, &new.text)];
                reasons.extend(restyled);
                return Some(Verdict::new(Class::Formatting, reasons.join(", ")));
            }
            Some(edit::explain(old, new, &old_words, &new_words, rules))
        }
        (None, Some(block)) => Some(whole_clause(block, change, rules)),
        (Some(block), None) => Some(whole_clause(block, Change::Removed, rules)),
        (None, None) => None,
    }
}

/// True when two lists of reader words hold the same letters and digits in the same order:
/// they differ only in spacing and punctuation (the words are equal after normalisation).
fn same_letters(a: &[String], b: &[String]) -> bool {
    fn letters(words: &[String]) -> impl Iterator<Item = char> + '_ {
        words.iter().flat_map(|w| w.chars()).filter(|c| c.is_alphanumeric())
    }
    a == b || letters(a).eq(letters(b))
}

/// A clause that came, went or came back.
fn whole_clause(block: &Block, change: Change, rules: &ChangeRules) -> Verdict {
    let verb = match change {
        Change::Removed => "removed",
        Change::Restored => "restored",
        _ => "added",
    };
    let words = reader_words(&block.text);
    if words.is_empty() {
        return Verdict::new(Class::Formatting, format!("{} without words {verb}", kind_name(block)));
    }
    if block.kind == BlockKind::Heading {
        return Verdict::new(Class::Editorial, format!("heading {verb}: {}", edit::quote(&words, 8)));
    }
    if edit::is_date_line(&block.text, &words, rules) {
        return Verdict::new(Class::Editorial, format!("date line {verb}"));
    }
    let n = block.word_count();
    let said = format!(
        "{} {verb} ({n} word{})",
        kind_name(block),
        if n == 1 { "" } else { "s" }
    );
    let content = words.iter().filter(|w| !is_function_word(w));
    match edit::what_it_is_about(content, rules) {
        Some(about) => Verdict::new(Class::Substantive, format!("{said}: {about}")),
        None if words.iter().any(|w| w.bytes().any(|b| b.is_ascii_digit())) => Verdict::new(Class::Substantive, said),
        None => Verdict::new(Class::Editorial, format!("{said}, about nothing a policy commits to")),
    }
}

/// What changed in a block's kind or heading level, in words.
fn restyling(old: &Block, new: &Block) -> Vec<String> {
    if old.kind != new.kind {
        vec![format!("{} became {}", kind_name(old), kind_name(new))]
    } else if old.level != new.level {
        vec![format!("heading level {} → {}", old.level, new.level)]
    } else {
        Vec::new()
    }
}

/// How two texts with the same words differ: case, punctuation, spacing.
fn text_formatting(old: &str, new: &str) -> String {
    let letters = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let (a, b) = (letters(old), letters(new));
    let words = |t: &str| {
        t.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    };
    if a == b && words(old) != words(new) {
        "spacing".to_string()
    } else if a == b {
        "punctuation".to_string()
    } else if old.to_lowercase() == new.to_lowercase() {
        "case".to_string()
    } else if a.to_lowercase() == b.to_lowercase() {
        "case and punctuation".to_string()
    } else {
        "spelling of characters (Unicode forms, quotes)".to_string()
    }
}

/// A block's kind in words.
fn kind_name(block: &Block) -> &'static str {
    match block.kind {
        BlockKind::Heading => "heading",
        BlockKind::Paragraph => "paragraph",
        BlockKind::ListItem => "list item",
        BlockKind::Table => "table",
        BlockKind::Quote => "quote",
        BlockKind::Code => "code block",
        BlockKind::Footnote => "footnote",
        BlockKind::Html => "HTML block",
        BlockKind::Rule => "rule",
    }
}

#[cfg(test)]
mod tests;
