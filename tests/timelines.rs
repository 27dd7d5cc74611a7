//! Redlines, timelines, feeds and the terminal diff on a fixture with known edits.

mod common;

use common::TempHub;

fn built_history() -> TempHub {
    let hub = TempHub::fixture("history");
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    hub
}

#[test]
fn redline_of_known_edits() {
    let hub = built_history();
    let page = hub.read_output("acme/privacy-policy/2021-01-01/diff/index.html");
    let rows = &page[page.find("<div class=\"redline\">").unwrap()..page.find("</article>").unwrap()];
    insta::assert_snapshot!(rows);
}

#[test]
fn redline_page_summarises_and_labels_changes_in_words() {
    let hub = built_history();
    let page = hub.read_output("acme/privacy-policy/2021-01-01/diff/index.html");
    for (label, figure) in [
        ("Clauses added", 2),
        ("Clauses removed", 1),
        ("Clauses edited", 2),
        ("Clauses moved", 1),
    ] {
        assert!(
            page.contains(&format!("<dt>{label}</dt><dd>{figure}</dd>")),
            "{label} should be {figure}"
        );
    }
    for label in ["Added", "Removed", "Edited", "Moved"] {
        assert!(
            page.contains(&format!("<span class=\"change-label\">{label}</span>")),
            "no {label} label"
        );
    }
    assert!(page.contains("<del>two years</del><ins>one year</ins>"));
    let later = hub.read_output("acme/privacy-policy/2022-01-01/diff/index.html");
    assert!(
        later.contains("<details class=\"unchanged-run\"><summary>7 unchanged clauses</summary>"),
        "unchanged runs are not folded"
    );
    // Versions link to their redline; the first version has none.
    assert!(hub
        .read_output("acme/privacy-policy/2021-01-01/index.html")
        .contains("href=\"/acme/privacy-policy/2021-01-01/diff/\""));
    assert!(!hub.path("public/acme/privacy-policy/2020-01-01/diff").exists());
}

#[test]
fn policy_timeline_lists_every_version_newest_first_with_a_chart() {
    let hub = built_history();
    let page = hub.read_output("acme/privacy-policy/changes/index.html");
    let positions: Vec<usize> = ["2022-01-01", "2021-01-01", "2020-01-01"]
        .iter()
        .map(|v| {
            page.find(&format!("<time datetime=\"{v}\">"))
                .unwrap_or_else(|| panic!("{v} missing"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "not newest first");
    assert!(page.contains("Retention shortened; selling clause moved; backups clause dropped."));
    assert!(page.contains("<svg class=\"chart\""), "no chart");
    assert_eq!(page.matches("<circle").count(), 3);
}

#[test]
fn hub_and_org_timelines_and_home_list_changes() {
    let hub = built_history();
    let changes = hub.read_output("changes/index.html");
    assert!(changes.contains("href=\"/acme/privacy-policy/2022-01-01/diff/\""));
    let home = hub.read_output("index.html");
    assert!(home.contains("Recent changes"));
    assert!(home.contains("href=\"/acme/privacy-policy/2021-01-01/diff/\""));
    let org = hub.read_output("acme/index.html");
    assert_eq!(org.matches("class=\"change-entry").count(), 3);
}

#[test]
fn versions_of_one_day_are_listed_newest_first_everywhere() {
    let hub = built_history();
    let latest = std::fs::read_to_string(hub.path("content/acme/privacy-policy/2022-01-01.md")).unwrap();
    for n in 2..=3 {
        let text = latest.replace("one year", &format!("{n} years"));
        hub.write(&format!("content/acme/privacy-policy/2022-01-01.{n}.md"), text);
    }
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    let order = |page: &str| {
        let page = hub.read_output(page);
        let at = |v: &str| {
            page.find(&format!("/acme/privacy-policy/{v}/diff/"))
                .unwrap_or_else(|| panic!("{v} missing"))
        };
        [
            at("2022-01-01.3"),
            at("2022-01-01.2"),
            at("2022-01-01"),
            at("2021-01-01"),
        ]
    };
    for page in [
        "acme/index.html",
        "acme/privacy-policy/changes/index.html",
        "changes/index.html",
    ] {
        assert!(order(page).windows(2).all(|w| w[0] < w[1]), "{page}: not newest first");
    }
}

#[test]
fn feeds_are_valid_atom_with_an_entry_per_version() {
    let hub = built_history();
    let policy_feed = atom_syndication::Feed::read_from(hub.read_output("acme/privacy-policy/feed.xml").as_bytes())
        .expect("policy feed is not Atom");
    assert_eq!(policy_feed.entries().len(), 3);
    assert_eq!(policy_feed.updated().to_rfc3339(), "2022-01-01T00:00:00+00:00");
    let newest = &policy_feed.entries()[0];
    assert_eq!(
        newest.links()[0].href(),
        "https://example.org/acme/privacy-policy/2022-01-01/diff/"
    );
    assert!(
        newest.summary().unwrap().as_str().contains("edited"),
        "{:?}",
        newest.summary()
    );
    let hub_feed =
        atom_syndication::Feed::read_from(hub.read_output("feed.xml").as_bytes()).expect("hub feed is not Atom");
    assert_eq!(hub_feed.entries().len(), 3);
    let ids: std::collections::HashSet<&str> = hub_feed.entries().iter().map(|e| e.id()).collect();
    assert_eq!(ids.len(), 3, "entry ids must be unique");
    // Advertised on the pages.
    assert!(hub
        .read_output("index.html")
        .contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
    assert!(hub
        .read_output("acme/privacy-policy/index.html")
        .contains("href=\"/acme/privacy-policy/feed.xml\""));
}

fn diff(args: &[&str]) -> (bool, String, String) {
    let hub = TempHub::fixture("history");
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    let out = hub.command(&all).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn terminal_diff_defaults_to_the_two_latest_versions() {
    let (ok, out, err) = diff(&["acme/privacy-policy"]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("acme/privacy-policy: 2021-01-01 → 2022-01-01\n"),
        "{out}"
    );
    assert!(
        out.contains("We use cookies to keep you signed in{+ and to measure traffic+}."),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "piped output must be plain");
}

#[test]
fn terminal_diff_picks_versions_by_date() {
    let (ok, out, err) = diff(&["acme/privacy-policy", "2020-06-30", "2021-01-01"]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("acme/privacy-policy: 2020-01-01 → 2021-01-01\n"),
        "{out}"
    );
    assert!(out.contains("[-two years-]{+one year+}"), "{out}");
    assert!(out.contains("- retention-2 (removed)"), "{out}");
    assert!(out.contains("> data-collect-2 (moved)"), "{out}");
}

#[test]
fn terminal_diff_explains_bad_requests() {
    let (ok, _, err) = diff(&["nobody/privacy-policy"]);
    assert!(!ok);
    assert!(
        err.contains("no organisation `nobody`") && err.contains("acme/privacy-policy"),
        "{err}"
    );
    let (ok, _, err) = diff(&["acme/privacy-policy", "2010-01-01"]);
    assert!(!ok);
    assert!(
        err.contains("no version of acme/privacy-policy was in force on 1 January 2010: its first version took effect on 1 January 2020"),
        "{err}"
    );
    assert!(err.contains("diff failed: 1 error"), "{err}");
    let (ok, _, err) = diff(&["acme/privacy-policy", "yesterday"]);
    assert!(!ok);
    assert!(err.contains("neither a version nor a date"), "{err}");
}

#[test]
fn a_long_history_lists_the_versions_around_each_version_and_links_the_timeline() {
    let hub = TempHub::fixture("history");
    // 15 monthly versions of a second policy: one more clause each month.
    for month in 1..=15 {
        let (year, month) = (2020 + (month - 1) / 12, (month - 1) % 12 + 1);
        let clauses: String = (1..=month)
            .map(|n| format!("Clause number {n} of the terms.\n\n"))
            .collect();
        hub.write(
            &format!("content/acme/terms/{year}-{month:02}-01.md"),
            format!("+++\n+++\n# Terms\n\n{clauses}"),
        );
    }
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    let page = hub.read_output("acme/terms/2020-08-01/index.html");
    let foot = &page[page.find("<footer class=\"policy-footer\">").unwrap()..];
    assert!(foot.contains("<h2>Versions</h2>"), "{foot}");
    // The 8th of 15: the 11 around it (3rd to 13th), newest first, numbered down from 13.
    assert!(
        foot.contains("<ol class=\"version-list\" reversed start=\"13\">"),
        "{foot}"
    );
    let listed: Vec<&str> = foot
        .match_indices("/acme/terms/20")
        .map(|(i, _)| &foot[i + 12..i + 22])
        .collect();
    assert_eq!(listed.len(), 10, "ten links and the version itself: {listed:?}");
    assert_eq!(listed[0], "2021-01-01");
    assert_eq!(listed[9], "2020-03-01");
    assert!(
        foot.contains("<strong aria-current=\"true\">1 August 2020</strong>"),
        "{foot}"
    );
    assert!(foot.contains("<a href=\"/acme/terms/changes/\">All 15 versions, with what changed in each</a>"));
    // A short history lists every version, with no link.
    let short = hub.read_output("acme/privacy-policy/2021-01-01/index.html");
    assert!(short.contains("<h2>All versions</h2>") && !short.contains("All 3 versions"));
}

/// On the repository's real histories (GitHub's 45 versions among them), comparing two
/// consecutive versions by clause id, as `policyhub diff` and the compare page do, gives each
/// version's own redline page: the same rows and figures.
#[test]
fn comparing_consecutive_versions_by_id_gives_their_redlines() {
    use policyhub::history::{compare, version_diff, Change};
    let site = policyhub::Site::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), None).unwrap();
    let mut compared = 0;
    for (_, policyhub::SitePolicy { policy, history, .. }) in site.policies() {
        for v in 1..policy.versions.len() {
            let comparison = compare(history, v - 1, v);
            let mut expected = version_diff(history, v);
            for row in &mut expected {
                if row.change == Change::Restored {
                    row.change = Change::Added;
                }
            }
            assert_eq!(comparison.rows, expected, "{} {}", policy.slug, policy.versions[v].id);
            assert_eq!(
                comparison.figures, history.versions[v].figures,
                "{}",
                policy.versions[v].id
            );
            compared += 1;
        }
    }
    assert!(compared >= 44, "{compared}");
}

/// `tests/fixtures/redline-cases.json` holds texts of many scripts and their redlines and word
/// counts as policyhub makes them; `tests/browser/redline-engine.test.mjs` checks that the
/// compare page's script makes the same. A case too long to keep (two unrelated texts of
/// 10,000 words, past the diff's cost limit) is `generated` from a vocabulary and a seed for
/// each text, and keeps its redline's SHA-256. `UPDATE_REDLINE_CASES=1` rewrites the
/// expectations (review the diff).
#[test]
fn redline_cases_are_what_policyhub_makes() {
    use policyhub::history::{redline, word_changes, Segment};
    use sha2::{Digest, Sha256};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/redline-cases.json");
    let mut cases: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut made = cases.clone();
    for case in made.as_array_mut().unwrap() {
        let generated = case.get("generated").cloned();
        let (old, new) = match &generated {
            Some(g) => (generated_text(g, "old"), generated_text(g, "new")),
            None => (
                case["old"].as_str().unwrap().to_string(),
                case["new"].as_str().unwrap().to_string(),
            ),
        };
        let segments: Vec<serde_json::Value> = redline(&old, &new)
            .into_iter()
            .map(|s| match s {
                Segment::Same(t) => serde_json::json!(["same", t]),
                Segment::Deleted(t) => serde_json::json!(["deleted", t]),
                Segment::Inserted(t) => serde_json::json!(["inserted", t]),
            })
            .collect();
        let segments = serde_json::Value::Array(segments);
        match generated {
            Some(_) => {
                let digest = Sha256::digest(serde_json::to_string(&segments).unwrap());
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                case["redline_sha256"] = serde_json::json!(hex);
            }
            None => case["redline"] = segments,
        }
        let (inserted, deleted) = word_changes(&old, &new);
        case["words"] = serde_json::json!([inserted, deleted]);
    }
    if std::env::var_os("UPDATE_REDLINE_CASES").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&made).unwrap() + "\n").unwrap();
        cases = made.clone();
    }
    assert_eq!(cases, made, "run with UPDATE_REDLINE_CASES=1 and review the diff");
    assert!(made.as_array().unwrap().len() >= 15);
}

/// The `side` ("old" or "new") text of a generated redline case: `words` words of the
/// vocabulary's `side` range drawn by a 32-bit linear congruential generator from the side's
/// seed, joined by spaces (`redline-engine.test.mjs` draws the same).
fn generated_text(g: &serde_json::Value, side: &str) -> String {
    let vocabulary: Vec<&str> = g["vocabulary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    let range = &g[side];
    let (from, to) = (
        range["from"].as_u64().unwrap() as usize,
        range["to"].as_u64().unwrap() as usize,
    );
    let mut state = range["seed"].as_u64().unwrap() as u32;
    let words: Vec<&str> = (0..g["words"].as_u64().unwrap())
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            vocabulary[from + (state >> 16) as usize % (to - from)]
        })
        .collect();
    words.join(" ")
}
