use super::*;
use crate::config::TopicsConfig;
use crate::content::Org;
use crate::document::parse;
use crate::history::anchor_policy;

fn link(text: &str) -> (PolicyHistory, VersionLinks) {
    let history = anchor_policy(vec![parse(text)]);
    let org = Org {
        slug: "acme".into(),
        name: "Acme".into(),
        website: None,
        description: None,
        country: None,
        policies: Vec::new(),
    };
    let rules = TopicRules::new(&TopicsConfig::default());
    let mut links = link_org(&org, std::slice::from_ref(&history), &rules);
    let version = links.remove(0).versions.remove(0);
    (history, version)
}

/// Each block's spans as (text, kind).
fn spans(history: &PolicyHistory, links: &VersionLinks) -> Vec<Vec<(String, SpanKind)>> {
    let blocks = &history.versions[0].blocks;
    links
        .spans
        .iter()
        .zip(blocks)
        .map(|(s, b)| {
            s.iter()
                .map(|s| (b.block.html[s.start..s.end].to_string(), s.kind))
                .collect()
        })
        .collect()
}

#[test]
fn later_uses_link_to_the_definition_but_not_in_headings_links_or_itself() {
    let (h, l) = link(
        "# P\n\nAcme runs a website (the “Site”). The Site is nice.\n\n## About the Site\n\nUse the Site and the Site. See [the Site](https://x.org) and `Site`.\n\nMany Sites.\n",
    );
    assert_eq!(l.definitions.len(), 1);
    assert_eq!(l.definitions[0].term, "Site");
    let s = spans(&h, &l);
    assert_eq!(
        s[1],
        [("Site".to_string(), SpanKind::Defining(0))],
        "definition: dfn, no self-link"
    );
    assert!(s[2].is_empty(), "no link in a heading");
    assert_eq!(
        s[3],
        [("Site".to_string(), SpanKind::Term(0))],
        "first use per clause, not in <a> or code"
    );
    assert_eq!(s[4], [("Sites".to_string(), SpanKind::Term(0))], "plurals");
}

#[test]
fn uses_before_the_definition_stay_text() {
    let (h, l) = link("# P\n\nThe Data we hold.\n\nWe collect information (\"Data\").\n");
    assert!(spans(&h, &l)[1].is_empty());
}

#[test]
fn organisation_name_and_pronouns_are_not_terms() {
    let (_, l) = link("# P\n\nAcme, Inc. (“Acme,” “we,” “us,” or “our”) and you (“You”).\n");
    assert!(l.definitions.is_empty(), "{:?}", l.definitions);
}

#[test]
fn references_and_topics() {
    let (h, l) = link("# P\n\n## 1. Security\n\nWe encrypt data.\n\n## 2. Retention\n\nAs said in Section 1, we retain data. See Section 7.\n");
    let s = spans(&h, &l);
    assert_eq!(s[4], [("Section 1".to_string(), SpanKind::Section(1))]);
    let rules = TopicRules::new(&TopicsConfig::default());
    let slug = |i: usize| rules.topics[i].slug.as_str();
    assert!(l.topics[2].iter().any(|&t| slug(t) == "data-security"));
    assert!(l.topics[4].iter().any(|&t| slug(t) == "data-retention"));
    assert!(l.topics[1].is_empty(), "headings carry no topics");
}

#[test]
fn a_link_back_to_the_top_is_about_no_topic() {
    let (_, l) = link(
        "# P

## Data retention

We retain data for a year.

[Back to top](#top)

[Our retention schedule](https://example.com/retention)
",
    );
    assert!(!l.topics[2].is_empty(), "the clause is tagged by its section");
    assert!(l.topics[3].is_empty(), "navigation is not: {:?}", l.topics[3]);
    assert!(!l.topics[4].is_empty(), "a link elsewhere is tagged as a clause");
}

#[test]
fn a_version_links_its_first_thousand_definitions() {
    let mut text = String::from("# P\n\n");
    for n in 0..MAX_DEFINITIONS + 200 {
        text.push_str(&format!("\"Term{n}\" means thing {n}.\n\n"));
    }
    text.push_str("Term0 and Term999 and Term1000.\n");
    let (h, l) = link(&text);
    assert_eq!(l.definitions.len(), MAX_DEFINITIONS);
    assert_eq!(l.unlinked_definitions, 200, "what the build warns of");
    let last = spans(&h, &l).pop().unwrap();
    let linked: Vec<&str> = last.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(linked, ["Term0", "Term999"], "the 1,001st definition is not linked");
}
