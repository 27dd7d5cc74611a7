//! The JSON API's schema (DESIGN §9, README "JSON API"): every file exists for every org,
//! policy and version, with exactly the documented fields and types.

mod common;

use serde_json::Value;

use common::TempHub;

/// Fails unless `value` is an object with exactly `keys`, in that order.
fn keys(value: &Value, keys: &[&str], what: &str) {
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object: {value}"));
    let found: Vec<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(found, keys, "fields of {what}");
}

fn is_date(value: &Value) -> bool {
    value.as_str().is_some_and(|s| s.len() == 10 && s.as_bytes()[4] == b'-')
}

#[test]
fn every_api_file_has_exactly_the_documented_fields() {
    let hub = TempHub::fixture("history");
    assert!(hub.build().0);
    let read = |rel: &str| -> Value { serde_json::from_str(&hub.read_output(rel)).unwrap() };
    let index = read("api/index.json");
    keys(
        &index,
        &["generator", "title", "base_url", "reference_date", "orgs"],
        "index.json",
    );
    // The history fixture has no capture date: its newest version vouches for its own day.
    assert_eq!(index["reference_date"], "2022-01-01");
    let mut versions_seen = 0;
    for org in index["orgs"].as_array().unwrap() {
        keys(org, &["slug", "name", "url", "website", "policies"], "index org");
        for policy in org["policies"].as_array().unwrap() {
            keys(
                policy,
                &["slug", "title", "url", "api", "latest", "versions"],
                "index policy",
            );
            let (o, p) = (org["slug"].as_str().unwrap(), policy["slug"].as_str().unwrap());
            let summary = read(&format!("api/{o}/{p}.json"));
            keys(
                &summary,
                &[
                    "org", "org_name", "policy", "title", "url", "live_url", "versions", "lineages",
                ],
                "policy json",
            );
            for version in summary["versions"].as_array().unwrap() {
                keys(
                    version,
                    &[
                        "id",
                        "announced",
                        "effective",
                        "captured",
                        "status",
                        "notice_days",
                        "early",
                        "summary",
                        "url",
                        "api",
                        "changes",
                        "class",
                        "class_reason",
                        "classes",
                    ],
                    "policy version",
                );
                keys(
                    &version["classes"],
                    &["formatting", "editorial", "substantive"],
                    "classes",
                );
                let class = &version["class"];
                assert!(
                    class.is_null() || ["formatting", "editorial", "substantive"].contains(&class.as_str().unwrap())
                );
                assert_eq!(class.is_null(), version["class_reason"].is_null());
                assert!(is_date(&version["effective"]));
                assert!(["pending", "in-force", "superseded"].contains(&version["status"].as_str().unwrap()));
                keys(
                    &version["changes"],
                    &[
                        "added",
                        "removed",
                        "modified",
                        "moved",
                        "unchanged",
                        "words_added",
                        "words_removed",
                    ],
                    "changes",
                );
            }
            for lineage in summary["lineages"].as_array().unwrap() {
                keys(
                    lineage,
                    &[
                        "id",
                        "kind",
                        "first_version",
                        "last_version",
                        "removed_in",
                        "changes",
                        "split_from",
                        "merged_into",
                        "merges",
                    ],
                    "lineage",
                );
                assert!(lineage["changes"].is_u64());
            }
            for version in policy["versions"].as_array().unwrap() {
                keys(version, &["id", "effective", "status", "url", "api"], "index version");
                let v = version["id"].as_str().unwrap();
                let data = read(&format!("api/{o}/{p}/{v}.json"));
                keys(
                    &data,
                    &[
                        "org",
                        "policy",
                        "version",
                        "announced",
                        "effective",
                        "status",
                        "url",
                        "class",
                        "classes",
                        "clauses",
                        "changes",
                    ],
                    "version json",
                );
                for change in data["changes"].as_array().unwrap() {
                    keys(change, &["id", "change", "class", "reason"], "change");
                    assert!(!change["reason"].as_str().unwrap().is_empty());
                }
                assert_eq!(data["url"], version["url"]);
                for clause in data["clauses"].as_array().unwrap() {
                    keys(clause, &["id", "kind", "section", "text", "topics"], "clause");
                    assert!(clause["section"].is_null() || clause["section"].is_string());
                    assert!(clause["topics"].is_array());
                }
                versions_seen += 1;
            }
        }
    }
    assert_eq!(versions_seen, 3);
}
