//! What a change means. Each changed clause of a version, and the version itself, is classed
//! `formatting` (the same words: markup, case, punctuation, a list item become a paragraph, a
//! heading level, a move), `editorial` (wording that keeps the meaning: spelling, function
//! words, renumbering, a declared rename, the policy's own "last updated" line) or
//! `substantive` (the rest), with the reason a reader can check ("30 days → 90 days"). The
//! rules are data ([`ChangeRules`]); classes are read from the alignment and never change it.

mod edit;
mod rules;

pub use rules::ChangeRules;

use rules::MODALS;

use std::cell::{Cell, OnceCell};
use std::collections::HashSet;
use std::sync::Arc;

use super::words::{is_function_word, is_numbering, reader_words, word_hash, Word};
use super::{version_diff, AnchoredBlock, Change, DiffRow, PolicyHistory};
use crate::document::{Block, BlockKind};

/// How much a change matters, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClauseVerdict {
    pub new: Option<usize>,
    pub old: Option<usize>,
    /// How the clause changed (`Unchanged` for a clause only restyled).
    pub change: Change,
    pub verdict: Verdict,
}

/// The classes of a version's changes against the version before it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// class came and went ("“30 days” → “90 days”; 2 clauses added, 1 removed"; "2 of 14
    /// clauses added" when others added are of a lesser class).
    pub fn summary(&self, limit: usize) -> Option<String> {
        let class = self.class?;
        let mut reasons: Vec<&str> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let (mut added, mut removed) = (0, 0);
        let all_added = self.clauses.iter().filter(|c| c.old.is_none()).count();
        let all_removed = self.clauses.iter().filter(|c| c.new.is_none()).count();
        for clause in self.clauses.iter().filter(|c| c.verdict.class == class) {
            match (clause.old, clause.new) {
                (None, _) => added += 1,
                (_, None) => removed += 1,
                _ => {
                    // A clause's first reason: its others are on the redline.
                    let reason = clause.verdict.reason.split("; ").next().unwrap_or_default();
                    if seen.insert(reason) {
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
        // "2 of 14 clauses added" when the others added are of other classes: the version's
        // figures beside this line count them all.
        let of = |n: usize, all: usize| match n < all {
            true => format!("{n} of {all}"),
            false => n.to_string(),
        };
        match (added, removed) {
            (0, 0) => {}
            (a, 0) => parts.push(format!("{} clause{} added", of(a, all_added), plural(all_added.max(a)))),
            (0, r) => parts.push(format!(
                "{} clause{} removed",
                of(r, all_removed),
                plural(all_removed.max(r))
            )),
            (a, r) => parts.push(format!(
                "{} clause{} added, {} removed",
                of(a, all_added),
                plural(all_added.max(a)),
                of(r, all_removed)
            )),
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
    // Each version is read as the new side of one change and the old side of the next: its
    // words are made once for both.
    let mut classes = Vec::with_capacity(history.versions.len());
    let mut before: Option<Tokenised<'_>> = None;
    for v in 0..history.versions.len() {
        let after = Tokenised::new(&history.versions[v].blocks);
        classes.push(match &before {
            Some(before) => classify_pair(history, v, before, &after, rules),
            None => VersionClasses::default(),
        });
        before = Some(after);
    }
    for (version, classes) in history.versions.iter_mut().zip(classes) {
        version.classes = classes;
    }
}

/// The classes of version `v`'s changes (none for the first version).
pub fn classify_version(history: &PolicyHistory, v: usize, rules: &ChangeRules) -> VersionClasses {
    match v.checked_sub(1) {
        Some(p) => classify_pair(
            history,
            v,
            &Tokenised::new(&history.versions[p].blocks),
            &Tokenised::new(&history.versions[v].blocks),
            rules,
        ),
        None => VersionClasses::default(),
    }
}

/// The classes of version `v`'s changes against version `v - 1`, their blocks tokenised as
/// `before` and `after`.
fn classify_pair(
    history: &PolicyHistory,
    v: usize,
    before: &Tokenised<'_>,
    after: &Tokenised<'_>,
    rules: &ChangeRules,
) -> VersionClasses {
    let mut classes = VersionClasses {
        class: Some(Class::Formatting),
        ..VersionClasses::default()
    };
    let rows = version_diff(history, v);
    for &row in &rows {
        let old = row.old.map(|o| before.clause(o));
        let new = row.new.map(|n| after.clause(n));
        if let Some(verdict) = judge(old, new, row.change, rules) {
            classes.clauses.push(ClauseVerdict {
                new: row.new,
                old: row.old,
                change: row.change,
                verdict,
            });
        }
    }
    // Text that only moved between clauses is not new text: it went into, or came from, a
    // clause that changed (a sentence moved to a sibling, a clause split or merged).
    let moved = moved_text(
        &classes.clauses,
        |c| c.old.map(|o| before.clause(o)),
        |c| c.new.map(|n| after.clause(n)),
        || changed(&rows, |r| r.old, before),
        || changed(&rows, |r| r.new, after),
    );
    let repeated = repeated_text(&classes.clauses, before.blocks, after.blocks);
    let unread = OnceCell::new();
    for (i, clause) in classes.clauses.iter_mut().enumerate() {
        if let Some(how) = moved.get(&i).or(repeated.get(&i)) {
            clause.verdict = Verdict::new(Class::Editorial, *how);
        }
        let texts = [
            clause.old.map(|o| &before.blocks[o]),
            clause.new.map(|n| &after.blocks[n]),
        ];
        if clause.verdict.class == Class::Editorial
            && read_by_words(&clause.verdict.reason)
            && texts
                .iter()
                .flatten()
                .any(|b| super::tokens::has_unspaced(&b.block.text))
            && *unread.get_or_init(|| written_without_spaces(after.blocks))
        {
            let said = clause
                .verdict
                .reason
                .trim_end_matches(", about nothing a policy commits to");
            clause.verdict = Verdict::new(
                Class::Substantive,
                format!("{said} (in a script the rules do not read)"),
            );
        }
        classes.counts.add(clause.verdict.class);
        classes.class = classes.class.max(Some(clause.verdict.class));
    }
    classes
}

/// True for a reason given by reading a clause's words, not its structure: a rewording, a
/// spelling, or a clause about nothing the lexicon knows.
fn read_by_words(reason: &str) -> bool {
    reason.starts_with("wording")
        || reason.starts_with("spelling")
        || reason.ends_with("about nothing a policy commits to")
}

/// True for a version written mostly in a script without spaces between words (Chinese,
/// Japanese, Thai): to the rules each of its sentences is one word they cannot read, so a
/// rewording or a clause "about nothing" they find there may say anything; it says something.
/// A line of Japanese in an English policy (a link to a translation) is read as the policy is.
fn written_without_spaces(blocks: &[AnchoredBlock]) -> bool {
    let (mut unspaced, mut letters) = (0usize, 0usize);
    for c in blocks
        .iter()
        .flat_map(|b| b.block.text.chars())
        .filter(|c| c.is_alphabetic())
    {
        letters += 1;
        unspaced += usize::from(super::tokens::unspaced(c));
    }
    unspaced * 2 > letters
}

/// The clauses (indices into `clauses`) judged substantive that came or went while their very
/// text stayed in the policy where it says the same: a clause added that repeats one the
/// previous version had, or removed while its twin remains, the twin being in a section of the
/// same title (a paragraph copied, the same item twice), or a heading the clause names in a
/// run of clauses that each name a heading (a table of contents). The policy says nothing it
/// did not say before, and still says what it said. Not the same words under another heading
/// ("We do not sell your personal information." copied under "Nevada residents"), nor a
/// contact route or a number: under another heading, the same line says something new
/// (`Email: eu-representative@…` repeated for a UK representative).
fn repeated_text(
    clauses: &[ClauseVerdict],
    before: &[AnchoredBlock],
    after: &[AnchoredBlock],
) -> foldhash::HashMap<usize, &'static str> {
    let (in_before, in_after) = (Twins::new(before), Twins::new(after));
    let mut found = foldhash::HashMap::default();
    for (i, c) in clauses.iter().enumerate() {
        if c.verdict.class != Class::Substantive {
            continue;
        }
        let (side, at, other, twins, how) = match (c.old, c.new) {
            (None, Some(n)) => (
                after,
                n,
                before,
                &in_before,
                "repeats a clause the previous version had, word for word",
            ),
            (Some(o), None) => (before, o, after, &in_after, "the same clause remains, word for word"),
            _ => continue,
        };
        let block = &side[at].block;
        if block.words == 0 || is_route_or_number(block) {
            continue;
        }
        let same = twins.find(&block.text);
        if same.is_empty() {
            continue;
        }
        let title = section_title(side, at);
        let in_same_section = same.iter().any(|&t| section_title(other, t) == title);
        // An entry of a table of contents: it names a heading, and so does a neighbour.
        let names = |b: &AnchoredBlock| {
            b.block.kind != BlockKind::Heading
                && twins
                    .find(&b.block.text)
                    .iter()
                    .any(|&t| other[t].block.kind == BlockKind::Heading)
        };
        let in_contents = || {
            names(&side[at])
                && [at.checked_sub(1), Some(at + 1)]
                    .into_iter()
                    .flatten()
                    .filter_map(|k| side.get(k))
                    .any(names)
        };
        if in_same_section || in_contents() {
            found.insert(i, how);
        }
    }
    found
}

/// A version's blocks with words, found by their text: searched one by one for the first few
/// texts asked for (a version's clauses come or go a few at a time), put in a table when more
/// are (a policy rewritten: every clause came and went).
struct Twins<'b> {
    blocks: &'b [AnchoredBlock],
    asked: Cell<usize>,
    table: OnceCell<foldhash::HashMap<&'b str, Vec<usize>>>,
}

impl<'b> Twins<'b> {
    /// Texts searched for one by one before the table is made.
    const SEARCHES: usize = 8;

    fn new(blocks: &'b [AnchoredBlock]) -> Twins<'b> {
        Twins {
            blocks,
            asked: Cell::new(0),
            table: OnceCell::new(),
        }
    }

    /// The blocks with words whose text is `text`, in order.
    fn find(&self, text: &str) -> Vec<usize> {
        self.asked.set(self.asked.get() + 1);
        if self.table.get().is_none() && self.asked.get() <= Self::SEARCHES {
            return (0..self.blocks.len())
                .filter(|&i| self.blocks[i].block.words > 0 && *self.blocks[i].block.text == *text)
                .collect();
        }
        let table = self.table.get_or_init(|| {
            let mut table: foldhash::HashMap<&str, Vec<usize>> = foldhash::HashMap::default();
            for (i, b) in self.blocks.iter().enumerate().filter(|(_, b)| b.block.words > 0) {
                table.entry(&*b.block.text).or_default().push(i);
            }
            table
        });
        table.get(text).cloned().unwrap_or_default()
    }
}

/// The title of the section block `i` is in (empty before the first heading).
fn section_title(blocks: &[AnchoredBlock], i: usize) -> &str {
    blocks[i]
        .section
        .filter(|&s| s != i)
        .map_or("", |s| &*blocks[s].block.text)
}

/// True for a block with an e-mail or web address, a link to write or call, or a number of
/// three digits or more.
fn is_route_or_number(block: &Block) -> bool {
    let text = &*block.text;
    let digits = text.as_bytes().windows(3).any(|w| w.iter().all(u8::is_ascii_digit));
    digits
        || text.contains('@')
        || text.contains("://")
        || text.contains("www.")
        || block.html.contains("mailto:")
        || block.html.contains("tel:")
}

/// The blocks of one version, each tokenised into reader words at most once however many
/// times the classifier reads it.
struct Tokenised<'a> {
    blocks: &'a [AnchoredBlock],
    words: Vec<OnceCell<Vec<Word>>>,
}

impl<'a> Tokenised<'a> {
    fn new(blocks: &'a [AnchoredBlock]) -> Tokenised<'a> {
        Tokenised {
            blocks,
            words: vec![OnceCell::new(); blocks.len()],
        }
    }

    fn clause(&self, i: usize) -> Clause<'_> {
        Clause {
            block: &self.blocks[i].block,
            words: &self.words[i],
        }
    }
}

/// A block and its reader words, made when first read.
#[derive(Clone, Copy)]
struct Clause<'a> {
    block: &'a Block,
    words: &'a OnceCell<Vec<Word>>,
}

impl<'a> Clause<'a> {
    fn words(&self) -> &'a [Word] {
        self.words.get_or_init(|| reader_words(&self.block.text))
    }
}

/// The clauses on one side (`side` of each row) of the rows that changed.
fn changed<'t>(rows: &[DiffRow], side: fn(&DiffRow) -> Option<usize>, blocks: &'t Tokenised<'_>) -> Vec<Clause<'t>> {
    rows.iter()
        .filter(|r| r.change != Change::Unchanged)
        .filter_map(side)
        .map(|i| blocks.clause(i))
        .collect()
}

/// Runs of words shorter than this are not looked for elsewhere: too few to be a moved text.
const MOVED_RUN: usize = 5;

/// The clauses (indices into `clauses`) judged substantive whose changed text is found in
/// other clauses that changed, with the reason: an added clause's text in the old version's
/// (`came`), a removed clause's in the new one's, or, for an edited clause whose words were
/// only cut or only joined (a clause split or merged), each run of words it lost in the new
/// version's and each it gained in the old one's. A text is found when 80% of its word
/// triples are, or, for a clause of three or four words, all its word pairs ("Attn: California
/// Privacy", an address line split off). The other side is read once, and only when there is
/// such a clause.
fn moved_text<'a>(
    clauses: &[ClauseVerdict],
    old: impl Fn(&ClauseVerdict) -> Option<Clause<'a>>,
    new: impl Fn(&ClauseVerdict) -> Option<Clause<'a>>,
    old_elsewhere: impl FnOnce() -> Vec<Clause<'a>>,
    new_elsewhere: impl FnOnce() -> Vec<Clause<'a>>,
) -> foldhash::HashMap<usize, &'static str> {
    // Per candidate: its texts to find in the new version's clauses and in the old one's.
    let mut candidates: Vec<(usize, &'static str, Vec<Grams>, Vec<Grams>)> = Vec::new();
    for (i, c) in clauses.iter().enumerate() {
        if c.verdict.class != Class::Substantive {
            continue;
        }
        match (old(c), new(c)) {
            (None, Some(added)) => {
                if let Some(grams) = Grams::of(added.words(), true) {
                    candidates.push((
                        i,
                        "text moved: its words are in the previous version",
                        Vec::new(),
                        vec![grams],
                    ));
                }
            }
            (Some(removed), None) => {
                if let Some(grams) = Grams::of(removed.words(), true) {
                    candidates.push((i, "text moved: its words are in this version", vec![grams], Vec::new()));
                }
            }
            (Some(old), Some(new)) => {
                if let Some((lost, gained)) = edit::cut_or_joined(old.words(), new.words(), MOVED_RUN) {
                    let lost: Option<Vec<Grams>> = lost.iter().map(|run| Grams::of(run, false)).collect();
                    let gained: Option<Vec<Grams>> = gained.iter().map(|run| Grams::of(run, false)).collect();
                    if let (Some(lost), Some(gained)) = (lost, gained) {
                        candidates.push((i, "text moved: split or merged with another clause", lost, gained));
                    }
                }
            }
            (None, None) => {}
        }
    }
    if candidates.is_empty() {
        return foldhash::HashMap::default();
    }
    // Marks the grams of the texts to find on one side that its changed clauses hold.
    fn find<'a>(texts: impl Iterator<Item = &'a Grams>, elsewhere: Vec<Clause<'_>>) -> foldhash::HashMap<u64, bool> {
        let mut found: foldhash::HashMap<u64, bool> = foldhash::HashMap::default();
        let mut pairs = false;
        for text in texts {
            pairs |= text.pairs;
            found.extend(text.hashes.iter().map(|&h| (h, false)));
        }
        if found.is_empty() {
            return found;
        }
        // The changed clauses read as one text, in order: items merged into one clause are
        // found across the ends of the items they were ("… of the GDPR Right to erasure …").
        let stream: Vec<u64> = elsewhere
            .iter()
            .flat_map(|c| c.words().iter().map(|w| word_hash(w)))
            .collect();
        for_each_gram(&stream, pairs, |h| {
            if let Some(seen) = found.get_mut(&h) {
                *seen = true;
            }
        });
        found
    }
    let in_new = find(candidates.iter().flat_map(|c| &c.2), new_elsewhere());
    let in_old = find(candidates.iter().flat_map(|c| &c.3), old_elsewhere());
    candidates
        .into_iter()
        .filter(|(_, _, lost, gained)| {
            lost.iter().all(|t| t.found_in(&in_new)) && gained.iter().all(|t| t.found_in(&in_old))
        })
        .map(|(i, how, _, _)| (i, how))
        .collect()
}

/// A text's distinct word triples, or word pairs for a text of three or four words (when
/// `short` ones are looked for).
struct Grams {
    hashes: Vec<u64>,
    pairs: bool,
}

impl Grams {
    fn of(words: &[Word], short: bool) -> Option<Grams> {
        let pairs = words.len() < MOVED_RUN;
        if pairs && !(short && words.len() >= 3) {
            return None;
        }
        let mut hashes = Vec::new();
        if pairs {
            for_each_pair(words, |h| hashes.push(h));
        } else {
            for_each_triple(words, |h| hashes.push(h));
        }
        hashes.sort_unstable();
        hashes.dedup();
        (hashes.len() >= 2).then_some(Grams { hashes, pairs })
    }

    /// True when 80% of the triples, or every pair, are among those `found`.
    fn found_in(&self, found: &foldhash::HashMap<u64, bool>) -> bool {
        let n = self.hashes.iter().filter(|h| found[*h]).count();
        if self.pairs {
            n == self.hashes.len()
        } else {
            n * 5 >= self.hashes.len() * 4
        }
    }
}

/// Calls `each` with the hash of every three consecutive words of a text (given as the hashes
/// of its words), and of every two when `pairs`.
fn for_each_gram(hashes: &[u64], pairs: bool, mut each: impl FnMut(u64)) {
    for w in hashes.windows(3) {
        each(w[0].rotate_left(21) ^ w[1].rotate_left(7) ^ w[2]);
    }
    if pairs {
        for w in hashes.windows(2) {
            each(pair_hash(w[0], w[1]));
        }
    }
}

fn pair_hash(a: u64, b: u64) -> u64 {
    // Another mix than a triple's, so a pair is never taken for a triple.
    a.rotate_left(33) ^ b.rotate_left(11) ^ 0x9e37_79b9_7f4a_7c15
}

/// Calls `each` with the hash of every two consecutive words.
fn for_each_pair(words: &[Word], mut each: impl FnMut(u64)) {
    let hashes: Vec<u64> = words.iter().map(|w| word_hash(w)).collect();
    for w in hashes.windows(2) {
        each(pair_hash(w[0], w[1]));
    }
}

/// Calls `each` with the hash of every three consecutive words: what "the same text" means
/// across clauses.
fn for_each_triple(words: &[Word], mut each: impl FnMut(u64)) {
    let hashes: Vec<u64> = words.iter().map(|w| word_hash(w)).collect();
    for w in hashes.windows(3) {
        each(w[0].rotate_left(21) ^ w[1].rotate_left(7) ^ w[2]);
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
    let (old_words, new_words) = (OnceCell::new(), OnceCell::new());
    let clause = |block, words| Clause { block, words };
    judge(
        old.map(|b| clause(b, &old_words)),
        new.map(|b| clause(b, &new_words)),
        change,
        rules,
    )
}

/// [`classify_change`] on clauses whose words may be known already.
fn judge(old: Option<Clause<'_>>, new: Option<Clause<'_>>, change: Change, rules: &ChangeRules) -> Option<Verdict> {
    match (old, new) {
        (Some(old_clause), Some(new_clause)) => {
            let (old, new) = (old_clause.block, new_clause.block);
            let restyled = restyling(old, new);
            // Versions share one copy of a text they repeat: most unchanged rows compare nothing.
            if Arc::ptr_eq(&old.text, &new.text) || old.text == new.text {
                let mut reasons = restyled;
                if matches!(change, Change::Moved | Change::MovedModified) {
                    reasons.push("moved".to_string());
                }
                return (!reasons.is_empty()).then(|| Verdict::new(Class::Formatting, reasons.join(", ")));
            }
            let (old_words, new_words) = (old_clause.words(), new_clause.words());
            if same_letters(old_words, new_words) {
                let mut reasons = vec![text_formatting(&old.text, &new.text)];
                reasons.extend(restyled);
                return Some(Verdict::new(Class::Formatting, reasons.join(", ")));
            }
            // A link alone reworded, or one that kept at most its words without its link (a
            // menu item become a group's label): not one that gained a sentence.
            let pointer = |a: &Block, a_words: &[Word], b: &Block, b_words: &[Word]| {
                is_pointer(a, a_words) && (is_pointer(b, b_words) || b_words.len() <= a_words.len())
            };
            if pointer(old, old_words, new, new_words) || pointer(new, new_words, old, old_words) {
                return Some(Verdict::new(
                    Class::Editorial,
                    format!(
                        "link reworded: {} → {}",
                        edit::quote(old_words, 8),
                        edit::quote(new_words, 8)
                    ),
                ));
            }
            Some(edit::explain(old, new, old_words, new_words, rules))
        }
        (None, Some(clause)) => Some(whole_clause(clause, change, rules)),
        (Some(clause), None) => Some(whole_clause(clause, Change::Removed, rules)),
        (None, None) => None,
    }
}

/// True when two lists of reader words hold the same letters and digits in the same order:
/// they differ only in spacing and punctuation (the words are equal after normalisation).
fn same_letters(a: &[Word], b: &[Word]) -> bool {
    fn letters(words: &[Word]) -> impl Iterator<Item = char> + '_ {
        words.iter().flat_map(|w| w.chars()).filter(|c| c.is_alphanumeric())
    }
    // Equal words at either end hold equal letters: only the words between them are read
    // letter by letter (an edit is a few words in a long clause).
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[head..], &b[head..]);
    let tail = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    letters(&a[..a.len() - tail]).eq(letters(&b[..b.len() - tail]))
}

/// A clause that came, went or came back.
fn whole_clause(clause: Clause<'_>, change: Change, rules: &ChangeRules) -> Verdict {
    let block = clause.block;
    let verb = match change {
        Change::Removed => "removed",
        Change::Restored => "restored",
        _ => "added",
    };
    let words = clause.words();
    if words.is_empty() {
        return Verdict::new(Class::Formatting, format!("{} without words {verb}", kind_name(block)));
    }
    if block.kind == BlockKind::Heading {
        return Verdict::new(Class::Editorial, format!("heading {verb}: {}", edit::quote(words, 8)));
    }
    if edit::is_date_line(&block.text, words, rules) {
        return Verdict::new(Class::Editorial, format!("date line {verb}"));
    }
    if is_bare_address(&block.text) {
        return Verdict::new(Class::Editorial, format!("web address without words {verb}"));
    }
    if is_pointer(block, words) {
        return Verdict::new(Class::Editorial, format!("link {verb}: {}", edit::quote(words, 8)));
    }
    if is_title_line(block, words, rules) {
        return Verdict::new(
            Class::Editorial,
            format!("title line {verb}: {}", edit::quote(words, 8)),
        );
    }
    if introduces_what_follows(&block.text, words, rules) {
        return Verdict::new(
            Class::Editorial,
            format!("introduction {verb}: {}", edit::quote(words, 8)),
        );
    }
    // A number, a modal verb or a negation is said, not announced ("each" is not one).
    let commits = words.iter().any(|w| {
        w.bytes().any(|b| b.is_ascii_digit())
            || (rules.substantive.contains(w.as_str()) && !rules.quantifiers.contains(w.as_str()))
    });
    if !commits && rules.is_signpost(words) {
        return Verdict::new(Class::Editorial, format!("signpost {verb}: {}", edit::quote(words, 8)));
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

/// Words of a title line, at most.
const TITLE_LINE: usize = 6;

/// True for a paragraph of a few words that is not a sentence ("Continue with email", "Our
/// commitments to privacy and security", "Was this page helpful?"): a title, a label or a
/// page's furniture, which names what follows or surrounds it and says nothing itself. Not
/// when it ends as a sentence or a clause does (`.`, `;`, `,`, `。`), gives a field's value
/// (`Attn: California Privacy`), has a subject or a verb "to be" outside a question or a title
/// ("We sell your data", "Data is shared with the police"; not "What Information We
/// Collect"), or holds a number, a modal verb (unless it
/// asks), a negation or a contact route (an e-mail or web address, a link to write or ask:
/// "Privacy contact form"): those say something. Not a list item, nor a line written as one
/// (`– Phone number`, `(d) Gender`): a list of a few words each names categories of data,
/// purposes or recipients. Not a line of a script written without spaces, whose words this
/// count does not see.
pub(super) fn is_title_line(block: &Block, words: &[Word], rules: &ChangeRules) -> bool {
    let text = block.text.trim();
    let end = text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | ')' | '"' | '”' | '’'));
    // A question's modal verb or subject asks ("What information can we collect?").
    let asks = end.ends_with(['?', '？']);
    // Written as a title ("What Information We Collect"): its subject names, it does not say.
    let title_case = text.split_whitespace().all(|token| {
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        word.is_empty() || is_function_word(&word.to_lowercase()) || word.starts_with(char::is_uppercase)
    });
    let says = |w: &Word| {
        w.bytes().any(|b| b.is_ascii_digit())
            || edit::is_contact(w)
            || (!asks && !title_case && STATEMENT.contains(&w.as_str()))
            || (rules.substantive.contains(w.as_str())
                && !rules.quantifiers.contains(w.as_str())
                && !(asks && MODALS.contains(&w.as_str())))
    };
    block.kind == BlockKind::Paragraph
        && !words.is_empty()
        && words.len() <= TITLE_LINE
        && !text.split_whitespace().next().is_some_and(is_numbering)
        && !text.starts_with([
            '-', '–', '—', '•', '·', '●', '▪', '►', '○', '◦', '✓', '✔', '*', '+', '>',
        ])
        && (block.sole_link().is_none() || is_pointer(block, words))
        && !end.ends_with(['.', ';', ',', '!', '。', '；', '，', '！'])
        && !text.contains([':', '：'])
        && !text.chars().any(super::tokens::unspaced)
        && !words.iter().any(says)
}

/// Words that make a line a statement: a subject or a verb "to be" (English, French, German,
/// Spanish).
pub(super) const STATEMENT: &[&str] = &[
    "we", "you", "i", "they", "he", "she", "is", "are", "was", "were", "be", "been", "nous", "vous", "ils", "elles",
    "est", "sont", "wir", "sie", "ist", "sind", "nosotros", "usted", "ustedes", "es", "son", "está", "están",
];

/// True for a clause that is one link and nothing else, to another page (a menu item, a
/// pointer to another document): it says where to read, not what the policy says. Judged by
/// their words instead: a way to write, call, ask or object (`mailto:`, `tel:`, a `Privacy
/// contact form`, `Do Not Sell My Personal Information`: a contact route or a right), and a link
/// to a place in a page (`…/privacy#footnote-location-data`: often a policy's own term,
/// explained further down).
fn is_pointer(block: &Block, words: &[Word]) -> bool {
    block.sole_link().is_some_and(|href| {
        !href.starts_with("mailto:")
            && !href.starts_with("tel:")
            && !href.contains('#')
            && !words.iter().any(|w| ROUTES.contains(&w.as_str()))
    })
}

/// Words of a link that is a way to reach the company or exercise a right (reader words: `opt-out`
/// is `opt` and `out`, `e-mail` is `e` and `mail`).
const ROUTES: &[&str] = &[
    "contact",
    "form",
    "request",
    "requests",
    "opt",
    "complaint",
    "complaints",
    "unsubscribe",
    "appeal",
    "email",
    "mail",
    "sell",
    "delete",
    "deletion",
    "right",
    "rights",
    "choice",
    "choices",
    "preferences",
    "settings",
    "withdraw",
    "consent",
    "access",
    "limit",
    "contacter",
    "formulaire",
    "droits",
    "kontakt",
    "rechte",
    "widerspruch",
    "contacto",
    "derechos",
];

/// True for text that is only web addresses and the markup around them (what is left of a
/// link whose words the capture lost).
fn is_bare_address(text: &str) -> bool {
    text.split_whitespace().all(|token| {
        let inner = token.trim_matches(|c: char| !c.is_alphanumeric());
        inner.is_empty() || ["http://", "https://", "www."].iter().any(|p| token.contains(p))
    })
}

/// True for a short clause that ends with a colon and commits to nothing itself ("For users
/// in the European Union:", "We may share your information with the following recipients:"):
/// it introduces the clauses after it, which carry what is said. A modal verb is its own
/// commitment ("We may share your location with partners:") unless the clause points to what
/// follows ("the following", "below", "including"); a number, a negation or a quantifier
/// always is.
fn introduces_what_follows(text: &str, words: &[Word], rules: &ChangeRules) -> bool {
    let points_on = words.iter().any(|w| FORWARD.contains(&w.as_str()));
    let own = |w: &Word| {
        w.bytes().any(|b| b.is_ascii_digit())
            || (rules.substantive.contains(w.as_str()) && !(points_on && MODALS.contains(&w.as_str())))
    };
    text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_'))
        .ends_with(':')
        && words.len() <= 25
        && !words.iter().any(own)
}

/// Words by which a clause points to the clauses after it.
const FORWARD: &[&str] = &[
    "following",
    "follows",
    "below",
    "include",
    "includes",
    "including",
    "suivantes",
    "suivants",
    "ci-dessous",
    "folgenden",
    "siguientes",
];

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
