//! The build cache: a rebuild after any sequence of edits, additions, deletions and renames
//! writes exactly what a clean build writes; nothing changed, nothing is done; a damaged
//! cache is ignored with a warning.

mod common;

use std::fs;
use std::path::Path;

use common::{snapshot, TempHub};
use proptest::prelude::*;

/// One change a curator makes to a hub between two builds.
#[derive(Debug, Clone)]
enum Edit {
    /// A paragraph appended to a version (by index among all version files).
    AppendParagraph(usize),
    /// A word replaced in a version.
    ReplaceWord(usize),
    /// A new latest version of a policy, the previous one with a paragraph more.
    AddVersion(usize),
    /// A version removed (when its policy keeps another).
    RemoveVersion(usize),
    /// An organisation's folder renamed.
    RenameOrg(usize),
    /// An organisation copied under a new slug.
    CopyOrg(usize),
    /// An organisation removed (when another remains).
    RemoveOrg(usize),
    /// `org.toml`'s name changed.
    RenameOrgTitle(usize),
    /// A template changed.
    Template,
    /// A static file changed.
    Static,
    /// `site.toml`'s title changed.
    Settings,
    /// A version file rewritten with the same bytes (a new modification time only).
    Touch(usize),
    /// A static file of the theme inside an organisation's folder (`static/<org>/logo.svg`).
    StaticInOrg(usize),
    /// Every such static file removed.
    RemoveStaticInOrgs,
    /// A new version of an organisation's first policy, announced and not yet in force:
    /// `(organisation, years ahead)`.
    Announce(usize, u32),
    /// A new version of an organisation's first policy captured after every other date: it
    /// moves the hub's reference date, and versions pending elsewhere may come into force.
    CaptureLater(usize, u32),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => any::<usize>().prop_map(Edit::AppendParagraph),
        2 => any::<usize>().prop_map(Edit::ReplaceWord),
        3 => any::<usize>().prop_map(Edit::AddVersion),
        2 => any::<usize>().prop_map(Edit::RemoveVersion),
        1 => any::<usize>().prop_map(Edit::RenameOrg),
        1 => any::<usize>().prop_map(Edit::CopyOrg),
        1 => any::<usize>().prop_map(Edit::RemoveOrg),
        1 => any::<usize>().prop_map(Edit::RenameOrgTitle),
        1 => Just(Edit::Template),
        1 => Just(Edit::Static),
        1 => Just(Edit::Settings),
        2 => any::<usize>().prop_map(Edit::Touch),
        1 => any::<usize>().prop_map(Edit::StaticInOrg),
        1 => Just(Edit::RemoveStaticInOrgs),
        1 => (any::<usize>(), 1..40u32).prop_map(|(o, y)| Edit::Announce(o, y)),
        1 => (any::<usize>(), 1..40u32).prop_map(|(o, y)| Edit::CaptureLater(o, y)),
    ]
}

fn sorted_entries(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    entries
}

fn orgs(hub: &TempHub) -> Vec<std::path::PathBuf> {
    sorted_entries(&hub.path("content"))
        .into_iter()
        .filter(|p| p.is_dir())
        .collect()
}

fn versions(hub: &TempHub) -> Vec<std::path::PathBuf> {
    let mut all = Vec::new();
    for org in orgs(hub) {
        for policy in sorted_entries(&org).into_iter().filter(|p| p.is_dir()) {
            all.extend(
                sorted_entries(&policy)
                    .into_iter()
                    .filter(|p| p.extension().is_some_and(|e| e == "md")),
            );
        }
    }
    all
}

fn pick<T: Clone>(items: &[T], index: usize) -> T {
    items[index % items.len()].clone()
}

/// The day after a version file's date, as a new version's file name.
fn next_version_name(latest: &Path) -> String {
    let stem = latest.file_stem().unwrap().to_str().unwrap();
    let date = &stem[..10];
    let (year, rest) = date.split_at(4);
    let year: u32 = year.parse().unwrap();
    format!("{}{rest}.md", year + 1)
}

fn apply(hub: &TempHub, edit: &Edit, step: usize) {
    match *edit {
        Edit::AppendParagraph(i) => {
            let file = pick(&versions(hub), i);
            let mut text = fs::read_to_string(&file).unwrap();
            text.push_str(&format!("\n\nWe keep records of step {step} for ninety days.\n"));
            fs::write(file, text).unwrap();
        }
        Edit::ReplaceWord(i) => {
            let file = pick(&versions(hub), i);
            let text = fs::read_to_string(&file).unwrap();
            fs::write(file, text.replacen(" the ", " this ", 1)).unwrap();
        }
        Edit::AddVersion(i) => {
            let file = pick(&versions(hub), i);
            let policy = file.parent().unwrap();
            let latest = latest_version(policy);
            let text = next_text(
                &latest,
                "",
                &format!("A clause added at step {step}: we share nothing."),
            );
            fs::write(policy.join(next_version_name(&latest)), text).unwrap();
        }
        Edit::RemoveVersion(i) => {
            let file = pick(&versions(hub), i);
            let siblings = sorted_entries(file.parent().unwrap())
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .count();
            if siblings > 1 {
                fs::remove_file(file).unwrap();
            }
        }
        Edit::RenameOrg(i) => {
            let org = pick(&orgs(hub), i);
            let name = org.file_name().unwrap().to_str().unwrap();
            fs::rename(&org, org.with_file_name(format!("{name}-{step}"))).unwrap();
        }
        Edit::CopyOrg(i) => {
            let org = pick(&orgs(hub), i);
            let name = org.file_name().unwrap().to_str().unwrap();
            common::copy_dir(&org, &org.with_file_name(format!("copy-{step}-{name}")));
        }
        Edit::RemoveOrg(i) => {
            let all = orgs(hub);
            if all.len() > 1 {
                fs::remove_dir_all(pick(&all, i)).unwrap();
            }
        }
        Edit::RenameOrgTitle(i) => {
            let org = pick(&orgs(hub), i);
            fs::write(org.join("org.toml"), format!("name = \"Renamed at step {step}\"\n")).unwrap();
        }
        Edit::Template => {
            let path = hub.path("templates/base.html");
            let text = fs::read_to_string(&path).unwrap();
            fs::write(path, text + &format!("\n{{# step {step} #}}<!-- step {step} -->\n")).unwrap();
        }
        Edit::Static => {
            let path = hub.path("static/style.css");
            let text = fs::read_to_string(&path).unwrap();
            fs::write(path, text + &format!("\n/* step {step} */\n")).unwrap();
        }
        Edit::Settings => {
            let path = hub.path("site.toml");
            let text = fs::read_to_string(&path).unwrap();
            let title = text.lines().find(|l| l.starts_with("title")).unwrap().to_string();
            fs::write(
                path,
                text.replacen(&title, &format!("title = \"Hub at step {step}\""), 1),
            )
            .unwrap();
        }
        Edit::Announce(i, years) => {
            let front = format!("announced = 2026-01-01\neffective = {}-01-01\n", 2026 + years);
            add_version(hub, i, &front, &format!("{}-01-01.md", 2026 + years), step);
        }
        Edit::CaptureLater(i, years) => {
            let front = format!("captured = {}-06-01\n", 2030 + years);
            add_version(hub, i, &front, &format!("{}-06-01.md", 2030 + years), step);
        }
        Edit::StaticInOrg(i) => {
            let org = pick(&orgs(hub), i);
            let name = org.file_name().unwrap().to_str().unwrap();
            hub.write(
                &format!("static/{name}/logo.svg"),
                format!("<svg><!-- {step} --></svg>"),
            );
        }
        Edit::RemoveStaticInOrgs => {
            for entry in sorted_entries(&hub.path("static")).into_iter().filter(|p| p.is_dir()) {
                fs::remove_dir_all(entry).unwrap();
            }
        }
        Edit::Touch(i) => {
            let file = pick(&versions(hub), i);
            let text = fs::read(&file).unwrap();
            fs::write(file, text).unwrap();
        }
    }
}

/// A new version of organisation `org`'s first policy named `name` (unless there is one),
/// its latest text with a paragraph more under front matter `front`.
fn add_version(hub: &TempHub, org: usize, front: &str, name: &str, step: usize) {
    let org = pick(&orgs(hub), org);
    let policy = sorted_entries(&org).into_iter().find(|p| p.is_dir()).unwrap();
    let text = next_text(
        &latest_version(&policy),
        front,
        &format!("Added at step {step}: we sell nothing."),
    );
    if !policy.join(name).exists() {
        fs::write(policy.join(name), text).unwrap();
    }
}

/// The latest version file of a policy folder.
fn latest_version(policy: &Path) -> std::path::PathBuf {
    sorted_entries(policy)
        .into_iter()
        .rfind(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap()
}

/// A new version's file: front matter `front`, then `latest`'s text and `paragraph`.
fn next_text(latest: &Path, front: &str, paragraph: &str) -> String {
    let previous = fs::read_to_string(latest).unwrap();
    let body = previous.splitn(3, "+++").nth(2).unwrap_or(&previous);
    format!("+++\n{front}+++\n{body}\n\n{paragraph}\n")
}

fn build(hub: &TempHub, args: &[&str]) -> String {
    let out = hub.command(&[&["build"], args].concat()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "build {args:?} failed: {stderr}");
    stderr
}

/// Builds with the cache into `public/` and clean into `clean/`, and compares the two.
fn assert_same_as_clean(hub: &TempHub, after: &str) {
    let warnings = build(hub, &[]);
    assert!(!warnings.contains("warning"), "after {after}: {warnings}");
    let clean = hub.path("clean");
    let _ = fs::remove_dir_all(&clean);
    build(hub, &["--no-cache", "--output", clean.to_str().unwrap()]);
    let (cached, clean) = (snapshot(&hub.path("public")), snapshot(&clean));
    let paths = |s: &[(String, Vec<u8>)]| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&cached), paths(&clean), "after {after}: not the same files");
    for ((path, a), (_, b)) in cached.iter().zip(&clean) {
        assert!(a == b, "after {after}: {path} differs from a clean build's");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn rebuilds_after_any_edits_equal_a_clean_build(edits in prop::collection::vec(edit(), 1..5)) {
        let hub = TempHub::repository();
        build(&hub, &[]);
        for (step, edit) in edits.iter().enumerate() {
            apply(&hub, edit, step);
            assert_same_as_clean(&hub, &format!("{:?}", &edits[..=step]));
        }
    }
}

#[test]
fn rebuilds_after_each_kind_of_edit_equal_a_clean_build() {
    let hub = TempHub::repository();
    build(&hub, &[]);
    let edits = [
        Edit::AppendParagraph(0),
        Edit::Announce(1, 10),
        Edit::CaptureLater(2, 20),
        Edit::Template,
        Edit::ReplaceWord(5),
        Edit::AddVersion(2),
        Edit::Static,
        Edit::StaticInOrg(1),
        Edit::AppendParagraph(7),
        Edit::RemoveStaticInOrgs,
        Edit::RenameOrg(1),
        Edit::Touch(3),
        Edit::CopyOrg(2),
        Edit::RemoveVersion(4),
        Edit::RenameOrgTitle(0),
        Edit::Settings,
        Edit::RemoveOrg(3),
    ];
    for (step, edit) in edits.iter().enumerate() {
        apply(&hub, edit, step);
        assert_same_as_clean(&hub, &format!("{edit:?}"));
    }
}

/// A hub of more organisations than a topic page compares: a rebuild renders the topic pages
/// whose organisations or figures changed and keeps the others as they are; the output is a
/// clean build's after edits in either page's organisations, a new version (new figures), an
/// organisation more (every page shifts) and one fewer.
#[test]
fn rebuilds_of_a_hub_with_several_topic_pages_equal_a_clean_build() {
    let hub = TempHub::repository();
    let seeds = orgs(&hub);
    for n in 0..24 {
        let from = &seeds[n % seeds.len()];
        let name = from.file_name().unwrap().to_str().unwrap();
        common::copy_dir(from, &from.with_file_name(format!("{name}-{n:02}")));
    }
    assert!(orgs(&hub).len() > policyhub::permalinks::TOPIC_ORGS_PER_PAGE);
    build(&hub, &[]);
    assert!(hub.path("public/topics/cookies-tracking/2/index.html").is_file());
    // A static file over a topic page wins; removed, the page comes back.
    hub.write("static/topics/cookies-tracking/2/index.html", "<p>a static page</p>\n");
    assert_same_as_clean(&hub, "a static file over a topic page");
    fs::remove_dir_all(hub.path("static/topics")).unwrap();
    assert_same_as_clean(&hub, "that static file removed");
    let last = orgs(&hub).len() - 1;
    let edits = [
        Edit::AppendParagraph(usize::MAX),
        Edit::ReplaceWord(0),
        Edit::AddVersion(last),
        Edit::CopyOrg(0),
        Edit::RemoveOrg(last),
    ];
    for (step, edit) in edits.iter().enumerate() {
        apply(&hub, edit, step);
        assert_same_as_clean(&hub, &format!("{edit:?}"));
    }
}

#[test]
fn an_empty_policy_folder_fails_a_rebuild_as_it_fails_a_clean_build() {
    let hub = TempHub::repository();
    build(&hub, &[]);
    fs::create_dir_all(hub.path("content/github/empty-policy")).unwrap();
    for args in [&[][..], &["--no-cache", "--output", "clean"][..]] {
        let out = hub.command(&[&["build"], args].concat()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains("this policy has no version"),
            "{args:?}: {stderr}"
        );
    }
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).unwrap().ino()
}

#[cfg(unix)]
#[test]
fn nothing_changed_nothing_is_written_and_a_replaced_output_is_built_again() {
    let hub = TempHub::repository();
    build(&hub, &[]);
    let page = hub.path("public/github/index.html");
    let (folder, file) = (inode(&hub.path("public")), inode(&page));
    let out = hub.command(&["build"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(inode(&hub.path("public")), folder, "the output was replaced");
    assert_eq!(inode(&page), file);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("6 orgs"),
        "the summary is the last build's"
    );

    // An output folder replaced behind the cache's back is built again, whole.
    fs::remove_dir_all(hub.path("public")).unwrap();
    fs::create_dir_all(hub.path("public")).unwrap();
    assert_same_as_clean(&hub, "the output was emptied");
}

#[test]
fn a_damaged_cache_is_ignored_with_a_warning() {
    let hub = TempHub::repository();
    build(&hub, &[]);
    let cache = hub.path(policyhub::CACHE_DIR);
    let damage = |record: &str| {
        let path = cache.join(record);
        let mut bytes = fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x55;
        fs::write(&path, bytes).unwrap();
    };
    // A rebuild that carries an organisation's pages reads its summary; one that renders
    // them again (a new theme) reads its whole record.
    for (record, edit) in [
        ("summaries/github.bin", Edit::Static),
        ("orgs/github.bin", Edit::Template),
    ] {
        damage(record);
        apply(&hub, &edit, 0);
        let warnings = build(&hub, &[]);
        assert!(
            warnings.contains(record) && warnings.contains("truncated or damaged"),
            "{record}: {warnings}"
        );
        assert_same_as_clean(&hub, &format!("a damaged {record}"));
    }

    fs::write(cache.join("manifest.bin"), "not a manifest").unwrap();
    let warnings = build(&hub, &[]);
    assert!(
        warnings.contains("manifest.bin") && warnings.contains("not a policyhub cache file"),
        "{warnings}"
    );
    assert_same_as_clean(&hub, "a damaged manifest");

    fs::remove_dir_all(&cache).unwrap();
    assert_same_as_clean(&hub, "the cache deleted");

    // A summary copied over the whole record (both hold an organisation, made from the same
    // inputs) is not taken for it.
    build(&hub, &[]);
    fs::copy(cache.join("summaries/github.bin"), cache.join("orgs/github.bin")).unwrap();
    apply(&hub, &Edit::Template, 1);
    assert_same_as_clean(&hub, "a summary copied over the whole record");
}

/// A pending version comes into force when a newer capture of another organisation moves the
/// hub's reference date past it: its organisation's pages are made again even when its record
/// was missing from the cache (read afresh, its files unchanged since the last build).
#[test]
fn a_moved_reference_date_rejudges_an_organisation_read_afresh() {
    let hub = TempHub::fixture("basic");
    hub.write("content/zeta/org.toml", "name = \"Zeta\"\n");
    hub.write(
        "content/zeta/privacy-policy/2020-01-01.md",
        "+++\ncaptured = 2020-01-02\n+++\nWe keep data for 30 days.\n",
    );
    hub.write(
        "content/zeta/privacy-policy/2030-06-01.md",
        "+++\nannounced = 2030-05-01\ncaptured = 2030-05-02\n+++\nWe keep data for 60 days.\n",
    );
    build(&hub, &[]);
    assert!(hub
        .read_output("zeta/privacy-policy/changes/index.html")
        .contains("Pending"));
    fs::remove_file(hub.path(policyhub::CACHE_DIR).join("summaries/zeta.bin")).unwrap();
    hub.write(
        "content/acme/privacy-policy/2030-07-01.md",
        "+++\ncaptured = 2030-07-01\n+++\n# Acme\n\nWe share data with partners.\n",
    );
    assert_same_as_clean(&hub, "a newer capture elsewhere, zeta's record missing");
    assert!(!hub
        .read_output("zeta/privacy-policy/changes/index.html")
        .contains("Pending"));
}

#[test]
fn a_cache_that_cannot_be_used_is_a_few_warnings_and_a_correct_build() {
    let hub = TempHub::repository();
    build(&hub, &[]);
    let records = hub.path(policyhub::CACHE_DIR).join("orgs");
    fs::remove_dir_all(&records).unwrap();
    fs::write(&records, "not a folder").unwrap();
    apply(&hub, &Edit::AppendParagraph(2), 0);
    let warnings = build(&hub, &[]);
    let lines = warnings.lines().filter(|l| l.contains("warning")).count();
    assert!((1..=4).contains(&lines), "{warnings}");
    assert!(warnings.contains("cannot write to the build cache"), "{warnings}");
    let clean = hub.path("clean");
    build(&hub, &["--no-cache", "--output", clean.to_str().unwrap()]);
    assert!(snapshot(&hub.path("public")) == snapshot(&clean));
}

#[test]
fn a_failed_rebuild_leaves_the_output_and_the_cache_usable() {
    let hub = TempHub::repository();
    build(&hub, &[]);
    let before = snapshot(&hub.path("public"));
    let file = versions(&hub)[0].clone();
    let good = fs::read(&file).unwrap();
    fs::write(&file, b"+++\neffective = nonsense\n+++\nText\n").unwrap();
    let out = hub.command(&["build"]).output().unwrap();
    assert!(!out.status.success());
    assert_eq!(
        snapshot(&hub.path("public")),
        before,
        "a failed build changed the output"
    );
    fs::write(&file, good).unwrap();
    apply(&hub, &Edit::AppendParagraph(3), 1);
    assert_same_as_clean(&hub, "a failed build, then a fix");
}

#[test]
fn a_hub_named_by_a_relative_path_gets_its_records_and_uses_them() {
    let hub = TempHub::repository();
    let parent = hub.root().parent().unwrap().to_path_buf();
    let name = hub.root().file_name().unwrap().to_str().unwrap().to_string();
    let build_relative = || {
        let out = assert_cmd::Command::cargo_bin("policyhub")
            .unwrap()
            .current_dir(&parent)
            .args(["build", "--timings", "--root", &name])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    build_relative();
    let records = sorted_entries(&hub.path(&format!("{}/orgs", policyhub::CACHE_DIR)));
    assert_eq!(
        records.len(),
        orgs(&hub).len(),
        "one record per organisation: {records:?}"
    );

    // One organisation edited: the others keep their records as they were.
    let kept = |records: &[std::path::PathBuf]| -> Vec<_> {
        records
            .iter()
            .map(|r| fs::metadata(r).unwrap().modified().unwrap())
            .collect()
    };
    let before = kept(&records);
    apply(&hub, &Edit::AppendParagraph(0), 0);
    build_relative();
    let after = kept(&records);
    let rewritten = before.iter().zip(&after).filter(|(a, b)| a != b).count();
    assert_eq!(rewritten, 1, "only the edited organisation's record is made again");
    assert_same_as_clean(&hub, "an edit under a relative root");
}

/// A build killed (SIGKILL: the OOM killer, `kill -9`, a power cut) after it moved its files
/// into the output but before it recorded its manifest: `strace` kills it at its last step
/// that touches the output, the second stamp of the output folder's time. The curator then
/// undoes the edit that build was for; the next build must not trust the manifest of the
/// build before, which says the output holds what the hub holds again. The same for a
/// killed `--no-cache` build into the output the cache describes.
#[cfg(target_os = "linux")]
#[test]
fn a_build_killed_after_its_moves_leaves_nothing_the_next_build_trusts() {
    // strace is installed by .ci/run; a machine that forbids tracing (ptrace) cannot run this.
    let traces = std::process::Command::new("strace")
        .args(["-f", "-qq", "-o", "/dev/null", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !traces {
        eprintln!("strace cannot trace here: the killed-build test does not run");
        return;
    }
    for killed_args in [&[][..], &["--no-cache"]] {
        let hub = TempHub::repository();
        build(&hub, &[]);
        // A static file in a folder the output has: moving it in leaves the output folder's
        // own time as it was, as an edit to one organisation's pages does on a large hub.
        hub.write("static/api/note.txt", "a draft\n");
        let killed = std::process::Command::new("strace")
            .args(["-f", "-qq", "-o", "/dev/null", "-e", "trace=utimensat"])
            .args(["-e", "inject=utimensat:error=EIO:signal=SIGKILL:when=2"])
            .arg(assert_cmd::cargo::cargo_bin("policyhub"))
            .args(["build", "--root"])
            .arg(hub.root())
            .args(killed_args)
            .status()
            .unwrap();
        assert!(!killed.success(), "the build {killed_args:?} was not killed");
        assert!(
            hub.path("public/api/note.txt").is_file(),
            "the killed build {killed_args:?} did not get to its moves: the test proves nothing"
        );
        fs::remove_file(hub.path("static/api/note.txt")).unwrap();
        assert_same_as_clean(&hub, &format!("a killed build {killed_args:?}, its edit undone"));
        assert!(!hub.path("public/api/note.txt").exists());
    }
}

#[test]
fn a_build_with_nothing_to_do_removes_what_killed_builds_left_beside_the_output() {
    let hub = TempHub::repository();
    build(&hub, &[]);
    let left = [".public.building-4242", ".public.old-4243"].map(|name| hub.path(name));
    for folder in &left {
        fs::create_dir_all(folder.join("acme")).unwrap();
        fs::write(folder.join("acme/index.html"), "half a page").unwrap();
    }
    let unrelated = hub.path(".public.building-notes");
    fs::create_dir_all(&unrelated).unwrap();
    let stderr = build(&hub, &[]);
    assert!(!stderr.contains("warning"), "{stderr}");
    for folder in &left {
        assert!(!folder.exists(), "{} is still there", folder.display());
    }
    assert!(unrelated.exists(), "a folder that is no build's was removed");
}

#[test]
fn a_static_file_where_the_site_has_a_folder_or_a_file_fails_every_build_and_changes_nothing() {
    let hub = TempHub::repository();
    build(&hub, &[]);
    let before = snapshot(&hub.path("public"));
    let clean = hub.path("clean");
    let cases = [
        ("github", "a file here would replace the site's folder github/"),
        (
            "search-index",
            "a file here would replace the site's folder search-index/",
        ),
        ("api/github", "a file here would replace the site's folder api/github/"),
        (
            "index.html/note.txt",
            "the site has a file at index.html, where this file needs a folder",
        ),
    ];
    for (path, error) in cases {
        hub.write(&format!("static/{path}"), "a static file\n");
        for args in [&[][..], &["--no-cache", "--output", clean.to_str().unwrap()]] {
            let out = hub.command(&[&["build"], args].concat()).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "static/{path} {args:?}: {stderr}");
            assert!(stderr.contains(&format!("static/{path}: error: {error}")), "{stderr}");
        }
        assert_eq!(
            snapshot(&hub.path("public")),
            before,
            "static/{path} changed the output"
        );
        assert!(!clean.exists(), "a refused clean build left an output");
        fs::remove_file(hub.path(&format!("static/{path}"))).unwrap();
        let _ = fs::remove_dir(hub.path("static/index.html"));
    }
    assert_same_as_clean(&hub, "refused static files removed again");
}

/// A pipe where `site.toml` or the cache's manifest belongs (opening one waits for a writer
/// that never comes): the build says what is wrong with `site.toml`, and ignores the manifest
/// with a warning, rather than waiting for ever.
#[cfg(unix)]
#[test]
fn a_pipe_for_the_settings_or_the_manifest_never_hangs_a_build() {
    let hub = TempHub::repository();
    build(&hub, &[]);
    let ended = |args: &[&str]| -> (bool, String) {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("policyhub"))
            .args([&["build"], args].concat())
            .arg("--root")
            .arg(hub.root())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > std::time::Duration::from_secs(120) {
                let _ = child.kill();
                panic!("the build {args:?} hangs");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let out = child.wait_with_output().unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let mkfifo = |path: &Path| {
        assert!(std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap()
            .success());
    };

    let manifest = hub.path(&format!("{}/manifest.bin", policyhub::CACHE_DIR));
    fs::remove_file(&manifest).unwrap();
    mkfifo(&manifest);
    let (ok, stderr) = ended(&[]);
    assert!(
        ok && stderr.contains("manifest.bin") && stderr.contains("not a plain file"),
        "{stderr}"
    );

    let settings = hub.path("site.toml");
    fs::remove_file(&settings).unwrap();
    mkfifo(&settings);
    let (ok, stderr) = ended(&[]);
    assert!(!ok && stderr.contains("site.toml: error: not a plain file"), "{stderr}");
}
