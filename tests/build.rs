//! Whole builds: the repository's hub and fixture hubs render the pages readers expect.

mod common;

use common::{ids, TempHub};

#[test]
fn repository_hub_renders_every_org_and_version() {
    let hub = TempHub::repository();
    let (ok, stdout, stderr) = hub.build();
    assert!(ok, "{stderr}");
    assert!(stdout.contains("6 orgs, 6 policies, 50 versions"), "{stdout}");
    let home = hub.read_output("index.html");
    for org in [
        "xmatters",
        "xmedius",
        "parature",
        "calltrackingmetrics",
        "nexmo",
        "github",
    ] {
        assert!(home.contains(&format!("href=\"/{org}/\"")), "home does not link {org}");
        let org_page = hub.read_output(&format!("{org}/index.html"));
        assert!(org_page.contains("<h1>"), "{org} page has no title");
        let versions: Vec<_> = std::fs::read_dir(hub.path(&format!("content/{org}/privacy-policy")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".md"))
            .collect();
        for file in versions {
            let version = file.trim_end_matches(".md");
            let page = hub.read_output(&format!("{org}/privacy-policy/{version}/index.html"));
            assert!(!page.contains("<pre"), "{org} {version} renders indented text as code");
            assert!(
                page.matches("class=\"section-heading\"").count() >= 4,
                "{org} {version} lost its headings"
            );
            assert!(page.contains("<li id="), "{org} {version} has no list item");
        }
    }
    // GitHub's real history: a timeline of every version and a redline of the latest.
    let timeline = hub.read_output("github/privacy-policy/changes/index.html");
    assert!(
        timeline.matches("/github/privacy-policy/2024-02-01").count() >= 8,
        "the timeline lists the versions"
    );
    let redline = hub.read_output("github/privacy-policy/2024-02-01.8/diff/index.html");
    assert!(
        redline.contains("<ins") || redline.contains("<del"),
        "the latest version has a redline"
    );
}

#[test]
fn seeds_keep_their_structure() {
    let hub = TempHub::repository();
    assert!(hub.build().0);
    // XMedius: ALL-CAPS headings and numbered sub-headings, list items ending in ";".
    let xmedius = hub.read_output("xmedius/privacy-policy/index.html");
    assert!(xmedius.contains(">3.1 XM Fax"), "numbered sub-heading lost");
    // xMatters: indented bullets are list items, not code.
    let xmatters = hub.read_output("xmatters/privacy-policy/index.html");
    assert!(
        xmatters.contains("class=\"clause\">Work and salary history"),
        "bullet lost"
    );
}

#[test]
fn version_page_shows_provenance_and_navigation() {
    let hub = TempHub::fixture("basic");
    assert!(hub.build().0);
    let old = hub.read_output("acme/privacy-policy/2020-01-01/index.html");
    assert!(
        old.contains("href=\"/hub/acme/privacy-policy/2021-06-01/\" rel=\"next\""),
        "no next link"
    );
    assert!(old.contains("This is an earlier version"), "old version not marked");
    assert!(old.contains("2020-01-05"), "captured date missing");
    let latest = hub.read_output("acme/privacy-policy/index.html");
    assert!(latest.contains("rel=\"prev\""), "no previous link");
    assert!(latest.contains("<link rel=\"canonical\" href=\"https://example.org/hub/acme/privacy-policy/\">"));
    assert!(
        latest.contains("https://web.archive.org/web/2021/https://acme.example/privacy"),
        "archive link missing"
    );
    assert!(
        latest.contains("Shorter retention; a table of processors."),
        "summary missing"
    );
    // Tables, footnotes, strikethrough and highlighted code.
    assert!(latest.contains("<table>"));
    assert!(latest.contains("<del>two years</del>"));
    assert!(latest.contains("href=\"#fn-1\""));
    assert!(latest.contains("id=\"fn-1\""));
    assert!(latest.contains("class=\"hl-"), "code not highlighted");
}

#[test]
fn every_page_has_unique_ids_and_clause_anchors() {
    let hub = TempHub::repository();
    assert!(hub.build().0);
    for (path, bytes) in hub.output_snapshot() {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let mut all = ids(&html);
        let count = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), count, "{path} has a duplicate id");
        if path.matches('/').count() == 3 {
            for id in ids(&html)
                .iter()
                .filter(|id| html.contains(&format!("data-clause=\"{id}\"")))
            {
                assert!(
                    html.contains(&format!("href=\"#{id}\"")),
                    "{path}: no permalink to {id}"
                );
            }
        }
    }
}

/// Footnote labels are shown as written and each names its own note (`[^*]`, `[^†]`, and
/// `[^a.b]` beside `[^a-b]`); no heading takes a footnote's id or one the redline page uses.
#[test]
fn footnotes_and_headings_keep_their_ids_apart_from_each_other_and_the_theme() {
    let hub = TempHub::fixture("basic");
    let policy = "content/acme/privacy-policy";
    let body = "+++\n+++\n## Every change\n\nPrices[^*] and terms[^\u{2020}]; see[^a.b] and[^a-b].\n\n\
                ## Fn 1\n\nText.\n\n[^*]: Star note.\n\n[^\u{2020}]: Dagger note.\n\n\
                [^a.b]: First note.\n\n[^a-b]: Second note.\n";
    hub.write(&format!("{policy}/2030-01-01.md"), body);
    hub.write(&format!("{policy}/2030-02-01.md"), body.replace("Text.", "Other text."));
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    for page in [
        "acme/privacy-policy/2030-02-01/index.html",
        "acme/privacy-policy/2030-02-01/diff/index.html",
    ] {
        let html = hub.read_output(page);
        let mut all = ids(&html);
        let count = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), count, "{page} has a duplicate id: {all:?}");
    }
    let html = hub.read_output("acme/privacy-policy/2030-02-01/index.html");
    for (label, note) in [
        ("*", "Star"),
        ("\u{2020}", "Dagger"),
        ("a.b", "First"),
        ("a-b", "Second"),
    ] {
        let reference = html
            .split("<sup class=\"footnote-ref\"><a href=\"#")
            .skip(1)
            .find(|r| r.contains(&format!("\">{label}</a>")))
            .unwrap_or_else(|| panic!("no reference shows {label}"));
        let id = &reference[..reference.find('"').unwrap()];
        let target = html
            .split(&format!(" id=\"{id}\">"))
            .nth(1)
            .expect("the note has the id");
        assert!(target.starts_with(&format!("{label}</span>")), "{id} labels {label}");
        let after: String = target.chars().take(200).collect();
        assert!(after.contains(note), "{id} leads to the {note} note");
    }
}

/// A lone CR (old Mac files, or one pasted into a CRLF file) ends a line, as in CommonMark.
#[test]
fn lone_carriage_returns_end_lines_like_line_feeds() {
    let hub = TempHub::fixture("basic");
    let policy = "content/acme/privacy-policy";
    hub.write(
        &format!("{policy}/2030-01-01.md"),
        "+++\r\n+++\r\n# Privacy Policy\r\n\r\nWe collect data.\r\n\r\n## Retention\rWe keep it.\r\n",
    );
    hub.write(
        &format!("{policy}/2030-02-01.md"),
        "+++\r+++\r## Title\r\rHello world\rline two\r",
    );
    let (ok, _, err) = hub.build();
    assert!(ok, "{err}");
    let first = hub.read_output("acme/privacy-policy/2030-01-01/index.html");
    assert!(first.contains(">Retention <span class=\"clause-tools\">"), "{first}");
    assert!(
        first.contains(">We keep it. <span"),
        "the line after the heading is a paragraph"
    );
    let second = hub.read_output("acme/privacy-policy/2030-02-01/index.html");
    assert!(second.contains(">Hello world\nline two <span"), "{second}");
    assert!(!first.contains('\r') && !second.contains('\r'));
}

#[test]
fn sub_path_base_url_prefixes_every_internal_link() {
    let hub = TempHub::fixture("basic");
    assert!(hub.build().0);
    for (path, bytes) in hub.output_snapshot() {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for href in html.split("href=\"").skip(1).map(|r| &r[..r.find('"').unwrap()]) {
            if href.starts_with('/') {
                assert!(href.starts_with("/hub/"), "{path}: {href} ignores the base path");
            }
        }
    }
}

#[test]
fn build_is_deterministic() {
    let hub = TempHub::repository();
    assert!(hub.build().0);
    let first = hub.output_snapshot();
    assert!(hub.build().0);
    assert_eq!(first, hub.output_snapshot());
}

#[test]
fn base_url_flag_overrides_site_toml() {
    let hub = TempHub::fixture("basic");
    let out = hub
        .command(&["build", "--base-url", "http://localhost:8000/preview"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(hub.read_output("index.html").contains("href=\"/preview/acme/\""));
}

#[test]
fn hub_template_overrides_one_default_template() {
    let hub = TempHub::fixture("basic");
    hub.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Custom missing page</p>{% endblock content %}",
    );
    assert!(hub.build().0);
    assert!(hub.read_output("404.html").contains("Custom missing page"));
    assert!(hub.read_output("index.html").contains("Fixture Hub"));
}

#[test]
fn a_theme_changes_the_clause_history_with_its_partials() {
    let hub = TempHub::fixture("basic");
    assert!(hub.build().0);
    let default = hub.read_output("acme/privacy-policy/clauses/index.html");
    assert!(
        default.contains("<section id=\"data-collect\" class=\"lineage lineage-current\">"),
        "{default}"
    );
    hub.write(
        "templates/_lineage.html",
        "[{{ lineage.id }}: {{ lineage.events | length }} {{ lineage.events_html | safe }}]",
    );
    hub.write("templates/_lineage_event.html", "<{{ event.change }} {{ id }}>");
    assert!(hub.build().0);
    let custom = hub.read_output("acme/privacy-policy/clauses/index.html");
    assert!(custom.contains("[data-collect: 1 <added data-collect>]"), "{custom}");
    assert!(!custom.contains("class=\"lineage"), "{custom}");
}

#[test]
fn a_hub_that_changes_the_change_entry_partial_sees_it_on_every_timeline() {
    let hub = TempHub::fixture("basic");
    hub.write(
        "templates/_change_entry.html",
        "<li class=\"mine\">{{ entry.version.effective }}{% if show_policy %} {{ entry.org_name }}{% endif %}</li>",
    );
    assert!(hub.build().0);
    for (page, show_policy) in [
        ("acme/privacy-policy/changes/index.html", false),
        ("acme/index.html", false),
        ("changes/index.html", true),
        ("index.html", true),
    ] {
        let html = hub.read_output(page);
        let mine = if show_policy {
            "<li class=\"mine\">2021-06-01 Acme"
        } else {
            "<li class=\"mine\">2021-06-01</li>"
        };
        assert!(html.contains(mine), "{page}: {html}");
        assert!(!html.contains("change-entry"), "{page}: {html}");
    }
}

#[test]
fn hub_static_files_are_copied_and_override_the_theme() {
    let hub = TempHub::fixture("basic");
    hub.write("static/img/logo.txt", "logo");
    hub.write("static/style.css", "body{}");
    assert!(hub.build().0);
    assert_eq!(hub.read_output("img/logo.txt"), "logo");
    assert_eq!(hub.read_output("style.css"), "body{}");
    assert!(hub.read_output("syntax.css").contains(".hl-"));
}

#[test]
fn bom_and_crlf_files_render() {
    let hub = TempHub::fixture("basic");
    hub.write(
        "content/acme/privacy-policy/2022-01-01.md",
        "\u{feff}+++\r\neffective = 2022-01-01\r\n+++\r\n# Title\r\n\r\nLine one.\r\n\r\n- item\r\n",
    );
    let (ok, _, stderr) = hub.build();
    assert!(ok, "{stderr}");
    let page = hub.read_output("acme/privacy-policy/2022-01-01/index.html");
    assert!(page.contains("class=\"clause\">Line one."), "body lost");
}

#[test]
fn check_validates_without_writing() {
    let hub = TempHub::fixture("basic");
    let out = hub.command(&["check"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing written"));
    assert!(!hub.path("public").exists());
}

#[test]
fn quiet_build_prints_nothing() {
    let hub = TempHub::fixture("basic");
    let out = hub.command(&["build", "-q"]).output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn init_creates_a_hub_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new-hub");
    let out = assert_cmd::Command::cargo_bin("policyhub")
        .unwrap()
        .arg("init")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = assert_cmd::Command::cargo_bin("policyhub")
        .unwrap()
        .args(["build", "--root"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir
        .join("public/example-org/privacy-policy/2024-01-15/index.html")
        .exists());
    // A second init into the same folder is refused.
    let again = assert_cmd::Command::cargo_bin("policyhub")
        .unwrap()
        .arg("init")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!again.status.success());
}

#[test]
fn version_page_snapshot() {
    let hub = TempHub::fixture("basic");
    assert!(hub.build().0);
    let page = hub.read_output("acme/privacy-policy/2021-06-01/index.html");
    let body = &page
        [page.find("<div class=\"policy-body\">").unwrap()..page.find("<footer class=\"policy-footer\">").unwrap()];
    insta::assert_snapshot!(body);
}
