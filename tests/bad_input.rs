//! A corpus of broken and extreme hubs, generated here: each gives a clear error or a correct
//! render — never a panic, never a hang, never a damaged previous output.

mod common;

use common::TempHub;

/// Builds; returns (success, stderr), asserting there was no panic.
fn build(hub: &TempHub) -> (bool, String) {
    let (ok, _, err) = hub.build();
    assert!(!err.contains("panicked"), "{err}");
    (ok, err)
}

const DIR: &str = "content/acme/privacy-policy";

#[test]
fn empty_files_are_clear_errors() {
    let hub = TempHub::fixture("basic");
    hub.write("content/acme/org.toml", "");
    hub.write("content/acme/privacy-policy/policy.toml", "");
    hub.write(&format!("{DIR}/2022-01-01.md"), "");
    let (ok, err) = build(&hub);
    assert!(!ok);
    assert!(err.contains("org.toml") && err.contains("name"), "{err}");
    assert!(err.contains("2022-01-01.md:1:1"), "{err}");
}

#[test]
fn a_version_with_only_front_matter_renders() {
    let hub = TempHub::fixture("basic");
    hub.write(&format!("{DIR}/2022-01-01.md"), "+++\n+++\n");
    let (ok, err) = build(&hub);
    assert!(ok, "{err}");
    assert!(hub
        .read_output("acme/privacy-policy/index.html")
        .contains("<div class=\"policy-body\">"));
}

#[test]
fn a_20_megabyte_policy_renders() {
    let hub = TempHub::fixture("basic");
    let paragraph = "We may process your personal information for the purposes described here, and only those. ";
    let mut body = String::from("+++\n+++\n# Huge policy\n\n");
    let mut section = 0;
    while body.len() < 20 * 1024 * 1024 {
        if body.len() / 200_000 > section {
            section += 1;
            body.push_str(&format!("## Part {section}\n\n"));
        }
        body.push_str(&paragraph.repeat(12));
        body.push_str("\n\n");
    }
    hub.write(&format!("{DIR}/2022-01-01.md"), &body);
    let (ok, err) = build(&hub);
    assert!(ok, "{err}");
    let page = hub.read_output("acme/privacy-policy/index.html");
    assert!(page.len() > 20 * 1024 * 1024);
    assert!(page.contains("id=\"part-100\""));
}

#[test]
fn deeply_nested_lists_and_quotes_render() {
    let hub = TempHub::fixture("basic");
    let mut body = String::from("+++\n+++\n# Nested\n\n");
    for depth in 0..500 {
        body.push_str(&"  ".repeat(depth));
        body.push_str(&format!("- level {depth}\n"));
    }
    body.push('\n');
    body.push_str(&">".repeat(500));
    body.push_str(" deep quote\n");
    hub.write(&format!("{DIR}/2022-01-01.md"), &body);
    let (ok, err) = build(&hub);
    assert!(ok, "{err}");
    let page = hub.read_output("acme/privacy-policy/index.html");
    assert!(page.contains("level 499") && page.contains("deep quote"));
}

#[test]
fn ten_thousand_tiny_clauses_over_two_versions() {
    let hub = TempHub::fixture("basic");
    let clause = |i: usize, word: &str| format!("Clause {i} keeps data for {word} years.\n\n");
    let v1: String = (0..10_000).map(|i| clause(i, "two")).collect();
    let v2: String = (0..10_000)
        .map(|i| clause(i, if i % 7 == 0 { "three" } else { "two" }))
        .collect();
    hub.write(&format!("{DIR}/2022-01-01.md"), format!("+++\n+++\n# Tiny\n\n{v1}"));
    hub.write(&format!("{DIR}/2022-02-01.md"), format!("+++\n+++\n# Tiny\n\n{v2}"));
    let (ok, err) = build(&hub);
    assert!(ok, "{err}");
    let diff = hub.read_output("acme/privacy-policy/2022-02-01/diff/index.html");
    assert!(
        diff.contains("<dt>Clauses edited</dt><dd>1429</dd>"),
        "every 7th clause was edited"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_not_followed() {
    let hub = TempHub::fixture("basic");
    std::os::unix::fs::symlink("..", hub.path(&format!("{DIR}/loop"))).unwrap();
    std::os::unix::fs::symlink(hub.path("content"), hub.path("content/acme/again")).unwrap();
    let (ok, err) = build(&hub);
    assert!(!ok);
    assert!(
        err.contains("privacy-policy/loop") && err.contains("unexpected"),
        "{err}"
    );
}

#[test]
fn binary_junk_is_a_clear_error() {
    let hub = TempHub::fixture("basic");
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| ((i.wrapping_mul(2654435761u32)) >> 24) as u8)
        .collect();
    hub.write(&format!("{DIR}/2022-01-01.md"), junk);
    let (ok, err) = build(&hub);
    assert!(!ok);
    assert!(err.contains("2022-01-01.md") && err.contains("UTF-8"), "{err}");
}

#[test]
fn every_broken_case_leaves_the_previous_output_intact() {
    let hub = TempHub::fixture("basic");
    assert!(build(&hub).0);
    let before = hub.output_snapshot();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("site.toml", b"title = \n".to_vec()),
        ("content/acme/org.toml", b"name = 3\n".to_vec()),
        (
            "content/acme/privacy-policy/2022-01-01.md",
            b"+++\neffective = 2022-13-01\n+++\n".to_vec(),
        ),
        ("content/acme/privacy-policy/2022-01-01.md", vec![0xff, 0xfe, 0x00]),
        ("templates/index.html", b"{% if %}".to_vec()),
    ];
    for (path, bytes) in cases {
        let original = std::fs::read(hub.path(path)).ok();
        hub.write(path, &bytes);
        assert!(!build(&hub).0, "{path} should break the build");
        assert_eq!(
            before,
            hub.output_snapshot(),
            "a failed build ({path}) changed the output"
        );
        match original {
            Some(o) => hub.write(path, o),
            None => std::fs::remove_file(hub.path(path)).unwrap(),
        }
    }
}

/// Words of a small vocabulary drawn by a fixed generator: text in which every word is common.
fn drawn_words(state: &mut u32, count: usize) -> String {
    const WORDS: [&str; 20] = [
        "data",
        "personal",
        "information",
        "we",
        "share",
        "with",
        "third",
        "parties",
        "cookies",
        "your",
        "rights",
        "may",
        "process",
        "for",
        "purposes",
        "of",
        "the",
        "and",
        "to",
        "retain",
    ];
    let words: Vec<&str> = (0..count)
        .map(|_| {
            *state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            WORDS[(*state >> 16) as usize % WORDS.len()]
        })
        .collect();
    words.join(" ")
}

#[test]
fn a_long_paragraph_rewritten_throughout_is_diffed() {
    // Two unrelated 60,000-word paragraphs: an exact word diff would take minutes.
    let hub = TempHub::fixture("basic");
    let mut state = 7;
    for day in ["2022-01-01", "2022-02-01"] {
        let body = drawn_words(&mut state, 60_000);
        hub.write(&format!("{DIR}/{day}.md"), format!("+++\n+++\n# Long\n\n{body}.\n"));
    }
    let (ok, err) = build(&hub);
    assert!(ok, "{err}");
    let diff = hub.read_output("acme/privacy-policy/2022-02-01/diff/index.html");
    assert!(
        diff.contains("<dt>Clauses edited</dt><dd>1</dd>"),
        "the paragraph was edited"
    );
    assert!(
        diff.contains("<del") && diff.contains("<ins"),
        "its redline marks words"
    );
}

#[test]
fn thousands_of_clauses_of_common_words_keep_their_ids_when_edited_and_moved() {
    // 12,000 clauses whose every word is in half of them (each is plausible beside thousands;
    // a few of the best are kept for each): each fifth clause, edited, moves two places down,
    // and keeps its id.
    let hub = TempHub::fixture("basic");
    let mut state = 11;
    let clauses: Vec<String> = (0..12_000).map(|_| drawn_words(&mut state, 12)).collect();
    let mut moved = clauses.clone();
    for i in (0..clauses.len() - 3).step_by(5) {
        moved[i] = clauses[i + 1].clone();
        moved[i + 1] = clauses[i + 2].clone();
        moved[i + 2] = format!("{} again", clauses[i]);
    }
    for (day, clauses) in [("2022-01-01", &clauses), ("2022-02-01", &moved)] {
        let body: String = clauses.iter().map(|c| format!("{c}.\n\n")).collect();
        hub.write(&format!("{DIR}/{day}.md"), format!("+++\n+++\n{body}"));
    }
    let (ok, err) = build(&hub);
    assert!(ok, "{err}");
    let ids = |day: &str| -> Vec<String> {
        let json: serde_json::Value =
            serde_json::from_str(&hub.read_output(&format!("api/acme/privacy-policy/{day}.json"))).unwrap();
        json["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (before, mut after) = (ids("2022-01-01"), ids("2022-02-01"));
    assert_eq!(before.len(), 12_000);
    for i in (0..before.len() - 3).step_by(5) {
        after[i..i + 3].rotate_right(1);
    }
    let kept = before.iter().zip(&after).filter(|(a, b)| a == b).count();
    assert_eq!(kept, 12_000, "every clause keeps its id");
}

#[test]
fn raw_html_nested_a_hundred_thousand_deep_keeps_its_words() {
    let hub = TempHub::fixture("basic");
    let body = format!(
        "+++\n+++\n# Deep\n\n{}deep words{}\n\n{}unclosed words\n\nAfter the deep blocks.\n",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000),
        "<b><i>".repeat(50_000)
    );
    hub.write(&format!("{DIR}/2022-01-01.md"), body);
    let (ok, err) = build(&hub);
    assert!(ok, "{err}");
    let page = hub.read_output("acme/privacy-policy/index.html");
    for words in ["deep words", "unclosed words", "After the deep blocks."] {
        assert!(page.contains(words), "{words}");
    }
    assert!(page.matches("<div").count() < 1_000, "no tree past the bound");
}

/// One tag of 300,000 attributes, or a value of a million character references, made the
/// HTML parser under the sanitizer take half a minute: the tag is written bare, its element and
/// words kept. (The bound is on the input's shape; how long it takes is `scripts/bench-hostile`'s.)
#[test]
fn a_tag_of_300000_attributes_or_a_million_references_keeps_its_element_and_words() {
    let hub = TempHub::fixture("basic");
    let attributes: String = (0..300_000).map(|i| format!(" a{i}=x")).collect();
    let body = format!(
        "+++\n+++\n# Wide\n\n<p{attributes}>Wide <b>words</b></p>\n\n<p title=\"{}\">Referenced words</p>\n\nAfter <a href=\"https://example.org/\" {attributes}>a link</a>.\n",
        "&amp;".repeat(1_000_000)
    );
    hub.write(&format!("{DIR}/2022-01-01.md"), body);
    let (ok, err) = build(&hub);
    assert!(ok, "{err}");
    let page = hub.read_output("acme/privacy-policy/index.html");
    assert!(
        page.contains("Wide <b>words</b>"),
        "the element's words and markup stay"
    );
    assert!(page.contains(">Referenced words"));
    assert!(
        page.contains("After <a>a link</a>."),
        "a link written bare has no href left"
    );
    assert!(
        !page.contains(" a1=") && !page.contains("&amp;&amp;"),
        "no attribute of the tags past the bound"
    );
}

/// `<div/>` opens a `div` in HTML (the slash means nothing but in SVG and MathML), so a
/// hundred thousand of them nest as deep as `<div>`s: bounded the same way, while an inline
/// SVG's self-closed paths open nothing and the blocks after it keep their markup.
#[test]
fn raw_html_of_self_closed_divs_is_bounded_and_svg_paths_are_not_counted() {
    let hub = TempHub::fixture("basic");
    let body = format!(
        "+++\n+++\n# Deep\n\n<div>{}slashed words</div>\n\n<div><svg>{}</svg><p>After the <b>picture</b>.</p></div>\n\nThe end.\n",
        "<div/>".repeat(100_000),
        "<path d=\"M0 0\"/>".repeat(1_000),
    );
    hub.write(&format!("{DIR}/2022-01-01.md"), body);
    let (ok, err) = build(&hub);
    assert!(ok, "{err}");
    let page = hub.read_output("acme/privacy-policy/index.html");
    for words in ["slashed words", "The end."] {
        assert!(page.contains(words), "{words}");
    }
    assert!(page.contains("After the <b>picture</b>."), "markup after the svg kept");
    assert!(page.matches("<div").count() < 1_000, "no tree past the bound");
}
