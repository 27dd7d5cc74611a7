//! Tests of anchoring: ids survive edits and moves, are unique, and are never reused.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;

use super::*;
use crate::document::parse;

fn anchor(versions: &[&str]) -> PolicyHistory {
    anchor_policy(versions.iter().map(|v| parse(v)).collect())
}

fn id_of(history: &PolicyHistory, version: usize, text: &str) -> String {
    let block = history.versions[version]
        .blocks
        .iter()
        .find(|b| &*b.block.text == text)
        .unwrap_or_else(|| panic!("no block {text:?}"));
    block.id.clone()
}

#[test]
fn ids_survive_edits_moves_and_new_sections() {
    let h = anchor(&[
        "# Policy\n\n## Data\n\nWe collect your name and your e-mail address.\n\nWe never sell data to anyone at all.\n\n## Retention\n\nWe keep data for two years.\n",
        "# Policy\n\n## Data\n\nWe collect your name, your phone and your e-mail address.\n\n## Retention\n\nWe keep data for two years.\n\nWe never sell data to anyone at all.\n\n## Cookies\n\nWe use cookies.\n",
    ]);
    assert_eq!(id_of(&h, 0, "We collect your name and your e-mail address."), "data-1");
    assert_eq!(
        id_of(&h, 1, "We collect your name, your phone and your e-mail address."),
        "data-1"
    );
    assert_eq!(id_of(&h, 1, "We never sell data to anyone at all."), "data-2");
    assert_eq!(id_of(&h, 1, "We use cookies."), "cookies-1");
    let v1 = &h.versions[1];
    let change = |text: &str| v1.blocks.iter().find(|b| &*b.block.text == text).unwrap().change;
    assert_eq!(
        change("We collect your name, your phone and your e-mail address."),
        Change::Modified
    );
    assert_eq!(change("We never sell data to anyone at all."), Change::Moved);
    assert_eq!(change("We keep data for two years."), Change::Unchanged);
    assert_eq!(change("We use cookies."), Change::Added);
    assert_eq!(v1.figures.added, 2, "{:?}", v1.figures);
    assert_eq!(v1.figures.modified, 1);
    assert_eq!(v1.figures.moved, 1);
    // "Cookies" + "We use cookies." + "name, your phone" (whitespace-separated words).
    assert_eq!(v1.figures.words_added, 1 + 3 + 3);
}

#[test]
fn removed_ids_are_never_reused_and_come_back_with_their_text() {
    let h = anchor(&[
        "## Data\n\nFirst clause of the data section.\n\nSecond clause that will be dropped soon.\n",
        "## Data\n\nFirst clause of the data section.\n\nA brand new clause with other words entirely.\n",
        "## Data\n\nFirst clause of the data section.\n\nA brand new clause with other words entirely.\n\nSecond clause that will be dropped soon.\n",
    ]);
    assert_eq!(id_of(&h, 0, "Second clause that will be dropped soon."), "data-2");
    assert_eq!(id_of(&h, 1, "A brand new clause with other words entirely."), "data-3");
    assert_eq!(id_of(&h, 2, "Second clause that will be dropped soon."), "data-2");
    let lineage = h.lineages.iter().find(|l| l.id == "data-2").unwrap();
    let events: Vec<Change> = lineage.events.iter().map(|e| e.change).collect();
    assert_eq!(events, vec![Change::Added, Change::Removed, Change::Restored]);
    assert_eq!(h.versions[1].figures.removed, 1);
}

#[test]
fn every_merge_of_a_clause_stays_in_its_lineage_when_it_comes_back_and_merges_again() {
    let apart = "Intro.\n\nWe collect your name, email address and phone number when you register.\n\nWe use them to verify your identity and to prevent fraud.\n\nEnd.\n";
    let together = "Intro.\n\nWe collect your name, email address and phone number when you register, and we use them to verify your identity and to prevent fraud.\n\nEnd.\n";
    let h = anchor(&[apart, together, apart, together]);
    let part = id_of(&h, 0, "We use them to verify your identity and to prevent fraud.");
    let whole = id_of(&h, 1, "We collect your name, email address and phone number when you register, and we use them to verify your identity and to prevent fraud.");
    assert_ne!(part, whole);
    let lineage = h.lineages.iter().find(|l| l.id == part).unwrap();
    let events: Vec<Change> = lineage.events.iter().map(|e| e.change).collect();
    assert_eq!(
        events,
        vec![Change::Added, Change::Removed, Change::Restored, Change::Removed]
    );
    assert_eq!(lineage.merges, vec![(1, whole.clone()), (3, whole.clone())]);
    assert_eq!(lineage.merged_into(), Some(whole.as_str()));
    // Back again: it is no longer merged, but its history says it was, twice.
    let h = anchor(&[apart, together, apart]);
    let lineage = h.lineages.iter().find(|l| l.id == part).unwrap();
    assert_eq!(lineage.merged_into(), None);
    assert_eq!(lineage.merged_into_at(1), Some(whole.as_str()));
}

#[test]
fn lineages_count_revisions() {
    let h = anchor(&[
        "We keep data for two years after you leave.\n",
        "We keep data for one year after you leave.\n",
        "We keep data for one year after you leave us.\n",
    ]);
    assert_eq!(h.lineages.len(), 1);
    assert_eq!(h.lineages[0].revisions(), 2);
    let revisions: Vec<u32> = h.versions[2].blocks.iter().map(|b| b.revisions).collect();
    assert_eq!(revisions, vec![2]);
}

/// A clause of generated text, with the identity it keeps through edits.
#[derive(Debug, Clone)]
struct Clause {
    identity: usize,
    words: Vec<String>,
    edited: bool,
}

#[derive(Debug, Clone)]
enum Edit {
    Modify { at: usize, word: usize, new_word: usize },
    Insert { at: usize, words: Vec<usize> },
    Delete { at: usize },
    Move { from: usize, to: usize },
}

fn vocabulary(i: usize) -> String {
    const SYLLABLES: [&str; 16] = [
        "da", "ta", "pri", "va", "cy", "se", "cu", "ri", "ty", "co", "ok", "ie", "sha", "re", "lo", "gs",
    ];
    format!(
        "{}{}{}",
        SYLLABLES[i % 16],
        SYLLABLES[(i / 16) % 16],
        SYLLABLES[(i / 256) % 16]
    )
}

fn clause_strategy() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0usize..3000, 8..16)
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<usize>(), 0usize..3000).prop_map(|(at, word, new_word)| Edit::Modify {
            at,
            word,
            new_word
        }),
        (any::<usize>(), clause_strategy()).prop_map(|(at, words)| Edit::Insert { at, words }),
        any::<usize>().prop_map(|at| Edit::Delete { at }),
        (any::<usize>(), any::<usize>()).prop_map(|(from, to)| Edit::Move { from, to }),
    ]
}

fn apply(clauses: &mut Vec<Clause>, edit: &Edit, next_identity: &mut usize) {
    let n = clauses.len();
    match edit {
        Edit::Modify { at, word, new_word } if n > 0 => {
            let clause = &mut clauses[at % n];
            if !clause.edited {
                let w = word % clause.words.len();
                clause.words[w] = vocabulary(*new_word);
                clause.edited = true;
            }
        }
        Edit::Insert { at, words } => {
            clauses.insert(
                at % (n + 1),
                Clause {
                    identity: *next_identity,
                    words: words.iter().map(|&w| vocabulary(w)).collect(),
                    edited: false,
                },
            );
            *next_identity += 1;
        }
        Edit::Delete { at } if n > 1 => {
            clauses.remove(at % n);
        }
        Edit::Move { from, to } if n > 1 => {
            let c = clauses.remove(from % n);
            clauses.insert(to % n, c);
        }
        _ => {}
    }
}

fn markdown(clauses: &[Clause]) -> String {
    let mut md = String::from("# Policy\n\n");
    for (i, c) in clauses.iter().enumerate() {
        if i % 5 == 0 {
            md.push_str(&format!("## Part {}\n\n", i / 5));
        }
        md.push_str(&c.words.join(" "));
        md.push_str(".\n\n");
    }
    md
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Over random edit scripts: unchanged and lightly edited clauses keep their ids, ids are
    /// unique within a version, and an id never passes to another clause.
    #[test]
    fn ids_are_stable_unique_and_never_reused(
        initial in prop::collection::vec(clause_strategy(), 3..25),
        scripts in prop::collection::vec(prop::collection::vec(edit_strategy(), 0..8), 1..4),
    ) {
        let mut clauses: Vec<Clause> = initial.iter().enumerate().map(|(identity, words)| Clause {
            identity,
            words: words.iter().map(|&w| vocabulary(w)).collect(),
            edited: false,
        }).collect();
        let mut next_identity = clauses.len();
        let mut snapshots = vec![clauses.clone()];
        for script in &scripts {
            clauses.iter_mut().for_each(|c| c.edited = false);
            for edit in script {
                apply(&mut clauses, edit, &mut next_identity);
            }
            snapshots.push(clauses.clone());
        }
        let history = anchor_policy(snapshots.iter().map(|s| parse(&markdown(s))).collect());
        let mut owner: HashMap<String, usize> = HashMap::new();
        for (v, snapshot) in snapshots.iter().enumerate() {
            let version = &history.versions[v];
            let mut seen = HashSet::new();
            for AnchoredBlock { id, .. } in &version.blocks {
                prop_assert!(seen.insert(id.clone()), "duplicate id {} in version {}", id, v);
            }
            // Paragraph blocks, in order, are the snapshot's clauses.
            let clause_ids: Vec<&String> = version.blocks.iter()
                .filter(|b| b.block.kind == BlockKind::Paragraph).map(|b| &b.id).collect();
            prop_assert_eq!(clause_ids.len(), snapshot.len());
            for (clause, id) in snapshot.iter().zip(clause_ids) {
                let first_owner = *owner.entry(id.clone()).or_insert(clause.identity);
                prop_assert_eq!(first_owner, clause.identity, "id {} passed from one clause to another", id);
            }
        }
        // Every identity that lives on from one version to the next keeps its id.
        for v in 1..snapshots.len() {
            let ids = |s: usize| -> HashMap<usize, String> {
                let version = &history.versions[s];
                let clause_ids = version.blocks.iter()
                    .filter(|b| b.block.kind == BlockKind::Paragraph).map(|b| b.id.clone());
                snapshots[s].iter().map(|c| c.identity).zip(clause_ids).collect()
            };
            let (before, after) = (ids(v - 1), ids(v));
            for (identity, id) in &after {
                if let Some(old) = before.get(identity) {
                    prop_assert_eq!(old, id, "clause {} lost its id in version {}", identity, v);
                }
            }
        }
        // Every id ever minted has a lineage whose last appearance is real.
        let minted: HashSet<&String> = history.versions.iter().flat_map(|v| v.blocks.iter().map(|b| &b.id)).collect();
        prop_assert_eq!(minted.len(), history.lineages.len());
    }
}

/// The markup a clause's words are written in.
fn styled(words: &str, style: usize) -> String {
    match style % 5 {
        0 => format!("{words}.\n\n"),
        1 => format!("## {words}\n\n"),
        2 => format!("- {words}\n\n"),
        3 => format!("> {words}\n\n"),
        _ => format!("| {words} |\n|---|\n\n"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Markup is not identity: whatever markup each clause's unchanged words pass to (and
    /// whatever other clauses are edited, added or dropped), they keep their id; ids stay
    /// unique; and every id a lineage calls current is in the latest version.
    #[test]
    fn unchanged_words_keep_their_id_whatever_their_markup(
        clauses in prop::collection::vec(clause_strategy(), 2..30),
        styles in prop::collection::vec((0usize..5, 0usize..5), 30),
        edits in prop::collection::vec((any::<usize>(), 0usize..3000), 0..6),
        dropped in prop::collection::vec(any::<usize>(), 0..3),
    ) {
        let mut texts: Vec<String> = Vec::new();
        for words in &clauses {
            let text = words.iter().map(|&w| vocabulary(w)).collect::<Vec<_>>().join(" ");
            if !texts.contains(&text) {
                texts.push(text);
            }
        }
        let mut after = texts.clone();
        let mut edited = vec![false; texts.len()];
        for &(at, word) in &edits {
            let i = at % after.len();
            after[i] = format!("{} {}", after[i], vocabulary(word));
            edited[i] = true;
        }
        let mut gone = vec![false; texts.len()];
        for &at in &dropped {
            gone[at % texts.len()] = true;
        }
        let old: String = texts.iter().enumerate().map(|(i, t)| styled(t, styles[i].0)).collect();
        let new: String = after
            .iter()
            .enumerate()
            .filter(|&(i, _)| !gone[i])
            .map(|(i, t)| styled(t, styles[i].1))
            .collect();
        let history = anchor(&[&old, &new]);
        for (v, version) in history.versions.iter().enumerate() {
            let mut seen = HashSet::new();
            for id in version.blocks.iter().map(|b| &b.id).filter(|id| !id.is_empty()) {
                prop_assert!(seen.insert(id), "duplicate id {} in version {}", id, v);
            }
        }
        let id_in = |v: usize, text: &str| -> Option<String> {
            let version = &history.versions[v];
            let found: Vec<&AnchoredBlock> = version.blocks.iter()
                .filter(|b| b.block.text.trim_end_matches('.') == text)
                .collect();
            (found.len() == 1).then(|| found[0].id.clone())
        };
        for (i, text) in texts.iter().enumerate() {
            if edited[i] || gone[i] {
                continue;
            }
            if let (Some(before), Some(now)) = (id_in(0, text), id_in(1, text)) {
                prop_assert_eq!(before, now, "{:?} lost its id ({} → {})", text, styles[i].0, styles[i].1);
            }
        }
        let latest: HashSet<&String> = history.versions[1].blocks.iter().map(|b| &b.id).collect();
        for lineage in &history.lineages {
            let current = lineage.last_version == 1;
            prop_assert_eq!(current, latest.contains(&lineage.id), "lineage {} disagrees with the latest version", lineage.id);
            prop_assert_eq!(current, lineage.removed_in().is_none());
        }
    }
}

#[test]
fn an_edited_sentence_of_a_policy_written_without_spaces_keeps_its_id() {
    // Chinese: each character is a word to the aligner, as in the redline.
    let h = anchor(&[
        "# 隐私政策\n\n我们收集您的姓名和电子邮件地址。\n\n我们不出售您的个人数据。\n\n我们将数据保留两年。\n",
        "# 隐私政策\n\n我们收集您的姓名和电子邮件地址。\n\n我们出售您的个人数据。\n\n我们将数据保留两年。\n\n我们与广告合作伙伴共享您的位置。\n",
    ]);
    assert_eq!(
        id_of(&h, 0, "我们不出售您的个人数据。"),
        id_of(&h, 1, "我们出售您的个人数据。")
    );
    let added = id_of(&h, 1, "我们与广告合作伙伴共享您的位置。");
    assert!(h.versions[0].blocks.iter().all(|b| b.id != added));
}
