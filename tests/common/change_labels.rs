//! The hand-labelled changes of real policies (`tests/fixtures/changes/labels.jsonl`) and the
//! classifier's agreement with them: shared by `tests/change_classes.rs` (floors) and
//! `examples/score_changes.rs` (the report `scripts/eval-changes` prints).
#![allow(dead_code)]

use std::path::Path;

use policyhub::document::{count_words, Block, BlockKind};
use policyhub::history::{classify_change, Change, ChangeRules, Class, Verdict};
use serde::Deserialize;

/// One labelled change: a clause of a real policy between two consecutive versions.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    pub org: String,
    pub policy: String,
    pub old_version: String,
    pub new_version: String,
    pub id: String,
    /// `modified`, `added` or `removed`.
    pub change: String,
    pub old_kind: Option<String>,
    pub new_kind: Option<String>,
    pub old_text: String,
    pub new_text: String,
    /// The class a careful reader gave it, and why.
    pub class: String,
    pub reason: String,
}

/// The labels of the repository's set.
pub fn labels() -> Vec<Label> {
    labels_of("labels.jsonl")
}

/// The labels of the fresh set: changes labelled blind after the rules were tuned, which no
/// rule was tuned on (`fresh.jsonl`).
pub fn fresh_labels() -> Vec<Label> {
    labels_of("fresh.jsonl")
}

/// The second blind set: 100 more changes, drawn and labelled blind once the link rules were
/// in, never tuned on (`fresh2.jsonl`; one rule, hidden e-mail addresses, was written knowing
/// that it holds such changes).
pub fn blind_labels() -> Vec<Label> {
    labels_of("fresh2.jsonl")
}

fn labels_of(file: &str) -> Vec<Label> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/changes")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("labels");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a label"))
        .collect()
}

fn kind(name: &str) -> BlockKind {
    match name {
        "heading" => BlockKind::Heading,
        "list-item" => BlockKind::ListItem,
        "table" => BlockKind::Table,
        "quote" => BlockKind::Quote,
        "code" => BlockKind::Code,
        "footnote" => BlockKind::Footnote,
        "html" => BlockKind::Html,
        _ => BlockKind::Paragraph,
    }
}

fn block(kind_name: &Option<String>, text: &str) -> Option<Block> {
    let kind = kind(kind_name.as_deref()?);
    Some(Block {
        kind,
        level: if kind == BlockKind::Heading { 2 } else { 0 },
        html: "".into(),
        text: text.into(),
        list_open: None,
        list_close: false,
        footnote: None,
        anchors: Vec::new(),
        line: 1,
        words: count_words(text),
    })
}

/// The classifier's verdict on a labelled change.
pub fn classify(label: &Label, rules: &ChangeRules) -> Verdict {
    let old = block(&label.old_kind, &label.old_text);
    let new = block(&label.new_kind, &label.new_text);
    let change = match label.change.as_str() {
        "added" => Change::Added,
        "removed" => Change::Removed,
        _ => Change::Modified,
    };
    classify_change(old.as_ref(), new.as_ref(), change, rules).unwrap_or(Verdict {
        class: Class::Formatting,
        reason: "no change".to_string(),
    })
}

/// Agreement of the classifier with the labels.
#[derive(Debug, Default)]
pub struct Score {
    /// `confusion[label][given]`, classes in `Class::ALL`'s order.
    pub confusion: [[usize; 3]; 3],
    /// The changes the classifier gave another class: (label, its verdict).
    pub misses: Vec<(Label, Verdict)>,
}

fn index(class: Class) -> usize {
    Class::ALL.iter().position(|&c| c == class).unwrap()
}

pub fn parse_class(name: &str) -> Class {
    *Class::ALL.iter().find(|c| c.name() == name).expect("a class name")
}

impl Score {
    pub fn of(labels: &[Label], rules: &ChangeRules) -> Score {
        let mut score = Score::default();
        for label in labels {
            let verdict = classify(label, rules);
            let truth = parse_class(&label.class);
            score.confusion[index(truth)][index(verdict.class)] += 1;
            if truth != verdict.class {
                score.misses.push((label.clone(), verdict));
            }
        }
        score
    }

    /// Of the changes labelled `class`, the share the classifier gave `class`.
    pub fn recall(&self, class: Class) -> f64 {
        let row = self.confusion[index(class)];
        row[index(class)] as f64 / row.iter().sum::<usize>().max(1) as f64
    }

    /// Of the changes the classifier gave `class`, the share labelled `class`.
    pub fn precision(&self, class: Class) -> f64 {
        let column: usize = (0..3).map(|t| self.confusion[t][index(class)]).sum();
        self.confusion[index(class)][index(class)] as f64 / column.max(1) as f64
    }

    /// Agreement on every change.
    pub fn agreement(&self) -> f64 {
        let right: usize = (0..3).map(|i| self.confusion[i][i]).sum();
        right as f64 / self.confusion.iter().flatten().sum::<usize>().max(1) as f64
    }

    /// Agreement on the changes labelled editorial or substantive, between those two classes
    /// (the "substantive vs editorial agreement").
    pub fn editorial_substantive_agreement(&self) -> f64 {
        let (e, s) = (index(Class::Editorial), index(Class::Substantive));
        let right = self.confusion[e][e] + self.confusion[s][s];
        let all = self.confusion[e][e] + self.confusion[e][s] + self.confusion[s][e] + self.confusion[s][s];
        right as f64 / all.max(1) as f64
    }
}
