//! `policyhub import` (DESIGN §6): the five seed captures become version files with one command
//! each (snapshots), every word of a capture is kept unless reported dropped, re-importing changes
//! nothing, and every mistake is refused with a clear message and nothing written.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::TempHub;
use policyhub::content::Date;
use policyhub::import::{convert, Conversion, Overrides};
use proptest::prelude::*;

/// The five seeds: file, org slug, extra arguments (only Parature has no date at all).
const SEEDS: [(&str, &str, &[&str]); 5] = [
    ("000_27e34492034d8157.txt", "xmatters", &[]),
    ("001_a19259ca8b32778a.txt", "xmedius", &[]),
    ("002_7b5879fe022a2349.txt", "parature", &["--effective", "2006-10-24"]),
    ("003_ceacacaf4616f780.txt", "calltrackingmetrics", &[]),
    ("004_b777b8f6f8736356.txt", "nexmo", &[]),
];

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds")
}

fn seed(file: &str) -> Vec<u8> {
    fs::read(seeds_dir().join(file)).unwrap()
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

fn converted(bytes: &[u8], effective: Option<&str>) -> Conversion {
    let overrides = Overrides {
        effective: effective.map(|d| d.parse::<Date>().unwrap()),
        ..Overrides::default()
    };
    convert(Path::new("capture.txt"), bytes, &overrides).unwrap_or_else(|e| panic!("{e}"))
}

/// The words of a text: runs of letters and digits, so that markup (`**`, `#`, `-`, `\`) and
/// whitespace do not count but every word and its order do.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every non-space character except Markdown markup: catches changed punctuation too.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !"*_#>\\-+•=".contains(*c))
        .collect()
}

/// The capture without the lines the import reported dropped (line numbers are 1-based).
fn kept_text(capture: &str, conversion: &Conversion) -> String {
    capture
        .lines()
        .enumerate()
        .filter(|(i, _)| !conversion.dropped.iter().any(|d| d.line == i + 1))
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The import's promise: the words of the version equal the words of the capture minus the lines
/// it reported dropped, and each dropped line is reported with its exact text.
fn assert_words_kept(capture: &str, conversion: &Conversion) {
    let lines: Vec<&str> = capture.lines().collect();
    for d in &conversion.dropped {
        assert_eq!(
            lines[d.line - 1],
            d.text,
            "dropped line {} is reported as captured",
            d.line
        );
    }
    let kept = kept_text(capture, conversion);
    assert_eq!(words(&kept), words(&conversion.body), "words changed");
    assert_eq!(letters(&kept), letters(&conversion.body), "characters changed");
}

/// The Markdown has no code block, so no capture text renders as `<pre>`.
fn assert_no_code_blocks(markdown: &str) {
    use pulldown_cmark::{Event, Parser, Tag};
    for event in Parser::new(markdown) {
        if let Event::Start(Tag::CodeBlock(kind)) = event {
            panic!("a code block ({kind:?}) in:\n{markdown}");
        }
    }
}

#[test]
fn each_seed_imports_with_one_command() {
    for (file, org, extra) in SEEDS {
        let hub = empty_hub();
        let out = hub
            .command(&[&["import", file, "--org", org, "--dry-run"], extra].concat())
            .current_dir(seeds_dir())
            .output()
            .unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(out.status.success(), "{file}: {stderr}");
        assert!(!hub.path("content").exists(), "--dry-run wrote files");
        insta::assert_snapshot!(
            format!("seed_{org}"),
            format!("{stdout}\n---- report (stderr) ----\n{stderr}")
        );
    }
}

#[test]
fn seeds_keep_every_word_not_reported_dropped() {
    for (file, _, extra) in SEEDS {
        let bytes = seed(file);
        let conversion = converted(&bytes, extra.get(1).copied());
        assert_words_kept(&String::from_utf8(bytes).unwrap(), &conversion);
        assert_no_code_blocks(&conversion.body);
    }
}

#[test]
fn seeds_reimport_to_the_same_bytes() {
    for (file, _, extra) in SEEDS {
        let once = converted(&seed(file), extra.get(1).copied()).text();
        let twice = converted(once.as_bytes(), None).text();
        assert_eq!(once, twice, "{file}");
    }
}

#[test]
fn seeds_recover_their_dates_headings_and_lists() {
    // (org, effective, captured, headings at least, list items at least)
    let want = [
        ("xmatters", "2015-12-10", Some("2015-12-26"), 21, 23),
        ("xmedius", "2020-11-01", None, 13, 37),
        ("parature", "2006-10-24", None, 21, 6),
        ("calltrackingmetrics", "2015-03-14", Some("2015-03-14"), 6, 8),
        ("nexmo", "2015-03-12", Some("2016-10-30"), 14, 7),
    ];
    for ((file, org, extra), (name, effective, captured, headings, items)) in SEEDS.iter().zip(want) {
        assert_eq!(*org, name);
        let c = converted(&seed(file), extra.get(1).copied());
        assert_eq!(c.effective.to_string(), effective, "{org}");
        assert_eq!(c.captured.map(|d| d.to_string()).as_deref(), captured, "{org}");
        assert!(c.structure.headings >= headings, "{org}: {:?}", c.structure);
        assert!(c.structure.list_items >= items, "{org}: {:?}", c.structure);
        assert!(c.body.starts_with("# "), "{org}: the title comes first");
    }
}

#[test]
fn imported_seeds_build_without_code_blocks() {
    let hub = empty_hub();
    for (file, org, extra) in SEEDS {
        let path = seeds_dir().join(file);
        let (ok, stdout, stderr) = import(&hub, &[&[path.to_str().unwrap(), "--org", org], extra].concat());
        assert!(ok, "{file}: {stderr}");
        assert!(stdout.contains("→ wrote content/"), "{stdout}");
    }
    let (ok, _, stderr) = hub.build();
    assert!(ok, "{stderr}");
    for (org, version) in [
        ("xmatters", "2015-12-10"),
        ("xmedius", "2020-11-01"),
        ("parature", "2006-10-24"),
        ("calltrackingmetrics", "2015-03-14"),
        ("nexmo", "2015-03-12"),
    ] {
        let html = hub.read_output(&format!("{org}/privacy-policy/{version}/index.html"));
        assert!(!html.contains("<pre"), "{org} renders a <pre> block");
        assert!(html.matches("<h").count() >= 6, "{org} has headings");
    }
    assert!(
        fs::read_to_string(hub.path("content/xmedius/privacy-policy/policy.toml"))
            .unwrap()
            .contains("url = \"https://www.xmedius.com/en/website-privacy-policy/\"")
    );
}

/// DESIGN §6: the seeds in content/ are the importer's output. The arguments are those of
/// scripts/import-seeds; a difference means content/ was edited by hand or the importer changed.
#[test]
fn committed_seed_content_is_the_importers_output() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for (file, org, _) in SEEDS {
        let overrides = if org == "parature" {
            Overrides {
                effective: Some("2006-10-24".parse().unwrap()),
                source: Some("http://www.parature.com/privacylegal/".into()),
                note: Some("The capture carries no date. 2006-10-24 (release of Firefox 2.0, which the Security section names) is the earliest date this text can have been published: a lower bound, not a known date. See docs/seed-conversion.md.".into()),
                ..Overrides::default()
            }
        } else {
            Overrides::default()
        };
        let c = convert(Path::new(file), &seed(file), &overrides).unwrap();
        let committed = content
            .join(org)
            .join("privacy-policy")
            .join(format!("{}.md", c.effective));
        let committed = fs::read_to_string(&committed).unwrap_or_else(|e| panic!("{}: {e}", committed.display()));
        assert!(
            committed == c.text(),
            "{org}: content/ differs from the importer's output; run scripts/import-seeds"
        );
    }
}

#[test]
fn reimporting_an_imported_file_changes_nothing() {
    let hub = empty_hub();
    let capture = seeds_dir().join(SEEDS[0].0);
    assert!(import(&hub, &[capture.to_str().unwrap(), "--org", "xmatters"]).0);
    let version = hub.path("content/xmatters/privacy-policy/2015-12-10.md");
    let before = fs::read(&version).unwrap();
    let (ok, _, stderr) = import(&hub, &[version.to_str().unwrap(), "--org", "xmatters", "--force"]);
    assert!(ok, "{stderr}");
    assert_eq!(before, fs::read(&version).unwrap());
}

#[test]
fn an_existing_version_is_never_replaced_without_force() {
    let hub = empty_hub();
    let capture = seeds_dir().join(SEEDS[4].0);
    let capture = capture.to_str().unwrap();
    assert!(import(&hub, &[capture, "--org", "nexmo"]).0);
    let version = hub.path("content/nexmo/privacy-policy/2015-03-12.md");
    fs::write(&version, "+++\neffective = 2015-03-12\n+++\nHand edited.\n").unwrap();
    let (ok, _, stderr) = import(&hub, &[capture, "--org", "nexmo"]);
    assert!(!ok);
    assert!(
        stderr.contains("content/nexmo/privacy-policy/2015-03-12.md: error: this version already exists"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert!(fs::read_to_string(&version).unwrap().contains("Hand edited."));
    // A dry run still shows the text, and says it needs --force.
    let (ok, stdout, stderr) = import(&hub, &[capture, "--org", "nexmo", "--dry-run"]);
    assert!(
        ok && stdout.starts_with("+++\n") && stderr.contains("needs --force"),
        "{stderr}"
    );
    let (ok, stdout, _) = import(&hub, &[capture, "--org", "nexmo", "--force"]);
    assert!(ok && stdout.contains("→ replaced content/nexmo"), "{stdout}");
    assert!(!fs::read_to_string(&version).unwrap().contains("Hand edited."));
}

#[test]
fn a_capture_without_any_date_is_refused_with_what_to_pass() {
    let hub = empty_hub();
    let capture = seeds_dir().join(SEEDS[2].0);
    let (ok, _, stderr) = import(&hub, &[capture.to_str().unwrap(), "--org", "parature"]);
    assert!(!ok);
    assert!(stderr.contains("no date found"), "{stderr}");
    assert!(stderr.contains("help: pass --effective YYYY-MM-DD"), "{stderr}");
    assert!(stderr.contains("import failed: 1 error"), "{stderr}");
    assert!(!hub.path("content").exists());
}

#[test]
fn a_source_that_is_not_a_web_address_is_refused_before_anything_is_written() {
    let hub = empty_hub();
    let capture = seeds_dir().join(SEEDS[4].0);
    let (ok, _, stderr) = import(
        &hub,
        &[capture.to_str().unwrap(), "--org", "nexmo", "--source", "ftp://x"],
    );
    assert!(!ok);
    assert!(
        stderr.contains("--source: error: `ftp://x` is not an absolute http:// or https:// URL"),
        "{stderr}"
    );
    assert!(!hub.path("content").exists());
}

#[test]
fn an_ambiguous_date_is_reported_not_guessed() {
    let hub = empty_hub();
    hub.write(
        "capture.txt",
        "ACME PRIVACY POLICY\nEffective Date: 03/04/2015\nWe collect nothing at all.\n",
    );
    let path = hub.path("capture.txt");
    let (ok, _, stderr) = import(&hub, &[path.to_str().unwrap(), "--org", "acme"]);
    assert!(!ok);
    assert!(stderr.contains("capture.txt:2: error:"), "{stderr}");
    assert!(
        stderr.contains("ambiguous: 2015-03-04 (month first) or 2015-04-03 (day first)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pass --effective 2015-03-04 or --effective 2015-04-03"),
        "{stderr}"
    );
    let (ok, _, stderr) = import(
        &hub,
        &[path.to_str().unwrap(), "--org", "acme", "--effective", "2015-04-03"],
    );
    assert!(ok, "{stderr}");
    assert!(hub.path("content/acme/privacy-policy/2015-04-03.md").is_file());
}

#[test]
fn bad_slugs_dates_and_hubs_are_refused() {
    let hub = empty_hub();
    let capture = seeds_dir().join(SEEDS[0].0);
    let capture = capture.to_str().unwrap();
    let (ok, _, stderr) = import(&hub, &[capture, "--org", "Acme Corp"]);
    assert!(!ok);
    assert!(
        stderr.contains("`Acme Corp` is not a valid organisation slug"),
        "{stderr}"
    );
    assert!(stderr.contains("help: pass --org acme-corp"), "{stderr}");
    let (ok, _, stderr) = import(&hub, &[capture, "--org", "acme", "--policy", "Privacy"]);
    assert!(!ok && stderr.contains("pass --policy privacy"), "{stderr}");
    // A slug too long is refused with one short enough, cut at a word.
    let long = ["data"; 25].join("-");
    let (ok, _, stderr) = import(&hub, &[capture, "--org", &long]);
    let suggested = stderr
        .split("help: pass --org ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next());
    assert!(
        !ok && suggested.is_some_and(|s| s.len() <= 100 && long.starts_with(s)),
        "{stderr}"
    );
    let (ok, _, stderr) = import(&hub, &[capture, "--org", "acme", "--effective", "2015-02-30"]);
    assert!(!ok && stderr.contains("no such day"), "{stderr}");
    let not_a_hub = TempHub {
        dir: tempfile::tempdir().unwrap(),
    };
    let (ok, _, stderr) = import(&not_a_hub, &[capture, "--org", "acme"]);
    assert!(!ok && stderr.contains("not a hub"), "{stderr}");
    let (ok, _, stderr) = import(&hub, &["/no/such/capture.txt", "--org", "acme"]);
    assert!(!ok && stderr.contains("cannot read the capture"), "{stderr}");
    assert!(!hub.path("content").exists());
}

#[test]
fn empty_binary_and_non_utf8_captures_are_refused() {
    let hub = empty_hub();
    for (name, bytes, want) in [
        ("empty.txt", &b""[..], "the capture is empty"),
        ("blank.txt", &b"\n  \n\t\n"[..], "the capture is empty"),
        (
            "image.png",
            &b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"[..],
            "not a text file",
        ),
        ("latin1.txt", &b"Privacy\nD\xe9claration\n"[..], "not valid UTF-8"),
    ] {
        hub.write(name, bytes);
        let path = hub.path(name);
        let (ok, _, stderr) = import(
            &hub,
            &[path.to_str().unwrap(), "--org", "acme", "--effective", "2020-01-01"],
        );
        assert!(!ok, "{name}");
        assert!(stderr.contains(want), "{name}: {stderr}");
    }
    hub.write("chrome.txt", "CLOSE X\n© 2020 Acme. All rights reserved.\n");
    let path = hub.path("chrome.txt");
    let (ok, _, stderr) = import(
        &hub,
        &[path.to_str().unwrap(), "--org", "acme", "--effective", "2020-01-01"],
    );
    assert!(!ok && stderr.contains("nothing of the policy is left"), "{stderr}");
    assert!(!hub.path("content").exists());
}

/// A capture may hold as much as a version file a build reads (64 MiB): a larger one is
/// refused without being read whole (a sparse file of 64 MiB and one byte here), naming it,
/// and nothing is written.
#[test]
fn a_capture_larger_than_a_version_may_be_is_refused() {
    let hub = empty_hub();
    hub.write(
        "huge.txt",
        "Privacy Policy\nLast updated: 1 March 2024\nWe collect your name.\n",
    );
    let file = fs::OpenOptions::new().append(true).open(hub.path("huge.txt")).unwrap();
    file.set_len((64 << 20) + 1).unwrap();
    let path = hub.path("huge.txt");
    let (ok, _, stderr) = import(&hub, &[path.to_str().unwrap(), "--org", "acme"]);
    assert!(!ok);
    assert!(stderr.contains("the capture holds more than 64 MiB"), "{stderr}");
    assert!(!hub.path("content").exists());
}

#[test]
fn reads_standard_input_and_keeps_existing_manifests() {
    let hub = empty_hub();
    hub.write(
        "content/acme/org.toml",
        "name = \"Acme Corp\"\ndescription = \"Kept.\"\n",
    );
    let mut cmd = Command::cargo_bin("policyhub").unwrap();
    let out = cmd
        .args(["import", "-", "--org", "acme", "--name", "Other", "--root"])
        .arg(hub.root())
        .write_stdin("https://acme.example/privacy\nACME PRIVACY POLICY\nLast updated: 10 December 2015\nWe collect your name.\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.starts_with("imported <stdin> → wrote content/acme/privacy-policy/2015-12-10.md"),
        "{stdout}"
    );
    assert!(stdout.contains("--name \"Other\" was not applied"), "{stdout}");
    assert_eq!(
        fs::read_to_string(hub.path("content/acme/org.toml")).unwrap(),
        "name = \"Acme Corp\"\ndescription = \"Kept.\"\n"
    );
    assert_eq!(
        fs::read_to_string(hub.path("content/acme/privacy-policy/policy.toml")).unwrap(),
        "title = \"Privacy Policy\"\nurl = \"https://acme.example/privacy\"\n"
    );
    assert_eq!(
        fs::read_to_string(hub.path("content/acme/privacy-policy/2015-12-10.md")).unwrap(),
        "+++\neffective = 2015-12-10\nsource = \"https://acme.example/privacy\"\n+++\n# ACME PRIVACY POLICY\n\nLast updated: 10 December 2015\n\nWe collect your name.\n"
    );
    assert!(hub.build().0);
}

#[test]
fn notes_and_source_flags_go_to_the_front_matter() {
    let c = convert(
        Path::new("c.txt"),
        b"POLICY\nText of it.\n",
        &Overrides {
            effective: Some("2013-06-01".parse().unwrap()),
            source: Some("http://example.org/privacy/".into()),
            note: Some("The date is an estimate.".into()),
            ..Overrides::default()
        },
    )
    .unwrap();
    assert_eq!(
        c.text(),
        "+++\n# The date is an estimate.\neffective = 2013-06-01\nsource = \"http://example.org/privacy/\"\n+++\n# POLICY\n\nText of it.\n"
    );
    assert_eq!(converted(c.text().as_bytes(), None).text(), c.text());
}

/// A capture that announces its change ahead gives the version both dates, named in the
/// report; re-importing the version file keeps them, and `--announced` overrides the text.
#[test]
fn an_announced_change_is_imported_with_its_announced_and_effective_dates() {
    let capture = "ACME PRIVACY POLICY\nLast updated: February 1, 2027\nThese changes will take effect on March 1, 2027.\n\nWe collect your name.\n";
    let hub = empty_hub();
    let mut cmd = Command::cargo_bin("policyhub").unwrap();
    let out = cmd
        .args(["import", "-", "--org", "acme", "--root"])
        .arg(hub.root())
        .write_stdin(capture)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("announced 2027-02-01  (line 2: Last updated: February 1, 2027)"),
        "{stdout}"
    );
    let written = fs::read_to_string(hub.path("content/acme/privacy-policy/2027-03-01.md")).unwrap();
    assert!(
        written.starts_with("+++\nannounced = 2027-02-01\neffective = 2027-03-01\n+++\n"),
        "{written}"
    );
    assert_eq!(converted(written.as_bytes(), None).text(), written);
    let flagged = convert(
        Path::new("c.txt"),
        capture.as_bytes(),
        &Overrides {
            announced: Some("2027-01-20".parse().unwrap()),
            ..Overrides::default()
        },
    )
    .unwrap();
    assert_eq!(flagged.announced.map(|d| d.to_string()).as_deref(), Some("2027-01-20"));
}

/// Captures of the seeds' shapes that are not in the repository.
#[test]
fn unseen_captures_of_the_same_shapes_import_as_well() {
    let wayback = "> *The following text is extracted and transformed from the example.net privacy policy that was archived on 2018-07-02. Please check the [original snapshot on the Wayback Machine](https://web.archive.org/web/20180702101010id_/http%3A//www.example.net/legal/privacy) for the most accurate reproduction.*\n\n# Example Net Privacy Notice\n\nLast modified: 1st of May, 2018\n\n### **What We Collect**\n\nWe collect:\n\n      * your name\n\n\n    * your e-mail address\n\n\n\n**Cookies**\n\nWe use cookies. \u{a0} **Analytics** \u{a0} We count visits.\n\n#### **Children** **?**\n\nNot for children.\n";
    let c = converted(wayback.as_bytes(), None);
    assert_eq!(c.effective.to_string(), "2018-05-01");
    assert_eq!(c.captured.map(|d| d.to_string()).as_deref(), Some("2018-07-02"));
    assert_eq!(c.source.as_deref(), Some("http://www.example.net/legal/privacy"));
    assert_eq!(
        c.body,
        "# Example Net Privacy Notice\n\nLast modified: 1st of May, 2018\n\n## What We Collect\n\nWe collect:\n\n- your name\n- your e-mail address\n\n## Cookies\n\nWe use cookies.\n\n## Analytics\n\nWe count visits.\n\n### Children?\n\nNot for children.\n"
    );
    assert_words_kept(wayback, &c);

    let scraped = "https://shop.example.com/privacy\nThis website uses cookies. By continuing to browse you agree to our use of cookies.\nAccept\nShop Example Privacy Policy\nIntroduction text of the policy with enough words to be a paragraph.\n1. INTRODUCTION\nWe are a shop and this is how we treat your data here.\n1.1 Who We Are\nWe are registered in the example country as a small company.\nWe use your data for these purposes:\nto ship your orders;\nto answer your questions; and\nto improve the shop.\n2. YOUR RIGHTS\nYou may ask us for a copy of your data at any time you like.\nThis policy was last updated on 25 December 2019.\nBack to top\nAbout us\nCareers\nCopyright © 2020 Shop Example Ltd\n";
    let c = converted(scraped.as_bytes(), None);
    assert_eq!(c.effective.to_string(), "2019-12-25");
    assert_eq!(c.source.as_deref(), Some("https://shop.example.com/privacy"));
    let dropped: Vec<usize> = c.dropped.iter().map(|d| d.line).collect();
    assert_eq!(dropped, vec![1, 2, 3, 17, 18, 19, 20]);
    assert_eq!(
        c.body,
        "# Shop Example Privacy Policy\n\nIntroduction text of the policy with enough words to be a paragraph.\n\n## 1. INTRODUCTION\n\nWe are a shop and this is how we treat your data here.\n\n### 1.1 Who We Are\n\nWe are registered in the example country as a small company.\n\nWe use your data for these purposes:\n\n- to ship your orders;\n- to answer your questions; and\n- to improve the shop.\n\n## 2. YOUR RIGHTS\n\nYou may ask us for a copy of your data at any time you like.\n\nThis policy was last updated on 25 December 2019.\n"
    );
    assert_words_kept(scraped, &c);
}

/// Hand-written captures in the seeds' shapes (tests/fixtures/captures): a web-archive extract
/// with nested and numbered lists, a page scrape with breadcrumbs, a banner and a footer, and
/// blank-line-separated text without a date.
#[test]
fn capture_fixtures_of_the_seed_shapes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/captures");
    for (file, effective) in [
        ("wayback-extract.txt", None),
        ("page-scrape.txt", None),
        ("spaced-text.txt", Some("2010-01-01")),
    ] {
        let bytes = fs::read(dir.join(file)).unwrap();
        let c = converted(&bytes, effective);
        assert_words_kept(&String::from_utf8(bytes).unwrap(), &c);
        assert_no_code_blocks(&c.body);
        assert_eq!(
            converted(c.text().as_bytes(), None).text(),
            c.text(),
            "{file} re-imports to itself"
        );
        let dropped: Vec<String> = c
            .dropped
            .iter()
            .map(|d| format!("{} ({:?}): {}", d.line, d.reason, d.text))
            .collect();
        insta::assert_snapshot!(
            format!("capture_{}", file.trim_end_matches(".txt")),
            format!("{}\n---- dropped ----\n{}\n", c.text(), dropped.join("\n"))
        );
    }
}

/// A generated capture: blocks in the shapes captures come in, joined as the shape joins them.
fn capture_strategy() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "we",
        "collect",
        "your",
        "data",
        "Privacy",
        "POLICY",
        "cookies",
        "3.1",
        "1.",
        "-",
        "*",
        "**",
        "#",
        "•",
        "Effective",
        "Date:",
        "2015-12-10",
        "<b>",
        "CLOSE",
        "X",
        "©",
        "[](x)",
        "\u{a0}",
        ";",
        ":",
        "and",
        ".",
        "Data",
        "Rights",
        "https://example.org/p",
        "[email\u{a0}protected]",
        "12/10/2015",
        "_",
        ">",
        "###",
        "1.1",
        "Updated:",
        "March 12, 2015",
        "|",
        "```",
        "---",
        "===",
        "<http://x.org>",
        "[a](b)",
        "Copyright",
        "(c)",
        "\t",
        "Share",
        "?",
        "1)",
        "__",
        "+",
        "\\",
        "e.g.",
        "SECURITY",
        "How",
        "We",
        "Use",
    ]);
    let line = prop::collection::vec(word, 1..14).prop_map(|w| w.join(" "));
    let indent = prop::sample::select(vec!["", "", "  ", "    ", "      ", "\u{a0} "]);
    let block = (indent, line).prop_map(|(i, l)| format!("{i}{l}"));
    let separator = prop::sample::select(vec!["\n", "\n\n", "\n\n\n"]);
    prop::collection::vec((block, separator), 1..30)
        .prop_map(|blocks| blocks.into_iter().map(|(b, s)| format!("{b}{s}")).collect::<String>())
}

proptest! {
    // IMPORT_CASES=100000 runs a longer search locally.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("IMPORT_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(300)
    ))]

    /// Any capture of these shapes: no panic, every word kept unless reported dropped, no code
    /// block, and the output imports to itself.
    #[test]
    fn generated_captures_keep_their_words_and_are_fixed_points(capture in capture_strategy()) {
        let overrides = Overrides { effective: Some("2020-01-01".parse().unwrap()), ..Overrides::default() };
        if let Ok(c) = convert(Path::new("g.txt"), capture.as_bytes(), &overrides) {
            assert_words_kept(&capture, &c);
            // A fence in a Markdown capture (at a line's start, a list item's or in a quote,
            // kept as it is) was code on the page.
            let fenced = capture.lines().map(str::trim_start).any(|l| {
                let fence = l.contains("```") || l.contains("~~~");
                let item = l
                    .strip_prefix(['-', '+', '*'])
                    .or_else(|| l.trim_start_matches(|c: char| c.is_ascii_digit()).strip_prefix(['.', ')']))
                    .map_or(l, str::trim_start);
                fence && (l.starts_with('>') || [l, item].iter().any(|t| t.starts_with("```") || t.starts_with("~~~")))
            });
            if !fenced {
                assert_no_code_blocks(&c.body);
            }
            let again = convert(Path::new("g.md"), c.text().as_bytes(), &Overrides::default()).unwrap();
            prop_assert_eq!(again.text(), c.text());
        }
    }

    /// Arbitrary bytes never panic the importer.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = convert(Path::new("b.bin"), &bytes, &Overrides::default());
    }
}

#[test]
fn huge_lines_are_handled() {
    let long = format!("ACME POLICY\n{}\nEffective Date: 2020-01-01\n", "word ".repeat(400_000));
    let c = converted(long.as_bytes(), None);
    assert_eq!(c.effective.to_string(), "2020-01-01");
}
