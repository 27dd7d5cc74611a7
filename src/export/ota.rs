//! Exporting the hub as an Open Terms Archive versions repository (`policyhub export --ota DIR`):
//! one folder per organisation, one `<Policy title>.md` per policy, one commit per version, dated
//! so that `policyhub import --ota` reads the same versions back, and notes on whatever would not
//! come back as it is. It reads the hub, never changes it, and writes DIR whole or not at all.

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::days::{chain_order, commit_days, commit_time, Day, Want};
use super::repository::{write_history, Record};
use crate::content::{Content, Date, Org, Policy, Version};
use crate::error::{Diagnostic, Diagnostics};
use crate::import::{convert, document_slugs, Overrides};
use crate::site::Site;

/// What `policyhub export --ota` is asked to do.
#[derive(Debug, Clone)]
pub struct OtaExportOptions {
    /// The hub's folder.
    pub root: PathBuf,
    /// The repository to create: a folder that does not exist or is empty.
    pub dir: PathBuf,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtaExport {
    /// The repository.
    pub dir: PathBuf,
    /// Service folders (one per organisation).
    pub services: usize,
    /// Documents (one per policy).
    pub documents: usize,
    /// Commits (one per version, but for a version whose text repeats the one before it).
    pub commits: usize,
    /// The id of the last commit.
    pub head: String,
    /// What an import of the repository would not give back as the hub has it, by file.
    pub notes: Vec<Diagnostic>,
}

/// Exports the hub in `options.root` into a new repository at `options.dir`.
pub fn export_ota(options: &OtaExportOptions) -> Result<OtaExport, Diagnostics> {
    check_destination(&options.dir)?;
    let (_, content) = Site::read(&options.root, None)?;
    let mut notes = Vec::new();
    let documents = layout(&content, &mut notes);
    let planned: Vec<(Vec<Planned>, Vec<Diagnostic>)> = documents.par_iter().map(plan_document).collect();
    let mut commits = Vec::new();
    for (index, (versions, more)) in planned.into_iter().enumerate() {
        notes.extend(more);
        commits.extend(versions.into_iter().map(|p| (index, p)));
    }
    // Date order across the hub; a document's own days rise, so its order is kept.
    commits.sort_by_key(|(document, p)| (p.day, p.version.effective, *document, p.version.sequence));
    let messages: Vec<String> = commits
        .iter()
        .map(|(document, planned)| message(&documents[*document], planned))
        .collect();
    let paths: Vec<String> = documents.iter().map(Document::path).collect();
    let mut records = Vec::with_capacity(commits.len());
    let mut same_day = 0;
    for (i, (document, planned)) in commits.iter().enumerate() {
        same_day = match i {
            0 => 0,
            _ if commits[i - 1].1.day == planned.day => same_day + 1,
            _ => 0,
        };
        records.push(Record {
            path: &paths[*document],
            text: planned.version.body.as_bytes(),
            seconds: commit_time(planned.day, same_day),
            message: &messages[i],
        });
    }
    let head = write_staged(&options.dir, |dir| write_history(dir, &records))?;
    Ok(OtaExport {
        dir: options.dir.clone(),
        services: documents.iter().map(|d| &d.service).collect::<HashSet<_>>().len(),
        documents: documents.len(),
        commits: records.len(),
        head,
        notes,
    })
}

/// A policy's place in the repository: `<service>/<terms>.md`.
struct Document<'a> {
    org: &'a Org,
    policy: &'a Policy,
    /// The service folder: the organisation's name.
    service: String,
    /// The document's terms type: the policy's title.
    terms: String,
}

impl Document<'_> {
    fn path(&self) -> String {
        format!("{}/{}.md", self.service, self.terms)
    }
}

/// Names every organisation's folder and every policy's file: the organisation's name and the
/// policy's title, as Open Terms Archive names them, or the slug where a name cannot be a file
/// name or is taken (names that differ only in case are taken too: not every disk tells them
/// apart). Notes the slugs an import would give that differ from the hub's.
fn layout<'a>(content: &'a Content, notes: &mut Vec<Diagnostic>) -> Vec<Document<'a>> {
    let mut documents = Vec::new();
    let mut services = HashSet::new();
    for org in &content.orgs {
        let org_toml = Path::new("content").join(&org.slug).join("org.toml");
        let service = file_name(
            &org.name,
            &org.slug,
            &mut services,
            &org_toml,
            "organisation's name",
            notes,
        );
        let (org_slug, _) = document_slugs(&service, "");
        notes.extend(slug_note(
            &org_toml,
            "organisation",
            &org_slug,
            &org.slug,
            &format!("folder \"{service}\""),
        ));
        let mut types = HashSet::new();
        for policy in &org.policies {
            let policy_toml = Path::new("content")
                .join(&org.slug)
                .join(&policy.slug)
                .join("policy.toml");
            let terms = file_name(
                &policy.title,
                &policy.slug,
                &mut types,
                &policy_toml,
                "policy's title",
                notes,
            );
            let (_, policy_slug) = document_slugs(&service, &terms);
            notes.extend(slug_note(
                &policy_toml,
                "policy",
                &policy_slug,
                &policy.slug,
                &format!("file \"{terms}.md\""),
            ));
            documents.push(Document {
                org,
                policy,
                service: service.clone(),
                terms,
            });
        }
    }
    documents
}

/// A note when an import would give the organisation or policy another slug than the hub's.
fn slug_note(path: &Path, what: &str, imported: &str, slug: &str, after: &str) -> Option<Diagnostic> {
    (imported != slug).then(|| {
        Diagnostic::new(
            path,
            format!("an import of the export names this {what} `{imported}` (after its {after}), not `{slug}`"),
        )
    })
}

/// `name` when it can be a file name not yet `taken`, else `slug` (noted).
fn file_name(
    name: &str,
    slug: &str,
    taken: &mut HashSet<String>,
    path: &Path,
    what: &str,
    notes: &mut Vec<Diagnostic>,
) -> String {
    let why = match name_problem(name) {
        Some(why) => Some(why.to_string()),
        None if taken.contains(&name.to_lowercase()) => Some("another one has it".to_string()),
        None => None,
    };
    let chosen = match why {
        Some(why) => {
            notes.push(Diagnostic::new(
                path,
                format!("the {what} \"{name}\" cannot name its file or folder ({why}): `{slug}` does"),
            ));
            slug.to_string()
        }
        None => name.to_string(),
    };
    taken.insert(chosen.to_lowercase());
    chosen
}

/// Why `name` cannot be a file or folder name in the repository, if it cannot.
fn name_problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        Some("it is empty")
    } else if name.starts_with('.') {
        Some("a name starting with a dot is hidden")
    } else if name.contains(['/', '\\']) {
        Some("it holds a slash")
    } else if name.chars().any(char::is_control) {
        Some("it holds a control character")
    } else if name.contains(['<', '>', ':', '"', '|', '?', '*']) {
        // A clone on Windows could not check the file out.
        Some("it holds a character Windows refuses in file names")
    } else if name != name.trim() {
        Some("it starts or ends with a space")
    } else if name.len() > 200 {
        Some("it is too long")
    } else {
        None
    }
}

/// A version to commit, and its day.
struct Planned<'a> {
    version: &'a Version,
    day: Day,
    first: bool,
}

/// What `import --ota` reads a version's text as, whatever its commit's day.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ReadBack {
    /// The text gives the version's effective date: any day gives the version back.
    AnyDay,
    /// The text gives no date: only a commit on the effective date gives it back.
    OnItsDay,
    /// The text gives another date: the version comes back named after it.
    Other(Date),
    /// The importer does not take the text (empty, or nothing but page chrome).
    Refused(String),
}

/// The commits of one document, in the order they are made: its versions by the day each was
/// observed, with the days they are recorded on, and notes on what would not come back. A version
/// whose text repeats the one committed before it is left out: it would change nothing.
fn plan_document<'a>(document: &Document<'a>) -> (Vec<Planned<'a>>, Vec<Diagnostic>) {
    let all = &document.policy.versions;
    let reads: Vec<(ReadBack, Option<usize>)> = all.par_iter().map(read_back).collect();
    let wants: Vec<Want> = all
        .iter()
        .zip(&reads)
        .map(|(v, (read, _))| Want {
            preferred: v.captured.unwrap_or(v.effective).days_since_epoch(),
            effective: v.effective.days_since_epoch(),
            fixed: (*read == ReadBack::OnItsDay).then(|| v.effective.days_since_epoch()),
        })
        .collect();
    let mut notes = Vec::new();
    let mut chain: Vec<usize> = Vec::with_capacity(all.len());
    for i in chain_order(&wants) {
        let version = &all[i];
        if chain.last().is_some_and(|&j| all[j].body == version.body) {
            let renumbered = if all[i + 1..].iter().any(|v| v.effective == version.effective) {
                format!(" (and numbers the later versions of {} without it)", version.effective)
            } else {
                String::new()
            };
            notes.push(Diagnostic::new(
                &version.path,
                format!("its text is the one recorded before it: nothing to commit, so an import of the export leaves it out{renumbered}"),
            ));
            continue;
        }
        chain.push(i);
    }
    let days = commit_days(&chain.iter().map(|&i| wants[i]).collect::<Vec<_>>());
    let mut planned = Vec::with_capacity(chain.len());
    for (n, (&i, day)) in chain.iter().zip(days).enumerate() {
        let (version, (read, changed_line)) = (&all[i], &reads[i]);
        notes.extend(read_back_note(version, read, day));
        if let Some(line) = changed_line {
            notes.push(
                Diagnostic::new(
                    &version.path,
                    "an import of the export gives its text back changed by the importer's clean-up",
                )
                .at_line(*line),
            );
        }
        planned.push(Planned {
            version,
            day,
            first: n == 0,
        });
    }
    (planned, notes)
}

/// What an import reads the version's text as (by the rule of `import --git`: the text's own
/// date, else its commit's day), and the line from which its text comes back changed, if it does.
/// One conversion tells: committed on a day that is not its effective date, the text comes back
/// as of its own date, or of that day when it gives none.
fn read_back(version: &Version) -> (ReadBack, Option<usize>) {
    let effective = version.effective;
    let days = effective.days_since_epoch();
    let Some(probe) = Date::from_days_since_epoch(days + 1).or_else(|| Date::from_days_since_epoch(days - 1)) else {
        return (ReadBack::OnItsDay, None);
    };
    let overrides = Overrides {
        captured: Some(probe),
        ..Overrides::default()
    };
    let conversion = match convert(&version.path, version.body.as_bytes(), &overrides) {
        Ok(conversion) => conversion,
        Err(problems) => {
            let why = problems.0.first().map_or_else(String::new, |d| d.message.clone());
            return (ReadBack::Refused(why), None);
        }
    };
    let changed = (conversion.body != version.body)
        .then(|| version.body_line + first_difference(&version.body, &conversion.body));
    let read = match conversion.effective {
        date if date == effective => ReadBack::AnyDay,
        date if date == probe => ReadBack::OnItsDay,
        date => ReadBack::Other(date),
    };
    (read, changed)
}

/// The 0-based line of `a` where `b` first differs from it.
fn first_difference(a: &str, b: &str) -> usize {
    a.lines().zip(b.lines()).take_while(|(x, y)| x == y).count()
}

/// A note when the version would not come back with its id or its captured date.
fn read_back_note(version: &Version, read: &ReadBack, day: Day) -> Option<Diagnostic> {
    let shown = |day: Day| Date::from_days_since_epoch(day).map_or_else(|| day.to_string(), |d| d.to_string());
    let message = match read {
        ReadBack::Refused(why) => format!("an import of the export does not take its text: {why}"),
        ReadBack::Other(date) => format!(
            "its text gives the date {date}: an import of the export names the version after it, not after {}",
            version.effective
        ),
        ReadBack::OnItsDay if day != version.effective.days_since_epoch() => format!(
            "its text gives no date and another version of the policy is recorded on {} or after it: an import of the export dates it {}",
            version.effective,
            shown(day)
        ),
        _ => match version.captured {
            Some(captured) if captured.days_since_epoch() != day => format!(
                "captured {captured} is recorded on {}: an import of the export gives that day as its captured date",
                shown(day)
            ),
            _ => return None,
        },
    };
    Some(Diagnostic::new(&version.path, message))
}

/// The commit message, in Open Terms Archive's words, with the version file it records.
fn message(document: &Document, planned: &Planned) -> String {
    let what = if planned.first {
        "First record of"
    } else {
        "Record new changes of"
    };
    let version = planned.version;
    format!(
        "{what} {} {}\n\nVersion {} of {}/{}, effective {}.\n",
        document.service, document.terms, version.id, document.org.slug, document.policy.slug, version.effective
    )
}

/// Refuses a destination that exists and is not an empty folder.
fn check_destination(dir: &Path) -> Result<(), Diagnostic> {
    let hint = "pass a new folder: an export never writes into an existing one";
    match fs::read_dir(dir).map(|mut entries| entries.next().is_none()) {
        Ok(true) => Ok(()),
        Ok(false) if dir.join(".git").exists() => {
            Err(Diagnostic::new(dir, "the folder is a git repository: an export never writes over one").hint(hint))
        }
        Ok(false) => Err(Diagnostic::new(dir, "the folder exists and is not empty").hint(hint)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if dir.exists() && !dir.is_dir() => {
            Err(Diagnostic::new(dir, "this path exists and is not a folder").hint(hint))
        }
        Err(e) => Err(Diagnostic::new(dir, format!("cannot read the folder: {e}"))),
    }
}

/// Runs `write` on a new folder beside `dir` (`.<name>.exporting-<pid>`) and renames it to
/// `dir` when it succeeds; on any failure the folder is removed and `dir` is left as it was.
fn write_staged<T>(dir: &Path, write: impl FnOnce(&Path) -> Result<T, Diagnostic>) -> Result<T, Diagnostic> {
    let Some(name) = dir.file_name() else {
        return Err(Diagnostic::new(dir, "not a folder name").hint("pass the path of a new folder, e.g. ../versions"));
    };
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |what: &str, path: &Path, e: std::io::Error| Diagnostic::new(path, format!("cannot {what}: {e}"));
    fs::create_dir_all(parent).map_err(|e| fail("create", parent, e))?;
    let mut staging = Staging {
        path: parent.join(format!(".{}.exporting-{}", name.to_string_lossy(), std::process::id())),
        done: false,
    };
    let _ = fs::remove_dir_all(&staging.path);
    fs::create_dir(&staging.path).map_err(|e| fail("create", &staging.path, e))?;
    let value = write(&staging.path)?;
    // The destination may have been made meanwhile: it is still never written over.
    check_destination(dir)?;
    if dir.is_dir() {
        fs::remove_dir(dir).map_err(|e| fail("replace the empty folder", dir, e))?;
    }
    fs::rename(&staging.path, dir).map_err(|e| fail("move the repository into place", dir, e))?;
    staging.done = true;
    Ok(value)
}

/// A folder being written, removed when dropped before it is done (on failure).
struct Staging {
    path: PathBuf,
    done: bool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

impl fmt::Display for OtaExport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        writeln!(
            f,
            "exported {}, {}, {} → {} (HEAD {})",
            plural(self.services, "organisation", "organisations"),
            plural(self.documents, "policy", "policies"),
            plural(self.commits, "commit", "commits"),
            self.dir.display(),
            &self.head[..12.min(self.head.len())]
        )?;
        if !self.notes.is_empty() {
            writeln!(
                f,
                "{} would not come back as it is from `policyhub import --ota {}` (see the warnings above)",
                plural(self.notes.len(), "thing", "things"),
                self.dir.display()
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_cannot_be_files_fall_back_to_slugs() {
        let mut notes = Vec::new();
        let mut taken = HashSet::new();
        let path = Path::new("content/a/org.toml");
        let mut name = |n: &str, slug: &str| file_name(n, slug, &mut taken, path, "organisation's name", &mut notes);
        assert_eq!(name("GitHub", "github"), "GitHub");
        assert_eq!(name("github", "github-2"), "github-2");
        assert_eq!(name("AT/T", "att"), "att");
        assert_eq!(name(".hidden", "hidden"), "hidden");
        assert_eq!(name("   ", "blank"), "blank");
        assert_eq!(name("Société Générale", "societe-generale"), "Société Générale");
        assert_eq!(name("Acme: Europe", "acme-europe"), "acme-europe");
        assert_eq!(name("Acme Inc.", "acme-inc"), "Acme Inc.");
        assert_eq!(name("thomsonreuters.com", "thomsonreuters-com"), "thomsonreuters.com");
        assert_eq!(notes.len(), 5, "{notes:?}");
        assert!(notes[1].message.contains("\"AT/T\"") && notes[1].message.contains("`att`"));
    }

    #[test]
    fn a_failed_export_leaves_nothing_and_an_empty_folder_is_filled() {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("versions");
        let result = write_staged(&dir, |staging| {
            fs::write(staging.join("half.md"), "half").unwrap();
            Err::<(), _>(Diagnostic::new(staging, "broken"))
        });
        assert!(result.is_err());
        assert_eq!(fs::read_dir(parent.path()).unwrap().count(), 0);

        fs::create_dir(&dir).unwrap();
        write_staged(&dir, |staging| {
            fs::write(staging.join("whole.md"), "whole").map_err(|e| Diagnostic::new(staging, e.to_string()))
        })
        .unwrap();
        assert!(dir.join("whole.md").is_file());
        assert_eq!(fs::read_dir(parent.path()).unwrap().count(), 1);
        let e = check_destination(&dir).unwrap_err();
        assert!(e.message.contains("not empty"), "{e}");
    }
}
