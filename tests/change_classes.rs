//! The change classifier against hand-labelled changes of real policies
//! (`tests/fixtures/changes/labels.jsonl`; `scripts/eval-changes` prints the whole report).

#[path = "common/change_labels.rs"]
mod change_labels;
mod common;

use change_labels::{blind_labels, fresh_labels, labels, Score};
use policyhub::history::{ChangeRules, Class};

#[test]
fn formatting_is_exactly_the_changes_with_the_same_words() {
    for set in [labels(), fresh_labels(), blind_labels()] {
        let score = Score::of(&set, &ChangeRules::default());
        assert_eq!(score.precision(Class::Formatting), 1.0, "{:?}", score.confusion);
        assert_eq!(score.recall(Class::Formatting), 1.0, "{:?}", score.confusion);
    }
}

/// The floors a labelled set's score must reach: the figures measured when the rules were last
/// changed (README, "Change classes"), so that a rule that makes them worse fails here.
struct Floors {
    size: usize,
    agreement: f64,
    substantive_vs_editorial: f64,
    substantive_recall: f64,
}

fn assert_floors(set: &[change_labels::Label], floors: Floors) {
    assert!(set.len() >= floors.size, "the set holds {} changes", set.len());
    let score = Score::of(set, &ChangeRules::default());
    assert!(
        score.agreement() >= floors.agreement,
        "agreement {:.3}",
        score.agreement()
    );
    assert!(
        score.editorial_substantive_agreement() >= floors.substantive_vs_editorial,
        "substantive vs editorial {:.3}",
        score.editorial_substantive_agreement()
    );
    assert!(
        score.recall(Class::Substantive) >= floors.substantive_recall,
        "{:?}",
        score.confusion
    );
}

#[test]
fn each_labelled_set_agrees_at_least_as_well_as_when_measured() {
    let floors = |size, agreement, substantive_vs_editorial, substantive_recall| Floors {
        size,
        agreement,
        substantive_vs_editorial,
        substantive_recall,
    };
    for (name, set, floors) in [
        ("labels.jsonl", labels(), floors(150, 0.85, 0.82, 0.85)),
        ("fresh.jsonl", fresh_labels(), floors(100, 0.73, 0.70, 0.90)),
        // Not tuned on: what the classifier does on changes it was not made from (one rule,
        // hidden e-mail addresses, was written knowing the set holds such changes).
        ("fresh2.jsonl", blind_labels(), floors(100, 0.82, 0.80, 0.85)),
    ] {
        eprintln!("{name}");
        assert_floors(&set, floors);
    }
}
