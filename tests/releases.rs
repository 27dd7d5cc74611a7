//! Releases and archives (DESIGN §8): reproducible builds, `release` (files, refusals,
//! interruption), `verify` (tamper detection), and the published `/releases/` pages.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::TempHub;

/// 1 March 2024, 00:00 UTC.
const EPOCH: &str = "1709251200";

fn run(hub: &TempHub, args: &[&str]) -> (bool, String) {
    let out: Output = hub.command(args).env("SOURCE_DATE_EPOCH", EPOCH).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn released(fixture: &str, name: &str) -> TempHub {
    let hub = if fixture == "repository" {
        TempHub::repository()
    } else {
        TempHub::fixture(fixture)
    };
    let (ok, text) = run(&hub, &["release", name]);
    assert!(ok, "{text}");
    hub
}

/// Every file under `dir`, relative path → bytes (none when there is no `dir`).
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    match dir.exists() {
        true => common::snapshot(dir),
        false => Vec::new(),
    }
}

fn flip_middle_byte(path: &Path) {
    let mut bytes = fs::read(path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    fs::write(path, bytes).unwrap();
}

/// Every `href` and `src` value of a page.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in [" href=\"", " src=\""] {
        for rest in html.split(attribute).skip(1) {
            found.push(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    found
}

#[test]
fn builds_are_byte_identical_across_roots_output_folders_and_clocks() {
    // Two copies of the hub in different folders, each with the same release, built into
    // differently named folders: one without SOURCE_DATE_EPOCH, one with it set to another
    // time of the day the first took as its reference date (its newest capture).
    let a = released("repository", "r1");
    let b = released("repository", "r1");
    assert_eq!(
        snapshot(&a.path("archive")),
        snapshot(&b.path("archive")),
        "release archives differ"
    );
    let out_a = a.path("site-one");
    let out_b = b.path("elsewhere/two");
    let build = |hub: &TempHub, out: &PathBuf, epoch: Option<&str>| {
        let mut cmd = hub.command(&["build"]);
        cmd.arg("--output").arg(out);
        match epoch {
            Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
            None => cmd.env_remove("SOURCE_DATE_EPOCH"),
        };
        assert!(cmd.output().unwrap().status.success());
    };
    build(&a, &out_a, None);
    let index = fs::read_to_string(out_a.join("api/index.json")).unwrap();
    let reference: policyhub::content::Date = index
        .split("\"reference_date\":\"")
        .nth(1)
        .and_then(|rest| rest.get(..10))
        .and_then(|day| day.parse().ok())
        .unwrap_or_else(|| panic!("no reference date in {index}"));
    let late_that_day = (reference.days_since_epoch() * 86_400 + 86_399).to_string();
    build(&b, &out_b, Some(&late_that_day));
    let first = snapshot(&out_a);
    assert!(first.iter().any(|(p, _)| p == "releases/r1/index.html"));
    let second = snapshot(&out_b);
    assert_eq!(first.len(), second.len());
    for ((path, bytes), (other_path, other)) in first.iter().zip(&second) {
        assert_eq!(path, other_path);
        assert!(bytes == other, "{path} differs between the two builds");
    }
    let root = a.root().to_string_lossy().into_owned();
    for (path, bytes) in &first {
        assert!(
            !String::from_utf8_lossy(bytes).contains(&root),
            "{path} holds the hub's absolute path"
        );
    }
}

#[test]
fn release_writes_tarball_manifest_and_metadata() {
    let hub = released("basic", "r1");
    let folder = hub.path("archive/r1");
    let mut names: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["SHA256SUMS", "r1.tar.gz", "release.toml"]);
    let index = fs::read_to_string(hub.path("archive/releases.toml")).unwrap();
    assert!(
        index.contains("[[release]]\nname = \"r1\"\ndate = 2024-03-01\n"),
        "{index}"
    );
    let metadata = fs::read_to_string(folder.join("release.toml")).unwrap();
    assert!(
        metadata.contains("versions = 2\n") && metadata.contains("orgs = 1\n"),
        "{metadata}"
    );
    // The manifest lists every file of the site, and nothing under /releases/.
    let manifest = fs::read_to_string(folder.join("SHA256SUMS")).unwrap();
    assert!(manifest.lines().any(|l| l.ends_with("  index.html")));
    assert!(manifest
        .lines()
        .any(|l| l.ends_with("  acme/privacy-policy/2020-01-01/index.html")));
    assert!(!manifest.contains("releases/"), "a release must not hold the releases");
    // `sha256sum -c` accepts it on the unpacked tarball.
    let unpacked = tempfile::tempdir().unwrap();
    let site = policyhub::archive::unpack(&fs::read(folder.join("r1.tar.gz")).unwrap()).unwrap();
    for (path, bytes) in &site {
        let target = unpacked.path().join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, bytes).unwrap();
    }
    assert_eq!(site.len(), manifest.lines().count());
    match std::process::Command::new("sha256sum")
        .arg("-c")
        .arg("--quiet")
        .arg(folder.join("SHA256SUMS"))
        .current_dir(unpacked.path())
        .output()
    {
        Ok(out) => assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout)),
        Err(_) => {
            // No sha256sum here: check the format it reads, and every hash, in Rust.
            for line in manifest.lines() {
                let (hash, path) = line.split_once("  ").unwrap();
                assert_eq!(hash.len(), 64);
                assert_eq!(
                    policyhub::archive::sha256_hex(&fs::read(unpacked.path().join(path)).unwrap()),
                    hash
                );
            }
        }
    }
}

#[test]
fn releasing_a_taken_name_fails_and_leaves_the_archive_unchanged() {
    let hub = released("basic", "r1");
    let before = snapshot(&hub.path("archive"));
    hub.write(
        "content/acme/privacy-policy/2022-01-01.md",
        "+++\n+++\n# New\n\nA new version.\n",
    );
    let (ok, text) = run(&hub, &["release", "r1"]);
    assert!(!ok);
    assert!(text.contains("release `r1` exists"), "{text}");
    assert_eq!(before, snapshot(&hub.path("archive")));
    // Another name is fine, and the first release is untouched.
    let (ok, text) = run(&hub, &["release", "r2"]);
    assert!(ok, "{text}");
    let after = snapshot(&hub.path("archive"));
    for (path, bytes) in before.iter().filter(|(p, _)| p.starts_with("r1/")) {
        assert!(after.contains(&(path.clone(), bytes.clone())), "{path} changed");
    }
}

#[test]
fn unsafe_release_names_are_refused() {
    let hub = TempHub::fixture("basic");
    for name in ["../x", "A B", "R1", "a/b", ".hidden", "x.tar.gz", ""] {
        let (ok, text) = run(&hub, &["release", name]);
        assert!(!ok, "{name:?} accepted");
        assert!(text.contains("cannot name a release"), "{name:?}: {text}");
    }
    assert!(!hub.path("archive").exists());
}

#[test]
fn verify_passes_then_names_each_altered_file() {
    let hub = released("basic", "r1");
    let (ok, text) = run(&hub, &["verify"]);
    assert!(ok, "{text}");
    assert!(text.contains("ok: 1 release,"), "{text}");

    // One byte of the tarball.
    let tarball = hub.path("archive/r1/r1.tar.gz");
    let original = fs::read(&tarball).unwrap();
    flip_middle_byte(&tarball);
    let (ok, text) = run(&hub, &["verify"]);
    assert!(!ok);
    assert!(text.contains("archive/r1/r1.tar.gz: error: changed"), "{text}");
    fs::write(&tarball, &original).unwrap();

    // One byte of the manifest, and of the metadata.
    for file in ["SHA256SUMS", "release.toml"] {
        let path = hub.path(&format!("archive/r1/{file}"));
        let original = fs::read(&path).unwrap();
        flip_middle_byte(&path);
        let (ok, text) = run(&hub, &["verify"]);
        assert!(!ok, "{file}");
        assert!(text.contains(&format!("archive/r1/{file}: error: changed")), "{text}");
        fs::write(&path, original).unwrap();
    }

    // A file added beside the release, and one taken away.
    hub.write("archive/r1/extra.html", "x");
    hub.write("archive/r9/index.html", "x");
    fs::remove_file(hub.path("archive/r1/SHA256SUMS")).unwrap();
    let (ok, text) = run(&hub, &["verify"]);
    assert!(!ok);
    assert!(text.contains("archive/r1/extra.html: error: added"), "{text}");
    assert!(text.contains("archive/r9: error: added"), "{text}");
    assert!(text.contains("archive/r1/SHA256SUMS: error: missing"), "{text}");
    assert!(text.contains("verify failed: 3 errors"), "{text}");
}

#[test]
fn a_lost_index_of_releases_stops_build_release_and_verify_and_loses_nothing() {
    let hub = released("basic", "r1");
    fs::remove_file(hub.path("archive/releases.toml")).unwrap();
    let archive = snapshot(&hub.path("archive"));
    for args in [&["build"][..], &["release", "r2"], &["verify"]] {
        let (ok, text) = run(&hub, args);
        assert!(!ok, "{args:?}: {text}");
        assert!(
            text.contains(
                "archive/releases.toml: error: the index of releases is missing, but archive/ holds releases: r1"
            ),
            "{args:?}: {text}"
        );
        assert_eq!(snapshot(&hub.path("archive")), archive, "{args:?} changed the archive");
    }
}

#[test]
fn verify_checks_the_tarball_against_the_manifest() {
    // A consistent forgery of the recorded hashes still disagrees with the manifest.
    let hub = released("basic", "r1");
    let folder = hub.path("archive/r1");
    let mut site = policyhub::archive::unpack(&fs::read(folder.join("r1.tar.gz")).unwrap()).unwrap();
    let page = site.iter_mut().find(|(p, _)| p == "index.html").unwrap();
    page.1.extend_from_slice(b"<!-- forged -->");
    site.push(("planted.html".into(), b"x".to_vec()));
    let forged = policyhub::archive::pack(&site).unwrap();
    fs::write(folder.join("r1.tar.gz"), &forged).unwrap();
    let index = fs::read_to_string(hub.path("archive/releases.toml")).unwrap();
    let old_hash = index.split("tarball_sha256 = \"").nth(1).unwrap()[..64].to_string();
    let new_hash = policyhub::archive::sha256_hex(&forged);
    fs::write(hub.path("archive/releases.toml"), index.replace(&old_hash, &new_hash)).unwrap();
    let (ok, text) = run(&hub, &["verify"]);
    assert!(!ok);
    assert!(
        text.contains("changed: site/index.html does not match its hash in SHA256SUMS"),
        "{text}"
    );
    assert!(text.contains("added: site/planted.html"), "{text}");
}

#[test]
fn an_interrupted_release_leaves_no_trace() {
    // The system refuses to let the release write more than 4 KiB (RLIMIT_FSIZE, with
    // SIGXFSZ ignored so the write fails rather than killing the process).
    let hub = TempHub::fixture("basic");
    let bin = assert_cmd::cargo::cargo_bin("policyhub");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 4; exec \"$0\" release r1 --root \"$1\"")
        .arg(&bin)
        .arg(hub.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the release did not fail: {stderr}");
    assert!(stderr.contains("cannot write the release"), "{stderr}");
    assert!(!hub.path("archive").exists(), "archive/ was left behind");

    // With an existing archive/, nothing is added to it either.
    let hub = released("basic", "r1");
    let before = snapshot(&hub.path("archive"));
    hub.write(
        "content/acme/privacy-policy/2022-01-01.md",
        "+++\n+++\n# New\n\nA new version.\n",
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 4; exec \"$0\" release r2 --root \"$1\"")
        .arg(&bin)
        .arg(hub.root())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(before, snapshot(&hub.path("archive")));
    assert_eq!(
        fs::read_dir(hub.path("archive")).unwrap().count(),
        2,
        "a staging folder was left"
    );
}

#[test]
fn leftovers_of_a_killed_release_are_noted_and_swept() {
    let hub = released("basic", "r1");
    hub.write("archive/.r2.staging-99999/r2.tar.gz", "half a tarball");
    let (ok, text) = run(&hub, &["verify"]);
    assert!(ok, "{text}");
    assert!(
        text.contains("note: archive/.r2.staging-99999 is left from an interrupted release"),
        "{text}"
    );
    let (ok, text) = run(&hub, &["release", "r2"]);
    assert!(ok, "{text}");
    assert!(!hub.path("archive/.r2.staging-99999").exists());
    assert!(run(&hub, &["verify"]).0);
}

#[test]
fn releases_index_links_every_release_and_live_pages_link_the_index() {
    let hub = released("basic", "r1");
    assert!(hub.build().0);
    let index = hub.read_output("releases/index.html");
    for expected in [
        "href=\"/hub/releases/r1/\"",
        "href=\"/hub/releases/r1.tar.gz\"",
        "href=\"/hub/releases/r1.SHA256SUMS.txt\"",
        "href=\"/hub/releases/r1.release.toml\"",
        "<time datetime=\"2024-03-01\">1 March 2024</time>",
        "aria-current=\"page\">Releases</a>",
    ] {
        assert!(index.contains(expected), "releases index lacks {expected}");
    }
    assert_eq!(
        fs::read(hub.path("public/releases/r1.tar.gz")).unwrap(),
        fs::read(hub.path("archive/r1/r1.tar.gz")).unwrap()
    );
    for (path, bytes) in hub.output_snapshot() {
        if path.ends_with(".html") && !path.starts_with("releases/") {
            let html = String::from_utf8(bytes).unwrap();
            assert!(
                html.contains("href=\"/hub/releases/\""),
                "{path} does not link the releases"
            );
            assert!(!html.contains("archive-banner"), "{path} is live but has a banner");
        }
    }
    // A hub without releases still has the index page, so the link never breaks.
    let bare = TempHub::fixture("basic");
    assert!(bare.build().0);
    assert!(bare
        .read_output("releases/index.html")
        .contains("No release has been made yet."));
}

#[test]
fn archived_pages_carry_the_banner_and_links_resolve_inside_the_release() {
    let hub = released("basic", "r1");
    assert!(hub.build().0);
    let page = hub.read_output("releases/r1/acme/privacy-policy/index.html");
    let body = page.find("<body").unwrap();
    let banner = page
        .find("<div class=\"archive-banner\" role=\"note\">")
        .expect("no banner");
    assert!(banner > body && banner < page.find("<main").unwrap());
    assert!(page.contains("Archived release <strong>r1</strong>, <time datetime=\"2024-03-01\">1 March 2024</time>"));
    assert!(page.contains("<a href=\"/hub/acme/privacy-policy/\">see the live version</a>"));
    let output = hub.path("public");
    let mut checked = 0;
    for (path, bytes) in hub.output_snapshot() {
        if !(path.starts_with("releases/r1/") && path.ends_with(".html")) {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        assert!(html.contains("class=\"archive-banner\""), "{path} has no banner");
        let live = format!(
            "href=\"/hub/{}\">see the live version",
            policyhub::archive::live_path(&path["releases/r1/".len()..])
        );
        assert!(html.contains(&live), "{path}: banner does not link its live page");
        for link in links(&html).into_iter().filter(|l| l.starts_with('/')) {
            // A query (the compare page's `?from=…&to=…`) asks a page of the site too.
            let target = link.split(['#', '?']).next().unwrap();
            let inside = target.starts_with("/hub/releases/r1/");
            let allowed_outside =
                target == "/hub/releases/" || html.contains(&format!("href=\"{target}\">see the live version"));
            assert!(inside || allowed_outside, "{path}: {link} leaves the release");
            let rel = target.strip_prefix("/hub/").unwrap();
            let file = if rel.is_empty() || rel.ends_with('/') {
                format!("{rel}index.html")
            } else {
                rel.to_string()
            };
            assert!(output.join(&file).is_file(), "{path}: {link} is broken");
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn a_second_build_carries_published_releases_over_unchanged() {
    use std::os::unix::fs::MetadataExt;
    let hub = released("basic", "r1");
    assert!(hub.build().0);
    let fresh = hub.output_snapshot();
    let inode = |rel: &str| fs::metadata(hub.path("public").join(rel)).unwrap().ino();
    let page = inode("releases/r1/acme/index.html");
    assert!(hub.build().0);
    assert_eq!(
        fresh,
        hub.output_snapshot(),
        "a carried release differs from a fresh one"
    );
    assert_eq!(
        page,
        inode("releases/r1/acme/index.html"),
        "the release was written again"
    );
    // A new release is unpacked; the old one is still carried.
    hub.write(
        "content/acme/privacy-policy/2022-01-01.md",
        "+++\n+++\n# New\n\nA new version.\n",
    );
    assert!(run(&hub, &["release", "r2"]).0);
    assert!(hub.build().0);
    assert_eq!(page, inode("releases/r1/acme/index.html"));
    assert!(hub
        .read_output("releases/r2/acme/privacy-policy/index.html")
        .contains("A new version."));
}

#[test]
fn a_static_file_may_not_replace_a_published_release_file_but_may_replace_the_index_page() {
    let hub = released("basic", "r1");
    assert!(hub.build().0);
    let before = hub.output_snapshot();
    let clean = hub.path("clean");
    let clean_build = ["build", "--no-cache", "--output", clean.to_str().unwrap()];
    for shadow in ["releases/r1/acme/index.html", "releases/r1.tar.gz"] {
        hub.write(&format!("static/{shadow}"), "not the release");
        // Both a rebuild over the output (which carries the release) and a clean build.
        for args in [&["build"][..], &clean_build] {
            let (ok, text) = run(&hub, args);
            assert!(!ok, "{args:?} with static/{shadow}: {text}");
            assert!(
                text.contains(&format!(
                    "static/{shadow}: error: this file would replace a file of release `r1`"
                )),
                "{text}"
            );
        }
        assert_eq!(hub.output_snapshot(), before, "a refused build changed the output");
        fs::remove_file(hub.path(&format!("static/{shadow}"))).unwrap();
    }
    assert!(!clean.exists());
    // The page that lists the releases is the hub's, like any other page.
    hub.write("static/releases/index.html", "<p>Our releases</p>");
    for args in [&["build"][..], &clean_build] {
        assert!(run(&hub, args).0);
    }
    assert_eq!(hub.read_output("releases/index.html"), "<p>Our releases</p>");
    assert_eq!(
        fs::read_to_string(clean.join("releases/index.html")).unwrap(),
        "<p>Our releases</p>"
    );
}

#[test]
fn a_release_follows_the_hub_to_a_new_base_path() {
    let hub = released("basic", "r1");
    assert!(hub.build().0);
    let out = hub
        .command(&["build", "--base-url", "https://mirror.example/archive-hub"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let page = hub.read_output("releases/r1/index.html");
    assert!(
        page.contains("href=\"/archive-hub/releases/r1/acme/\""),
        "links not moved"
    );
    assert!(page.contains("href=\"/archive-hub/releases/\""));
    for link in links(&page).into_iter().filter(|l| l.starts_with('/')) {
        assert!(link.starts_with("/archive-hub/"), "{link} keeps the old base path");
    }
}

#[test]
fn a_build_refuses_to_publish_an_altered_release() {
    let hub = released("basic", "r1");
    assert!(hub.build().0);
    let before = hub.output_snapshot();
    flip_middle_byte(&hub.path("archive/r1/r1.tar.gz"));
    let (ok, _, stderr) = hub.build();
    assert!(!ok);
    assert!(
        stderr.contains("archive/r1/r1.tar.gz: error: release `r1` was altered"),
        "{stderr}"
    );
    assert_eq!(before, hub.output_snapshot(), "a failed build changed the site");
}

#[test]
fn a_static_file_over_a_page_is_released_once_as_it_is_served() {
    let hub = TempHub::fixture("basic");
    hub.write("static/index.html", "<p>the hub's own home page</p>");
    let (ok, text) = run(&hub, &["release", "r1"]);
    assert!(ok, "{text}");
    let folder = hub.path("archive/r1");
    let site = policyhub::archive::unpack(&fs::read(folder.join("r1.tar.gz")).unwrap()).unwrap();
    let homes: Vec<&Vec<u8>> = site.iter().filter(|(p, _)| p == "index.html").map(|(_, b)| b).collect();
    assert_eq!(homes, [&b"<p>the hub's own home page</p>".to_vec()]);
    let manifest = fs::read_to_string(folder.join("SHA256SUMS")).unwrap();
    assert_eq!(manifest.lines().filter(|l| l.ends_with("  index.html")).count(), 1);
    assert_eq!(site.len(), manifest.lines().count());
    // What the release holds is what a build serves.
    let (ok, text) = run(&hub, &["build"]);
    assert!(ok, "{text}");
    assert_eq!(hub.read_output("index.html").as_bytes(), homes[0].as_slice());
    assert!(run(&hub, &["verify"]).0);
}

#[test]
fn release_of_a_broken_hub_writes_nothing() {
    let hub = TempHub::fixture("basic");
    hub.write(
        "content/acme/privacy-policy/2023-01-01.md",
        "+++\neffective = 2023-02-30\n+++\nx\n",
    );
    let (ok, text) = run(&hub, &["release", "r1"]);
    assert!(!ok);
    assert!(text.contains("2023-01-01.md"), "{text}");
    assert!(!hub.path("archive").exists());
}

#[test]
fn an_org_cannot_take_the_slug_of_a_hub_folder() {
    for slug in policyhub::permalinks::HUB_FOLDERS {
        let hub = TempHub::fixture("basic");
        hub.write(&format!("content/{slug}/org.toml"), "name = \"Taken Inc\"\n");
        hub.write(
            &format!("content/{slug}/privacy-policy/2020-01-01.md"),
            "+++\n+++\n# Policy\n\nText.\n",
        );
        let (ok, _, stderr) = hub.build();
        assert!(!ok, "{slug}");
        assert!(
            stderr.contains(&format!(
                "content/{slug}: error: the organisation slug `{slug}` is reserved for the hub's own /{slug}/ pages"
            )),
            "{stderr}"
        );
        assert!(stderr.contains(&format!("content/{slug}-inc")), "{stderr}");
    }
}
