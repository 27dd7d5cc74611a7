//! Importing a document's whole published history (`policyhub import --git`, and each document
//! of `--ota`): which commits become versions (one per day whose last text differs from the
//! previous version's), each text converted by the capture pipeline, the version files named
//! and written. Writing is one transaction: a failed import leaves `content/` as it was, and an
//! existing version is never rewritten without `--force`.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::git::{Commit, Repository};
use super::report::Warning;
use super::write::{check_hub, check_source, org_manifest, title_from_slug, toml_file};
use super::{convert_file, Conversion, Overrides};
use crate::content::Date;
use crate::error::{Diagnostic, Diagnostics};
use crate::progress::Progress;

/// What `policyhub import --git` is asked to do.
#[derive(Debug, Clone)]
pub struct GitImportOptions {
    /// The hub's folder.
    pub root: PathBuf,
    /// The repository.
    pub repo: PathBuf,
    /// The document's paths in the repository, oldest first: at each commit its text is the file
    /// at the last of them that exists (a document whose file moved).
    pub paths: Vec<String>,
    /// The organisation's slug.
    pub org: String,
    /// The policy's slug.
    pub policy: String,
    /// The organisation's name, for a new `org.toml`.
    pub name: Option<String>,
    /// The published page's URL, when the texts do not carry it.
    pub source: Option<String>,
    /// Rewrite versions that exist with another text.
    pub force: bool,
    /// Write nothing; report what would be written.
    pub dry_run: bool,
    /// Draw a progress bar on the terminal.
    pub progress: bool,
}

/// One document to import from a repository: where its text is, where it goes.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its paths in the repository (the last one that exists at a commit is read).
    pub paths: Vec<String>,
    /// The organisation's slug.
    pub org: String,
    /// The organisation's name, for a new `org.toml`.
    pub name: Option<String>,
    /// The policy's slug.
    pub policy: String,
    /// The policy's title as its source names it (an Open Terms Archive terms type such as
    /// `Politique de confidentialité`), for a new `policy.toml` when the text's front matter
    /// gives none; else the title is made from the slug.
    pub title: Option<String>,
    /// The published page's URL on a given day, when known from outside the text.
    pub source: Option<SourceRule>,
}

/// The published page's URL, by day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRule {
    /// The same URL for every version.
    Always(String),
    /// URLs valid until a day (inclusive), in order, then the URL that holds after them.
    Until(Vec<(Date, String)>, Option<String>),
}

impl SourceRule {
    /// The URL on `day`, when it is one a build accepts (an OTA declaration may hold any).
    pub fn on(&self, day: Date) -> Option<String> {
        let url = match self {
            SourceRule::Always(url) => Some(url.clone()),
            SourceRule::Until(periods, latest) => periods
                .iter()
                .find(|(until, _)| day <= *until)
                .map(|(_, url)| url.clone())
                .or_else(|| latest.clone()),
        };
        url.filter(|u| crate::content::is_web_url(u))
    }
}

/// What happened to one version file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Written (or, with `--dry-run`, would be).
    New,
    /// Already there with the same text.
    Unchanged,
    /// Already there with another text, kept (rewriting it needs `--force`).
    Kept,
    /// Already there with another text, rewritten (`--force`).
    Replaced,
}

/// One version of a document's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionReport {
    /// The version file, relative to the hub's root.
    pub path: PathBuf,
    /// What happened to it.
    pub outcome: Outcome,
    /// The day the text was published (its commit's day).
    pub captured: Date,
    /// The commit it was read from.
    pub commit: String,
    /// Where its effective date came from.
    pub effective_from: String,
}

/// What a history import did to one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentReport {
    /// `org/policy`.
    pub target: String,
    /// Commits of the branch that changed the document's text.
    pub changes: usize,
    /// Its versions, oldest first.
    pub versions: Vec<VersionReport>,
    /// org.toml / policy.toml written.
    pub created: Vec<PathBuf>,
    /// Things to check by hand.
    pub warnings: Vec<Warning>,
}

/// What a history import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryReport {
    /// Commits on the branch's first-parent chain.
    pub commits: usize,
    /// One entry per document.
    pub documents: Vec<DocumentReport>,
    /// Nothing was written.
    pub dry_run: bool,
    /// Lines added to `site.toml` (the data's credits).
    pub site_toml: Vec<String>,
}

impl HistoryReport {
    /// Versions with the given outcome, over all documents.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.documents
            .iter()
            .flat_map(|d| &d.versions)
            .filter(|v| v.outcome == outcome)
            .count()
    }
}

/// Imports one document's history from a git repository into the hub.
pub fn import_git(options: &GitImportOptions) -> Result<HistoryReport, Diagnostics> {
    check_hub(
        &options.root,
        &[
            ("--org", "organisation", &options.org),
            ("--policy", "policy", &options.policy),
        ],
    )?;
    check_source(options.source.as_deref())?;
    if options.paths.is_empty() {
        return Err(Diagnostic::new("--path", "no document given")
            .hint("pass --path FILE, the document's path in the repository (several when it moved, oldest first)")
            .into());
    }
    let mut repo = Repository::open(&options.repo)?;
    let chain = repo.first_parent_chain()?;
    let document = Document {
        paths: options.paths.clone(),
        org: options.org.clone(),
        name: options.name.clone(),
        policy: options.policy.clone(),
        title: None,
        source: options.source.clone().map(SourceRule::Always),
    };
    let flags = Flags {
        force: options.force,
        dry_run: options.dry_run,
        progress: options.progress,
    };
    super::interrupt::watch();
    let mut transaction = Transaction::default();
    let result = import_document(&options.root, &mut repo, &chain, &document, flags, &mut transaction);
    let report = match result {
        Ok(report) if report.versions.is_empty() && report.changes == 0 => {
            transaction.roll_back();
            let tried = options.paths.join(", ");
            return Err(Diagnostic::new(&options.repo, format!("no commit of the branch has a file at {tried}"))
                .hint("pass --path with the document's path from the repository's root (`git log --name-only` lists them)")
                .into());
        }
        Ok(report) => report,
        Err(e) => {
            transaction.roll_back();
            return Err(e);
        }
    };
    Ok(HistoryReport {
        commits: chain.len(),
        documents: vec![report],
        dry_run: options.dry_run,
        site_toml: Vec::new(),
    })
}

/// `--force`, `--dry-run` and the progress bar.
#[derive(Debug, Clone, Copy)]
pub(super) struct Flags {
    pub force: bool,
    pub dry_run: bool,
    pub progress: bool,
}

/// Imports one document's history, recording every file written in `transaction`.
pub(super) fn import_document(
    root: &Path,
    repo: &mut Repository,
    chain: &[Commit],
    document: &Document,
    flags: Flags,
    transaction: &mut Transaction,
) -> Result<DocumentReport, Diagnostics> {
    // Each commit's text: its blob, and the path it was found at (for messages).
    let mut blobs = Vec::with_capacity(chain.len());
    let mut found_at: Vec<Option<&str>> = Vec::with_capacity(chain.len());
    for commit in chain {
        let mut found = None;
        for path in document.paths.iter().rev() {
            if let Some(blob) = repo.blob_at(commit, path)? {
                found = Some((blob, path.as_str()));
                break;
            }
        }
        blobs.push((commit.day, found.map(|(blob, _)| blob)));
        found_at.push(found.map(|(_, path)| path));
    }
    let mut texts = HashMap::new();
    let mut read_error = None;
    let chosen = daily_versions(&blobs, |blob| match repo.blob(*blob) {
        Ok(bytes) => {
            let empty = bytes.iter().all(u8::is_ascii_whitespace);
            texts.insert(*blob, bytes);
            empty
        }
        Err(e) => {
            read_error.get_or_insert(e);
            true
        }
    });
    if let Some(e) = read_error {
        return Err(e.into());
    }
    let changes = count_changes(&blobs);
    let mut warnings = dating_warnings(chain, &blobs, &chosen, today());
    let target = format!("{}/{}", document.org, document.policy);
    let progress = Progress::new(flags.progress, chosen.len() as u64, &target, "versions");
    let mut jobs = Vec::with_capacity(chosen.len());
    for &index in &chosen {
        let commit = &chain[index];
        let Some(blob) = blobs[index].1 else { continue };
        let name = format!("{}@{}", found_at[index].unwrap_or("?"), &commit.id[..10]);
        let overrides = Overrides {
            source: document.source.as_ref().and_then(|s| s.on(commit.day)),
            captured: Some(commit.day),
            commit: Some(commit.id.clone()),
            ..Overrides::default()
        };
        jobs.push((commit, found_at[index].unwrap_or(""), name, &texts[&blob], overrides));
    }
    // Each text is converted on its own: in parallel, in publication order.
    let converted: Vec<_> = jobs
        .par_iter()
        .map(|(commit, file, name, bytes, overrides)| {
            let result = convert_file(Path::new(file), Path::new(name), bytes, overrides);
            progress.tick();
            (*commit, result)
        })
        .collect();
    progress.finish();
    let mut conversions = Vec::new();
    for (commit, result) in converted {
        match result {
            Ok(conversion) => conversions.push((commit, conversion)),
            Err(problems) => warnings.extend(problems.0.iter().map(|p| {
                Warning::general(format!(
                    "the text of {} ({}) is not imported: {p}",
                    commit.day,
                    &commit.id[..10]
                ))
            })),
        }
    }
    let named = name_versions(conversions);
    let policy_dir = Path::new("content").join(&document.org).join(&document.policy);
    let mut versions = Vec::new();
    for (file, commit, conversion) in &named {
        let path = policy_dir.join(file);
        let text = conversion.text();
        let outcome = match fs::read(root.join(&path)) {
            Ok(existing) if existing == text.as_bytes() => Outcome::Unchanged,
            Ok(_) if !flags.force => Outcome::Kept,
            Ok(_) => Outcome::Replaced,
            Err(_) => Outcome::New,
        };
        if matches!(outcome, Outcome::New | Outcome::Replaced) && !flags.dry_run {
            transaction.write(root, &path, text.as_bytes())?;
        }
        if commit.day.days_until(conversion.effective) > FAR_AHEAD {
            warnings.push(Warning::general(format!(
                "{}: the text says it takes effect on {}, over a year after it was captured ({}): if that date is a typo, correct `effective` in the file",
                path.display(),
                conversion.effective,
                commit.day
            )));
        }
        let effective_from = conversion
            .found
            .iter()
            .find(|f| f.what == "effective")
            .map_or_else(String::new, |f| f.from.clone());
        versions.push(VersionReport {
            path,
            outcome,
            captured: commit.day,
            commit: commit.id.clone(),
            effective_from,
        });
    }
    if versions.iter().any(|v| v.outcome == Outcome::Kept) {
        warnings.push(Warning::general(
            "versions that exist with another text were kept as they are: pass --force to rewrite them (--dry-run lists them)",
        ));
    }
    let latest = named.last().map(|(_, _, c)| c);
    let created = if named.is_empty() {
        Vec::new()
    } else {
        write_manifests(root, document, latest, flags.dry_run, transaction, &mut warnings)?
    };
    Ok(DocumentReport {
        target,
        changes,
        versions,
        created,
        warnings,
    })
}

/// How many days after its capture a version's effective date may be before the import warns
/// (a policy announced a year ahead is rare; a typo such as 2202 is not).
const FAR_AHEAD: i64 = 366;

/// Today, by the clock of the machine that imports.
fn today() -> Option<Date> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Date::from_unix_seconds(i64::try_from(now.as_secs()).ok()?)
}

/// What the commits' dates make doubtful: commits that changed the text dated before a commit
/// they follow on the branch (a rebase, a skewed clock, a re-extraction dated as the page it
/// read), whose versions the hub places by their day and not by the branch's order; and
/// versions captured after `today` (a clock in the future), which would move the hub's
/// reference date.
fn dating_warnings<K: PartialEq>(
    chain: &[Commit],
    blobs: &[(Date, Option<K>)],
    chosen: &[usize],
    today: Option<Date>,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let mut latest: Option<Date> = None;
    let mut backwards = Vec::new();
    for (index, (day, _)) in blobs.iter().enumerate() {
        if !changes_text(blobs, index) {
            continue;
        }
        match latest {
            Some(later) if *day < later => backwards.push((index, later)),
            _ => latest = Some(*day),
        }
    }
    if let Some(&(index, later)) = backwards.first() {
        warnings.push(Warning::general(format!(
            "commits that changed the text dated before a commit they follow on the branch: {} (the first: {} of {}, after one of {}); each version is placed by its commit's day, and a day's last text replaces its earlier ones, so the hub's order may differ from the branch's: check the repository's dates",
            backwards.len(),
            &chain[index].id[..10],
            chain[index].day,
            later
        )));
    }
    if let Some(today) = today {
        for &index in chosen.iter().filter(|&&i| chain[i].day > today) {
            warnings.push(Warning::general(format!(
                "commit {} is dated {}, after today: its version is captured in the future (a wrong clock?), which moves the hub's reference date; check it",
                &chain[index].id[..10],
                chain[index].day
            )));
        }
    }
    warnings
}

/// The commits that become versions, by the rule of what a branch published: commits are
/// grouped by day (in the order days first appear); a day's text is that of its last commit
/// that changed the document; it becomes a version unless the document is absent or empty
/// then, or its text equals the previous version's. `is_empty` reads a text's blob.
pub fn daily_versions<K: PartialEq + Copy>(
    commits: &[(Date, Option<K>)],
    mut is_empty: impl FnMut(&K) -> bool,
) -> Vec<usize> {
    let mut days: Vec<Date> = Vec::new();
    let mut last_change: HashMap<Date, usize> = HashMap::new();
    for (index, (day, _)) in commits.iter().enumerate() {
        if !changes_text(commits, index) {
            continue;
        }
        if !last_change.contains_key(day) {
            days.push(*day);
        }
        last_change.insert(*day, index);
    }
    let mut chosen = Vec::new();
    let mut previous: Option<K> = None;
    for day in days {
        let index = last_change[&day];
        let Some(blob) = commits[index].1 else { continue };
        if previous == Some(blob) || is_empty(&blob) {
            continue;
        }
        previous = Some(blob);
        chosen.push(index);
    }
    chosen
}

/// Commits whose text differs from the one before them.
fn count_changes<K: PartialEq>(commits: &[(Date, Option<K>)]) -> usize {
    (0..commits.len()).filter(|&i| changes_text(commits, i)).count()
}

/// True when commit `index`'s text differs from the one before it (the first: when it has one).
fn changes_text<K: PartialEq>(commits: &[(Date, Option<K>)], index: usize) -> bool {
    match index {
        0 => commits[0].1.is_some(),
        _ => commits[index - 1].1 != commits[index].1,
    }
}

/// File names for the versions, in the order they were published: `DATE.md` after the
/// effective date, `DATE.2.md`, `DATE.3.md` … for later versions with the same one. A day with
/// ten versions or more pads its numbers (`DATE.02.md` … `DATE.12.md`), so the names sort in
/// publication order for any tool that sorts file names as text.
fn name_versions(conversions: Vec<(&Commit, Conversion)>) -> Vec<(String, &Commit, Conversion)> {
    let mut per_day: HashMap<Date, usize> = HashMap::new();
    for (_, conversion) in &conversions {
        *per_day.entry(conversion.effective).or_insert(0) += 1;
    }
    let mut seen: HashMap<Date, usize> = HashMap::new();
    conversions
        .into_iter()
        .map(|(commit, conversion)| {
            let sequence = seen.entry(conversion.effective).or_insert(0);
            *sequence += 1;
            let width = per_day[&conversion.effective].to_string().len();
            let file = match *sequence {
                1 => format!("{}.md", conversion.effective),
                n => format!("{}.{n:0width$}.md", conversion.effective),
            };
            (file, commit, conversion)
        })
        .collect()
}

/// Writes `org.toml` and `policy.toml` when they are missing (existing ones are never touched).
fn write_manifests(
    root: &Path,
    document: &Document,
    latest: Option<&Conversion>,
    dry_run: bool,
    transaction: &mut Transaction,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let org_toml = Path::new("content").join(&document.org).join("org.toml");
    let policy_toml = Path::new("content")
        .join(&document.org)
        .join(&document.policy)
        .join("policy.toml");
    let source = latest.and_then(|c| c.source.clone());
    let mut created = Vec::new();
    let name = document.name.as_deref();
    if let Some(text) = org_manifest(root, &org_toml, &document.org, name, source.as_deref(), warnings) {
        if !dry_run {
            transaction.write(root, &org_toml, text.as_bytes())?;
        }
        created.push(org_toml);
    }
    if !root.join(&policy_toml).exists() {
        let title = latest
            .and_then(|c| c.front_matter_title.clone())
            .or_else(|| document.title.clone())
            .unwrap_or_else(|| title_from_slug(&document.policy));
        let text = toml_file(&[("title", Some(title)), ("url", source)]);
        if !dry_run {
            transaction.write(root, &policy_toml, text.as_bytes())?;
        }
        created.push(policy_toml);
    }
    Ok(created)
}

/// Files written by an import, so that a failure can undo them all: files created are removed,
/// files replaced get their old bytes back, folders created are removed when left empty.
#[derive(Debug, Default)]
pub(super) struct Transaction {
    created: Vec<PathBuf>,
    replaced: Vec<(PathBuf, Vec<u8>)>,
    folders: Vec<PathBuf>,
}

impl Transaction {
    /// Writes `bytes` to `root/path` through a temporary file and a rename.
    pub(super) fn write(&mut self, root: &Path, path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        if super::interrupt::stop_before_writing() {
            return Err(Diagnostic::new(
                path,
                "interrupted: the import stopped here and undid every file it had written",
            ));
        }
        let io = |e: std::io::Error| Diagnostic::new(path, format!("cannot write: {e}"));
        let target = root.join(path);
        if let Some(parent) = target.parent() {
            let mut missing = Vec::new();
            let mut folder = parent;
            while !folder.exists() {
                missing.push(folder.to_path_buf());
                match folder.parent() {
                    Some(up) => folder = up,
                    None => break,
                }
            }
            fs::create_dir_all(parent).map_err(io)?;
            self.folders.extend(missing);
        }
        let old = if target.is_file() {
            Some(fs::read(&target).map_err(io)?)
        } else {
            None
        };
        let mut temporary = target.clone().into_os_string();
        temporary.push(".tmp");
        let written = fs::write(&temporary, bytes).and_then(|()| fs::rename(&temporary, &target));
        if let Err(e) = written {
            let _ = fs::remove_file(&temporary);
            return Err(io(e));
        }
        match old {
            Some(old) => self.replaced.push((target, old)),
            None => self.created.push(target),
        }
        Ok(())
    }

    /// Undoes every write, newest first.
    pub(super) fn roll_back(self) {
        for path in self.created.iter().rev() {
            let _ = fs::remove_file(path);
        }
        for (path, old) in self.replaced.iter().rev() {
            let _ = fs::write(path, old);
        }
        // Deepest first: a policy's folder before its organisation's.
        let mut folders = self.folders;
        folders.sort_by_key(|folder| std::cmp::Reverse(folder.components().count()));
        for folder in &folders {
            let _ = fs::remove_dir(folder);
        }
    }
}

impl fmt::Display for HistoryReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let would = if self.dry_run { "would be " } else { "" };
        for document in &self.documents {
            let count = |o| document.versions.iter().filter(|v| v.outcome == o).count();
            writeln!(
                f,
                "{}: {} change{} on the branch → {} version{} ({} {would}new, {} unchanged{}{})",
                document.target,
                document.changes,
                plural(document.changes),
                document.versions.len(),
                plural(document.versions.len()),
                count(Outcome::New),
                count(Outcome::Unchanged),
                match count(Outcome::Kept) {
                    0 => String::new(),
                    n => format!(", {n} kept as they are"),
                },
                match count(Outcome::Replaced) {
                    0 => String::new(),
                    n => format!(", {n} {would}replaced"),
                },
            )?;
            for version in document.versions.iter().filter(|v| v.outcome != Outcome::Unchanged) {
                let what = match version.outcome {
                    Outcome::New => "new",
                    Outcome::Kept => "kept (differs)",
                    Outcome::Replaced => "replaced",
                    Outcome::Unchanged => "unchanged",
                };
                writeln!(
                    f,
                    "  {what:<14} {}  captured {}, commit {}, effective from {}",
                    version.path.display(),
                    version.captured,
                    &version.commit[..10.min(version.commit.len())],
                    version.effective_from
                )?;
            }
            for path in &document.created {
                writeln!(f, "  {would}created {}", path.display())?;
            }
            for warning in &document.warnings {
                writeln!(f, "  warning: {}", warning.message)?;
            }
        }
        for line in &self.site_toml {
            writeln!(f, "site.toml: {would}added {line}")?;
        }
        let new = self.count(Outcome::New);
        writeln!(
            f,
            "{} document{}, {} commit{} read: {new} version{} {}written",
            self.documents.len(),
            plural(self.documents.len()),
            self.commits,
            plural(self.commits),
            plural(new),
            if self.dry_run { "would be " } else { "" }
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// (day, blob) per commit; blob 0 is an empty text.
    fn chosen(commits: &[(&str, Option<u32>)]) -> Vec<usize> {
        let commits: Vec<(Date, Option<u32>)> = commits.iter().map(|(d, b)| (day(d), *b)).collect();
        daily_versions(&commits, |b| *b == 0)
    }

    #[test]
    fn one_version_per_day_the_last_text_wins() {
        let commits = [
            ("2020-01-01", Some(1)),
            ("2020-01-01", Some(2)),
            ("2020-01-02", Some(2)),
            ("2020-01-03", Some(3)),
        ];
        assert_eq!(chosen(&commits), vec![1, 3]);
    }

    #[test]
    fn equal_empty_and_absent_texts_add_nothing() {
        let commits = [
            ("2020-01-01", None),
            ("2020-01-02", Some(1)),
            ("2020-01-03", Some(0)),
            ("2020-01-04", Some(1)),
            ("2020-01-05", None),
            ("2020-01-06", Some(2)),
        ];
        assert_eq!(chosen(&commits), vec![1, 5]);
    }

    #[test]
    fn a_day_that_comes_back_keeps_its_first_place_and_its_last_text() {
        // A merge dated before the commit it follows: its day's place is where the day first
        // appeared, its text the day's last.
        let commits = [
            ("2020-01-02", Some(1)),
            ("2020-01-03", Some(2)),
            ("2020-01-02", Some(3)),
        ];
        assert_eq!(chosen(&commits), vec![2, 1]);
    }

    fn conversion_on(effective: &str, body: &str) -> Conversion {
        Conversion {
            announced: None,
            effective: day(effective),
            captured: None,
            source: None,
            archive: None,
            commit: None,
            front_matter_title: None,
            summary: None,
            notes: Vec::new(),
            body: body.into(),
            found: Vec::new(),
            structure: Default::default(),
            dropped: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn same_effective_dates_are_numbered_in_publication_order() {
        let commit = |id: &str| Commit::for_tests(id, day("2024-02-01"));
        let (a, b) = (commit("a"), commit("b"));
        let named = name_versions(vec![
            (&a, conversion_on("2024-02-01", "one")),
            (&b, conversion_on("2024-02-01", "two")),
        ]);
        let files: Vec<&str> = named.iter().map(|(f, _, _)| f.as_str()).collect();
        assert_eq!(files, vec!["2024-02-01.md", "2024-02-01.2.md"]);
    }

    #[test]
    fn a_day_of_ten_versions_or_more_pads_its_numbers_to_sort_as_text() {
        let commits: Vec<Commit> = (0..12)
            .map(|n| Commit::for_tests(&format!("c{n}"), day("2024-02-01")))
            .collect();
        let named = name_versions(commits.iter().map(|c| (c, conversion_on("2024-02-01", "x"))).collect());
        let files: Vec<&str> = named.iter().map(|(f, _, _)| f.as_str()).collect();
        assert_eq!(&files[..3], ["2024-02-01.md", "2024-02-01.02.md", "2024-02-01.03.md"]);
        assert_eq!(files[11], "2024-02-01.12.md");
        // version ids (the names without `.md`) sort as text in publication order
        let ids: Vec<&str> = files.iter().map(|f| f.trim_end_matches(".md")).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(sorted, ids);
    }

    #[test]
    fn sources_by_day() {
        let rule = SourceRule::Until(
            vec![(day("2019-12-31"), "https://a.example/old".into())],
            Some("https://a.example/new".into()),
        );
        assert_eq!(rule.on(day("2019-12-31")).as_deref(), Some("https://a.example/old"));
        assert_eq!(rule.on(day("2020-01-01")).as_deref(), Some("https://a.example/new"));
        let unusable = SourceRule::Always("https://a.example/\"x".into());
        assert_eq!(
            unusable.on(day("2020-01-01")),
            None,
            "an address no build accepts is not written"
        );
    }

    #[test]
    fn a_source_flag_that_is_not_a_web_address_is_refused() {
        assert!(check_source(Some("https://a.example/p")).is_ok());
        let e = check_source(Some("ftp://x")).unwrap_err();
        assert!(e.to_string().starts_with("--source: error: `ftp://x` is not"), "{e}");
    }
}
