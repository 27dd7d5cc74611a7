//! No broken internal link or fragment anywhere on the site: every page is parsed with an HTML
//! parser, and every internal `href`/`src` must name a file of the output, and every `#fragment`
//! an element id of its target page.

mod common;

use std::collections::{HashMap, HashSet};

use common::TempHub;
use scraper::{CaseSensitivity::CaseSensitive, Html, Selector};

/// Checks every link of a built hub; `base_path` is the path of its base URL (`""` or `/hub`).
fn check_links(hub: &TempHub, base_path: &str) -> usize {
    let files = hub.output_snapshot();
    let names: HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let with_id = Selector::parse("[id]").unwrap();
    let linking = Selector::parse("a[href], link[href], script[src], img[src]").unwrap();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let page = Html::parse_document(&String::from_utf8_lossy(bytes));
        ids.insert(
            path.clone(),
            page.select(&with_id)
                .filter_map(|e| e.value().id().map(str::to_string))
                .collect(),
        );
        for element in page.select(&linking) {
            let target = element
                .value()
                .attr("href")
                .or_else(|| element.value().attr("src"))
                .unwrap_or("");
            links.push((path.clone(), target.to_string()));
        }
    }
    let mut checked = 0;
    for (page, target) in &links {
        if target.contains("://") || target.starts_with("mailto:") || target.starts_with("tel:") {
            continue;
        }
        let (path, fragment) = target
            .split_once('#')
            .map_or((target.as_str(), None), |(p, f)| (p, Some(f)));
        let file = if path.is_empty() {
            page.clone()
        } else {
            let resolved;
            let rel = if path.starts_with('/') {
                path.strip_prefix(base_path)
                    .and_then(|p| p.strip_prefix('/'))
                    .unwrap_or_else(|| panic!("{page}: link {target} is not under the base path {base_path:?}"))
            } else {
                resolved = resolve_relative(page, path);
                resolved.as_str()
            };
            let rel = rel.split('?').next().unwrap_or("");
            if rel.is_empty() || rel.ends_with('/') {
                format!("{rel}index.html")
            } else {
                rel.to_string()
            }
        };
        assert!(
            names.contains(file.as_str()),
            "{page}: link {target} points to a missing file {file}"
        );
        if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
            let known = ids
                .get(&file)
                .unwrap_or_else(|| panic!("{page}: fragment link {target} to a non-page"));
            assert!(
                known.contains(fragment),
                "{page}: link {target}: no element #{fragment} on {file}"
            );
        }
        checked += 1;
    }
    checked
}

/// A relative link of `page` (a path like `a/b/index.html`) as a path from the site's root.
fn resolve_relative(page: &str, link: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for segment in link.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn repository_hub_has_no_broken_link_or_fragment() {
    let hub = TempHub::repository();
    assert!(hub.build().0);
    assert!(check_links(&hub, "") > 500);
}

#[test]
fn multi_version_hub_has_no_broken_link_or_fragment() {
    let hub = TempHub::fixture("history");
    assert!(hub.build().0);
    assert!(check_links(&hub, "") > 100);
}

#[test]
fn sub_path_hub_has_no_broken_link_or_fragment() {
    let hub = TempHub::fixture("basic");
    assert!(hub.build().0);
    assert!(check_links(&hub, "/hub") > 50);
}

#[test]
#[should_panic(expected = "points to a missing file")]
fn the_checker_catches_a_broken_link() {
    let hub = TempHub::fixture("basic");
    assert!(hub.build().0);
    spoil(&hub, "<a href=\"/hub/nowhere/\">nowhere</a>");
    check_links(&hub, "/hub");
}

#[test]
#[should_panic(expected = "no element #missing")]
fn the_checker_catches_a_broken_fragment() {
    let hub = TempHub::fixture("basic");
    assert!(hub.build().0);
    spoil(&hub, "<a href=\"#missing\">above</a>");
    check_links(&hub, "/hub");
}

/// Adds a link to the built home page, as a broken build would write it.
fn spoil(hub: &TempHub, link: &str) {
    let home = hub.path("public/index.html");
    let html = std::fs::read_to_string(&home).unwrap();
    std::fs::write(&home, html.replacen("</main>", &format!("{link}</main>"), 1)).unwrap();
}

/// A policy's own links never break: a fragment lands on the heading it names (by the slug
/// rules of the generators policies are written with) or becomes text; a relative link reaches
/// the original site through the version's `source`, or becomes text without one.
#[test]
fn a_policys_own_links_land_on_anchors_or_the_original_site() {
    let hub = TempHub::fixture("basic");
    hub.write(
        "content/acme/privacy-policy/2022-02-02.md",
        "+++\nsource = \"https://acme.example/legal/privacy\"\n+++\n# T\n\n- [Children](#childrens-privacy)\n- [Gone](#missing)\n- [Security](/articles/security)\n- [Again](https://acme.example/legal/privacy#childrens-privacy)\n\n## Children’s Privacy\n\nWe do not collect data from children.\n",
    );
    hub.write(
        "content/acme/privacy-policy/2022-03-03.md",
        "+++\n+++\n# T\n\nSee [security](/articles/security) and [above](#missing).\n\n## Children’s Privacy\n\nWe do not collect data from children.\n",
    );
    assert!(hub.build().0);
    let page = hub.read_output("acme/privacy-policy/2022-02-02/index.html");
    let heading = common::ids(&page)
        .into_iter()
        .find(|id| id.starts_with("children"))
        .unwrap();
    assert!(page.contains(&format!("<a href=\"#{heading}\">Children</a>")), "{page}");
    assert!(page.contains(&format!("<a href=\"#{heading}\">Again</a>")), "{page}");
    assert!(
        page.contains("<a href=\"https://acme.example/articles/security\">Security</a>"),
        "{page}"
    );
    assert!(page.contains("Gone") && !page.contains("#missing"));
    let without_source = hub.read_output("acme/privacy-policy/2022-03-03/index.html");
    assert!(without_source.contains("See security and above."), "{without_source}");
    check_links(&hub, "/hub");
    // `policyhub check` names each link that leads nowhere, with its file and line.
    let out = hub.command(&["check"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "content/acme/privacy-policy/2022-02-02.md:7: warning: the link `#missing` leads nowhere",
        "content/acme/privacy-policy/2022-03-03.md:5: warning: the link `/articles/security` leads nowhere",
        "content/acme/privacy-policy/2022-03-03.md:5: warning: the link `#missing` leads nowhere",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    assert_eq!(stderr.matches("warning:").count(), 3, "{stderr}");
}

#[test]
fn a_version_defining_too_many_terms_is_warned_of() {
    let hub = TempHub::fixture("basic");
    let mut text = String::from("+++\n+++\n# Terms\n\n");
    for n in 0..1_005 {
        text.push_str(&format!("\"Term{n}\" means thing {n}.\n\n"));
    }
    hub.write("content/acme/privacy-policy/2024-01-01.md", &text);
    let expected = "content/acme/privacy-policy/2024-01-01.md: warning: this version defines 1005 terms: the first 1000 link to their definitions, the other 5 do not";
    let out = hub.command(&["check"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(expected), "{stderr}");
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    assert!(hub.build().0);
    let page = hub.read_output("acme/privacy-policy/2024-01-01/index.html");
    assert!(page.contains("<dfn>Term999</dfn>") && !page.contains("<dfn>Term1000</dfn>"));
}

/// Every heading level of a page, in order.
fn heading_levels(html: &str) -> Vec<u8> {
    html.match_indices("<h")
        .filter_map(|(i, _)| {
            html.as_bytes()
                .get(i + 2)
                .filter(|b| (b'1'..=b'6').contains(b))
                .map(|b| b - b'0')
        })
        .collect()
}

/// A policy's own heading levels never make the page's outline skip one: `#` then `####` then
/// `##` in the text, and a redline whose first row is a removed `###`, both read h1, h2, h3 ….
#[test]
fn policy_headings_never_skip_a_level() {
    let hub = TempHub::fixture("basic");
    hub.write(
        "content/acme/privacy-policy/2022-02-02.md",
        "+++\n+++\n### Old opening\n\nText.\n\n# Privacy\n\nIntro.\n\n#### Data we keep\n\nSome.\n\n## Your rights\n\nMany.\n",
    );
    hub.write(
        "content/acme/privacy-policy/2022-03-03.md",
        "+++\n+++\n# Privacy\n\nIntro.\n\n#### Data we keep\n\nSome.\n\n## Your rights\n\nMany.\n",
    );
    assert!(hub.build().0);
    for page in [
        "acme/privacy-policy/2022-03-03/index.html",
        "acme/privacy-policy/2022-03-03/diff/index.html",
    ] {
        let levels = heading_levels(&hub.read_output(page));
        assert_eq!(
            levels.iter().filter(|&&l| l == 1).count(),
            1,
            "{page}: one h1 ({levels:?})"
        );
        assert_eq!(levels[0], 1, "{page}: the h1 first ({levels:?})");
        for pair in levels.windows(2) {
            assert!(
                pair[1] <= pair[0] + 1,
                "{page}: h{} right after h{} ({levels:?})",
                pair[1],
                pair[0]
            );
        }
    }
    let version = hub.read_output("acme/privacy-policy/2022-03-03/index.html");
    let at = version.find("Data we keep <span class=\"clause-tools\">").unwrap();
    let tag = &version[version[..at].rfind("<h").unwrap()..at];
    assert!(tag.starts_with("<h3 "), "#### under # is the next level down: {tag}");
}

/// A policy's image on another site loads only when the hub allows it (`remote_images`): by
/// default it is a link named by its alt text, and the Content-Security-Policy loads images only
/// from the hub.
#[test]
fn remote_images_load_only_when_the_hub_allows_them() {
    let hub = TempHub::fixture("basic");
    hub.write(
        "content/acme/privacy-policy/2022-02-02.md",
        "+++\nsource = \"https://acme.example/privacy\"\n+++\n# T\n\n![Retention chart](/img/chart.png)\n",
    );
    assert!(hub.build().0);
    let page = hub.read_output("acme/privacy-policy/2022-02-02/index.html");
    assert!(!page.contains("<img"), "{page}");
    assert!(page.contains("<a class=\"remote-image\" href=\"https://acme.example/img/chart.png\">Retention chart</a>"));
    assert!(
        page.contains("img-src 'self' data:;"),
        "the policy allows no image from elsewhere"
    );

    let site = std::fs::read_to_string(hub.path("site.toml")).unwrap();
    hub.write("site.toml", format!("remote_images = true\n{site}"));
    assert!(hub.build().0);
    let page = hub.read_output("acme/privacy-policy/2022-02-02/index.html");
    assert!(
        page.contains("<img src=\"https://acme.example/img/chart.png\" alt=\"Retention chart\""),
        "{page}"
    );
    assert!(page.contains("img-src 'self' data: https:;"));
}

/// A link copied from the original site with its fragment lands on the hub too: each heading
/// carries the anchor names the site's generator gave it as aliases, never an id the page has
/// (duplicate headings numbered as the generators number them).
#[test]
fn the_original_sites_anchor_names_land_on_the_heading() {
    let hub = TempHub::fixture("basic");
    hub.write(
        "content/acme/privacy-policy/2022-02-02.md",
        "+++\n+++\n# Privacy\n\n## Data We Collect\n\nSome.\n\n## Data We Collect\n\nMore.\n",
    );
    assert!(hub.build().0);
    let page = hub.read_output("acme/privacy-policy/2022-02-02/index.html");
    let ids = common::ids(&page);
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids are unique: {ids:?}");
    for alias in ["data-we-collect", "data-we-collect-1"] {
        let at = page
            .find(&format!("<span id=\"{alias}\" class=\"anchor-alias\">"))
            .unwrap_or_else(|| panic!("no alias {alias}"));
        let heading = &page[page[..at].rfind("<h").unwrap()..at];
        assert!(
            heading.contains("class=\"section-heading\""),
            "{alias} is inside its heading: {heading}"
        );
    }
    assert_eq!(
        page.matches("id=\"main\"").count(),
        1,
        "the theme's own id is never an alias"
    );
}

/// Real histories (the Open Terms Archive extract of tests/fixtures/data, imported under a
/// sub-path): no broken internal link, fragment or image on any page.
#[test]
fn an_imported_real_history_has_no_broken_link_or_fragment() {
    let hub = TempHub {
        dir: tempfile::tempdir().unwrap(),
    };
    hub.write(
        "site.toml",
        "title = \"Real\"\nbase_url = \"https://example.org/hub\"\n",
    );
    let clone = hub.path("ota-repo");
    let bundle =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data/ota-airbnb-the-register.bundle");
    let cloned = std::process::Command::new("git")
        .args(["-c", "init.defaultBranch=main", "clone", "-q"])
        .arg(&bundle)
        .arg(&clone)
        .status()
        .expect("git is installed");
    assert!(cloned.success());
    let imported = hub
        .command(&["import", "--quiet", "--ota", clone.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    std::fs::remove_dir_all(&clone).unwrap();
    let (ok, _, stderr) = hub.build();
    assert!(ok, "{stderr}");
    assert!(
        check_links(&hub, "/hub") > 10_000,
        "the real histories' pages were checked"
    );
}

/// The id of the first clause or section heading of a page (matching `selector`) whose text
/// holds `text`.
fn clause_holding(page: &Html, selector: &str, text: &str) -> String {
    let clauses = Selector::parse(selector).unwrap();
    page.select(&clauses)
        .find(|clause| clause.text().collect::<String>().contains(text))
        .and_then(|clause| clause.value().id())
        .unwrap_or_else(|| panic!("no clause holds {text:?}"))
        .to_string()
}

/// The `href` of every link of a page's policy text named `name` (not the page's own table of
/// contents, not a topic chip).
fn hrefs_named(page: &Html, name: &str) -> Vec<String> {
    let links = Selector::parse("[data-clause] a[href]:not(.topic-chip)").unwrap();
    page.select(&links)
        .filter(|link| link.text().collect::<String>() == name)
        .filter_map(|link| link.value().attr("href").map(str::to_string))
        .collect()
}

/// Every element id of a page, as often as it occurs.
fn all_ids(page: &Html) -> Vec<String> {
    let with_id = Selector::parse("[id]").unwrap();
    page.select(&with_id)
        .filter_map(|e| e.value().id().map(str::to_string))
        .collect()
}

/// A policy's explicit anchors, in the shapes real policies have (tests/fixtures/fidelity): a
/// table of contents in Markdown and in raw HTML links to a `{#id}` heading, a kramdown
/// `{: #id}` line, `<a name>` and `id=` in raw HTML, GitHub-style slugs of duplicate headings and
/// levels 1 → 4 → 2. Each link lands on the clause that holds its target, which carries the name
/// as its one alias (unless the theme has the id), and no id occurs twice on the page.
#[test]
fn a_policys_explicit_anchors_land_on_the_clause_that_holds_them() {
    let hub = TempHub::fixture("fidelity");
    assert!(hub.build().0);
    assert!(check_links(&hub, "/hub") > 100);
    let html = hub.read_output("tinker/privacy-policy/2022-03-01/index.html");
    let page = Html::parse_document(&html);
    let (heading, clause) = (".section-heading", "p.clause, div.clause");
    for (link, name, target, text) in [
        ("What we collect", "what-we-collect", heading, "What we collect"),
        ("Sharing", "sharing", heading, "Sharing your data"),
        ("Retention", "retention", heading, "Retention"),
        ("Children", "kids", clause, "We do not knowingly collect"),
        ("EEA residents", "eea", clause, "EEA residents"),
        ("Complaints", "dpa", clause, "You may complain"),
        ("Contact", "contact", heading, "Contact"),
        ("Top of the statement", "main", clause, "You may complain"),
    ] {
        let clause = clause_holding(&page, target, text);
        let hrefs = hrefs_named(&page, link);
        assert!(!hrefs.is_empty(), "the link {link:?} stays a link");
        for href in hrefs {
            assert_eq!(href, format!("#{clause}"), "the link {link:?} to #{name}");
        }
        let named: Vec<_> = page.select(&Selector::parse(&format!("#{name}")).unwrap()).collect();
        assert_eq!(named.len(), 1, "one element #{name}");
        if name == "main" {
            // The theme's `<main>`: the name is no alias.
            assert!(!named[0].value().has_class("anchor-alias", CaseSensitive), "#{name}");
            continue;
        }
        let holder = match named[0].value().has_class("anchor-alias", CaseSensitive) {
            true => named[0].parent().and_then(scraper::ElementRef::wrap).unwrap(),
            false => named[0],
        };
        assert_eq!(
            holder.value().id(),
            Some(clause.as_str()),
            "#{name} is its clause or inside it"
        );
    }
    // Duplicate headings: the site's `#details-1` is the second `Details`, whatever the hub's
    // `details-1` is.
    let headings = Selector::parse(".section-heading").unwrap();
    let details: Vec<String> = page
        .select(&headings)
        .filter(|h| h.text().next().map(str::trim) == Some("Details"))
        .filter_map(|h| h.value().id().map(|id| format!("#{id}")))
        .collect();
    assert_eq!(details.len(), 2);
    assert_eq!(hrefs_named(&page, "Cookie details"), [details[0].clone()]);
    assert_eq!(hrefs_named(&page, "Log details"), [details[1].clone()]);
    let ids = all_ids(&page);
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no id twice: {ids:?}");
    assert!(
        !html.contains("{#") && !html.contains("{:"),
        "attribute syntax is no text"
    );
    assert!(!html.contains("name=\"kids\""), "the raw anchors lost their names");
    let levels = heading_levels(&html);
    assert!(levels.windows(2).all(|pair| pair[1] <= pair[0] + 1), "{levels:?}");
    // Adding `{#sharing}` to a heading leaves the heading's text, and so its clause, as it was.
    let earlier = Html::parse_document(&hub.read_output("tinker/privacy-policy/2021-03-01/index.html"));
    assert_eq!(
        clause_holding(&earlier, heading, "Sharing your data"),
        clause_holding(&page, heading, "Sharing your data")
    );
    let out = hub.command(&["check"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !stderr.contains("warning"), "{stderr}");
}

/// A version with no heading at all renders with its one `h1` (the page's own), and its links to
/// `<a name>` and `<p id>` anchors land on their clauses.
#[test]
fn a_version_without_headings_keeps_its_anchors() {
    let hub = TempHub::fixture("fidelity");
    assert!(hub.build().0);
    check_links(&hub, "/hub");
    let html = hub.read_output("tinker/cookie-notice/index.html");
    let page = Html::parse_document(&html);
    assert_eq!(heading_levels(&html)[0], 1);
    assert_eq!(heading_levels(&html).iter().filter(|&&l| l == 1).count(), 1);
    for (link, name, text) in [
        ("how to opt out", "opt-out", "You can block cookies"),
        ("Ask a question", "questions", "Questions go to"),
    ] {
        let clause = clause_holding(&page, "p.clause, div.clause", text);
        assert_eq!(hrefs_named(&page, link), [format!("#{clause}")]);
        let alias = Selector::parse(&format!("#{name}")).unwrap();
        assert_eq!(page.select(&alias).count(), 1, "#{name}");
    }
}
