//! Importing an Open Terms Archive versions collection (`policyhub import --ota`): one folder per
//! service at the repository's root, one `<Terms type>.md` per document. Services become
//! organisations (their name kept, slugged), terms types policies; each document's history is
//! imported by the history rules. Its declarations, when given, say which page each version was
//! fetched from. The collection's licence asks for attribution: `site.toml` gets a `credits` line.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::git::{Commit, Repository};
use super::history::{import_document, Document, Flags, HistoryReport, SourceRule, Transaction};
use super::ota_folders::Folders;
use super::report::Warning;
use super::write::check_hub;
use crate::content::{slugify, transliterated_slug, Date};
use crate::error::{Diagnostic, Diagnostics};
use crate::progress::Progress;

/// What `policyhub import --ota` is asked to do.
#[derive(Debug, Clone)]
pub struct OtaImportOptions {
    /// The hub's folder.
    pub root: PathBuf,
    /// The versions repository.
    pub repo: PathBuf,
    /// The declarations folder (or the declarations repository holding `declarations/`).
    pub declarations: Option<PathBuf>,
    /// Only these services (folder names); all when empty.
    pub services: Vec<String>,
    /// Only these terms types; all when empty.
    pub terms: Vec<String>,
    /// Rewrite versions that exist with another text.
    pub force: bool,
    /// Write nothing; report what would be written.
    pub dry_run: bool,
    /// Draw progress bars on the terminal.
    pub progress: bool,
}

/// The attribution Open Terms Archive's data licence (ODC-BY 1.0) asks for.
pub const CREDITS: &str =
    "Policy versions from Open Terms Archive (https://opentermsarchive.org), by the Open Terms Archive contributors, under ODC-BY 1.0.";

/// Imports every selected document of the collection into the hub.
pub fn import_ota(options: &OtaImportOptions) -> Result<HistoryReport, Diagnostics> {
    check_hub(&options.root, &[])?;
    let mut repo = Repository::open(&options.repo)?;
    let collection = repo.folders_at_head()?;
    let folders = Folders::new(&options.root, &collection);
    let documents = select_documents(&options.repo, collection, options)?;
    let declarations = match &options.declarations {
        Some(dir) => Some(declarations_folder(dir)?),
        None => None,
    };
    let chain = repo.first_parent_chain()?;
    let mut planned = Vec::new();
    let mut renamed = Vec::new();
    for (service, terms) in documents {
        let source = match &declarations {
            Some(dir) => source_rule(dir, &service, &terms)?,
            None => None,
        };
        let (org, policy) = folders.of(&service, &terms);
        let earlier = earlier_names(&mut repo, &chain, &service, &terms)?;
        let mut paths: Vec<String> = earlier.iter().map(|name| format!("{name}/{terms}.md")).collect();
        paths.push(format!("{service}/{terms}.md"));
        renamed.push(earlier);
        planned.push(Document {
            paths,
            org,
            name: Some(service),
            policy,
            title: Some(terms),
            source,
        });
    }
    // One bar over the documents, none per document.
    let flags = Flags {
        force: options.force,
        dry_run: options.dry_run,
        progress: false,
    };
    let progress = Progress::new(options.progress, planned.len() as u64, "importing", "documents");
    super::interrupt::watch();
    let mut transaction = Transaction::default();
    let mut report = HistoryReport {
        commits: chain.len(),
        dry_run: options.dry_run,
        ..HistoryReport::default()
    };
    for (document, earlier) in planned.iter().zip(&renamed) {
        match import_document(&options.root, &mut repo, &chain, document, flags, &mut transaction) {
            Ok(mut done) => {
                if !earlier.is_empty() {
                    done.warnings.push(Warning::general(format!(
                        "the service's folder was renamed: its history before that is read from {}",
                        earlier
                            .iter()
                            .map(|name| format!("\"{name}/\""))
                            .collect::<Vec<_>>()
                            .join(", then ")
                    )));
                }
                report.documents.push(done);
                progress.tick();
            }
            Err(e) => {
                transaction.roll_back();
                return Err(e);
            }
        }
    }
    progress.finish();
    match add_credits(&options.root, options.dry_run, &mut transaction) {
        Ok(line) => report.site_toml.extend(line),
        Err(e) => {
            transaction.roll_back();
            return Err(e.into());
        }
    }
    Ok(report)
}

/// The earlier names of a service's folder, oldest first: where its document was before the
/// commit that renamed the folder (`git mv Twitter X`), found by the document's text being
/// the same at both paths across that commit. A folder renamed in the same commit that
/// changed the text is not followed: its history starts at the new name.
fn earlier_names(
    repo: &mut Repository,
    chain: &[Commit],
    service: &str,
    terms: &str,
) -> Result<Vec<String>, Diagnostic> {
    let mut names = Vec::new();
    let mut name = service.to_string();
    let mut before = chain.len();
    loop {
        let path = format!("{name}/{terms}.md");
        let mut first = None;
        for (i, commit) in chain[..before].iter().enumerate() {
            if let Some(blob) = repo.blob_at(commit, &path)? {
                first = Some((i, blob));
                break;
            }
        }
        let Some((i, blob)) = first.filter(|(i, _)| *i > 0) else {
            break;
        };
        let (previous, current) = (&chain[i - 1], &chain[i]);
        let now = repo.root_folders(current)?;
        let mut found = None;
        for folder in repo.root_folders(previous)? {
            if now.binary_search(&folder).is_err()
                && !names.contains(&folder)
                && repo.blob_at(previous, &format!("{folder}/{terms}.md"))? == Some(blob)
            {
                found = Some(folder);
                break;
            }
        }
        let Some(folder) = found else { break };
        names.insert(0, folder.clone());
        name = folder;
        before = i;
    }
    Ok(names)
}

/// The (service, terms type) pairs to import, checked against what the collection holds.
fn select_documents(
    repo_path: &Path,
    folders: Vec<(String, Vec<String>)>,
    options: &OtaImportOptions,
) -> Result<Vec<(String, String)>, Diagnostics> {
    let mut problems = Diagnostics::default();
    let services: Vec<&str> = folders.iter().map(|(s, _)| s.as_str()).collect();
    for wanted in &options.services {
        if !services.contains(&wanted.trim()) {
            problems.push(
                Diagnostic::new(
                    repo_path,
                    format!("no service \"{}\" in this collection", wanted.trim()),
                )
                .hint(format!(
                    "pass --services with folder names of the collection: {}",
                    sample(&services)
                )),
            );
        }
    }
    let mut documents = Vec::new();
    let mut types: Vec<String> = Vec::new();
    for (service, files) in &folders {
        if !options.services.is_empty() && !options.services.iter().any(|s| s.trim() == service) {
            continue;
        }
        for file in files {
            let Some(terms) = file.strip_suffix(".md") else {
                continue;
            };
            if !types.iter().any(|t| t == terms) {
                types.push(terms.to_string());
            }
            if options.terms.is_empty() || options.terms.iter().any(|t| t.trim() == terms) {
                documents.push((service.clone(), terms.to_string()));
            }
        }
    }
    problems.into_result(())?;
    if documents.is_empty() {
        let hint = if types.is_empty() {
            "pass the folder of an Open Terms Archive versions repository: one folder per service, holding `<Terms type>.md` files".to_string()
        } else {
            let types: Vec<&str> = types.iter().map(String::as_str).collect();
            format!("pass --terms with a terms type the collection has: {}", sample(&types))
        };
        return Err(Diagnostic::new(repo_path, "no document of the collection matches")
            .hint(hint)
            .into());
    }
    Ok(documents)
}

/// Up to eight names, quoted, for a hint.
fn sample(names: &[&str]) -> String {
    let mut shown: Vec<String> = names.iter().take(8).map(|n| format!("\"{n}\"")).collect();
    if names.len() > 8 {
        shown.push(format!("… ({} in all)", names.len()));
    }
    shown.join(", ")
}

/// The organisation and policy slugs of a service's document: what `export --ota` names its
/// folders and files after, so that they come back to the same slugs.
pub fn document_slugs(service: &str, terms: &str) -> (String, String) {
    (org_slug(service), terms_slug(terms))
}

/// A terms type's policy slug, transliterated as an organisation's is ("Política de
/// privacidad" → `politica-de-privacidad`).
fn terms_slug(terms: &str) -> String {
    crate::content::shortened(or_fallback(transliterated_slug(terms), "policy"))
}

/// The slug imports before transliteration gave a terms type (`pol-tica-de-privacidad`): a
/// hub's folder of that name is the terms type's.
pub(super) fn untransliterated_terms_slug(terms: &str) -> String {
    slugify(terms)
}

/// A service's organisation slug: its name transliterated to ASCII and slugged ("Société
/// Générale" → `societe-generale`, "thomsonreuters.com" → `thomsonreuters-com`).
/// A service named as a folder of the hub's own pages ("Releases", "API") gets `-service`
/// after it (`releases-service`).
fn org_slug(service: &str) -> String {
    let slug = crate::content::shortened(or_fallback(transliterated_slug(service), "service"));
    match crate::permalinks::HUB_FOLDERS.contains(&slug.as_str()) {
        true => format!("{slug}-service"),
        false => slug,
    }
}

/// `slug`, or `fallback` when a name had no letter or digit to make one of.
fn or_fallback(slug: String, fallback: &str) -> String {
    match slug.is_empty() {
        true => fallback.to_string(),
        false => slug,
    }
}

/// The folder holding `<Service>.json`: `dir` itself, or `dir/declarations`.
fn declarations_folder(dir: &Path) -> Result<PathBuf, Diagnostic> {
    let nested = dir.join("declarations");
    if nested.is_dir() {
        return Ok(nested);
    }
    if dir.is_dir() {
        return Ok(dir.to_path_buf());
    }
    Err(Diagnostic::new(dir, "no such folder of declarations")
        .hint("pass --declarations with the declarations repository or its declarations/ folder"))
}

/// A service's declaration: `terms.<type>.fetch` (or the first `combine` entry's).
#[derive(Debug, Deserialize)]
struct Declaration {
    #[serde(default)]
    terms: BTreeMap<String, Terms>,
}

/// One terms type of a declaration.
#[derive(Debug, Deserialize)]
struct Terms {
    #[serde(default)]
    fetch: Option<String>,
    #[serde(default)]
    combine: Vec<Terms>,
    #[serde(default, rename = "validUntil")]
    valid_until: Option<String>,
}

impl Terms {
    /// The page fetched for this document (the first page of a combined one).
    fn url(&self) -> Option<String> {
        self.fetch
            .clone()
            .or_else(|| self.combine.iter().find_map(Terms::url))
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    }
}

/// The page each version of `service`'s `terms` was fetched from: earlier declarations of
/// `<Service>.history.json` until their `validUntil` day, then the current one.
fn source_rule(dir: &Path, service: &str, terms: &str) -> Result<Option<SourceRule>, Diagnostic> {
    let current_path = dir.join(format!("{service}.json"));
    let current: Option<Declaration> = read_json(&current_path)?;
    let latest = current.as_ref().and_then(|d| d.terms.get(terms)).and_then(Terms::url);
    let history_path = dir.join(format!("{service}.history.json"));
    let history: Option<BTreeMap<String, Vec<Terms>>> = read_json(&history_path)?;
    let mut periods: Vec<(Date, String)> = Vec::new();
    for t in history.as_ref().and_then(|h| h.get(terms)).into_iter().flatten() {
        let Some(written) = t.valid_until.as_deref() else {
            continue;
        };
        let until = written
            .get(..10)
            .and_then(|day| day.parse::<Date>().ok())
            .ok_or_else(|| {
                Diagnostic::new(
                    &history_path,
                    format!("\"{terms}\" has a validUntil that is not a date: \"{written}\""),
                )
                .hint("write it as Open Terms Archive does, e.g. \"2021-04-01T00:00:00.000Z\"")
            })?;
        periods.extend(t.url().map(|url| (until, url)));
    }
    periods.sort();
    if periods.is_empty() && latest.is_none() {
        return Ok(None);
    }
    Ok(Some(SourceRule::Until(periods, latest)))
}

/// A JSON file, or `None` when it does not exist.
fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Option<T>, Diagnostic> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Diagnostic::new(path, format!("cannot read the declaration: {e}"))),
    };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        Diagnostic::new(path, format!("not a declaration Open Terms Archive writes: {e}"))
            .at_line(e.line())
            .hint("pass --declarations with the folder of <Service>.json files, or leave it out")
    })
}

/// Adds the collection's `credits` key to `site.toml` when it has none, as a top-level key
/// (before the first table, by `toml_edit`, which keeps the rest of the file as it is: its
/// comments, its order, and its multi-line strings, whatever lines they hold). Returns the line
/// added.
fn add_credits(root: &Path, dry_run: bool, transaction: &mut Transaction) -> Result<Option<String>, Diagnostic> {
    let path = root.join("site.toml");
    let text = fs::read_to_string(&path).map_err(|e| Diagnostic::new("site.toml", format!("cannot read: {e}")))?;
    let mut site: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        Diagnostic::new("site.toml", format!("not valid TOML: {}", e.message()))
            .hint("correct site.toml (`policyhub check` shows where), then import again")
    })?;
    if site.contains_key("credits") {
        return Ok(None);
    }
    site.insert("credits", toml_edit::value(CREDITS));
    let line = format!("credits = {}", toml::Value::String(CREDITS.to_string()));
    if !dry_run {
        transaction.write(root, Path::new("site.toml"), site.to_string().as_bytes())?;
    }
    Ok(Some(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_are_a_top_level_key_whatever_the_file_holds() {
        let hub = tempfile::tempdir().unwrap();
        let site = "title = \"T\" # the hub\ndescription = \"\"\"\nPolicies of\n[many] companies\n\"\"\"\n\n[topics.retention]\ntitle = \"Retention\"\n";
        fs::write(hub.path().join("site.toml"), site).unwrap();
        let mut transaction = Transaction::default();
        let line = add_credits(hub.path(), false, &mut transaction).unwrap();
        assert!(line.is_some_and(|l| l.starts_with("credits = ")));
        let written = fs::read_to_string(hub.path().join("site.toml")).unwrap();
        let value: toml::Value = toml::from_str(&written).unwrap();
        assert_eq!(value["credits"].as_str(), Some(CREDITS));
        assert_eq!(value["description"].as_str(), Some("Policies of\n[many] companies\n"));
        assert_eq!(value["topics"]["retention"]["title"].as_str(), Some("Retention"));
        assert!(written.starts_with("title = \"T\" # the hub\n"), "{written}");
        // Once there, never added again.
        assert_eq!(add_credits(hub.path(), false, &mut transaction).unwrap(), None);
    }

    #[test]
    fn services_become_readable_slugs() {
        assert_eq!(org_slug("Société Générale"), "societe-generale");
        assert_eq!(org_slug("thomsonreuters.com"), "thomsonreuters-com");
        assert_eq!(org_slug("Womans Day"), "womans-day");
        assert_eq!(org_slug("???"), "service");
        assert_eq!(terms_slug("Política de privacidad"), "politica-de-privacidad");
        assert_eq!(terms_slug("Privacy Policy"), "privacy-policy");
        assert_eq!(terms_slug("隐私政策"), "yin-si-zheng-ce");
        assert_eq!(terms_slug("???"), "policy");
        // Never a folder of the hub's own pages, never too long for a file name.
        assert_eq!(org_slug("Releases"), "releases-service");
        assert_eq!(org_slug("API"), "api-service");
        assert_eq!(org_slug("search index"), "search-index-service");
        let long = terms_slug(&"Terms of Service ".repeat(20));
        assert!(
            long.len() <= 100 && crate::content::slug_problem(&long).is_none(),
            "{long}"
        );
    }

    #[test]
    fn credits_go_before_the_first_table_once() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site.toml");
        fs::write(
            &site,
            "title = \"H\"\nbase_url = \"https://e.org\"\n\n[topics.x]\ntitle = \"X\"\n",
        )
        .unwrap();
        let mut transaction = Transaction::default();
        let added = add_credits(dir.path(), false, &mut transaction).unwrap();
        assert!(added.unwrap().contains("Open Terms Archive contributors"));
        let text = fs::read_to_string(&site).unwrap();
        let parsed: toml::Value = toml::from_str(&text).unwrap();
        assert_eq!(parsed["credits"].as_str(), Some(CREDITS));
        assert!(text.find("credits").unwrap() < text.find("[topics.x]").unwrap());
        assert_eq!(
            add_credits(dir.path(), false, &mut Transaction::default()).unwrap(),
            None
        );
    }

    #[test]
    fn declarations_give_the_page_of_each_day() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("Acme.json"),
            r#"{"name":"Acme","terms":{"Privacy Policy":{"fetch":"https://acme.example/privacy","select":["main"]}}}"#,
        )
        .unwrap();
        fs::write(
            dir.path().join("Acme.history.json"),
            r#"{"Privacy Policy":[
                {"fetch":"https://acme.example/legal/privacy","validUntil":"2020-06-30T10:00:00.000Z"},
                {"combine":[{"fetch":"https://old.acme.example/p1"},{"fetch":"https://old.acme.example/p2"}],"validUntil":"2018-01-01T00:00:00Z"}
            ]}"#,
        )
        .unwrap();
        let rule = source_rule(dir.path(), "Acme", "Privacy Policy").unwrap().unwrap();
        let on = |d: &str| rule.on(d.parse().unwrap());
        assert_eq!(on("2017-12-31").as_deref(), Some("https://old.acme.example/p1"));
        assert_eq!(on("2019-05-01").as_deref(), Some("https://acme.example/legal/privacy"));
        assert_eq!(on("2020-07-01").as_deref(), Some("https://acme.example/privacy"));
        assert_eq!(source_rule(dir.path(), "Other", "Privacy Policy").unwrap(), None);
    }
}
