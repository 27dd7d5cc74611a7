//! Cross-links on the seed hub (DESIGN §5): defined terms link to their definitions, the
//! glossary groups every term, references resolve, topic pages compare organisations, and a
//! hub's `[topics]` replaces or extends the defaults.

mod common;

use common::TempHub;
use scraper::{ElementRef, Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef<'_>) -> String {
    e.text().collect::<String>()
}

fn built_repository() -> TempHub {
    let hub = TempHub::repository();
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    hub
}

#[test]
fn seed_hub_terms_glossary_and_topics() {
    let hub = built_repository();

    // Parature's uses of "Site" link to its definition, which is a clause holding a <dfn>.
    let page = Html::parse_document(&hub.read_output("parature/privacy-policy/index.html"));
    let site_links: Vec<ElementRef> = page.select(&sel("a.term")).filter(|a| text(*a) == "Site").collect();
    assert!(site_links.len() > 5, "{} links to Site", site_links.len());
    let target = site_links[0]
        .value()
        .attr("href")
        .unwrap()
        .trim_start_matches('#')
        .to_string();
    let definition = page
        .select(&sel(&format!("[id=\"{target}\"]")))
        .next()
        .expect("definition clause");
    assert!(definition.select(&sel("dfn")).any(|d| text(d) == "Site"));
    assert!(text(definition).contains("(the “Site“)"));
    for a in &site_links {
        assert_eq!(a.value().attr("aria-describedby"), Some(target.as_str()));
        assert!(a.value().attr("data-definition").unwrap().contains("“Site“"));
    }

    // Negative cases: no term link inside a heading, inside another link, or nested.
    assert_eq!(page.select(&sel(".section-heading a.term, h1 a.term")).count(), 0);
    assert_eq!(page.select(&sel("a a")).count(), 0);
    assert_eq!(page.select(&sel("dfn a.term")).count(), 0);

    // Nexmo's "Personal Information" is in the glossary, linking to Nexmo's defining clause.
    let glossary = Html::parse_document(&hub.read_output("glossary/index.html"));
    let entry = glossary
        .select(&sel("dt"))
        .find(|dt| text(*dt) == "Personal Information")
        .expect("Personal Information in the glossary");
    let id = entry.value().attr("id").unwrap();
    assert_eq!(id, "term-personal-information");
    let nexmo = glossary
        .select(&sel("dd a"))
        .filter_map(|a| a.value().attr("href"))
        .find(|h| h.contains("/nexmo/privacy-policy/#"))
        .expect("a Nexmo definition");
    let nexmo_page = hub.read_output("nexmo/privacy-policy/index.html");
    let fragment = nexmo.split('#').nth(1).unwrap();
    assert!(nexmo_page.contains(&format!("id=\"{fragment}\"")));

    // The data-retention topic page lists xMatters and XMedius, with clauses on retention.
    let topic = Html::parse_document(&hub.read_output("topics/data-retention/index.html"));
    let orgs_with_clauses: Vec<String> = topic
        .select(&sel("section.topic-org"))
        .filter(|s| s.select(&sel(".topic-clauses li")).next().is_some())
        .map(|s| text(s.select(&sel("h2")).next().unwrap()))
        .collect();
    for org in ["xMatters", "XMedius"] {
        assert!(
            orgs_with_clauses.iter().any(|o| o.contains(org)),
            "{orgs_with_clauses:?}"
        );
    }
    let topics = hub.read_output("topics/index.html");
    assert!(topics.contains("Data retention") && topics.contains("Do Not Track"));

    // Chips on clauses link to topic pages; the API carries the topics.
    assert!(page.select(&sel(".clause .clause-topics a.topic-chip")).count() > 10);
    let api: serde_json::Value =
        serde_json::from_str(&hub.read_output("api/xmatters/privacy-policy/2015-12-10.json")).unwrap();
    let tagged = api["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["topics"].as_array().unwrap().iter().any(|t| t == "data-retention"))
        .count();
    assert!(tagged > 0);
}

#[test]
fn section_reference_resolves_to_the_section() {
    let hub = built_repository();
    let page = Html::parse_document(&hub.read_output("xmedius/privacy-policy/index.html"));
    let xref = page
        .select(&sel("a.xref"))
        .find(|a| text(*a) == "Section 3")
        .expect("XMedius's \"Section 3 above\" links");
    let target = xref.value().attr("href").unwrap().trim_start_matches('#');
    let heading = page
        .select(&sel(&format!(".section-heading[id=\"{target}\"]")))
        .next()
        .expect("a section heading");
    assert!(text(heading).starts_with("WHAT INFORMATION WE COLLECT"));
}

/// A glossary of terms in other scripts: each term's fragment is its words transliterated,
/// not `term-` with every letter dropped (and numbered, `term--2`, `term--3`, …).
#[test]
fn terms_of_any_script_have_fragments_of_their_own() {
    let hub = TempHub::fixture("basic");
    hub.write(
        "content/acme/privacy-policy/2022-01-01.md",
        "+++\n+++\n# Politique\n\nNous traitons vos données (the “Données personnelles”) avec soin.\n\nМы обрабатываем данные (the “Персональные данные”) бережно.\n\nWe also keep logs (the “Journaux”) for a year.\n",
    );
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    let glossary = Html::parse_document(&hub.read_output("glossary/index.html"));
    let mut ids: Vec<&str> = glossary
        .select(&sel("dt"))
        .filter_map(|dt| dt.value().attr("id"))
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        ["term-donnees-personnelle", "term-journaux", "term-personal-nye-dannye"]
    );
}

#[test]
fn a_term_named_as_a_character_reference_leaves_the_text_as_it_reads() {
    // A hostile capture defines "amp" and "lt": the page still reads "Terms & Conditions".
    let hub = TempHub::fixture("basic");
    hub.write(
        "content/acme/privacy-policy/2022-01-01.md",
        "+++\n+++\n# Policy\n\nThe \"amp\" means nothing. The \"lt\" means nothing.\n\nRead our Terms & Conditions: children < 13 never sign up.\n",
    );
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    let page = Html::parse_document(&hub.read_output("acme/privacy-policy/index.html"));
    let clauses: Vec<String> = page.select(&sel("main p.clause")).map(text).collect();
    assert!(
        clauses
            .iter()
            .any(|c| c.starts_with("Read our Terms & Conditions: children < 13 never sign up.")),
        "{clauses:?}"
    );
}

#[test]
fn hub_topics_replace_or_extend_the_defaults() {
    let hub = TempHub::fixture("basic");
    let site = std::fs::read_to_string(hub.path("site.toml")).unwrap();
    hub.write(
        "site.toml",
        format!("{site}\n[topics]\nmode = \"replace\"\n[topics.backups]\ntitle = \"Backups\"\npatterns = ['\\bbackups?\\b']\n"),
    );
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    let index = hub.read_output("topics/index.html");
    assert!(
        index.contains("Backups") && !index.contains("Data retention"),
        "{index}"
    );
    assert!(hub
        .read_output("topics/backups/index.html")
        .contains("Backups are kept"));

    hub.write(
        "site.toml",
        format!("{site}\n[topics.backups]\nkeywords = [\"backup\"]\n"),
    );
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    let index = hub.read_output("topics/index.html");
    assert!(index.contains("Backups") && index.contains("Data retention"));

    hub.write("site.toml", format!("{site}\n[topics.x]\npatterns = [\"(oops\"]\n"));
    let (ok, _, err) = hub.build();
    assert!(!ok);
    assert!(
        err.contains("site.toml") && err.contains("(oops") && err.contains("regular expression"),
        "{err}"
    );
}

#[test]
fn large_hubs_split_topic_pages_and_every_page_is_linked_and_listed() {
    let hub = TempHub::fixture("basic");
    let orgs = policyhub::permalinks::TOPIC_ORGS_PER_PAGE + 3;
    for n in 0..orgs {
        hub.write(
            &format!("content/co-{n:03}/org.toml"),
            format!("name = \"Company {n}\"\n"),
        );
        hub.write(
            &format!("content/co-{n:03}/privacy-policy/2024-01-01.md"),
            format!("+++\n+++\n# Privacy\n\nWe retain your data for {n} days.\n"),
        );
    }
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    let first = Html::parse_document(&hub.read_output("topics/data-retention/index.html"));
    let second = Html::parse_document(&hub.read_output("topics/data-retention/2/index.html"));
    let names = |page: &Html| -> Vec<String> { page.select(&sel(".topic-org h2")).map(text).collect() };
    let (a, b) = (names(&first), names(&second));
    assert_eq!(a.len(), policyhub::permalinks::TOPIC_ORGS_PER_PAGE);
    assert!(!b.is_empty() && b.iter().all(|n| !a.contains(n)), "{b:?}");
    assert!(b.iter().any(|n| n == &format!("Company {}", orgs - 1)));
    let next = first
        .select(&sel(".pagination a[rel=next]"))
        .next()
        .expect("a link to page 2");
    assert!(next
        .value()
        .attr("href")
        .unwrap()
        .ends_with("/topics/data-retention/2/"));
    assert!(second.select(&sel(".pagination a[rel=prev]")).next().is_some());
    assert!(hub
        .read_output("sitemap.xml")
        .contains("/topics/data-retention/2/</loc>"));
}
