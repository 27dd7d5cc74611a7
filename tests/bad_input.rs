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
