//! Clauses with permanent anchors across versions: ids survive edits and moves, the latest
//! page resolves every id ever minted, histories show redlines, and the JSON matches pages.

mod common;

use std::collections::HashSet;

use common::{ids, TempHub};
use serde_json::Value;

fn json(hub: &TempHub, rel: &str) -> Value {
    serde_json::from_str(&hub.read_output(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn clause_id(version: &Value, starts_with: &str) -> String {
    version["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["text"].as_str().unwrap().starts_with(starts_with))
        .unwrap_or_else(|| panic!("no clause starting {starts_with:?}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn edited_and_moved_clauses_keep_their_ids() {
    let hub = TempHub::fixture("history");
    assert!(hub.build().0);
    let v1 = json(&hub, "api/acme/privacy-policy/2020-01-01.json");
    let v2 = json(&hub, "api/acme/privacy-policy/2021-01-01.json");
    // Edited in place.
    assert_eq!(
        clause_id(&v1, "We collect your name"),
        clause_id(&v2, "We collect your name")
    );
    assert_eq!(clause_id(&v1, "We keep your data"), clause_id(&v2, "We keep your data"));
    // Moved to another section.
    let sell = clause_id(&v1, "We never sell");
    assert_eq!(sell, clause_id(&v2, "We never sell"));
    let moved = v2["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == sell.as_str())
        .unwrap();
    assert_eq!(moved["section"], "retention");
    // New clause, new id, never one used before.
    let cookies = clause_id(&v2, "We use cookies");
    let v1_ids: HashSet<&str> = v1["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(!v1_ids.contains(cookies.as_str()));
}

#[test]
fn latest_page_resolves_every_id_ever_minted() {
    let hub = TempHub::fixture("history");
    assert!(hub.build().0);
    let latest: HashSet<String> = ids(&hub.read_output("acme/privacy-policy/index.html"))
        .into_iter()
        .collect();
    for version in ["2020-01-01", "2021-01-01", "2022-01-01"] {
        let v = json(&hub, &format!("api/acme/privacy-policy/{version}.json"));
        for clause in v["clauses"].as_array().unwrap() {
            let id = clause["id"].as_str().unwrap();
            assert!(
                latest.contains(id),
                "{id} of {version} does not resolve on the latest page"
            );
        }
    }
    let page = hub.read_output("acme/privacy-policy/index.html");
    let stub = page
        .lines()
        .find(|l| l.contains("clause-removed"))
        .expect("no removed stub");
    assert!(stub.contains("Removed on 1 January 2021"), "{stub}");
    assert!(stub.contains("Backups are erased after ninety days."), "{stub}");
    assert!(stub.contains("href=\"/acme/privacy-policy/2020-01-01/#"), "{stub}");
}

#[test]
fn clause_history_page_shows_every_change_with_a_redline() {
    let hub = TempHub::fixture("history");
    assert!(hub.build().0);
    let v1 = json(&hub, "api/acme/privacy-policy/2020-01-01.json");
    let retention = clause_id(&v1, "We keep your data");
    let page = hub.read_output("acme/privacy-policy/clauses/index.html");
    let section = &page[page
        .find(&format!("<section id=\"{retention}\""))
        .expect("no lineage section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains("<del>two years</del><ins>one year</ins>"), "{section}");
    assert!(section.contains("changed 1 time"), "{section}");
    // The clause on the latest page links to that history and counts its change.
    let latest = hub.read_output("acme/privacy-policy/index.html");
    assert!(latest.contains(&format!("href=\"clauses/#{retention}\">changed 1×</a>")));
}

#[test]
fn json_clauses_match_the_version_pages() {
    let hub = TempHub::repository();
    assert!(hub.build().0);
    let index = json(&hub, "api/index.json");
    let orgs = index["orgs"].as_array().unwrap();
    assert_eq!(orgs.len(), 6, "the five seeds and GitHub");
    for org in orgs {
        for policy in org["policies"].as_array().unwrap() {
            let summary = json(
                &hub,
                &format!(
                    "api/{}/{}.json",
                    org["slug"].as_str().unwrap(),
                    policy["slug"].as_str().unwrap()
                ),
            );
            assert!(!summary["lineages"].as_array().unwrap().is_empty());
            for version in policy["versions"].as_array().unwrap() {
                let (o, p, v) = (
                    org["slug"].as_str().unwrap(),
                    policy["slug"].as_str().unwrap(),
                    version["id"].as_str().unwrap(),
                );
                let data = json(&hub, &format!("api/{o}/{p}/{v}.json"));
                let page = hub.read_output(&format!("{o}/{p}/{v}/index.html"));
                let page_clauses: Vec<String> = page
                    .split("data-clause=\"")
                    .skip(1)
                    .map(|r| r[..r.find('"').unwrap()].to_string())
                    .collect();
                let json_clauses: Vec<String> = data["clauses"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["id"].as_str().unwrap().to_string())
                    .collect();
                assert_eq!(page_clauses, json_clauses, "{o}/{p}/{v}: JSON and page disagree");
                for clause in data["clauses"].as_array().unwrap() {
                    for key in ["id", "kind", "section", "text", "topics"] {
                        assert!(clause.get(key).is_some(), "{o}/{p}/{v}: clause without {key}");
                    }
                }
            }
        }
    }
}

#[test]
fn policy_json_snapshot() {
    let hub = TempHub::fixture("history");
    assert!(hub.build().0);
    insta::assert_snapshot!(serde_json::to_string_pretty(&json(&hub, "api/acme/privacy-policy.json")).unwrap());
}

#[test]
fn version_json_snapshot() {
    let hub = TempHub::fixture("history");
    assert!(hub.build().0);
    insta::assert_snapshot!(
        serde_json::to_string_pretty(&json(&hub, "api/acme/privacy-policy/2021-01-01.json")).unwrap()
    );
}

#[test]
fn a_clause_merged_twice_keeps_both_merges_in_its_lineage_and_history_page() {
    let hub = TempHub::fixture("basic");
    let apart = "# Acme Privacy Policy\n\n## Data\n\nWe collect your name, email address and phone number when you register.\n\nWe use them to verify your identity and to prevent fraud.\n\n## Retention\n\nWe keep data for two years.\n";
    let together = "# Acme Privacy Policy\n\n## Data\n\nWe collect your name, email address and phone number when you register, and we use them to verify your identity and to prevent fraud.\n\n## Retention\n\nWe keep data for two years.\n";
    for entry in std::fs::read_dir(hub.path("content/acme/privacy-policy")).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    for (date, text) in [
        ("2020-01-01", apart),
        ("2021-01-01", together),
        ("2022-01-01", apart),
        ("2023-01-01", together),
    ] {
        hub.write(
            &format!("content/acme/privacy-policy/{date}.md"),
            format!("+++\neffective = {date}\n+++\n{text}"),
        );
    }
    let (ok, _, stderr) = hub.build();
    assert!(ok, "{stderr}");
    let part = clause_id(&json(&hub, "api/acme/privacy-policy/2020-01-01.json"), "We use them");
    let whole = clause_id(
        &json(&hub, "api/acme/privacy-policy/2023-01-01.json"),
        "We collect your name",
    );
    let summary = json(&hub, "api/acme/privacy-policy.json");
    let lineage = summary["lineages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == part.as_str())
        .expect("the part's lineage");
    assert_eq!(lineage["merged_into"], whole.as_str());
    let merges: Vec<(&str, &str)> = lineage["merges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["version"].as_str().unwrap(), m["into"].as_str().unwrap()))
        .collect();
    assert_eq!(
        merges,
        vec![("2021-01-01", whole.as_str()), ("2023-01-01", whole.as_str())]
    );
    let page = hub.read_output("acme/privacy-policy/clauses/index.html");
    let section = &page[page
        .find(&format!("<section id=\"{part}\""))
        .expect("no lineage section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert_eq!(section.matches("Merged into").count(), 2, "{section}");
    let latest = hub.read_output("acme/privacy-policy/index.html");
    let stub = latest
        .lines()
        .find(|l| l.contains(&format!("id=\"{part}\"")))
        .expect("the part's stub");
    assert!(stub.contains(&format!("Merged into <a href=\"#{whole}\">")), "{stub}");
}
