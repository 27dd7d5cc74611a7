//! Each Rust writer against its default partial rendered by Tera, on hostile values.

use super::*;
use crate::history::{ChangeFigures, ClassCounts};
use crate::render::hub_links::{TopicClause, TopicPolicy};

const HOSTILE: &str = "<b>\"Ads\" & 'you'</b>";

fn default_theme() -> Theme {
    let hub = tempfile::tempdir().unwrap();
    Theme::load(hub.path()).unwrap()
}

/// `inputs` written by the Rust writers, then by the default partial through Tera.
fn both_ways<I: PartialInput>(inputs: &[I]) -> (String, String) {
    let mut theme = default_theme();
    assert!(
        theme.default_partials.contains(I::PARTIAL),
        "the default theme's own {} is written in Rust",
        I::PARTIAL.template()
    );
    let in_rust = write_each(&theme, inputs).unwrap();
    theme.default_partials = DefaultPartials::none();
    let by_tera = write_each(&theme, inputs).unwrap();
    (in_rust, by_tera)
}

impl<I: PartialInput> PartialInput for &I {
    const PARTIAL: Partial = I::PARTIAL;

    fn write(&self, out: &mut String) {
        (*self).write(out);
    }

    fn size(&self) -> usize {
        (*self).size()
    }
}

fn link(id: &str, long: &str, url: &str) -> VersionLink {
    VersionLink {
        id: id.into(),
        effective: id.into(),
        effective_long: long.into(),
        url: url.into(),
        diff_url: None,
    }
}

fn entry(first: bool, summary: Option<&str>) -> ChangeView {
    ChangeView {
        org_name: HOSTILE.into(),
        org_url: "/acme/?a=1&b=2".into(),
        policy_title: HOSTILE.into(),
        policy_url: "/acme/privacy/".into(),
        version: link("2024-01-01", "1 January 2024", "/acme/privacy/2024-01-01/"),
        diff_url: (!first).then(|| "/acme/privacy/2024-01-01/diff/".into()),
        summary: summary.map(str::to_string),
        figures: ChangeFigures::default(),
        description: "2 clauses added; <40> words added.".into(),
        first,
        words: 1234,
        status: if first { "superseded" } else { "pending" },
        pending: !first,
        announced: None,
        captured: None,
        notice_days: Some(28),
        notice: (!first).then(|| "Takes effect on <1 March 2027>: 28 days' notice.".into()),
        warning: first.then(|| "Took effect 4 days before it was captured (\"29 May 2018\").".into()),
        class: (!first).then_some("substantive"),
        class_label: (!first).then_some("Substantive"),
        class_reason: (!first).then(|| "“30 days” → “90 days” & <more>".into()),
        class_counts: ClassCounts::default(),
    }
}

#[test]
fn change_entries_are_what_the_partial_writes() {
    let entries = [
        entry(false, Some("Retention <shortened> & clarified")),
        entry(false, Some("")),
        entry(true, None),
    ];
    for show_policy in [false, true] {
        let inputs: Vec<ChangeEntryInput> = entries
            .iter()
            .map(|entry| ChangeEntryInput { entry, show_policy })
            .collect();
        let (written, by_tera) = both_ways(&inputs);
        assert_eq!(written, by_tera, "show_policy = {show_policy}");
        assert_eq!(written.contains("&lt;b&gt;&quot;Ads&quot;"), show_policy, "{written}");
    }
}

#[test]
fn toc_and_nearby_versions_are_what_the_partials_write() {
    let toc = [
        TocEntry {
            id: "a-&-b".into(),
            text: HOSTILE.into(),
            level: 2,
        },
        TocEntry {
            id: "c".into(),
            text: "Plain".into(),
            level: 3,
        },
    ];
    let (written, by_tera) = both_ways(&toc.iter().map(|entry| TocEntryInput { entry }).collect::<Vec<_>>());
    assert_eq!(written, by_tera);
    assert!(written.ends_with("</a></li>\n  "), "{written:?}");

    let versions = [
        link("1", HOSTILE, "/o/p/1/"),
        link("2", "2 May 2020", "/o/p/2/?a=1&b=\"2\""),
    ];
    let inputs: Vec<NearbyVersionInput> = versions
        .iter()
        .map(|version| NearbyVersionInput {
            version,
            current: version.id == "1",
        })
        .collect();
    let (written, by_tera) = both_ways(&inputs);
    assert_eq!(written, by_tera);
    assert!(
        written.contains("<strong aria-current=\"true\">&lt;b&gt;&quot;Ads&quot;"),
        "{written}"
    );
}

#[test]
fn topic_orgs_are_what_the_partial_writes() {
    let clause = |section: Option<&str>| TopicClause {
        id: "c".into(),
        url: "/acme/p/?a=1&b=2#c".into(),
        section: section.map(str::to_string),
        text: HOSTILE.into(),
        changed: "2024-01-01".into(),
        changed_long: "1 January 2024".into(),
    };
    let policy = TopicPolicy {
        title: HOSTILE.into(),
        url: "/acme/p/".into(),
        version: "2024-01-01".into(),
        version_long: "1 January 2024".into(),
        last_changed: "2023-05-01".into(),
        last_changed_long: "1 May 2023".into(),
        clauses: vec![clause(Some("Sharing & <you>")), clause(Some("")), clause(None)],
    };
    let orgs = [
        TopicOrg {
            name: HOSTILE.into(),
            url: "/acme/".into(),
            policies: vec![policy.clone(), policy],
        },
        TopicOrg {
            name: "Quiet".into(),
            url: "/quiet/".into(),
            policies: Vec::new(),
        },
    ];
    let inputs: Vec<TopicOrgInput> = orgs
        .iter()
        .enumerate()
        .map(|(n, org)| TopicOrgInput { org, number: n + 1 })
        .collect();
    let (written, by_tera) = both_ways(&inputs);
    assert_eq!(written, by_tera);
    assert!(written.contains("aria-labelledby=\"org-2\""), "{written}");
}

#[test]
fn lineages_and_their_events_are_what_the_partials_write() {
    let event = |change: &'static str, related: Option<&str>, text: Option<&str>, redline: Option<&str>| EventView {
        change,
        label: "Split from",
        version: link("2020-01-01", HOSTILE, "/o/p/2020-01-01/?a&b"),
        related: related.map(str::to_string),
        text: text.map(str::to_string),
        redline: redline.map(str::to_string),
    };
    let events = [
        event("added", Some("a-1"), Some(HOSTILE), None),
        event("modified", None, None, Some("<del>old</del> <ins>new</ins> &amp;")),
        event("removed", Some(""), Some(""), None),
        event("moved", None, None, Some("")),
    ];
    let inputs: Vec<LineageEventInput> = events
        .iter()
        .map(|event| LineageEventInput { id: "x-&-1", event })
        .collect();
    let (events_html, by_tera) = both_ways(&inputs);
    assert_eq!(events_html, by_tera);
    assert!(
        events_html.contains("<p class=\"redline\"><del>old</del>"),
        "{events_html}"
    );

    let lineage = |id: &str, status: &'static str, title: &str, revisions: usize| LineageView {
        id: id.into(),
        kind: "list-item",
        status,
        title: title.into(),
        url: format!("/o/p/?a=1&b=2#{id}"),
        revisions,
        events: events.to_vec(),
        events_html: events_html.clone(),
    };
    let lineages = [
        lineage("a", "current", HOSTILE, 0),
        lineage("b-1", "removed", "Plain", 1),
        lineage("c", "current", "Kept", 3),
    ];
    let (written, by_tera) = both_ways(
        &lineages
            .iter()
            .map(|lineage| LineageInput { lineage })
            .collect::<Vec<_>>(),
    );
    assert_eq!(written, by_tera);
    assert!(
        written.contains("&lt;b&gt;&quot;Ads&quot; &amp; &#39;you&#39;"),
        "{written}"
    );
    assert!(
        written.contains("changed 1 time<") && written.contains("changed 3 times"),
        "{written}"
    );
}

#[test]
fn every_partial_of_the_default_theme_is_written_in_rust_and_a_changed_one_by_tera() {
    let theme = default_theme();
    for partial in Partial::ALL {
        assert!(theme.default_partials.contains(partial), "{}", partial.template());
    }
    let hub = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(hub.path().join("templates")).unwrap();
    std::fs::write(
        hub.path().join("templates/_toc_entry.html"),
        "<li>{{ entry.text }}</li>",
    )
    .unwrap();
    let theme = Theme::load(hub.path()).unwrap();
    assert!(!theme.default_partials.contains(Partial::TocEntry));
    assert!(theme.default_partials.contains(Partial::Lineage));
    let toc = [TocEntry {
        id: "a".into(),
        text: "A & B".into(),
        level: 2,
    }];
    let html = write_each(&theme, toc.iter().map(|entry| TocEntryInput { entry })).unwrap();
    assert_eq!(html, "<li>A &amp; B</li>");
}

#[test]
fn the_change_entry_macro_of_older_themes_writes_the_partial() {
    let theme = default_theme();
    let entries = [entry(false, Some("Kept"))];
    let mut context = tera::Context::new();
    context.insert("entries", &entries);
    let page = "{% import \"_macros.html\" as macros %}{% for entry in entries %}{{ macros::change_entry(entry=entry, show_policy=true) }}{% endfor %}";
    let mut tera = theme.tera.clone();
    tera.add_raw_template("page.html", page).unwrap();
    let by_macro = tera.render("page.html", &context).unwrap();
    let inputs = entries.iter().map(|entry| ChangeEntryInput {
        entry,
        show_policy: true,
    });
    assert_eq!(by_macro, write_each(&theme, inputs).unwrap());
}

#[test]
fn a_failing_partial_names_its_template() {
    let hub = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(hub.path().join("templates")).unwrap();
    std::fs::write(
        hub.path().join("templates/_toc_entry.html"),
        "<li>\n{{ entry.heading }}</li>",
    )
    .unwrap();
    let theme = Theme::load(hub.path()).unwrap();
    let toc = [TocEntry {
        id: "a".into(),
        text: "A".into(),
        level: 2,
    }];
    let error = write_each(&theme, toc.iter().map(|entry| TocEntryInput { entry })).unwrap_err();
    let shown = error.to_string();
    assert!(
        shown.contains("templates/_toc_entry.html:2") && shown.contains("entry.heading"),
        "{shown}"
    );
}
