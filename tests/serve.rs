//! Watch mode: incremental rebuilds equal a full build, and the server answers, picks up
//! edits, survives broken edits, recovers, and never serves outside the site.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::TempHub;
use policyhub::serve::{classify, plan, Changes, Front, LiveSite, Packed};

const BASE: &str = "http://127.0.0.1:9";

/// Renders and puts in place the hub-wide pages that edits left waiting, as serve's
/// background threads do; returns what changed.
fn refresh(live: &mut LiveSite) -> Vec<Changes> {
    let mut done = Vec::new();
    while let Some(refresh) = live.start_refresh() {
        let changes = live
            .finish_refresh(refresh.run())
            .expect("nothing newer rendered meanwhile");
        done.push(changes.unwrap_or_else(|e| panic!("hub pages failed: {e}")));
    }
    done
}

/// The history fixture, its folder, and the site built from it in memory.
fn history_hub() -> (TempHub, PathBuf, LiveSite) {
    let hub = TempHub::fixture("history");
    let root = hub.root().to_path_buf();
    let live = LiveSite::build(&root, BASE).unwrap();
    (hub, root, live)
}

/// Applies the plan for `changed` paths; returns what changed at once.
fn apply(live: &mut LiveSite, root: &Path, changed: &[&str]) -> Changes {
    let touches: BTreeSet<_> = changed.iter().filter_map(|p| classify(root, &root.join(p))).collect();
    live.apply(&plan(&touches))
        .unwrap_or_else(|e| panic!("rebuild after {changed:?} failed: {e}"))
}

/// Asserts that the site in memory is what a full build makes now.
fn assert_equals_a_full_build(live: &LiveSite, root: &Path, after: &str) {
    let fresh = LiveSite::build(root, BASE).unwrap();
    let sorted = |files: &HashMap<String, Arc<Packed>>| {
        let mut v: Vec<(String, Arc<Packed>)> = files.iter().map(|(p, b)| (p.clone(), b.clone())).collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    let (incremental, full) = (sorted(live.files()), sorted(fresh.files()));
    let paths = |v: &[(String, Arc<Packed>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&incremental), paths(&full), "after {after}: different files");
    for ((path, a), (_, b)) in incremental.iter().zip(&full) {
        assert!(a == b, "after {after}: {path} differs from a full build");
    }
}

/// Applies the plan for `changed` paths, refreshes the hub-wide pages and checks the result
/// against a fresh full build.
fn rebuild_and_compare(live: &mut LiveSite, root: &Path, changed: &[&str]) {
    apply(live, root, changed);
    refresh(live);
    assert!(live.start_refresh().is_none());
    assert_equals_a_full_build(live, root, &format!("{changed:?}"));
}

#[test]
fn incremental_rebuilds_equal_a_full_build() {
    let (hub, root, mut live) = history_hub();
    let v3 = "content/acme/privacy-policy/2022-01-01.md";

    // Edit a version.
    let text = std::fs::read_to_string(hub.path(v3)).unwrap();
    hub.write(v3, text.replace("measure traffic", "measure traffic and fix bugs"));
    rebuild_and_compare(&mut live, &root, &[v3]);
    assert!(String::from_utf8_lossy(&live.files()["acme/privacy-policy/index.html"].bytes()).contains("fix bugs"));

    // An edit serves the policy's own pages first; the hub's pages follow.
    hub.write(v3, text.replace("measure traffic", "measure traffic daily"));
    let changes = apply(&mut live, &root, &[v3]);
    assert!(changes
        .upserts
        .iter()
        .any(|(p, _)| p == "acme/privacy-policy/index.html"));
    // Of the search index, only the policy's own records come with it.
    let index = format!("{}/", policyhub::permalinks::SEARCH_DIR);
    let own = format!("{index}docs/acme/privacy-policy/");
    assert!(changes.upserts.iter().any(|(p, _)| p.starts_with(&own)));
    assert!(!changes
        .upserts
        .iter()
        .any(|(p, _)| p.starts_with(&index) && !p.starts_with(&own)));
    let later = refresh(&mut live);
    assert!(later.iter().all(|c| c.from_refresh));
    assert!(
        later.iter().flat_map(Changes::paths).any(|p| p.starts_with(&index)),
        "search index not refreshed"
    );
    rebuild_and_compare(&mut live, &root, &[]);

    // Add a version, then delete it.
    let v4 = "content/acme/privacy-policy/2023-01-01.md";
    hub.write(v4, "+++\n+++\n# Acme Privacy Policy\n\nEverything changed.\n");
    rebuild_and_compare(&mut live, &root, &[v4]);
    assert!(live
        .files()
        .contains_key("acme/privacy-policy/2023-01-01/diff/index.html"));
    std::fs::remove_file(hub.path(v4)).unwrap();
    rebuild_and_compare(&mut live, &root, &[v4]);
    assert!(!live.files().contains_key("acme/privacy-policy/2023-01-01/index.html"));

    // Rename the organisation, add another one, add a second policy.
    hub.write("content/acme/org.toml", "name = \"Acme Worldwide\"\n");
    rebuild_and_compare(&mut live, &root, &["content/acme/org.toml"]);
    hub.write("content/beta/org.toml", "name = \"Beta\"\n");
    hub.write("content/beta/terms/2020-05-05.md", "+++\n+++\n# Terms\n\nBe nice.\n");
    rebuild_and_compare(&mut live, &root, &["content/beta", "content/beta/terms/2020-05-05.md"]);
    hub.write(
        "content/acme/cookies/2021-02-02.md",
        "+++\n+++\n# Cookies\n\nWe use some.\n",
    );
    rebuild_and_compare(&mut live, &root, &["content/acme/cookies/2021-02-02.md"]);

    // A version announced ahead comes into force when a later capture elsewhere moves the
    // hub's reference date past it: its organisation's pages change, none of its files did.
    let ahead = "content/beta/terms/2030-01-01.md";
    hub.write(ahead, "+++\nannounced = 2024-01-01\n+++\n# Terms\n\nBe kind.\n");
    rebuild_and_compare(&mut live, &root, &[ahead]);
    let later = "content/acme/cookies/2031-06-01.md";
    hub.write(later, "+++\ncaptured = 2031-06-01\n+++\n# Cookies\n\nWe use none.\n");
    rebuild_and_compare(&mut live, &root, &[later]);

    // Remove an organisation.
    std::fs::remove_dir_all(hub.path("content/beta")).unwrap();
    rebuild_and_compare(&mut live, &root, &["content/beta"]);

    // A template, a static file, then site.toml.
    hub.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Gone.</p>{% endblock content %}",
    );
    rebuild_and_compare(&mut live, &root, &["templates/404.html"]);
    hub.write("static/extra.css", "p { color: red }");
    rebuild_and_compare(&mut live, &root, &["static/extra.css"]);
    hub.write(
        "site.toml",
        "title = \"Renamed Hub\"\nbase_url = \"https://example.org\"\n",
    );
    rebuild_and_compare(&mut live, &root, &["site.toml"]);
}

#[test]
fn a_static_file_replaces_the_page_at_its_path_until_it_goes() {
    let (hub, root, mut live) = history_hub();
    let served = |live: &LiveSite, path: &str| {
        live.files()
            .get(path)
            .map(|b| String::from_utf8_lossy(&b.bytes()).into_owned())
    };
    let v3 = "content/acme/privacy-policy/2022-01-01.md";
    let text = std::fs::read_to_string(hub.path(v3)).unwrap();

    // Over the home page and an organisation's page; a file of its own in that folder.
    hub.write("static/index.html", "<p>Our own home</p>");
    hub.write("static/acme/index.html", "<p>Our own Acme</p>");
    hub.write("static/acme/note.txt", "a note");
    rebuild_and_compare(
        &mut live,
        &root,
        &["static/index.html", "static/acme/index.html", "static/acme/note.txt"],
    );
    assert_eq!(served(&live, "index.html").as_deref(), Some("<p>Our own home</p>"));

    // Edits that render those pages again leave the static files served.
    hub.write(v3, text.replace("measure traffic", "measure traffic and fix bugs"));
    rebuild_and_compare(&mut live, &root, &[v3]);
    assert_eq!(served(&live, "index.html").as_deref(), Some("<p>Our own home</p>"));
    assert_eq!(served(&live, "acme/index.html").as_deref(), Some("<p>Our own Acme</p>"));
    hub.write(
        "site.toml",
        "title = \"Renamed Hub\"\nbase_url = \"https://example.org\"\n",
    );
    rebuild_and_compare(&mut live, &root, &["site.toml"]);

    // Removed, they give the pages back as rendered since.
    std::fs::remove_file(hub.path("static/index.html")).unwrap();
    std::fs::remove_file(hub.path("static/acme/index.html")).unwrap();
    hub.write(v3, text.replace("measure traffic", "measure traffic daily"));
    rebuild_and_compare(&mut live, &root, &["static/index.html", "static/acme/index.html", v3]);
    assert!(served(&live, "index.html").is_some_and(|home| home.contains("Renamed Hub")));
    assert!(served(&live, "acme/index.html").is_some_and(|page| page.contains("Acme")));
    assert_eq!(served(&live, "acme/note.txt").as_deref(), Some("a note"));
}

#[test]
fn links_are_resolved_again_when_a_source_or_another_version_changes() {
    let (hub, root, mut live) = history_hub();
    let page =
        |live: &LiveSite| String::from_utf8_lossy(&live.files()["acme/privacy-policy/index.html"].bytes()).into_owned();
    let v2 = "content/acme/privacy-policy/2021-01-01.md";
    let v3 = "content/acme/privacy-policy/2022-01-01.md";
    let latest = |source: &str| {
        format!(
            "+++\neffective = 2022-01-01\nsource = \"{source}\"\n+++\n# Acme Privacy Policy\n\n\
             We collect data: see [our terms](/terms/) and [how we write](#how-we-and-others-write-to-you).\n\n\
             ## How we, and others, write to you\n\nWe send e-mail.\n"
        )
    };
    hub.write(v2, "+++\neffective = 2021-01-01\n+++\n# Acme Privacy Policy\n\nWe collect data.\n\n## How we write to you\n\nWe send e-mail.\n");
    hub.write(v3, latest("https://old.example.com/privacy"));
    rebuild_and_compare(&mut live, &root, &[v2, v3]);
    assert!(page(&live).contains("https://old.example.com/terms/"));

    // The version's source moves: its relative links follow.
    hub.write(v3, latest("https://new.example.com/privacy"));
    rebuild_and_compare(&mut live, &root, &[v3]);
    assert!(
        page(&live).contains("https://new.example.com/terms/"),
        "{}",
        page(&live)
    );

    // The version before goes: the heading's id changes, and the link to it with it.
    std::fs::remove_file(hub.path(v2)).unwrap();
    rebuild_and_compare(&mut live, &root, &[v2]);
    assert!(page(&live).contains(">how we write</a>"), "the in-page link was lost");
}

#[test]
fn a_link_to_a_sibling_policy_follows_its_folder_when_renamed() {
    let (hub, root, mut live) = history_hub();
    let v3 = "content/acme/privacy-policy/2022-01-01.md";
    hub.write(
        "content/acme/cookie-policy/policy.toml",
        "url = \"https://acme.example/cookies\"\n",
    );
    hub.write(
        "content/acme/cookie-policy/2020-06-01.md",
        "+++\n+++\n# Cookies\n\nWe use cookies.\n",
    );
    let text = std::fs::read_to_string(hub.path(v3)).unwrap();
    hub.write(
        v3,
        format!("{text}\nSee [our cookie policy](https://acme.example/cookies).\n"),
    );
    rebuild_and_compare(&mut live, &root, &["content/acme/cookie-policy", v3]);
    let page =
        |live: &LiveSite| String::from_utf8_lossy(&live.files()["acme/privacy-policy/index.html"].bytes()).into_owned();
    assert!(page(&live).contains("/acme/cookie-policy/\">our cookie policy</a>"));

    std::fs::rename(hub.path("content/acme/cookie-policy"), hub.path("content/acme/cookies")).unwrap();
    rebuild_and_compare(
        &mut live,
        &root,
        &["content/acme/cookie-policy", "content/acme/cookies"],
    );
    assert!(
        page(&live).contains("/acme/cookies/\">our cookie policy</a>"),
        "{}",
        page(&live)
    );
}

#[test]
fn hub_refreshes_rendered_while_edits_go_on_land_and_catch_up() {
    let (hub, root, mut live) = history_hub();
    let v3 = "content/acme/privacy-policy/2022-01-01.md";
    let text = std::fs::read_to_string(hub.path(v3)).unwrap();
    // The hub-wide part of the search index: its terms.
    let search_texts = |live: &LiveSite| -> String {
        let terms = format!("{}/terms/", policyhub::permalinks::SEARCH_DIR);
        let files = live.files();
        let texts = files.iter().filter(|(p, _)| p.starts_with(&terms));
        texts
            .map(|(_, b)| String::from_utf8_lossy(&b.bytes()).into_owned())
            .collect()
    };

    // An edit; its refresh goes out; a second edit lands while it renders.
    hub.write(v3, text.replace("measure traffic", "measure wombats"));
    apply(&mut live, &root, &[v3]);
    let first = live.start_refresh().expect("the edit's hub pages wait");
    hub.write(v3, text.replace("measure traffic", "measure quokkas"));
    apply(&mut live, &root, &[v3]);
    assert!(live.start_refresh().is_none(), "one refresh at a time");
    // The first refresh lands (the site as it was), and the second edit's follows.
    let landed = live.finish_refresh(first.run()).unwrap().unwrap();
    assert!(
        landed.from_refresh && landed.summary.contains("search index"),
        "{}",
        landed.summary
    );
    assert!(search_texts(&live).contains("wombats"));
    let second = live.start_refresh().expect("the second edit's hub pages wait");
    live.finish_refresh(second.run()).unwrap().unwrap();
    assert!(search_texts(&live).contains("quokkas") && !search_texts(&live).contains("wombats"));
    assert_equals_a_full_build(&live, &root, "two edits and their refreshes");

    // A refresh out while a template change renders every page at once is not put in place
    // over the newer pages.
    hub.write(v3, text.replace("measure traffic", "measure numbats"));
    apply(&mut live, &root, &[v3]);
    let stale = live.start_refresh().unwrap();
    let home = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/index.html")).unwrap();
    hub.write(
        "templates/index.html",
        home.replace("{% block content %}", "{% block content %}<p>Newer theme.</p>"),
    );
    apply(&mut live, &root, &["templates/index.html"]);
    assert!(String::from_utf8_lossy(&live.files()["index.html"].bytes()).contains("Newer theme."));
    assert!(
        live.finish_refresh(stale.run()).is_none(),
        "a stale refresh replaced newer pages"
    );
    assert!(String::from_utf8_lossy(&live.files()["index.html"].bytes()).contains("Newer theme."));
    assert!(live.start_refresh().is_none());
    assert_equals_a_full_build(&live, &root, "a template change over a refresh");
}

#[test]
fn a_failed_rebuild_changes_nothing() {
    let (hub, root, mut live) = history_hub();
    let before: HashMap<String, Arc<Packed>> = live.files().clone();
    let v2 = "content/acme/privacy-policy/2021-01-01.md";
    hub.write(v2, "+++\neffective = \"broken\n+++\n");
    let touches: BTreeSet<_> = [classify(&root, &hub.path(v2)).unwrap()].into();
    let err = live.apply(&plan(&touches)).unwrap_err();
    assert!(err.to_string().contains("2021-01-01.md:2"), "{err}");
    assert_eq!(live.files(), &before);
    // A broken template too.
    hub.write(
        "content/acme/privacy-policy/2021-01-01.md",
        "+++\n+++\n# Fixed\n\nText.\n",
    );
    hub.write(
        "templates/org.html",
        "{% extends \"base.html\" %}{% block content %}{{ nope }}{% endblock content %}",
    );
    let touches: BTreeSet<_> = ["templates/org.html", v2]
        .iter()
        .filter_map(|p| classify(&root, &hub.path(p)))
        .collect();
    assert!(live.apply(&plan(&touches)).is_err());
    assert_eq!(live.files(), &before);
}

/// The history fixture with 70 copies of its organisation: more pages than a few batches render.
fn many_orgs_hub() -> (TempHub, PathBuf) {
    let hub = TempHub::fixture("history");
    let acme = hub.path("content/acme");
    for n in 0..70 {
        common::copy_dir(&acme, &acme.with_file_name(format!("acme-{n:02}")));
    }
    let root = hub.root().to_path_buf();
    (hub, root)
}

/// Appends a clause to `org`'s latest version of its privacy policy; returns the file's path.
fn add_a_clause(hub: &TempHub, org: &str) -> String {
    let path = format!("content/{org}/privacy-policy/2022-01-01.md");
    let text = std::fs::read_to_string(hub.path(&path)).unwrap();
    hub.write(&path, text + "\nA clause about okapis.\n");
    path
}

/// [`many_orgs_hub`] with a broken `archive/releases.toml`, opened, the releases asked for
/// first: the next batch fails.
fn opened_with_broken_releases() -> (TempHub, PathBuf, LiveSite) {
    let (hub, root) = many_orgs_hub();
    hub.write("archive/releases.toml", "this is not toml = [\n");
    let mut live = LiveSite::open(&root, BASE).expect("the home page renders");
    live.want("/releases/");
    (hub, root, live)
}

#[test]
fn an_opened_site_serves_its_home_page_first_and_the_pages_asked_for_next() {
    let (_hub, root) = many_orgs_hub();
    let mut live = LiveSite::open(&root, BASE).unwrap();
    assert!(live.files().contains_key("index.html"), "no home page");
    assert!(live.files().contains_key("style.css"), "no static files");
    assert!(!live.files().contains_key("acme-39/privacy-policy/index.html"));
    assert!(live.warming());
    // A page a reader asks for comes in the next batch, before the pages in line before it.
    live.want("/acme-39/privacy-policy/?x#y");
    let first = live.start_refresh().expect("pages wait");
    let changes = live.finish_refresh(first.run()).unwrap().unwrap();
    assert!(changes.first_render);
    assert!(live.files().contains_key("acme-39/privacy-policy/index.html"));
    assert!(live.files().contains_key("acme-39/index.html"));
    assert!(
        !live.files().contains_key("acme-20/index.html"),
        "not a batch at a time"
    );
    // The API asks for its organisation's pages too.
    live.want("/api/acme-30/privacy-policy.json");
    let next = live.start_refresh().expect("pages wait");
    live.finish_refresh(next.run()).unwrap().unwrap();
    assert!(live.files().contains_key("api/acme-30/privacy-policy.json"));
    // So do a policy's search records.
    let docs = "search-index/docs/acme-59/privacy-policy/0.json";
    live.want(&format!("/{docs}"));
    let next = live.start_refresh().expect("pages wait");
    live.finish_refresh(next.run()).unwrap().unwrap();
    assert!(live.files().contains_key(docs));
    assert!(live.files().contains_key("acme-59/privacy-policy/index.html"));
    let rest = refresh(&mut live);
    assert!(rest.len() > 1, "one batch rendered every page");
    assert!(rest.iter().all(|c| c.first_render && c.removals.is_empty()));
    assert!(!live.warming());
    assert_equals_a_full_build(&live, &root, "opening");
}

#[test]
fn an_edit_while_the_site_warms_up_takes_turns_with_the_pages_still_to_render() {
    let (hub, root) = many_orgs_hub();
    let mut live = LiveSite::open(&root, BASE).unwrap();
    let v3 = &add_a_clause(&hub, "acme-05");
    let changes = apply(&mut live, &root, &[v3]);
    assert!(!changes.first_render);
    // One batch of pages never rendered, then the edit's hub-wide pages, apart from them.
    let batch = live.start_refresh().expect("pages wait");
    assert!(live.finish_refresh(batch.run()).unwrap().unwrap().first_render);
    let hub_pages = live.start_refresh().expect("the home page waits");
    let changes = live.finish_refresh(hub_pages.run()).unwrap().unwrap();
    assert!(!changes.first_render, "{}", changes.summary);
    assert!(
        changes.paths().any(|p| p == "index.html"),
        "{:?}",
        changes.paths().collect::<Vec<_>>()
    );
    refresh(&mut live);
    assert!(!live.warming());
    assert_equals_a_full_build(&live, &root, "an edit while warming up");
}

#[test]
fn an_organisation_edited_while_its_first_pages_render_is_served_as_edited() {
    let (hub, root) = many_orgs_hub();
    let mut live = LiveSite::open(&root, BASE).unwrap();
    // An edit of an organisation whose pages are being rendered for the first time.
    live.want("/acme-06/");
    let batch = live.start_refresh().expect("pages wait");
    assert!(
        live.waiting_keys().contains("acme-06"),
        "a page being rendered is waited for"
    );
    let v3 = &add_a_clause(&hub, "acme-06");
    apply(&mut live, &root, &[v3]);
    let changes = live.finish_refresh(batch.run()).expect("other pages").unwrap();
    assert!(changes.first_render, "the rest of the batch is still a first render");
    assert!(live.files()["acme-06/privacy-policy/index.html"]
        .bytes()
        .windows(6)
        .any(|w| w == b"okapis"));
    refresh(&mut live);
    assert!(live.waiting_keys().is_empty());
    assert_equals_a_full_build(&live, &root, "an organisation edited while warming up");
}

#[test]
fn an_organisation_deleted_while_its_first_pages_render_is_not_served() {
    let (hub, root) = many_orgs_hub();
    let mut live = LiveSite::open(&root, BASE).unwrap();
    // Its folder removed: every organisation is read again.
    live.want("/acme-07/");
    let batch = live.start_refresh().expect("pages wait");
    std::fs::remove_dir_all(hub.path("content/acme-07")).unwrap();
    apply(&mut live, &root, &["content/acme-07"]);
    live.finish_refresh(batch.run());
    assert!(
        !live.files().keys().any(|p| p.starts_with("acme-07/")),
        "a deleted organisation came back"
    );
    refresh(&mut live);
    assert!(live.waiting_keys().is_empty());
    assert_equals_a_full_build(&live, &root, "an organisation deleted while warming up");
}

#[test]
fn pages_that_wait_for_a_fix_render_after_the_next_successful_rebuild() {
    let (hub, root, mut live) = opened_with_broken_releases();
    let done = live.start_refresh().expect("pages wait").run();
    assert!(done.first_render());
    assert!(live.finish_refresh(done).expect("nothing newer").is_err());
    assert!(!live.warming(), "went on rendering pages that may fail the same way");
    assert!(live.parked() > 1, "the pages still to render were dropped");
    assert!(
        live.waiting_keys().is_empty(),
        "a request would wait for pages that wait for a fix"
    );
    // The fix is not watched (`archive/`); the next edit that rebuilds puts them back in line.
    std::fs::remove_file(hub.path("archive/releases.toml")).unwrap();
    let v3 = &add_a_clause(&hub, "acme-05");
    apply(&mut live, &root, &[v3]);
    assert!(live.warming());
    assert_eq!(live.parked(), 0);
    refresh(&mut live);
    assert_equals_a_full_build(&live, &root, "a fix after a failed first render");
}

#[test]
fn a_batch_that_failed_before_a_fix_is_rendered_again_not_parked() {
    let (hub, root, mut live) = opened_with_broken_releases();
    let failed = live.start_refresh().expect("pages wait").run();
    assert!(failed.first_render());
    // The fix, and an edit that rebuilds, land while the batch renders.
    std::fs::remove_file(hub.path("archive/releases.toml")).unwrap();
    let v3 = &add_a_clause(&hub, "acme-05");
    apply(&mut live, &root, &[v3]);
    assert!(
        live.finish_refresh(failed).is_none(),
        "an error fixed since was reported"
    );
    assert_eq!(live.parked(), 0);
    assert!(
        live.waiting_keys().contains("releases"),
        "the batch was not put back in line"
    );
    refresh(&mut live);
    assert_equals_a_full_build(&live, &root, "a batch that failed before a fix");
}

#[test]
fn the_home_page_is_kept_for_the_next_start_while_the_inputs_are_as_they_were() {
    let (hub, root) = many_orgs_hub();
    assert_eq!(Front::cached(&root, BASE), None, "a front before any was kept");
    let live = LiveSite::open(&root, BASE).unwrap();
    let keep = live.front_keeper().expect("a site just opened keeps its front");
    assert!(keep(), "not kept");
    let front = Front::cached(&root, BASE).expect("the front kept");
    assert!(front == live.front(), "the front kept is not the one served");
    let paths: Vec<&str> = front.files.iter().map(|f| f.path.as_str()).collect();
    assert!(
        paths.contains(&"index.html") && paths.contains(&"style.css"),
        "{paths:?}"
    );
    let home = &front.files.iter().find(|f| f.path == "index.html").unwrap().bytes;
    assert!(*home == live.files()["index.html"].bytes(), "not the page served");
    // The data files are left out and waited for, like the organisations' pages.
    assert!(
        paths.iter().all(|p| !p.starts_with("api/") && *p != "sitemap.xml"),
        "{paths:?}"
    );
    for key in ["acme-39", "topics", "releases", "changes.csv", "sitemap.xml"] {
        assert!(front.waiting.iter().any(|k| k == key), "{key} is not waited for");
    }
    // Served at another address, or after any input changed, it is not used; with the
    // inputs as they were again, it is.
    assert_eq!(Front::cached(&root, "http://127.0.0.1:10"), None);
    let version = add_a_clause(&hub, "acme-07");
    assert_eq!(Front::cached(&root, BASE), None, "a front kept for other content");
    let original = std::fs::read_to_string(hub.path(&version))
        .unwrap()
        .replace("\nA clause about okapis.\n", "");
    hub.write(&version, original);
    assert_eq!(Front::cached(&root, BASE), Some(front));
    // A site loaded before an edit it has not rendered does not keep its front.
    add_a_clause(&hub, "acme-07");
    assert!(!keep_now(&live), "a front kept for inputs it was not made from");
}

/// Keeps the site's front now, if it may be kept.
fn keep_now(live: &LiveSite) -> bool {
    live.front_keeper().is_some_and(|keep| keep())
}

#[test]
fn an_edited_site_keeps_its_home_page_as_edited_and_none_after_a_failure() {
    let (hub, root, mut live) = history_hub();
    let version = add_a_clause(&hub, "acme");
    apply(&mut live, &root, &[&version]);
    // The home page the edit left to render is rendered to be kept.
    assert!(keep_now(&live));
    let front = Front::cached(&root, BASE).expect("kept");
    let fresh = LiveSite::build(&root, BASE).unwrap();
    assert!(front == fresh.front(), "the front kept is not the edited hub's");
    refresh(&mut live);
    assert_equals_a_full_build(&live, &root, "the front kept");

    hub.write(&version, "+++\neffective = \"broken\n+++\n");
    let touches: BTreeSet<_> = classify(&root, &hub.path(&version)).into_iter().collect();
    assert!(live.apply(&plan(&touches)).is_err());
    assert!(
        live.front_keeper().is_none(),
        "a site that failed to rebuild kept its front"
    );
    // Nor once another part rebuilt: the broken file still is not in the site.
    hub.write("static/extra.css", "body { color: teal }");
    apply(&mut live, &root, &["static/extra.css"]);
    assert!(
        live.front_keeper().is_none(),
        "kept while a file that failed is not rebuilt"
    );
    hub.write(&version, "+++\neffective = 2022-01-01\n+++\nA single clause now.\n");
    apply(&mut live, &root, &[&version]);
    assert!(keep_now(&live), "not kept after the fix");
}

#[test]
fn a_home_page_that_fails_to_render_is_not_kept_even_after_another_rebuild() {
    let (hub, root, mut live) = history_hub();
    // The home page fails for one organisation's name; its own pages do not.
    let home = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/index.html")).unwrap();
    let failing = home.replacen(
        "{% for org in orgs %}",
        "{% for org in orgs %}{% if org.name == \"Broken Corp\" %}{{ no_such_value }}{% endif %}",
        1,
    );
    assert_ne!(failing, home, "the template changed its loop");
    hub.write("templates/index.html", failing);
    apply(&mut live, &root, &["templates/index.html"]);
    refresh(&mut live);
    assert!(keep_now(&live));
    hub.write("content/acme/org.toml", "name = \"Broken Corp\"\n");
    apply(&mut live, &root, &["content/acme/org.toml"]);
    while let Some(refresh) = live.start_refresh() {
        let _ = live.finish_refresh(refresh.run());
    }
    hub.write("static/extra.css", "body { color: teal }");
    apply(&mut live, &root, &["static/extra.css"]);
    assert!(!keep_now(&live), "kept a home page the site cannot render");
    assert_eq!(Front::cached(&root, BASE), None);
}

/// A running `policyhub serve`, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(hub: &TempHub) -> Server {
        Server::start_at(hub, 0).0
    }

    /// Starts serving on `port` (0: any free one); also returns what it printed before it
    /// said where it serves.
    fn start_at(hub: &TempHub, port: u16) -> (Server, Vec<String>) {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("policyhub"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(hub.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let mut before = Vec::new();
        let base = loop {
            let line = lines.next().expect("serve exited").unwrap();
            if let Some(rest) = line.split(" at ").nth(1) {
                break rest.split('/').take(3).collect::<Vec<_>>().join("/");
            }
            before.push(line);
        };
        std::thread::spawn(move || for _ in lines {});
        (Server { child, base }, before)
    }

    /// Interrupts it as Ctrl-C does, and waits for it to stop.
    fn interrupt(self) {
        self.interrupt_after("true");
    }

    /// Runs the shell command `first` and interrupts it right after, from the same shell (a
    /// file saved and Ctrl-C pressed within a millisecond), then waits for it to stop.
    fn interrupt_after(mut self, first: &str) {
        let pid = self.child.id();
        let script = format!("{first}; kill -INT {pid}");
        let sent = Command::new("sh").args(["-c", &script]).status().unwrap();
        assert!(sent.success());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "serve did not stop cleanly: {status}");
    }

    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = self.request(path);
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response[9..12].parse().unwrap();
        let body = response
            .split_once("\r\n\r\n")
            .map_or(String::new(), |(_, b)| b.to_string());
        (status, body)
    }

    /// Opens the live-reload event stream, once the server has answered it (it counts the
    /// stream then): the name of each event it sends comes through the channel as it arrives.
    fn events(&self) -> std::sync::mpsc::Receiver<String> {
        let mut stream = self.request(policyhub::serve::EVENTS_PATH);
        let mut status = [0u8; 12];
        stream.read_exact(&mut status).unwrap();
        assert_eq!(&status[9..12], b"200", "the event stream was refused");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(&mut stream);
            for line in reader.by_ref().lines().map_while(Result::ok) {
                if let Some(name) = line.strip_prefix("event: ") {
                    if tx.send(name.to_string()).is_err() {
                        break;
                    }
                }
            }
        });
        rx
    }

    /// A connection that has sent `GET path`.
    fn request(&self, path: &str) -> TcpStream {
        let address = self.base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(address).unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n").unwrap();
        stream
    }

    fn wait_for(&self, path: &str, text: &str) -> bool {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if self.get(path).1.contains(text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_picks_up_edits_survives_broken_ones_and_recovers() {
    let hub = TempHub::fixture("history");
    let server = Server::start(&hub);
    let (status, page) = server.get("/acme/privacy-policy/");
    assert_eq!(status, 200);
    assert!(
        page.contains(
            "<script src=\"/__policyhub/live.js\" data-page=\"acme/privacy-policy/index.html\"></script></body>"
        ),
        "no live reload script naming the page"
    );
    let v3 = "content/acme/privacy-policy/2022-01-01.md";
    let good = std::fs::read_to_string(hub.path(v3)).unwrap() + "\nA freshly added clause about zebras.\n";
    hub.write(v3, &good);
    assert!(
        server.wait_for("/acme/privacy-policy/", "freshly added clause about zebras"),
        "edit not served"
    );

    let events = server.events();
    hub.write(v3, "+++\neffective = \"broken\n+++\n");
    let failed = std::iter::from_fn(|| events.recv_timeout(Duration::from_secs(10)).ok()).any(|e| e == "failed");
    assert!(failed, "no failure event after a broken edit");
    let (status, page) = server.get("/acme/privacy-policy/");
    assert_eq!(status, 200, "a broken edit took the page down");
    assert!(page.contains("zebras"), "a broken edit replaced the last good page");

    hub.write(v3, good.replace("zebras", "okapis"));
    assert!(
        server.wait_for("/acme/privacy-policy/", "okapis"),
        "the fix did not recover"
    );
    assert!(!hub.path("public").exists(), "serve wrote into public/");
}

/// An edit saved while another file is broken fails to rebuild with it; once the broken file
/// is fixed, both are served (the fix alone touches none of what the first edit changed).
#[test]
fn an_edit_saved_while_another_file_is_broken_is_served_after_the_fix() {
    let hub = TempHub::fixture("history");
    let server = Server::start(&hub);
    let events = server.events();
    let v3 = "content/acme/privacy-policy/2022-01-01.md";
    let good = std::fs::read_to_string(hub.path(v3)).unwrap();
    hub.write(v3, "+++\neffective = 2022-02-30\n+++\nText.\n");
    let failures = || std::iter::from_fn(|| events.recv_timeout(Duration::from_secs(10)).ok()).any(|e| e == "failed");
    assert!(failures(), "no failure event after a broken edit");
    let settings = std::fs::read_to_string(hub.path("site.toml")).unwrap();
    let title = settings.lines().find(|l| l.starts_with("title")).unwrap();
    hub.write("site.toml", settings.replace(title, "title = \"Renamed while broken\""));
    assert!(failures(), "the settings rebuilt although a version is broken");
    hub.write(v3, good);
    assert!(
        server.wait_for("/acme/", "Renamed while broken"),
        "the settings saved while a version was broken were lost after its fix"
    );
}

#[test]
fn serve_answers_a_page_asked_for_before_it_was_rendered_and_a_404_for_none() {
    let (hub, _root) = many_orgs_hub();
    let server = Server::start(&hub);
    let (status, page) = server.get("/acme-69/privacy-policy/");
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("data-page=\"acme-69/privacy-policy/index.html\""),
        "not the page asked for"
    );
    let (status, _) = server.get("/acme-70/privacy-policy/");
    assert_eq!(status, 404);
    let (status, _) = server.get("/acme-00/");
    assert_eq!(status, 200);
    // A policy's search records wait for its organisation's pages, as its pages do.
    let (status, docs) = server.get("/search-index/docs/acme-68/privacy-policy/0.json");
    assert_eq!(status, 200, "{docs}");
    assert!(docs.starts_with("[{\"url\":\"acme-68/privacy-policy/"), "{docs}");
}

#[test]
fn serve_answers_only_from_the_site() {
    let hub = TempHub::fixture("history");
    let server = Server::start(&hub);
    let (status, body) = server.get("/../../../../etc/passwd");
    assert_eq!(status, 404);
    assert!(!body.contains("root:"));
    let (status, body) = server.get("/%2e%2e/%2e%2e/etc/passwd");
    assert_eq!(status, 404);
    assert!(!body.contains("root:"));
    let (status, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "404.html not served");
    let (status, _) = server.get("/style.css");
    assert_eq!(status, 200);
    let (status, _) = server.get("/acme");
    assert_eq!(status, 301);
}

#[test]
fn serve_answers_pages_while_every_live_reload_stream_is_open_and_refuses_more() {
    let hub = TempHub::fixture("history");
    let server = Server::start(&hub);
    let streams: Vec<_> = (0..policyhub::serve::MAX_STREAMS).map(|_| server.events()).collect();
    let (status, page) = server.get("/acme/privacy-policy/");
    assert_eq!(status, 200, "a page waited behind the event streams");
    assert!(page.contains("Acme"));
    // Every stream was answered, so counted: one more is refused.
    let mut stream = server.request(policyhub::serve::EVENTS_PATH);
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).unwrap();
    assert_eq!(&head[9..12], b"503", "one stream more than the limit was not refused");
    drop(streams);
}

#[test]
fn serve_answers_while_idle_connections_send_nothing_and_refuses_what_is_not_a_get() {
    let hub = TempHub::fixture("history");
    let server = Server::start(&hub);
    let address = server.base.trim_start_matches("http://").to_string();
    // Connections a browser opened and left idle hold nothing that a new request waits for.
    let idle: Vec<TcpStream> = (0..32).map(|_| TcpStream::connect(&address).unwrap()).collect();
    let (status, page) = server.get("/acme/privacy-policy/");
    assert_eq!(status, 200, "a page waited behind idle connections");
    assert!(page.contains("Acme"));
    drop(idle);

    let answer = |request: &str| {
        let mut stream = TcpStream::connect(&address).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    };
    let head = answer("HEAD /acme/privacy-policy/ HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(head.contains("Content-Length: "), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "a HEAD request got a body: {head}");
    let post = answer("POST /acme/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    assert!(post.starts_with("HTTP/1.1 405 "), "{post}");
    let garbage = answer("hello\r\n\r\n");
    assert!(garbage.starts_with("HTTP/1.1 400 "), "{garbage}");
}

#[test]
fn serve_starts_with_the_home_page_it_kept_at_its_last_stop() {
    let (hub, _root) = many_orgs_hub();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (server, said) = Server::start_at(&hub, port);
    assert!(!said.iter().any(|l| l.contains("kept from the last run")), "{said:?}");
    let (_, first_home) = server.get("/");
    hub.write("content/acme-07/org.toml", "name = \"Okapi Holdings\"\n");
    assert!(server.wait_for("/", "Okapi Holdings"), "edit not served");
    server.interrupt();

    // Started again on the same port: the home page kept at the stop, as edited, at once;
    // the other pages once the hub is loaded.
    let (server, said) = Server::start_at(&hub, port);
    assert!(said.iter().any(|l| l.contains("kept from the last run")), "{said:?}");
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("Okapi Holdings") && home != first_home);
    let (status, page) = server.get("/acme-07/privacy-policy/");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Okapi Holdings"));
    let (status, csv) = server.get("/api/changes.csv");
    assert_eq!(status, 200, "a data file left out of the front got {status}");
    assert!(csv.contains("acme-07"));
    assert_eq!(server.get("/acme-70/").0, 404);
    drop(server);

    // After an edit made while it was stopped, the front is not used.
    hub.write("content/acme-07/org.toml", "name = \"Okapi Group\"\n");
    let (server, said) = Server::start_at(&hub, port);
    assert!(!said.iter().any(|l| l.contains("kept from the last run")), "{said:?}");
    assert!(server.get("/").1.contains("Okapi Group"));
}

#[test]
fn serve_interrupted_as_a_file_is_saved_keeps_no_stale_home_page_for_the_new_files() {
    let (hub, root) = many_orgs_hub();
    let server = Server::start(&hub);
    hub.write("content/acme-07/org.toml", "name = \"Okapi Holdings\"\n");
    assert!(server.wait_for("/", "Okapi Holdings"), "edit not served");
    // Saved and interrupted at once: a home page kept now is kept for the new files, so it
    // must show them (the save rendered before the stop), or none is kept at the stop.
    let org = hub.path("content/acme-07/org.toml");
    server.interrupt_after(&format!("printf 'name = \"Okapi Group\"\\n' > '{}'", org.display()));
    assert!(std::fs::read_to_string(&org).unwrap().contains("Okapi Group"));
    // Keys hold this binary's identity, which the test cannot compute: the home page kept is
    // read as bytes. The name it shows was never on disk when the stop came.
    let kept = std::fs::read(root.join(".policyhub-cache/kept/serve-front.bin")).unwrap_or_default();
    let kept = String::from_utf8_lossy(&kept);
    assert!(
        !kept.contains("Okapi Holdings"),
        "a home page kept for new files shows the old ones"
    );
}
