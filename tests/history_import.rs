//! Whole histories imported (`policyhub import --git` and `--ota`): which commits become
//! versions (first-parent, one per day, committer's time zone, moved files, empty and repeated
//! texts), what the version files record, re-imports that add only what is new, errors that name
//! what was given and change nothing, YAML front matter read and not rendered, an Open Terms
//! Archive extract of real histories, and the example hub's GitHub history being exactly
//! `scripts/import-seeds`'s output. Repositories are made with the `git` program; the importer
//! itself reads them without it.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use common::TempHub;

/// A git repository in a temporary folder, committed to with chosen dates.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "main"], "2000-01-01T00:00:00+0000");
        repo
    }

    /// A clone of a bundle of `tests/fixtures/data`.
    fn clone_fixture(bundle: &str) -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        let bundle = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/data")
            .join(bundle);
        let out = Process::new("git")
            .args(["-c", "init.defaultBranch=main", "clone", "-q"])
            .arg(&bundle)
            .arg(repo.path())
            .output()
            .expect("git is installed");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs git with both dates set to `date` (ISO 8601 with its offset); returns stdout.
    fn git(&self, args: &[&str], date: &str) -> String {
        let out = Process::new("git")
            .args([
                "-c",
                "user.name=Curator",
                "-c",
                "user.email=c@example.org",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(self.path())
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .expect("git is installed");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Writes the files (`None` deletes one) and commits them at `date`; returns the commit id.
    fn commit(&self, files: &[(&str, Option<&str>)], date: &str) -> String {
        for (path, text) in files {
            let full = self.path().join(path);
            match text {
                Some(text) => {
                    fs::create_dir_all(full.parent().unwrap()).unwrap();
                    fs::write(&full, text).unwrap();
                }
                None => fs::remove_file(&full).unwrap(),
            }
        }
        self.git(&["add", "-A"], date);
        self.git(&["commit", "-q", "--allow-empty", "-m", "change"], date);
        self.git(&["rev-parse", "HEAD"], date)
    }
}

/// An empty hub: a site.toml and nothing else.
fn empty_hub() -> TempHub {
    let hub = TempHub {
        dir: tempfile::tempdir().unwrap(),
    };
    hub.write(
        "site.toml",
        "title = \"History test\"\nbase_url = \"https://example.org\"\n",
    );
    hub
}

/// Runs `policyhub import <args> --root <hub>`: (success, stdout, stderr).
fn import(hub: &TempHub, args: &[&str]) -> (bool, String, String) {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let out = hub.command(&all).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file under `dir` with its bytes.
/// A history of one commit (2 May 2022) of one file `path` holding `text`, imported for
/// `acme`: the hub, and the version written.
fn import_one_file(path: &str, text: &str) -> (TempHub, String) {
    let repo = Repo::new();
    repo.commit(&[(path, Some(text))], "2022-05-02T10:00:00+0000");
    let hub = empty_hub();
    let repo_path = repo.path().to_str().unwrap();
    let (ok, _, stderr) = import(&hub, &["--git", repo_path, "--path", path, "--org", "acme"]);
    assert!(ok, "{stderr}");
    let version = fs::read_to_string(hub.path("content/acme/privacy-policy/2022-05-02.md")).unwrap();
    (hub, version)
}

fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The version files of a policy, by name.
fn versions(hub: &TempHub, policy: &str) -> BTreeMap<String, String> {
    fs::read_dir(hub.path(&format!("content/{policy}")))
        .unwrap()
        .map(Result::unwrap)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .map(|name| {
            let text = fs::read_to_string(hub.path(&format!("content/{policy}/{name}"))).unwrap();
            (name, text)
        })
        .collect()
}

/// The value of `key = …` in a version file's front matter, unquoted.
fn front(text: &str, key: &str) -> Option<String> {
    let front = text.split("+++").nth(1)?;
    front.lines().find_map(|l| {
        let (k, v) = l.split_once(" = ")?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    })
}

const POLICY: &str = "# Privacy Policy\n\nWe keep your data for 30 days.\n";

/// A history with every case of the rule: two commits on one day, a commit that does not touch
/// the document, an empty text, a text that comes back, a pull request merged as one change, a
/// moved file, and a committer west of Greenwich whose evening is the next day in UTC.
fn history() -> (Repo, BTreeMap<&'static str, String>) {
    let repo = Repo::new();
    let mut ids = BTreeMap::new();
    repo.commit(
        &[("docs/privacy.md", Some("# Privacy Policy\n\nDraft.\n"))],
        "2021-03-01T09:00:00+0100",
    );
    ids.insert(
        "first day",
        repo.commit(
            &[(
                "docs/privacy.md",
                Some(&format!("{POLICY}\nEffective date: March 1, 2021\n")),
            )],
            "2021-03-01T23:30:00-0500",
        ),
    );
    repo.commit(&[("README.md", Some("Not a policy.\n"))], "2021-03-03T10:00:00+0000");
    repo.commit(&[("docs/privacy.md", Some("  \n"))], "2021-03-04T10:00:00+0000");
    repo.commit(
        &[(
            "docs/privacy.md",
            Some(&format!("{POLICY}\nEffective date: March 1, 2021\n")),
        )],
        "2021-03-05T10:00:00+0000",
    );
    repo.git(&["checkout", "-q", "-b", "edit"], "2021-03-06T10:00:00+0000");
    repo.commit(
        &[(
            "docs/privacy.md",
            Some("# Privacy Policy\n\nWe keep your data for 60 days.\n"),
        )],
        "2021-03-06T10:00:00+0000",
    );
    repo.commit(
        &[(
            "docs/privacy.md",
            Some("# Privacy Policy\n\nWe keep your data for 90 days.\n"),
        )],
        "2021-03-07T10:00:00+0000",
    );
    repo.git(&["checkout", "-q", "main"], "2021-03-08T10:00:00+0000");
    repo.git(
        &["merge", "-q", "--no-ff", "-m", "Merge the edit", "edit"],
        "2021-03-08T10:00:00+0000",
    );
    ids.insert("merge", repo.git(&["rev-parse", "HEAD"], "2021-03-08T10:00:00+0000"));
    let moved = fs::read_to_string(repo.path().join("docs/privacy.md")).unwrap();
    repo.commit(
        &[("docs/privacy.md", None), ("docs/legal/privacy.md", Some(&moved))],
        "2021-03-09T10:00:00+0000",
    );
    ids.insert(
        "after the move",
        repo.commit(
            &[(
                "docs/legal/privacy.md",
                Some("# Privacy Policy\n\nWe keep your data for 120 days.\n"),
            )],
            "2021-03-10T10:00:00+0000",
        ),
    );
    (repo, ids)
}

fn import_history(hub: &TempHub, repo: &Repo, extra: &[&str]) -> (bool, String, String) {
    let repo = repo.path().to_str().unwrap();
    let mut args = vec![
        "--git",
        repo,
        "--path",
        "docs/privacy.md",
        "--path",
        "docs/legal/privacy.md",
        "--org",
        "acme",
        "--name",
        "Acme",
    ];
    args.extend_from_slice(extra);
    import(hub, &args)
}

#[test]
fn a_branch_history_becomes_one_version_per_day_it_changed() {
    let (repo, ids) = history();
    let hub = empty_hub();
    let (ok, stdout, stderr) = import_history(&hub, &repo, &[]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("acme/privacy-policy"), "{stdout}");
    let found = versions(&hub, "acme/privacy-policy");
    let summary: Vec<(String, Option<String>, Option<String>)> = found
        .iter()
        .map(|(name, text)| (name.clone(), front(text, "captured"), front(text, "commit")))
        .collect();
    assert_eq!(
        summary,
        vec![
            // The text's own date; captured on the committer's day (23:30 at UTC−5).
            (
                "2021-03-01.md".into(),
                Some("2021-03-01".into()),
                Some(ids["first day"].clone())
            ),
            // The pull request is one change, dated when it was merged; its text has no date.
            (
                "2021-03-08.md".into(),
                Some("2021-03-08".into()),
                Some(ids["merge"].clone())
            ),
            // The file moved (no change), then changed at its new path.
            (
                "2021-03-10.md".into(),
                Some("2021-03-10".into()),
                Some(ids["after the move"].clone())
            ),
        ]
    );
    assert!(found["2021-03-08.md"].contains("90 days"), "the day's last text");
    assert!(
        !found.values().any(|t| t.contains("60 days")),
        "a commit inside a pull request is no version"
    );
    assert!(hub.path("content/acme/org.toml").is_file());
    let (built, _, stderr) = hub.build();
    assert!(built, "{stderr}");
    assert!(hub
        .read_output("acme/privacy-policy/2021-03-08/diff/index.html")
        .contains("<ins"));
}

#[test]
fn reimports_add_only_what_is_new_and_never_rewrite_without_force() {
    let (repo, _) = history();
    let hub = empty_hub();
    assert!(import_history(&hub, &repo, &[]).0);
    let before = tree(&hub.path("content"));

    let (ok, stdout, stderr) = import_history(&hub, &repo, &[]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("0 new, 3 unchanged"), "{stdout}");
    assert!(before == tree(&hub.path("content")), "a second import changes nothing");

    let next = repo.commit(
        &[(
            "docs/legal/privacy.md",
            Some("# Privacy Policy\n\nWe keep your data for a year.\n"),
        )],
        "2021-04-01T10:00:00+0000",
    );
    let edited = hub.path("content/acme/privacy-policy/2021-03-10.md");
    fs::write(&edited, "+++\neffective = 2021-03-10\n+++\nCorrected by hand.\n").unwrap();
    let (ok, stdout, _) = import_history(&hub, &repo, &[]);
    assert!(ok);
    assert!(stdout.contains("1 new, 2 unchanged, 1 kept as they are"), "{stdout}");
    assert!(stdout.contains("--force"), "{stdout}");
    assert_eq!(
        fs::read_to_string(&edited).unwrap(),
        "+++\neffective = 2021-03-10\n+++\nCorrected by hand.\n"
    );
    let added = fs::read_to_string(hub.path("content/acme/privacy-policy/2021-04-01.md")).unwrap();
    assert_eq!(front(&added, "commit"), Some(next));

    let (ok, stdout, _) = import_history(&hub, &repo, &["--force"]);
    assert!(ok);
    assert!(stdout.contains("1 replaced"), "{stdout}");
    assert!(fs::read_to_string(&edited).unwrap().contains("120 days"));
}

#[test]
fn a_dry_run_lists_the_versions_and_writes_nothing() {
    let (repo, _) = history();
    let hub = empty_hub();
    let (ok, stdout, stderr) = import_history(&hub, &repo, &["--dry-run"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("content/acme/privacy-policy/2021-03-10.md"), "{stdout}");
    assert!(stdout.contains("3 would be new"), "{stdout}");
    assert!(!hub.path("content").exists());
}

#[test]
fn errors_name_what_was_given_and_change_nothing() {
    let (repo, _) = history();
    let hub = empty_hub();
    assert!(import_history(&hub, &repo, &[]).0);
    let before = tree(hub.root());

    let (ok, _, stderr) = import(&hub, &["--git", "/no/such/repo", "--path", "x.md", "--org", "acme"]);
    assert!(!ok);
    assert!(
        stderr.contains("/no/such/repo") && stderr.contains("no such folder"),
        "{stderr}"
    );

    let plain = tempfile::tempdir().unwrap();
    let plain = plain.path().to_str().unwrap();
    let (ok, _, stderr) = import(&hub, &["--git", plain, "--path", "x.md", "--org", "acme"]);
    assert!(!ok);
    assert!(
        stderr.contains("not a git repository") && stderr.contains("git clone"),
        "{stderr}"
    );

    let repo_path = repo.path().to_str().unwrap();
    let (ok, _, stderr) = import(&hub, &["--git", repo_path, "--path", "docs/terms.md", "--org", "acme"]);
    assert!(!ok);
    assert!(
        stderr.contains("docs/terms.md") && stderr.contains("--path"),
        "{stderr}"
    );

    let (ok, _, stderr) = import(
        &hub,
        &["--git", repo_path, "--path", "docs/privacy.md", "--org", "Acme Inc"],
    );
    assert!(!ok);
    assert!(stderr.contains("--org acme-inc"), "{stderr}");

    let (ok, _, stderr) = import(&hub, &["--git", repo_path, "--org", "acme"]);
    assert!(!ok, "--git without --path is refused");
    assert!(stderr.contains("--path"), "{stderr}");
    assert!(before == tree(hub.root()), "failed imports change nothing");
}

#[test]
fn a_write_that_fails_midway_is_undone() {
    let (repo, _) = history();
    let hub = empty_hub();
    // The last version's file name is taken by a folder: its write fails after the first two.
    fs::create_dir_all(hub.path("content/acme/privacy-policy/2021-03-10.md")).unwrap();
    let before = tree(hub.root());
    let (ok, _, stderr) = import_history(&hub, &repo, &["--force"]);
    assert!(!ok);
    assert!(
        stderr.contains("2021-03-10.md") && stderr.contains("cannot write"),
        "{stderr}"
    );
    assert!(before == tree(hub.root()));
    assert!(!hub.path("content/acme/privacy-policy/2021-03-01.md").exists());
    assert!(!hub.path("content/acme/org.toml").exists());
}

#[test]
fn a_failed_collection_import_leaves_no_folder_it_made() {
    let ota = Repo::new();
    ota.commit(
        &[
            ("Acme/Privacy Policy.md", Some("# Privacy\n\nAcme keeps data.\n")),
            ("Zeta/Privacy Policy.md", Some("# Privacy\n\nZeta keeps data.\n")),
        ],
        "2021-01-10T00:30:00+0000",
    );
    let hub = empty_hub();
    // Zeta's policy folder is taken by a file: its write fails after Acme's folders are made.
    fs::create_dir_all(hub.path("content/zeta")).unwrap();
    fs::write(hub.path("content/zeta/org.toml"), "name = \"Zeta\"\n").unwrap();
    fs::write(hub.path("content/zeta/privacy-policy"), "").unwrap();
    let before = tree(hub.root());
    let (ok, _, stderr) = import(&hub, &["--ota", ota.path().to_str().unwrap()]);
    assert!(!ok, "{stderr}");
    assert!(before == tree(hub.root()));
    assert!(
        !hub.path("content/acme").exists(),
        "an empty organisation folder stops a build"
    );
}

#[test]
fn doubtful_dates_are_imported_as_the_rule_says_with_a_warning() {
    let repo = Repo::new();
    let text = |words: &str| format!("# Privacy\n\nWe collect {words}.\n");
    repo.commit(&[("privacy.md", Some(&text("your name")))], "2021-06-01T12:00:00+0000");
    // The next commit on the branch carries an earlier date (a rebase, a skewed clock).
    repo.commit(
        &[("privacy.md", Some(&text("your name and email")))],
        "2021-03-01T12:00:00+0000",
    );
    // A clock in the future, and a text that says it takes effect two centuries later.
    let far = "# Privacy\n\nEffective date: January 1, 2202\n\nWe collect your name, email and phone.\n";
    repo.commit(&[("privacy.md", Some(far))], "2099-12-31T12:00:00+0000");
    let hub = empty_hub();
    let repo_path = repo.path().to_str().unwrap();
    let (ok, stdout, stderr) = import(&hub, &["--git", repo_path, "--path", "privacy.md", "--org", "acme"]);
    assert!(ok, "{stderr}");
    let said = format!("{stdout}{stderr}");
    let versions = versions(&hub, "acme/privacy-policy");
    assert_eq!(versions.len(), 3, "{said}");
    assert!(
        said.contains("dated before a commit they follow on the branch: 1")
            && said.contains("of 2021-03-01, after one of 2021-06-01"),
        "{said}"
    );
    assert!(said.contains("is dated 2099-12-31, after today"), "{said}");
    assert!(
        said.contains("2202-01-01.md: the text says it takes effect on 2202-01-01, over a year after it was captured (2099-12-31)"),
        "{said}"
    );
}

#[test]
fn a_history_of_html_pages_is_read_as_pages() {
    let page = "<!DOCTYPE html>\n<html><head><title>Privacy</title><script>track()</script></head>\n<body><nav>Home | About</nav><main><h1>Privacy Policy</h1><p>We collect your name when you sign up.</p><h2>Sharing</h2><p>We never sell your data.</p></main></body></html>\n";
    let (_, version) = import_one_file("privacy.html", page);
    assert!(
        version.contains("\n## Sharing\n") && version.contains("We never sell your data."),
        "{version}"
    );
    assert!(
        !version.contains("script") && !version.contains("<html") && !version.contains("Home | About"),
        "{version}"
    );
}

/// SIGTERM (`timeout`, a cancelled CI job) while the import writes: it undoes what it wrote.
/// The signal may come before the first write or after the last: either way no history is
/// left half imported.
#[cfg(unix)]
#[test]
fn an_import_stopped_by_a_signal_leaves_no_half_history() {
    let repo = Repo::new();
    let mut stream = String::new();
    const VERSIONS: usize = 600;
    for i in 0..VERSIONS {
        let body: String = (0..200)
            .map(|j| format!("Clause {j}: we keep data for {} days.\n\n", i + j))
            .collect();
        let body = format!("# Privacy Policy\n\n{body}");
        let when = 1_577_880_000 + 86_400 * i;
        stream.push_str(&format!(
            "commit refs/heads/main\ncommitter C <c@example.org> {when} +0000\ndata 1\nc\nM 100644 inline p.md\ndata {}\n{body}\n",
            body.len()
        ));
    }
    let mut fast_import = Process::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(repo.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    fast_import.stdin.take().unwrap().write_all(stream.as_bytes()).unwrap();
    assert!(fast_import.wait().unwrap().success());
    let hub = empty_hub();
    let repo_path = repo.path().to_str().unwrap();
    let mut child = Process::new(env!("CARGO_BIN_EXE_policyhub"))
        .args([
            "import", "--git", repo_path, "--path", "p.md", "--org", "acme", "-q", "--root",
        ])
        .arg(hub.root())
        .spawn()
        .unwrap();
    let folder = hub.path("content/acme/privacy-policy");
    let written = || fs::read_dir(&folder).map_or(0, |d| d.count());
    let started = std::time::Instant::now();
    while written() < 20 && started.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let killed = Process::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    let versions = fs::read_dir(&folder).map_or(0, |d| {
        d.filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with('2'))
            .count()
    });
    assert!(
        (versions == 0 && !status.success() && !hub.path("content/acme").exists())
            || (versions == VERSIONS && status.success()),
        "{versions} of {VERSIONS} versions left, {status}"
    );
}

#[test]
fn yaml_front_matter_is_read_not_rendered() {
    let text = "---\ntitle: Acme Privacy Statement\nredirect_from:\n  - /privacy\nversions:\n  fpt: '*'\n---\n\n## Acme Privacy Statement\n\nEffective date: May 2, 2022\n\nWe keep your data.\n";
    let (hub, version) = import_one_file("privacy.md", text);
    assert!(
        !version.contains("redirect_from") && !version.contains("fpt"),
        "{version}"
    );
    assert!(version.contains("We keep your data."));
    let policy = fs::read_to_string(hub.path("content/acme/privacy-policy/policy.toml")).unwrap();
    assert!(policy.contains("title = \"Acme Privacy Statement\""), "{policy}");

    // The same file imported as a single capture: the report lists the front matter as dropped.
    let capture = hub.path("capture.md");
    fs::write(&capture, text).unwrap();
    let other = empty_hub();
    let (ok, stdout, stderr) = import(&other, &[capture.to_str().unwrap(), "--org", "acme"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("YAML front matter"), "{stdout}");
    let (built, _, stderr) = other.build();
    assert!(built, "{stderr}");
    let page = other.read_output("acme/privacy-policy/index.html");
    assert!(!page.contains("redirect_from") && page.contains("We keep your data."));
    let policy = fs::read_to_string(other.path("content/acme/privacy-policy/policy.toml")).unwrap();
    assert!(policy.contains("Acme Privacy Statement"), "{policy}");
}

#[test]
fn an_open_terms_archive_collection_becomes_organisations_and_policies() {
    let ota = Repo::clone_fixture("ota-airbnb-the-register.bundle");
    let hub = empty_hub();
    let path = ota.path().to_str().unwrap();
    let (ok, stdout, stderr) = import(&hub, &["--ota", path]);
    assert!(ok, "{stderr}");
    // The versions by the rule (checked against `git log --first-parent` by hand): 45 and 20.
    assert_eq!(versions(&hub, "airbnb/privacy-policy").len(), 45, "{stdout}");
    assert_eq!(versions(&hub, "the-register/privacy-policy").len(), 20, "{stdout}");
    let org = fs::read_to_string(hub.path("content/the-register/org.toml")).unwrap();
    assert!(org.contains("name = \"The Register\""), "{org}");
    for text in versions(&hub, "airbnb/privacy-policy").values() {
        assert!(
            front(text, "captured").is_some() && front(text, "commit").is_some(),
            "{text}"
        );
    }
    let site = fs::read_to_string(hub.path("site.toml")).unwrap();
    assert!(
        site.contains("credits = ") && site.contains("Open Terms Archive contributors"),
        "{site}"
    );

    let before = tree(hub.root());
    let (ok, stdout, _) = import(&hub, &["--ota", path]);
    assert!(ok);
    assert!(stdout.contains("0 versions written"), "{stdout}");
    assert!(before == tree(hub.root()), "a second import changes nothing");

    let (built, _, stderr) = hub.build();
    assert!(built, "{stderr}");
    let home = hub.read_output("index.html");
    assert!(
        home.contains("Open Terms Archive contributors"),
        "the footer credits the data"
    );
    fs::remove_dir_all(hub.path("public")).unwrap();
    fs::remove_dir_all(hub.path(policyhub::CACHE_DIR)).unwrap();

    let (ok, _, stderr) = import(&hub, &["--ota", path, "--services", "Airbnb,Nowhere"]);
    assert!(!ok);
    assert!(
        stderr.contains("no service \"Nowhere\"") && stderr.contains("\"Airbnb\""),
        "{stderr}"
    );
    let (ok, _, stderr) = import(&hub, &["--ota", path, "--terms", "Terms of Service"]);
    assert!(!ok);
    assert!(stderr.contains("\"Privacy Policy\""), "{stderr}");
    assert!(before == tree(hub.root()));
}

/// A service folder whose name is not UTF-8 is imported under its name's lossy reading
/// (it was listed so, then found nowhere: its versions were silently left out).
#[cfg(unix)]
#[test]
fn a_service_whose_folder_name_is_not_utf8_is_imported() {
    use std::os::unix::ffi::OsStrExt;
    let ota = Repo::new();
    let text = "# Privacy Policy\n\nThe service collects data about you.\n";
    let bad = ota.path().join(std::ffi::OsStr::from_bytes(b"Bad\xffName"));
    fs::create_dir_all(&bad).unwrap();
    fs::write(bad.join("Privacy Policy.md"), text).unwrap();
    ota.commit(&[("Good/Privacy Policy.md", Some(text))], "2020-01-05T10:00:00+0000");
    let hub = empty_hub();
    let (ok, stdout, stderr) = import(&hub, &["--ota", ota.path().to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert_eq!(versions(&hub, "bad-name/privacy-policy").len(), 1, "{stdout}");
    assert_eq!(versions(&hub, "good/privacy-policy").len(), 1, "{stdout}");
}

#[test]
fn declarations_give_each_version_the_page_it_was_fetched_from() {
    let ota = Repo::new();
    ota.commit(
        &[("Acme/Privacy Policy.md", Some("# Privacy\n\nFirst text.\n"))],
        "2019-01-10T00:30:00+0000",
    );
    ota.commit(
        &[("Acme/Privacy Policy.md", Some("# Privacy\n\nSecond text.\n"))],
        "2021-01-10T00:30:00+0000",
    );
    let declarations = tempfile::tempdir().unwrap();
    let dir = declarations.path().join("declarations");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("Acme.json"),
        r#"{"name":"Acme","terms":{"Privacy Policy":{"fetch":"https://acme.example/privacy","select":"main"}}}"#,
    )
    .unwrap();
    fs::write(
        dir.join("Acme.history.json"),
        r#"{"Privacy Policy":[{"fetch":"https://acme.example/legal","select":"main","validUntil":"2020-02-01T12:00:00.000Z"}]}"#,
    )
    .unwrap();
    let hub = empty_hub();
    let args = [
        "--ota",
        ota.path().to_str().unwrap(),
        "--declarations",
        declarations.path().to_str().unwrap(),
    ];
    let (ok, _, stderr) = import(&hub, &args);
    assert!(ok, "{stderr}");
    let found = versions(&hub, "acme/privacy-policy");
    let sources: Vec<Option<String>> = found.values().map(|t| front(t, "source")).collect();
    assert_eq!(
        sources,
        vec![
            Some("https://acme.example/legal".into()),
            Some("https://acme.example/privacy".into())
        ]
    );

    // A validUntil that is not a date is an error, not a period silently left out.
    fs::write(
        dir.join("Acme.history.json"),
        r#"{"Privacy Policy":[{"fetch":"https://acme.example/legal","select":"main","validUntil":"01/02/2020"}]}"#,
    )
    .unwrap();
    let before = tree(hub.root());
    let (ok, _, stderr) = import(&hub, &args);
    assert!(!ok);
    assert!(
        stderr.contains("Acme.history.json") && stderr.contains("validUntil that is not a date: \"01/02/2020\""),
        "{stderr}"
    );
    assert!(before == tree(hub.root()));
}

#[test]
fn services_and_terms_whose_names_slug_alike_keep_their_own_histories() {
    let ota = Repo::new();
    ota.commit(
        &[
            (
                "Foo Bar/Privacy Policy.md",
                Some("# Privacy\n\nFoo Bar's first text.\n"),
            ),
            (
                "Foo Bar/privacy policy.md",
                Some("# Privacy\n\nA second document of Foo Bar.\n"),
            ),
            (
                "foo-bar/Privacy Policy.md",
                Some("# Privacy\n\nfoo-bar's first text.\n"),
            ),
        ],
        "2020-01-10T00:30:00+0000",
    );
    ota.commit(
        &[(
            "foo-bar/Privacy Policy.md",
            Some("# Privacy\n\nfoo-bar's second text.\n"),
        )],
        "2021-01-10T00:30:00+0000",
    );
    let hub = empty_hub();
    let (ok, _, stderr) = import(&hub, &["--ota", ota.path().to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let texts = |policy: &str| -> Vec<String> {
        versions(&hub, policy)
            .values()
            .map(|t| t.rsplit("+++").next().unwrap().trim().to_string())
            .collect()
    };
    assert_eq!(texts("foo-bar/privacy-policy"), ["# Privacy\n\nFoo Bar's first text."]);
    assert_eq!(
        texts("foo-bar/privacy-policy-2"),
        ["# Privacy\n\nA second document of Foo Bar."]
    );
    assert_eq!(
        texts("foo-bar-2/privacy-policy"),
        [
            "# Privacy\n\nfoo-bar's first text.",
            "# Privacy\n\nfoo-bar's second text."
        ]
    );
    let org = fs::read_to_string(hub.path("content/foo-bar-2/org.toml")).unwrap();
    assert!(org.contains("name = \"foo-bar\""), "{org}");
}

/// Which folder a service's versions go to does not depend on what an import selects: a
/// service imported alone first, the collection then imported whole, a service that slugs alike
/// added to the collection later, and an organisation its curator renamed each keep every
/// history in its own folder, as one import of everything would.
#[test]
fn services_that_slug_alike_keep_their_folders_whatever_is_imported_first() {
    let ota = Repo::new();
    ota.commit(
        &[
            ("Foo Bar/Privacy Policy.md", Some("# Privacy\n\nFoo Bar, first.\n")),
            ("foo-bar/Privacy Policy.md", Some("# Privacy\n\nfoo-bar, first.\n")),
        ],
        "2020-01-10T00:30:00+0000",
    );
    let hub = empty_hub();
    let path = ota.path().to_str().unwrap();
    let texts = |policy: &str| -> Vec<String> {
        versions(&hub, policy)
            .values()
            .map(|t| {
                t.rsplit("+++")
                    .next()
                    .unwrap()
                    .trim()
                    .trim_start_matches("# Privacy")
                    .trim()
                    .to_string()
            })
            .collect()
    };
    let import_all = |args: &[&str]| {
        let (ok, stdout, stderr) = import(&hub, &[&["--ota", path], args].concat());
        assert!(ok, "{stderr}");
        assert!(!format!("{stdout}{stderr}").contains("differs"), "{stdout}{stderr}");
    };
    import_all(&["--services", "foo-bar"]);
    assert_eq!(texts("foo-bar-2/privacy-policy"), ["foo-bar, first."]);
    import_all(&[]);
    assert_eq!(texts("foo-bar/privacy-policy"), ["Foo Bar, first."]);
    assert_eq!(texts("foo-bar-2/privacy-policy"), ["foo-bar, first."]);

    // A service that slugs alike and sorts first comes into the collection.
    ota.commit(
        &[
            ("FOO BAR/Privacy Policy.md", Some("# Privacy\n\nFOO BAR, first.\n")),
            ("Foo Bar/Privacy Policy.md", Some("# Privacy\n\nFoo Bar, second.\n")),
        ],
        "2021-01-10T00:30:00+0000",
    );
    import_all(&[]);
    assert_eq!(texts("foo-bar/privacy-policy"), ["Foo Bar, first.", "Foo Bar, second."]);
    assert_eq!(texts("foo-bar-2/privacy-policy"), ["foo-bar, first."]);
    assert_eq!(texts("foo-bar-3/privacy-policy"), ["FOO BAR, first."]);

    // The curator renames an organisation: its folder stays its service's.
    hub.write("content/foo-bar/org.toml", "name = \"Foo Bar Inc.\"\n");
    ota.commit(
        &[("Foo Bar/Privacy Policy.md", Some("# Privacy\n\nFoo Bar, third.\n"))],
        "2022-01-10T00:30:00+0000",
    );
    import_all(&[]);
    assert_eq!(
        texts("foo-bar/privacy-policy"),
        ["Foo Bar, first.", "Foo Bar, second.", "Foo Bar, third."]
    );
    let orgs = fs::read_dir(hub.path("content")).unwrap().count();
    assert_eq!(orgs, 3, "no fourth folder");
}

/// A service that leaves the collection keeps its folder: the service that slugs alike stays in
/// its own, and a newcomer takes a free one, not the folder of the one that left.
#[test]
fn a_service_that_leaves_the_collection_keeps_its_folder() {
    let ota = Repo::new();
    ota.commit(
        &[
            ("Foo Bar/Privacy Policy.md", Some("# Privacy\n\nFoo Bar.\n")),
            ("foo-bar/Privacy Policy.md", Some("# Privacy\n\nfoo-bar, first.\n")),
            ("Baz 2/Privacy Policy.md", Some("# Privacy\n\nBaz 2.\n")),
        ],
        "2020-01-10T00:30:00+0000",
    );
    let hub = empty_hub();
    let path = ota.path().to_str().unwrap();
    let import_all = || {
        let (ok, stdout, stderr) = import(&hub, &["--ota", path]);
        assert!(ok, "{stderr}");
        assert!(!format!("{stdout}{stderr}").contains("differs"), "{stdout}{stderr}");
    };
    import_all();
    ota.commit(
        &[
            ("Foo Bar/Privacy Policy.md", None),
            ("foo-bar/Privacy Policy.md", Some("# Privacy\n\nfoo-bar, second.\n")),
            ("Baz 2/Privacy Policy.md", None),
            ("baz/Privacy Policy.md", Some("# Privacy\n\nbaz.\n")),
            ("Baz/Privacy Policy.md", Some("# Privacy\n\nBaz.\n")),
        ],
        "2021-01-10T00:30:00+0000",
    );
    import_all();
    assert_eq!(versions(&hub, "foo-bar/privacy-policy").len(), 1);
    assert_eq!(versions(&hub, "foo-bar-2/privacy-policy").len(), 2);
    assert_eq!(
        versions(&hub, "baz-2/privacy-policy").len(),
        1,
        "Baz 2's folder is no one else's"
    );
    assert_eq!(versions(&hub, "baz/privacy-policy").len(), 1);
    assert_eq!(versions(&hub, "baz-3/privacy-policy").len(), 1);
}

/// A service whose folder was renamed (`git mv Twitter X`) keeps its history: the versions
/// from before the rename are read at its earlier name.
#[test]
fn a_renamed_service_keeps_its_history() {
    let ota = Repo::new();
    let text = |n: u32| format!("# Privacy\n\nText {n} of the policy.\n");
    ota.commit(
        &[("Twitter/Privacy Policy.md", Some(&text(1)))],
        "2021-01-01T10:00:00+0000",
    );
    ota.commit(
        &[("Twitter/Privacy Policy.md", Some(&text(2)))],
        "2022-01-01T10:00:00+0000",
    );
    ota.git(&["mv", "Twitter", "X"], "2023-07-24T10:00:00+0000");
    ota.git(&["commit", "-q", "-m", "Rename"], "2023-07-24T10:00:00+0000");
    ota.commit(&[("X/Privacy Policy.md", Some(&text(3)))], "2023-09-01T10:00:00+0000");
    let hub = empty_hub();
    let (ok, stdout, stderr) = import(&hub, &["--ota", ota.path().to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let versions = versions(&hub, "x/privacy-policy");
    let days: Vec<&str> = versions.keys().map(|name| &name[..10]).collect();
    assert_eq!(days, ["2021-01-01", "2022-01-01", "2023-09-01"], "{stdout}");
    assert!(stdout.contains("read from \"Twitter/\""), "{stdout}");
}

/// A terms type's name is transliterated into its policy's slug, as a service's is; a folder
/// that an import made before that (`pol-tica-de-privacidad`) stays the policy's.
#[test]
fn terms_types_are_transliterated_and_older_folders_kept() {
    let ota = Repo::new();
    ota.commit(
        &[(
            "Société/Política de privacidad.md",
            Some("# Privacidad\n\nPrimer texto.\n"),
        )],
        "2020-01-10T00:30:00+0000",
    );
    // A hidden folder holds the repository's own files, not a service.
    ota.commit(
        &[(".github/PULL_REQUEST_TEMPLATE.md", Some("## Describe the change\n"))],
        "2020-01-11T00:30:00+0000",
    );
    let hub = empty_hub();
    let path = ota.path().to_str().unwrap();
    let (ok, _, stderr) = import(&hub, &["--ota", path]);
    assert!(ok, "{stderr}");
    assert_eq!(versions(&hub, "societe/politica-de-privacidad").len(), 1);
    assert!(!hub.path("content/github").exists());
    // The policy is titled as the collection names its terms type, accents and case kept.
    let policy = fs::read_to_string(hub.path("content/societe/politica-de-privacidad/policy.toml")).unwrap();
    assert!(policy.contains("title = \"Política de privacidad\""), "{policy}");
    // As an import before transliteration named it.
    fs::rename(
        hub.path("content/societe/politica-de-privacidad"),
        hub.path("content/societe/pol-tica-de-privacidad"),
    )
    .unwrap();
    ota.commit(
        &[(
            "Société/Política de privacidad.md",
            Some("# Privacidad\n\nSegundo texto.\n"),
        )],
        "2021-01-10T00:30:00+0000",
    );
    let (ok, _, stderr) = import(&hub, &["--ota", path]);
    assert!(ok, "{stderr}");
    assert_eq!(versions(&hub, "societe/pol-tica-de-privacidad").len(), 2);
    assert!(!hub.path("content/societe/politica-de-privacidad").exists());
}

/// A symbolic link where the document was (its blob is the path it points to) is no version:
/// the history goes on at the next text.
#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_history_is_no_version() {
    let repo = Repo::new();
    repo.commit(
        &[("docs/privacy.md", Some("# Privacy\n\nFirst text.\n"))],
        "2020-01-10T00:30:00+0000",
    );
    fs::remove_file(repo.path().join("docs/privacy.md")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", repo.path().join("docs/privacy.md")).unwrap();
    repo.commit(&[], "2020-02-10T00:30:00+0000");
    fs::remove_file(repo.path().join("docs/privacy.md")).unwrap();
    repo.commit(
        &[("docs/privacy.md", Some("# Privacy\n\nSecond text.\n"))],
        "2020-03-10T00:30:00+0000",
    );
    let hub = empty_hub();
    let (ok, _, stderr) = import_history(&hub, &repo, &[]);
    assert!(ok, "{stderr}");
    let found = versions(&hub, "acme/privacy-policy");
    assert_eq!(found.keys().collect::<Vec<_>>(), ["2020-01-10.md", "2020-03-10.md"]);
    assert!(found.values().all(|t| !t.contains("/etc/passwd")));
}

/// The example hub's real history is exactly what `scripts/import-seeds` writes (from the
/// byte-for-byte copy of GitHub's site-policy repository in tests/fixtures/data).
#[test]
fn the_example_hubs_content_is_the_import_scripts_output() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hub = empty_hub();
    // The manifests are kept by the script as they are; the version files are what it writes.
    common::copy_dir(&here.join("content"), &hub.path("content"));
    for entry in walkdir::WalkDir::new(hub.path("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            fs::remove_file(entry.path()).unwrap();
        }
    }
    let out = Process::new(here.join("scripts/import-seeds"))
        .env("POLICYHUB", assert_cmd::cargo::cargo_bin("policyhub"))
        .env("HUB", hub.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let expected = tree(&here.join("content"));
    let written = tree(&hub.path("content"));
    assert!(expected.keys().any(|p| p.starts_with("github/privacy-policy")));
    assert_eq!(
        expected.keys().collect::<Vec<_>>(),
        written.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &expected {
        assert!(
            written[path] == *bytes,
            "content/{} differs from scripts/import-seeds's output: run the script",
            path.display()
        );
    }
}
