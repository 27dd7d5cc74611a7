//! Change classes end to end: what timelines, redlines, `policyhub diff`, the feeds, the JSON
//! API and the changes dataset say of each change, and that they agree with one another.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::TempHub;
use serde_json::Value;

/// The changes dataset as rows keyed by column name.
fn dataset(hub: &TempHub) -> Vec<BTreeMap<String, String>> {
    let text = hub.read_output("api/changes.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "org",
            "policy",
            "version",
            "previous_version",
            "effective",
            "captured",
            "clause",
            "kind",
            "change",
            "class",
            "reason",
            "topics",
            "words_added",
            "words_removed",
            "url"
        ]
    );
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn json(hub: &TempHub, rel: &str) -> Value {
    serde_json::from_str(&hub.read_output(rel)).unwrap()
}

/// The (clause id, class) of every classed row of a redline page, in order.
fn redline_classes(html: &str) -> Vec<(String, String)> {
    let document = scraper::Html::parse_document(html);
    let rows = scraper::Selector::parse(".redline .row").unwrap();
    document
        .select(&rows)
        .filter_map(|row| {
            let class = row
                .value()
                .classes()
                .find_map(|c| c.strip_prefix("class-"))?
                .to_string();
            let id = row.first_child()?.value().as_element()?.attr("id")?.to_string();
            Some((id, class))
        })
        .collect()
}

#[test]
fn the_dataset_the_api_and_the_redlines_list_the_same_changes_with_the_same_classes() {
    let hub = TempHub::fixture("history");
    assert!(hub.build().0);
    let rows = dataset(&hub);
    assert!(!rows.is_empty());
    let policy = json(&hub, "api/acme/privacy-policy.json");
    let versions = policy["versions"].as_array().unwrap();
    for (v, version) in versions.iter().enumerate().skip(1) {
        let id = version["id"].as_str().unwrap();
        let csv: Vec<(String, String)> = rows
            .iter()
            .filter(|r| r["version"] == id)
            .map(|r| (r["clause"].clone(), r["class"].clone()))
            .collect();
        let redline = redline_classes(&hub.read_output(&format!("acme/privacy-policy/{id}/diff/index.html")));
        assert_eq!(csv, redline, "version {id}: the dataset and the redline");
        let api = json(&hub, &format!("api/acme/privacy-policy/{id}.json"));
        let listed: Vec<(String, String)> = api["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap().to_string(),
                    c["class"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(listed, csv, "version {id}: the API and the dataset");
        // The version's class is its weightiest change's, and its counts are the rows'.
        let count = |class: &str| csv.iter().filter(|(_, c)| c == class).count() as u64;
        for class in ["formatting", "editorial", "substantive"] {
            assert_eq!(version["classes"][class], count(class), "version {id}: {class}");
        }
        let weightiest = ["substantive", "editorial", "formatting"]
            .into_iter()
            .find(|c| count(c) > 0)
            .unwrap_or("formatting");
        assert_eq!(version["class"], weightiest, "version {id}");
        assert!(
            rows.iter()
                .filter(|r| r["version"] == id)
                .all(|r| r["previous_version"] == versions[v - 1]["id"]),
            "version {id}: compared with the version before it"
        );
    }
    assert!(versions[0]["class"].is_null(), "a first version has no class");
    // A known change: two years became one year, a duration, substantive with its reason.
    let retention = rows
        .iter()
        .find(|r| r["clause"] == "retention-1" && r["change"] == "modified")
        .unwrap();
    assert_eq!(retention["class"], "substantive");
    assert_eq!(retention["reason"], "“two years after” → “one year after”");
    assert_eq!(
        (retention["words_added"].as_str(), retention["words_removed"].as_str()),
        ("2", "2")
    );
    assert!(
        retention["url"].ends_with("/acme/privacy-policy/2021-01-01/diff/#retention-1"),
        "{retention:?}"
    );
}

#[test]
fn every_feed_is_atom_and_the_substantive_and_topic_feeds_list_the_right_changes() {
    let hub = TempHub::fixture("history");
    assert!(hub.build().0);
    let rows = dataset(&hub);
    let feed = |rel: &str| -> atom_syndication::Feed {
        hub.read_output(rel)
            .parse()
            .unwrap_or_else(|e| panic!("{rel} is not Atom: {e}"))
    };
    for rel in [
        "feed.xml",
        "feed-substantive.xml",
        "acme/feed.xml",
        "acme/privacy-policy/feed.xml",
    ] {
        assert!(!feed(rel).entries().is_empty(), "{rel}");
    }
    // Substantive-only feeds: exactly the substantive versions.
    let policy = json(&hub, "api/acme/privacy-policy.json");
    let substantive: BTreeSet<String> = policy["versions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["class"] == "substantive")
        .map(|v| v["url"].as_str().unwrap().to_string())
        .collect();
    for rel in ["feed-substantive.xml", "acme/privacy-policy/feed-substantive.xml"] {
        let ids: BTreeSet<String> = feed(rel).entries().iter().map(|e| e.id().to_string()).collect();
        assert_eq!(ids, substantive, "{rel}");
    }
    // Each topic feed: the substantive changes to clauses of that topic, each at its clause.
    let mut topics_with_entries = 0;
    for topic in std::fs::read_dir(hub.path("public/topics")).unwrap() {
        let topic = topic.unwrap();
        if !topic.path().is_dir() {
            continue;
        }
        let slug = topic.file_name().to_string_lossy().to_string();
        let links: BTreeSet<String> = feed(&format!("topics/{slug}/feed.xml"))
            .entries()
            .iter()
            .map(|e| e.links()[0].href().to_string())
            .collect();
        let expected: BTreeSet<String> = rows
            .iter()
            .filter(|r| r["class"] == "substantive" && r["topics"].split(' ').any(|t| t == slug))
            .map(|r| r["url"].clone())
            .collect();
        assert_eq!(links, expected, "topic {slug}");
        topics_with_entries += usize::from(!links.is_empty());
    }
    assert!(topics_with_entries > 0, "some topic has a substantive change");
}

#[test]
fn timelines_and_redlines_mark_classes_and_filter_without_javascript() {
    let hub = TempHub::fixture("history");
    assert!(hub.build().0);
    let timeline = hub.read_output("acme/privacy-policy/changes/index.html");
    assert!(
        timeline.contains("<strong class=\"badge-class badge-substantive\">Substantive</strong>"),
        "{timeline}"
    );
    assert!(
        timeline.contains("<p class=\"change-class\">Substantive: "),
        "{timeline}"
    );
    for page in [
        "acme/privacy-policy/changes/index.html",
        "acme/privacy-policy/2021-01-01/diff/index.html",
        "changes/index.html",
        "acme/index.html",
    ] {
        let html = hub.read_output(page);
        for target in ["hide-formatting", "substantive-only"] {
            assert!(html.contains(&format!("id=\"{target}\"")), "{page}");
            assert!(html.contains(&format!("href=\"#{target}\"")), "{page}");
        }
    }
    let css = hub.read_output("style.css");
    assert!(
        css.contains("#substantive-only:target ~ .timeline .change-editorial"),
        "the stylesheet filters"
    );
    let redline = hub.read_output("acme/privacy-policy/2021-01-01/diff/index.html");
    assert!(redline.contains("<p class=\"change-why\"><span class=\"badge-class badge-substantive\">Substantive</span> “two years after” → “one year after”</p>"), "{redline}");
}

#[test]
fn a_formatting_only_version_is_said_and_folded_and_declared_renames_are_editorial() {
    let hub = TempHub::fixture("history");
    hub.write(
        "site.toml",
        "title = \"H\"\nbase_url = \"https://example.org\"\n[changes]\nrenames = [[\"Acme\", \"Globex\"]]\n",
    );
    hub.write("content/beta/org.toml", "name = \"Beta\"\n");
    hub.write("content/beta/privacy-policy/2020-01-01.md", "+++\neffective = 2020-01-01\n+++\n# Privacy\n\n## Sharing\n\nAcme shares your data with partners.\n\n- We keep logs.\n");
    hub.write("content/beta/privacy-policy/2021-01-01.md", "+++\neffective = 2021-01-01\n+++\n# Privacy\n\n## SHARING\n\nGlobex shares your data with partners.\n\nWe keep logs.\n");
    hub.write("content/beta/privacy-policy/2022-01-01.md", "+++\neffective = 2022-01-01\n+++\n# Privacy\n\n### Sharing\n\nGlobex shares your data with partners.\n\nWe keep logs.\n");
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    let policy = json(&hub, "api/beta/privacy-policy.json");
    let versions = policy["versions"].as_array().unwrap();
    assert_eq!(versions[1]["class"], "editorial", "{:?}", versions[1]);
    assert!(
        versions[1]["class_reason"]
            .as_str()
            .unwrap()
            .contains("rename: Acme → Globex"),
        "{:?}",
        versions[1]
    );
    assert_eq!(versions[2]["class"], "formatting");
    assert_eq!(versions[2]["class_reason"], "case, heading level 2 → 3");
    let timeline = hub.read_output("beta/privacy-policy/changes/index.html");
    assert!(
        timeline.contains("<li class=\"change-entry change-formatting\">"),
        "{timeline}"
    );
    assert!(timeline.contains("Formatting only</strong>"), "{timeline}");
    // The terminal says the same.
    let out = hub
        .command(&["diff", "beta/privacy-policy", "2020-01-01", "2021-01-01"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Classes: 0 substantive, 1 editorial, 2 formatting."),
        "{text}"
    );
    assert!(text.contains("  · editorial: rename: Acme → Globex"), "{text}");
}

#[test]
fn a_bad_changes_table_is_an_error_with_its_line() {
    let hub = TempHub::fixture("history");
    hub.write(
        "site.toml",
        "title = \"H\"\nbase_url = \"https://example.org\"\n[changes]\nrename = [[\"A\", \"B\"]]\n",
    );
    let (ok, _, err) = hub.build();
    assert!(!ok);
    assert!(
        err.contains("site.toml") && err.contains(":4") && err.contains("rename"),
        "{err}"
    );
    hub.write(
        "site.toml",
        "title = \"H\"\nbase_url = \"https://example.org\"\n[changes]\nrenames = [\"Acme\"]\n",
    );
    let (ok, _, err) = hub.build();
    assert!(!ok);
    assert!(
        err.contains("site.toml:4") && err.contains("expected a tuple of size 2"),
        "{err}"
    );
}
