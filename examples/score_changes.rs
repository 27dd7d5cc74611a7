//! Scores the change classifier against the hand-labelled real changes in
//! `tests/fixtures/changes/labels.jsonl` (run by `scripts/eval-changes`): the confusion
//! matrix, precision and recall per class, agreement; `--misses` lists each disagreement.

#[path = "../tests/common/change_labels.rs"]
mod change_labels;

use change_labels::{blind_labels, fresh_labels, labels, Score};
use policyhub::history::{ChangeRules, Class};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let misses = args.iter().any(|a| a == "--misses");
    // --all: every change of the tuning half with its verdict, agreed or not.
    let every = args.iter().any(|a| a == "--all");
    let all = labels();
    let rules = ChangeRules::default();
    // Rules are tuned on the even lines only (`--misses` lists their misses); the odd lines
    // are held out, to tell how the rules do on changes they were not tuned on.
    let (tuned, held_out): (Vec<_>, Vec<_>) = all.iter().cloned().enumerate().partition(|(i, _)| i % 2 == 0);
    let strip = |v: Vec<(usize, change_labels::Label)>| v.into_iter().map(|(_, l)| l).collect::<Vec<_>>();
    // The fresh set was labelled blind once the rules had been tuned on the even lines of the
    // first; its even lines were then read to tune the rules again, its odd lines never were.
    let fresh = fresh_labels();
    let half = |parity: usize| -> Vec<change_labels::Label> {
        fresh
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == parity)
            .map(|(_, l)| l.clone())
            .collect()
    };
    for (name, set) in [
        ("labels.jsonl, tuning half (even lines)", strip(tuned.clone())),
        (
            "labels.jsonl, odd lines (tuned on since the fresh set)",
            strip(held_out),
        ),
        ("fresh.jsonl, tuning half (even lines)", half(0)),
        ("fresh.jsonl, held-out half (odd lines)", half(1)),
        ("fresh2.jsonl, blind, not tuned on", blind_labels()),
    ] {
        let score = Score::of(&set, &rules);
        println!(
            "{name}: {} changes, agreement {:.3}, substantive vs editorial {:.3}",
            set.len(),
            score.agreement(),
            score.editorial_substantive_agreement()
        );
    }
    if every {
        for label in strip(tuned.clone()) {
            let verdict = change_labels::classify(&label, &rules);
            println!(
                "{} {}/{} #{} ({}) label {} | given {} ({})\n  old: {}\n  new: {}",
                if verdict.class.name() == label.class {
                    "ok  "
                } else {
                    "MISS"
                },
                label.org,
                label.policy,
                label.id,
                label.change,
                label.class,
                verdict.class.name(),
                verdict.reason,
                cut(&label.old_text),
                cut(&label.new_text)
            );
        }
        return;
    }
    let labels = if misses { strip(tuned) } else { all };
    let score = Score::of(&labels, &rules);
    println!(
        "\n{} labelled changes of real policies{}",
        labels.len(),
        if misses { " (tuning half)" } else { "" }
    );
    println!(
        "{:>14} {:>11} {:>10} {:>12}   (rows: label, columns: classifier)",
        "", "formatting", "editorial", "substantive"
    );
    for (i, class) in Class::ALL.iter().enumerate() {
        let row = score.confusion[i];
        println!("{:>14} {:>11} {:>10} {:>12}", class.name(), row[0], row[1], row[2]);
    }
    for class in Class::ALL {
        println!(
            "{:>12}: precision {:.3}  recall {:.3}",
            class.name(),
            score.precision(class),
            score.recall(class)
        );
    }
    println!("agreement on every change: {:.3}", score.agreement());
    println!(
        "substantive vs editorial agreement: {:.3}",
        score.editorial_substantive_agreement()
    );
    if misses {
        for (label, verdict) in &score.misses {
            println!(
                "\n{}/{} {} → {} #{} ({})\n  label: {} ({})\n  given: {} ({})\n  old: {}\n  new: {}",
                label.org,
                label.policy,
                label.old_version,
                label.new_version,
                label.id,
                label.change,
                label.class,
                label.reason,
                verdict.class.name(),
                verdict.reason,
                cut(&label.old_text),
                cut(&label.new_text)
            );
        }
    }
}

fn cut(text: &str) -> String {
    match text.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}
