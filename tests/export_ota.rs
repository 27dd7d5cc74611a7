//! `policyhub export --ota`: a hub written as an Open Terms Archive versions repository and
//! imported back with `import --ota` into the same organisations, policies, version ids, dates
//! and texts; one commit per version in date order, each changing one file; the same commit ids
//! from two exports; a destination that is not new or empty and a hub with errors refused with
//! nothing written; and a warning, true to what the import then does, for a version that cannot
//! come back as it is. The repository is read with the `git` program, independently of gix.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command as Process;

use common::TempHub;
use policyhub::content::{load_content, Content};

/// Runs `policyhub <args> --root <hub>`: (success, stdout, stderr).
fn run(hub: &TempHub, args: &[&str]) -> (bool, String, String) {
    let out = hub.command(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Exports `hub` into `dir`, which must succeed; returns stderr (the warnings).
fn export(hub: &TempHub, dir: &Path) -> String {
    let (ok, stdout, stderr) = run(hub, &["export", "--ota", dir.to_str().unwrap()]);
    assert!(ok, "export failed:\n{stdout}{stderr}");
    stderr
}

/// `git <args>` in `repo`; its stdout.
fn git(repo: &Path, args: &[&str]) -> String {
    let out = Process::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A hub with a site.toml and no content yet.
fn empty_hub() -> TempHub {
    let hub = TempHub {
        dir: tempfile::tempdir().unwrap(),
    };
    hub.write("site.toml", "title = \"Copy\"\nbase_url = \"https://example.org\"\n");
    hub
}

/// Imports the repository into a new hub and loads it.
fn import_back(repo: &Path) -> (TempHub, Content) {
    let copy = empty_hub();
    let (ok, stdout, stderr) = run(&copy, &["import", "--ota", repo.to_str().unwrap()]);
    assert!(ok, "import --ota failed:\n{stdout}{stderr}");
    let content = load_content(copy.root()).unwrap_or_else(|e| panic!("the imported hub loads: {e:?}"));
    (copy, content)
}

/// (org slug, org name, [(policy slug, [(version id, effective, captured, body)])]).
type Shape = Vec<(
    String,
    String,
    Vec<(String, Vec<(String, String, Option<String>, String)>)>,
)>;

fn shape(content: &Content) -> Shape {
    content
        .orgs
        .iter()
        .map(|org| {
            let policies = org
                .policies
                .iter()
                .map(|policy| {
                    let versions = policy
                        .versions
                        .iter()
                        .map(|v| {
                            (
                                v.id.clone(),
                                v.effective.to_string(),
                                v.captured.map(|d| d.to_string()),
                                v.body.clone(),
                            )
                        })
                        .collect();
                    (policy.slug.clone(), versions)
                })
                .collect();
            (org.slug.clone(), org.name.clone(), policies)
        })
        .collect()
}

#[test]
fn an_export_imports_back_into_the_same_versions() {
    let hub = TempHub::fixture("export-ota");
    let out = tempfile::tempdir().unwrap();
    let repo = out.path().join("versions");
    let warnings = export(&hub, &repo);
    assert_eq!(warnings, "", "nothing of this hub is lost on the way");

    let original = load_content(hub.root()).unwrap();
    let (_copy, imported) = import_back(&repo);
    let (before, after) = (shape(&original), shape(&imported));
    assert_eq!(before.len(), 2);
    assert_eq!(after.len(), before.len());
    for ((slug, name, policies), (slug2, name2, policies2)) in before.iter().zip(&after) {
        assert_eq!((slug, name), (slug2, name2));
        assert_eq!(policies.len(), policies2.len(), "{slug}");
        for ((policy, versions), (policy2, versions2)) in policies.iter().zip(policies2) {
            assert_eq!(policy, policy2, "{slug}");
            let ids: Vec<_> = versions.iter().map(|v| (&v.0, &v.1)).collect();
            let ids2: Vec<_> = versions2.iter().map(|v| (&v.0, &v.1)).collect();
            assert_eq!(ids, ids2, "{slug}/{policy}: version ids and effective dates");
            for (v, v2) in versions.iter().zip(versions2) {
                assert_eq!(v.3, v2.3, "{slug}/{policy}/{}: the text", v.0);
                if v.2.is_some() {
                    assert_eq!(v.2, v2.2, "{slug}/{policy}/{}: the captured date", v.0);
                }
            }
        }
    }
    // Two versions of one day came back as two: captured days apart in one policy, texts that
    // give their date in the other.
    let globex = &after[1].2[0].1;
    let ids: Vec<&str> = globex.iter().map(|v| v.0.as_str()).collect();
    assert_eq!(ids, ["2019-05-01", "2020-06-01", "2020-06-01.2", "2022-03-01"]);
}

#[test]
fn one_commit_per_version_in_date_order_each_changing_one_file() {
    let hub = TempHub::fixture("export-ota");
    let out = tempfile::tempdir().unwrap();
    let repo = out.path().join("versions");
    export(&hub, &repo);

    let log = git(&repo, &["log", "--reverse", "--format=%H %ct %an <%ae> %s"]);
    let commits: Vec<&str> = log.lines().collect();
    let versions: usize = load_content(hub.root())
        .unwrap()
        .orgs
        .iter()
        .flat_map(|o| &o.policies)
        .map(|p| p.versions.len())
        .sum();
    assert_eq!(commits.len(), versions, "{log}");
    let times: Vec<i64> = commits
        .iter()
        .map(|c| c.split(' ').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "commit dates rise: {log}");
    assert!(commits.iter().all(|c| c.contains(" policyhub <policyhub@localhost> ")));
    assert!(commits[0].ends_with("First record of Globex Privacy Policy"), "{log}");
    assert!(
        commits[3].ends_with("Record new changes of Acme Corp Privacy Policy"),
        "{log}"
    );
    for line in &commits {
        let id = line.split(' ').next().unwrap();
        let changed = git(&repo, &["show", "--format=", "--name-only", id]);
        assert_eq!(changed.lines().count(), 1, "{line}: {changed}");
    }
    // A version is recorded on the day it was captured; the first commit on its effective date.
    let day = |i: usize| git(&repo, &["log", "-1", "--format=%cd", "--date=short", &commits[i][..40]]);
    assert_eq!(day(0).trim(), "2019-05-01");
    assert_eq!(day(2).trim(), "2020-01-05");

    // The layout Open Terms Archive has, checked out, the files holding the latest texts
    // without front matter, and nothing for git to complain about.
    let tree = git(&repo, &["ls-tree", "-r", "--name-only", "HEAD"]);
    assert_eq!(
        tree.lines().collect::<Vec<_>>(),
        [
            "Acme Corp/Privacy Policy.md",
            "Acme Corp/Terms of Service.md",
            "Globex/Privacy Policy.md"
        ]
    );
    let latest = fs::read_to_string(repo.join("Acme Corp/Privacy Policy.md")).unwrap();
    assert!(latest.starts_with("# Acme Privacy Policy\n") && latest.contains("five years"));
    assert_eq!(git(&repo, &["status", "--porcelain"]), "");
    assert_eq!(git(&repo, &["symbolic-ref", "HEAD"]).trim(), "refs/heads/main");
    git(&repo, &["fsck", "--strict", "--no-progress"]);
}

#[test]
fn two_exports_have_the_same_commit_ids() {
    let hub = TempHub::fixture("export-ota");
    let out = tempfile::tempdir().unwrap();
    let (a, b) = (out.path().join("a"), out.path().join("b"));
    export(&hub, &a);
    export(&hub, &b);
    let head = |repo: &Path| git(repo, &["rev-parse", "HEAD"]);
    assert_eq!(head(&a), head(&b));
    // A change to the text gives another history.
    let path = "content/globex/privacy-policy/2019-05-01.md";
    let text = fs::read_to_string(hub.path(path)).unwrap();
    hub.write(path, text.replace("what it needs", "all it needs"));
    let c = out.path().join("c");
    export(&hub, &c);
    assert_ne!(head(&a), head(&c));
}

#[test]
fn an_existing_folder_is_never_written_into() {
    let hub = TempHub::fixture("export-ota");
    let out = tempfile::tempdir().unwrap();
    let taken = out.path().join("taken");
    fs::create_dir(&taken).unwrap();
    fs::write(taken.join("notes.txt"), "mine").unwrap();
    let (ok, _, stderr) = run(&hub, &["export", "--ota", taken.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("the folder exists and is not empty"), "{stderr}");
    assert_eq!(fs::read_dir(&taken).unwrap().count(), 1);

    // A repository, even one with no file outside .git, is never written over.
    let repo = out.path().join("repo");
    export(&hub, &repo);
    let head = git(&repo, &["rev-parse", "HEAD"]);
    let (ok, _, stderr) = run(&hub, &["export", "--ota", repo.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("is a git repository"), "{stderr}");
    assert_eq!(git(&repo, &["rev-parse", "HEAD"]), head);

    // An empty folder is fine; nothing is left beside it.
    let empty = out.path().join("empty");
    fs::create_dir(&empty).unwrap();
    export(&hub, &empty);
    let mut names: Vec<String> = fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["empty", "repo", "taken"]);
}

#[test]
fn a_hub_with_errors_is_not_exported() {
    let hub = TempHub::fixture("export-ota");
    hub.write(
        "content/globex/privacy-policy/2022-03-01.md",
        "+++\neffective = 2022-03-01\ncaptured = 2022-02-30\n+++\nText.\n",
    );
    let out = tempfile::tempdir().unwrap();
    let repo = out.path().join("versions");
    let (ok, _, stderr) = run(&hub, &["export", "--ota", repo.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stderr.contains("content/globex/privacy-policy/2022-03-01.md:3:"),
        "the file and line: {stderr}"
    );
    assert!(stderr.contains("export failed: 1 error"), "{stderr}");
    assert!(!repo.exists());
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "nothing half-written");
}

#[test]
fn what_cannot_come_back_is_said_and_is_what_the_import_does() {
    let hub = TempHub::fixture("export-ota");
    // A text that gives another date than the version's, and two versions of one day whose
    // texts give none.
    hub.write(
        "content/globex/privacy-policy/2023-01-01.md",
        "+++\neffective = 2023-01-01\n+++\n# Globex Privacy Notice\n\nEffective date: March 3, 2023\n\nGlobex collects nothing.\n",
    );
    hub.write(
        "content/acme-corp/terms-of-service/2020-01-01.2.md",
        "+++\neffective = 2020-01-01\n+++\n# Acme Terms of Service\n\nBy using Acme you agree.\n",
    );
    // A name that slugs to another slug than the organisation's.
    hub.write("content/globex/org.toml", "name = \"Globex Corporation\"\n");
    let out = tempfile::tempdir().unwrap();
    let repo = out.path().join("versions");
    let warnings = export(&hub, &repo);
    assert!(
        warnings.contains(
            "content/globex/org.toml: warning: an import of the export names this organisation `globex-corporation`"
        ),
        "{warnings}"
    );
    assert!(
        warnings.contains("content/globex/privacy-policy/2023-01-01.md: warning: its text gives the date 2023-03-03"),
        "{warnings}"
    );
    assert!(
        warnings.contains("content/acme-corp/terms-of-service/2020-01-01.2.md: warning: its text gives no date")
            && warnings.contains("dates it 2020-01-02"),
        "{warnings}"
    );
    let (copy, _) = import_back(&repo);
    assert!(copy
        .path("content/globex-corporation/privacy-policy/2023-03-03.md")
        .is_file());
    assert!(copy.path("content/acme-corp/terms-of-service/2020-01-02.md").is_file());
}

#[test]
fn a_real_open_terms_archive_history_goes_out_and_back() {
    // Imported from Open Terms Archive (45 and 20 versions with their captured days, many
    // sharing an effective date, one of them recorded between the versions of an earlier date),
    // exported, imported again.
    let bundle = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data/ota-airbnb-the-register.bundle");
    let work = tempfile::tempdir().unwrap();
    let clone = work.path().join("clone");
    let out = Process::new("git")
        .args(["-c", "init.defaultBranch=main", "clone", "-q"])
        .arg(&bundle)
        .arg(&clone)
        .output()
        .expect("git is installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (hub, first) = import_back(&clone);
    let repo = work.path().join("versions");
    let warnings = export(&hub, &repo);
    // The first import made three versions whose text, once cleaned, is the one before it
    // (their captures differed only in what the clean-up drops): they have nothing to commit.
    let left_out: Vec<&str> = warnings
        .lines()
        .map(|line| {
            assert!(
                line.contains("warning: its text is the one recorded before it"),
                "{line}"
            );
            line.split(": warning").next().unwrap()
        })
        .collect();
    assert_eq!(
        left_out,
        [
            "content/airbnb/privacy-policy/2022-02-10.2.md",
            "content/the-register/privacy-policy/2022-07-21.2.md",
            "content/the-register/privacy-policy/2025-09-23.md"
        ]
    );
    let (_, second) = import_back(&repo);
    let count = |c: &Content| {
        c.orgs
            .iter()
            .flat_map(|o| &o.policies)
            .map(|p| p.versions.len())
            .sum::<usize>()
    };
    assert_eq!((count(&first), count(&second)), (65, 62));
    // Every other version comes back with its dates and text, in its order.
    for (org, org2) in first.orgs.iter().zip(&second.orgs) {
        assert_eq!((&org.slug, &org.name), (&org2.slug, &org2.name));
        let (policy, policy2) = (&org.policies[0], &org2.policies[0]);
        let kept: Vec<_> = policy
            .versions
            .iter()
            .filter(|v| !left_out.iter().any(|p| Path::new(p) == v.path))
            .map(|v| (v.effective, v.captured, &v.body))
            .collect();
        let back: Vec<_> = policy2
            .versions
            .iter()
            .map(|v| (v.effective, v.captured, &v.body))
            .collect();
        assert!(kept == back, "{}: dates and texts", org.slug);
    }
    let airbnb: Vec<&str> = second.orgs[0].policies[0]
        .versions
        .iter()
        .map(|v| v.id.as_str())
        .collect();
    let before: Vec<&str> = first.orgs[0].policies[0]
        .versions
        .iter()
        .map(|v| v.id.as_str())
        .collect();
    // Airbnb's ids are all kept: nothing of 2022-02-10 comes after the one left out.
    let expected: Vec<&str> = before.iter().copied().filter(|id| *id != "2022-02-10.2").collect();
    assert_eq!(airbnb, expected);
}
