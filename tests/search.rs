//! The search index: built with every site, it holds a record for each clause of a seed
//! policy (found through pagefind's own fragment files), earlier wordings point to the last
//! version that had them, and the same site gives the same index bytes.

mod common;

use std::io::Read;

use common::TempHub;

/// Every record of the built index, as the JSON pagefind stores in its fragment files.
fn fragments(hub: &TempHub) -> Vec<serde_json::Value> {
    let dir = hub.path("public/pagefind/fragment");
    let mut records = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("no pagefind/fragment folder") {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .expect("a fragment is gzipped text");
        let json = text
            .strip_prefix("pagefind_dcd")
            .expect("pagefind's fragment signature");
        records.push(serde_json::from_str(json).expect("a fragment is JSON"));
    }
    records
}

#[test]
fn the_index_finds_a_phrase_of_a_seed_policy_at_its_clause() {
    let hub = TempHub::repository();
    let (ok, _, stderr) = hub.build();
    assert!(ok, "{stderr}");
    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
    ] {
        assert!(hub.path("public").join(file).is_file(), "no {file}");
    }
    assert!(hub.path("public/search/index.html").is_file());
    let entry: serde_json::Value = serde_json::from_str(&hub.read_output("pagefind/pagefind-entry.json")).unwrap();
    let records = fragments(&hub);
    assert_eq!(entry["languages"]["en"]["page_count"], records.len());
    let found: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| {
            r["content"]
                .as_str()
                .is_some_and(|c| c.contains("Work and salary history"))
        })
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let record = found[0];
    let url = record["url"].as_str().unwrap();
    let id = url
        .strip_prefix("xmatters/privacy-policy/#")
        .unwrap_or_else(|| panic!("{url}"));
    assert_eq!(record["meta"]["org"], "xMatters, Inc.");
    assert_eq!(record["meta"]["version"], "10 December 2015");
    assert_eq!(record["filters"]["org"][0], "xmatters");
    assert_eq!(record["filters"]["status"][0], "latest");
    // The URL's fragment is that clause on the canonical page.
    let page = hub.read_output("xmatters/privacy-policy/index.html");
    let start = page
        .find(&format!("id=\"{id}\" data-clause=\"{id}\""))
        .expect("the anchor exists");
    assert!(page[start..]
        .split("</li>")
        .next()
        .unwrap()
        .contains("Work and salary history"));
}

#[test]
fn earlier_wordings_are_indexed_once_at_the_last_version_that_had_them() {
    let hub = TempHub::fixture("history");
    assert!(hub.build().0);
    let records = fragments(&hub);
    let mut seen = std::collections::HashSet::new();
    for r in &records {
        let url = r["url"].as_str().unwrap();
        let status = r["filters"]["status"][0].as_str().unwrap();
        let latest = !url.trim_start_matches("acme/privacy-policy/").starts_with("20");
        assert_eq!(status == "latest", latest, "{url}");
        let id = url.split('#').nth(1).unwrap();
        assert!(
            seen.insert((id.to_string(), r["content"].to_string())),
            "indexed twice: {r}"
        );
    }
    let versions = 3;
    let latest_clauses = records.iter().filter(|r| r["filters"]["status"][0] == "latest").count();
    assert!(records.len() < versions * latest_clauses, "{} records", records.len());
    assert!(records.len() > latest_clauses, "earlier wordings are searchable");
}

#[test]
fn the_index_is_the_same_for_the_same_site() {
    let one = TempHub::fixture("history");
    let two = TempHub::fixture("history");
    assert!(one.build().0 && two.build().0);
    let index = |hub: &TempHub| -> Vec<(String, Vec<u8>)> {
        hub.output_snapshot()
            .into_iter()
            .filter(|(p, _)| p.starts_with("pagefind/"))
            .collect()
    };
    let a = index(&one);
    assert!(!a.is_empty());
    assert_eq!(a, index(&two));
}
