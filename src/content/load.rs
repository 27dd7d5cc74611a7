//! Walking `content/` (walkdir) into [`Content`], collecting every problem on the way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use walkdir::WalkDir;

use super::{front_matter, slug_problem, Content, Date, Org, Policy, Version};
use crate::error::{line_col, toml_diagnostic, Diagnostic, Diagnostics};
use crate::io_threads::read_each;
use crate::permalinks;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgToml {
    #[serde(deserialize_with = "clean_string")]
    name: String,
    website: Option<String>,
    #[serde(default, deserialize_with = "clean_optional")]
    description: Option<String>,
    #[serde(default, deserialize_with = "clean_optional")]
    country: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyToml {
    #[serde(default, deserialize_with = "clean_optional")]
    title: Option<String>,
    url: Option<String>,
}

/// The files found under one policy folder.
#[derive(Debug, Default)]
struct PolicyFiles {
    manifest: Option<PathBuf>,
    versions: Vec<PathBuf>,
}

/// The files found under one organisation folder (`content/<org>/`), not yet read.
#[derive(Debug, Default)]
pub struct OrgFiles {
    manifest: Option<PathBuf>,
    policies: BTreeMap<String, PolicyFiles>,
}

impl OrgFiles {
    /// The slugs of its policy folders, in order (empty ones included).
    pub fn policies(&self) -> impl Iterator<Item = &str> {
        self.policies.keys().map(String::as_str)
    }

    /// Every file of the organisation, in a fixed order: `org.toml`, then each policy's
    /// `policy.toml` and versions.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        let policies = self
            .policies
            .values()
            .flat_map(|p| p.manifest.iter().chain(&p.versions));
        self.manifest.iter().chain(policies).map(PathBuf::as_path)
    }
}

/// The files of `content/`, sorted into organisations (by slug) without reading them, and
/// the problems of its layout (misplaced files, bad or reserved slugs; the well-placed files
/// are still listed, so that their own problems are reported with these).
pub fn scan_content(root: &Path) -> (BTreeMap<String, OrgFiles>, Diagnostics) {
    let mut problems = Diagnostics::default();
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        problems.push(no_content_folder());
        return (BTreeMap::new(), problems);
    }
    // Each organisation's folder is walked by its own thread: on a cold disk, listing
    // thousands of folders waits on it far more than on a core.
    let names = match folder_names(&content_dir) {
        Ok(names) => names,
        Err(e) => {
            problems.push(Diagnostic::new(
                relative(root, &content_dir),
                format!("cannot read: {e}"),
            ));
            return (BTreeMap::new(), problems);
        }
    };
    let mut tree = BTreeMap::new();
    let walked = read_each(&names, |name| match name.to_str() {
        Some(name) => {
            let mut found = Diagnostics::default();
            (walk(root, &content_dir, name, &mut found), found)
        }
        None => {
            let rel = relative(root, &content_dir.join(name));
            let problem =
                Diagnostic::new(rel, "the name is not valid UTF-8").hint("rename it to a lowercase ASCII slug");
            (BTreeMap::new(), Diagnostics(vec![problem]))
        }
    });
    for (orgs, found) in walked {
        tree.extend(orgs);
        problems.0.extend(found.0);
    }
    (tree, problems)
}

/// The names in a folder that may be content, sorted as a walk sorts them.
fn folder_names(dir: &Path) -> std::io::Result<Vec<std::ffi::OsString>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name();
        if !name.to_str().is_some_and(is_ignored) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Reads organisations found by [`scan_content`] (by [`read_each`]'s threads: reading waits on
/// the disk), every problem together.
pub fn load_orgs(root: &Path, orgs: impl IntoIterator<Item = (String, OrgFiles)>) -> Result<Content, Diagnostics> {
    load_orgs_with(root, orgs, true)
}

/// [`load_orgs`], keeping the versions' bodies or not (a large hub's are read again a part at
/// a time with [`reload_bodies`]; their digests are kept).
pub fn load_orgs_with(
    root: &Path,
    orgs: impl IntoIterator<Item = (String, OrgFiles)>,
    bodies: bool,
) -> Result<Content, Diagnostics> {
    let orgs: Vec<(String, OrgFiles)> = orgs.into_iter().collect();
    let loaded = read_each(&orgs, |(slug, files)| -> Result<Org, Diagnostics> {
        let mut org = load_org(root, slug, files)?;
        if !bodies {
            let versions = org.policies.iter_mut().flat_map(|p| p.versions.iter_mut());
            versions.for_each(|v| v.body = String::new());
        }
        Ok(org)
    });
    let mut problems = Diagnostics::default();
    let mut content = Content::default();
    for org in loaded {
        match org {
            Ok(org) => content.orgs.push(org),
            Err(more) => problems.0.extend(more.0),
        }
    }
    problems.into_result(content)
}

fn no_content_folder() -> Diagnostic {
    Diagnostic::new("content", "this hub has no content/ folder")
        .hint("create content/<org>/<policy>/<YYYY-MM-DD>.md, or start with `policyhub init DIR`")
}

/// Loads `root/content` into a [`Content`], or every problem found.
pub fn load_content(root: &Path) -> Result<Content, Diagnostics> {
    let (tree, mut problems) = scan_content(root);
    match load_orgs(root, tree) {
        Ok(content) => problems.into_result(content),
        Err(more) => {
            problems.0.extend(more.0);
            Err(problems)
        }
    }
}

/// Loads one organisation's folder, `content/<slug>`: what watch mode reloads after an edit.
/// `Ok(None)` when the folder no longer exists.
pub fn load_org_dir(root: &Path, slug: &str) -> Result<Option<Org>, Diagnostics> {
    let content_dir = root.join("content");
    if !content_dir.join(slug).is_dir() {
        return Ok(None);
    }
    let mut problems = Diagnostics::default();
    let mut tree = walk(root, &content_dir, slug, &mut problems);
    let org = match tree.remove(slug) {
        Some(files) => load_org(root, slug, &files)
            .map_err(|more| problems.0.extend(more.0))
            .ok(),
        None => None,
    };
    problems.into_result(org)
}

/// Sorts the files of one entry of `content/` (an organisation's folder, or a misplaced file)
/// into its organisation and policies, reporting misplaced ones. A link is not followed.
fn walk(root: &Path, content_dir: &Path, name: &str, problems: &mut Diagnostics) -> BTreeMap<String, OrgFiles> {
    let mut tree: BTreeMap<String, OrgFiles> = BTreeMap::new();
    let walker = WalkDir::new(content_dir.join(name))
        .follow_root_links(false)
        .max_depth(2)
        .sort_by_file_name();
    let wanted = |e: &walkdir::DirEntry| {
        let name = e.file_name().to_str().unwrap_or("");
        !is_ignored(name)
    };
    for entry in walker.into_iter().filter_entry(wanted) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map_or_else(|| content_dir.to_path_buf(), Path::to_path_buf);
                problems.push(Diagnostic::new(relative(root, &path), format!("cannot read: {e}")));
                continue;
            }
        };
        let path = entry.path();
        let rel = relative(root, path);
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            problems
                .push(Diagnostic::new(rel, "the name is not valid UTF-8").hint("rename it to a lowercase ASCII slug"));
            continue;
        };
        let is_dir = entry.file_type().is_dir();
        let parts: Vec<String> = path
            .strip_prefix(content_dir)
            .unwrap_or(path)
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        // A file read as content (other names are misplaced, below) must be a plain one.
        let read = name == "org.toml" || name == "policy.toml" || name.ends_with(".md");
        if !is_dir && entry.depth() > 0 && read {
            if let Some(problem) = not_a_plain_file(path, &rel) {
                problems.push(problem);
                continue;
            }
        }
        match (entry.depth() + 1, is_dir) {
            (1, true) => {
                if let Some(why) = slug_problem(&name) {
                    problems.push(bad_slug(rel, "organisation", &name, why));
                    continue;
                }
                if permalinks::HUB_FOLDERS.contains(&name.as_str()) {
                    problems.push(
                        Diagnostic::new(
                            rel,
                            format!("the organisation slug `{name}` is reserved for the hub's own /{name}/ pages"),
                        )
                        .hint(format!("rename the folder, e.g. content/{name}-inc")),
                    );
                    continue;
                }
                tree.entry(name).or_default();
            }
            (1, false) => problems.push(misplaced(rel, "content/ holds only one folder per organisation")),
            (2, true) => {
                if let Some(why) = slug_problem(&name) {
                    problems.push(bad_slug(rel, "policy", &name, why));
                    continue;
                }
                if let Some(org) = tree.get_mut(&parts[0]) {
                    org.policies.entry(name).or_default();
                }
            }
            (2, false) if name == "org.toml" => {
                if let Some(org) = tree.get_mut(&parts[0]) {
                    org.manifest = Some(path.to_path_buf());
                }
            }
            (2, false) => problems.push(misplaced(
                rel,
                "an organisation folder holds org.toml and one folder per policy",
            )),
            (3, false) if name == "policy.toml" || name.ends_with(".md") => {
                let Some(policy) = tree.get_mut(&parts[0]).and_then(|o| o.policies.get_mut(&parts[1])) else {
                    continue;
                };
                if name == "policy.toml" {
                    policy.manifest = Some(path.to_path_buf());
                } else {
                    policy.versions.push(path.to_path_buf());
                }
            }
            _ => problems.push(misplaced(
                rel,
                "a policy folder holds policy.toml and one YYYY-MM-DD.md file per version",
            )),
        }
    }
    tree
}

/// Hidden files, editor backups and temporary files are never content.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn bad_slug(rel: PathBuf, what: &str, name: &str, why: &str) -> Diagnostic {
    // Transliterated first, as imports make slugs: `société` → `societe`, not `soci-t`.
    let suggestion = super::shortened(super::transliterated_slug(name));
    Diagnostic::new(rel, format!("`{name}` is not a valid {what} slug: {why}")).hint(if suggestion.is_empty() {
        "rename the folder to lowercase ASCII letters, digits and '-'".to_string()
    } else {
        format!("rename the folder to `{suggestion}`")
    })
}

fn misplaced(rel: PathBuf, rule: &str) -> Diagnostic {
    Diagnostic::new(rel, format!("unexpected file or folder here: {rule}"))
        .hint("move or remove it (hidden files and editor backups are ignored)")
}

/// The most a content file may hold: far more than any policy's text, little enough to read
/// whole.
pub(crate) const MAX_FILE_BYTES: u64 = 64 << 20;

/// Why the file at `path` (`rel` names it) cannot be read as content, if it cannot: it is not
/// a plain file (a pipe would hang the build, a link to a device would never end), or it is
/// larger than [`MAX_FILE_BYTES`].
fn not_a_plain_file(path: &Path, rel: &Path) -> Option<Diagnostic> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Some(
            Diagnostic::new(rel, "a folder where a file belongs")
                .hint("replace it with a plain text file, or remove it"),
        ),
        Ok(meta) if !meta.is_file() => Some(
            Diagnostic::new(rel, "not a plain file (a pipe, a device, or a link to one)")
                .hint("replace it with a plain text file, or remove it"),
        ),
        Ok(meta) if meta.len() > MAX_FILE_BYTES => Some(
            Diagnostic::new(
                rel,
                format!(
                    "the file holds {} MiB, more than a content file may (64 MiB)",
                    meta.len() >> 20
                ),
            )
            .hint("a version holds one policy's text: check that this is the file you meant"),
        ),
        Ok(_) => None,
        Err(e) => Some(Diagnostic::new(rel, format!("cannot read: {e}"))),
    }
}

/// Reads a file as UTF-8 (dropping a byte-order mark), or says where it is not UTF-8.
pub fn read_text_file(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    let rel = relative(root, path);
    if let Some(problem) = not_a_plain_file(path, &rel) {
        return Err(problem);
    }
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::new(rel.clone(), format!("cannot read: {e}")))?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, column) = line_col(&prefix, valid);
        Diagnostic::new(rel.clone(), format!("the file is not valid UTF-8 (byte {valid})"))
            .at(line, column)
            .hint("save the file as UTF-8")
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(without_controls(with_lf_line_ends(text)))
}

/// `text` with its CRLF and lone CR line ends (Windows', old Macs') as LF: every reader of a
/// file (Markdown's blocks, TOML, line numbers in errors) then sees the same lines.
fn with_lf_line_ends(text: String) -> String {
    match text.contains('\r') {
        true => text.replace("\r\n", "\n").replace('\r', "\n"),
        false => text,
    }
}

/// True for a control character that no page, feed or terminal should receive from content:
/// every C0 control but tab, line feed and carriage return (XML 1.0 allows no other), DEL and
/// the C1 controls (a terminal reads some as escapes); the noncharacters U+FFFE and U+FFFF,
/// which no XML may hold either; and the bidirectional embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069), which would turn the hub's own text after them around (a
/// title's "· Privacy Policy Hub" read backwards). Right-to-left text needs none of them: its
/// letters give its direction.
fn is_stray_control(c: char) -> bool {
    matches!(
        c,
        '\0'..='\u{8}'
            | '\u{b}'..='\u{c}'
            | '\u{e}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{fffe}'
            | '\u{ffff}'
    )
}

/// True when `text` holds a stray control character ([`is_stray_control`]), read from its
/// UTF-8 bytes without decoding it: a C1 control is 0xC2 then 0x80..=0x9F, U+FFFE and U+FFFF
/// are 0xEF 0xBF then 0xBE or 0xBF, the bidirectional controls 0xE2 then 0x80 0xAA..=0xAE or
/// 0x81 0xA6..=0xA9. Blocks of bytes are first screened for the bytes that can start one (a
/// loop the compiler vectorises), so the common text with a `©` or a no-break space (0xC2
/// too) or curly quotes (0xE2) costs one fast pass and a look at those bytes.
pub(crate) fn has_stray_controls(text: &str) -> bool {
    const BLOCK: usize = 64;
    let bytes = text.as_bytes();
    let suspect = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || matches!(b, 0x7f | 0xc2 | 0xe2 | 0xef);
    let stray_at = |i: usize| match bytes[i] {
        0xc2 => bytes.get(i + 1).is_some_and(|b| (0x80..=0x9f).contains(b)),
        0xe2 => match (bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(0x80), Some(b)) => (0xaa..=0xae).contains(b),
            (Some(0x81), Some(b)) => (0xa6..=0xa9).contains(b),
            _ => false,
        },
        0xef => bytes.get(i + 1) == Some(&0xbf) && bytes.get(i + 2).is_some_and(|b| matches!(b, 0xbe | 0xbf)),
        b => suspect(b),
    };
    bytes.chunks(BLOCK).enumerate().any(|(n, block)| {
        block.iter().fold(false, |found, &b| found | suspect(b)) && (n * BLOCK..n * BLOCK + block.len()).any(stray_at)
    })
}

/// `text` without stray control characters ([`is_stray_control`]): a vertical tab or a form
/// feed (a page break of a text taken from a PDF) becomes a space, any other is dropped. A
/// text without any is returned as it is.
pub(crate) fn without_controls(text: String) -> String {
    if !has_stray_controls(&text) {
        return text;
    }
    text.chars()
        .filter_map(|c| match c {
            '\u{b}' | '\u{c}' => Some(' '),
            c if is_stray_control(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Reads a TOML string field without stray control characters ([`without_controls`]): the
/// file's text has none, but a TOML escape (`"\u001b"`) writes any.
pub(crate) fn clean_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    String::deserialize(d).map(without_controls)
}

/// [`clean_string`] for an optional field.
pub(crate) fn clean_optional<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d).map(|s| s.map(without_controls))
}

/// Reads a TOML file, then checks the URL fields it names.
fn read_toml<T: serde::de::DeserializeOwned>(
    root: &Path,
    path: &Path,
    urls: impl Fn(&T) -> Vec<(&'static str, Option<&str>)>,
) -> Result<T, Diagnostic> {
    let text = read_text_file(root, path)?;
    let rel = relative(root, path);
    let value: T = toml::from_str(&text).map_err(|e| toml_diagnostic(rel.clone(), &text, 0, &e))?;
    for (field, url) in urls(&value) {
        super::url::check_url(&rel, &text, field, url)?;
    }
    Ok(value)
}

fn load_org(root: &Path, slug: &str, files: &OrgFiles) -> Result<Org, Diagnostics> {
    let mut problems = Diagnostics::default();
    let org_dir = Path::new("content").join(slug);
    let manifest = match &files.manifest {
        Some(path) => read_toml::<OrgToml>(root, path, |o| vec![("website", o.website.as_deref())])
            .map_err(|d| problems.push(d))
            .ok(),
        None => {
            problems.push(
                Diagnostic::new(org_dir.join("org.toml"), "this organisation has no org.toml")
                    .hint("create it with at least: name = \"Organisation name\""),
            );
            None
        }
    };
    let mut policies = Vec::new();
    for (policy_slug, policy_files) in &files.policies {
        match load_policy(root, &org_dir, policy_slug, policy_files) {
            Ok(p) => policies.push(p),
            Err(more) => problems.0.extend(more.0),
        }
    }
    if policies.is_empty() && problems.is_empty() {
        problems.push(
            Diagnostic::new(org_dir.clone(), "this organisation has no policy")
                .hint("add content/<org>/<policy>/policy.toml and a version file YYYY-MM-DD.md"),
        );
    }
    let manifest = match manifest {
        Some(m) if problems.is_empty() => m,
        _ => return Err(problems),
    };
    Ok(Org {
        slug: slug.to_string(),
        name: manifest.name,
        website: manifest.website,
        description: manifest.description,
        country: manifest.country,
        policies,
    })
}

fn load_policy(root: &Path, org_dir: &Path, slug: &str, files: &PolicyFiles) -> Result<Policy, Diagnostics> {
    let mut problems = Diagnostics::default();
    let policy_dir = org_dir.join(slug);
    let manifest = match &files.manifest {
        Some(path) => read_toml::<PolicyToml>(root, path, |p| vec![("url", p.url.as_deref())])
            .map_err(|d| problems.push(d))
            .ok(),
        None => Some(PolicyToml { title: None, url: None }),
    };
    if files.versions.is_empty() {
        problems.push(
            Diagnostic::new(policy_dir.clone(), "this policy has no version")
                .hint("add a version file named after its effective date, e.g. 2015-12-10.md"),
        );
    }
    let mut versions: Vec<Version> = Vec::new();
    for path in &files.versions {
        match load_version(root, path) {
            Ok(v) => versions.push(v),
            Err(found) => problems.append(found),
        }
    }
    versions.sort_by_key(|v| (v.effective, v.sequence));
    for pair in versions.windows(2) {
        if (pair[0].effective, pair[0].sequence) == (pair[1].effective, pair[1].sequence) {
            problems.push(
                Diagnostic::new(
                    pair[1].path.clone(),
                    format!(
                        "two versions for {} ({} and {})",
                        pair[0].effective,
                        file_name(&pair[0].path),
                        file_name(&pair[1].path)
                    ),
                )
                .hint(format!(
                    "if both are real versions of that day, name the second {}.2.md; otherwise delete one",
                    pair[0].effective
                )),
            );
        }
    }
    let Some(manifest) = manifest.filter(|_| problems.is_empty()) else {
        return Err(problems);
    };
    Ok(Policy {
        title: manifest.title.unwrap_or_else(|| title_from_slug(slug)),
        slug: slug.to_string(),
        url: manifest.url,
        versions,
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// "privacy-policy" → "Privacy policy", when policy.toml gives no title.
fn title_from_slug(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Reads one version file: its name gives the date (and same-day sequence), its front matter the rest.
fn load_version(root: &Path, path: &Path) -> Result<Version, Diagnostics> {
    let rel = relative(root, path);
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    // The suffix is digits, `2` or zero-padded `02` (so a day of ten versions sorts as text).
    let (date_part, sequence) = match stem.split_once('.') {
        Some((date, n)) => (
            date,
            Some(n)
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|n| n.parse::<u32>().ok())
                .filter(|&n| n >= 1),
        ),
        None => (stem, Some(1)),
    };
    let name_problem = || {
        Diagnostic::new(rel.clone(), format!("`{}` is not a version file name", file_name(path)))
            .hint("name version files after their effective date: YYYY-MM-DD.md, or YYYY-MM-DD.2.md for a second version that day")
    };
    let sequence = sequence.ok_or_else(name_problem)?;
    let date: Date = date_part.parse().map_err(|e| match e {
        super::DateError::Format => name_problem(),
        super::DateError::Impossible => {
            Diagnostic::new(rel.clone(), format!("the file name's date {date_part} does not exist"))
                .hint("fix the date in the file name (YYYY-MM-DD)")
        }
    })?;
    let text = read_text_file(root, path)?;
    let (front, body_start, body_line) = front_matter::split(&rel, &text)?;
    if let Some(effective) = front.effective {
        if effective != date {
            return Err(Diagnostic::new(
                rel.clone(),
                format!("effective = {effective}, but the file is named for {date}"),
            )
            .at_line(effective_line(&text))
            .hint(format!(
                "rename the file to {effective}.md, or correct the effective date"
            ))
            .into());
        }
    }
    // The id is the file's own name: `DATE`, `DATE.2` or `DATE.02`.
    let id = stem.to_string();
    let mut body = text;
    body.drain(..body_start);
    Ok(Version {
        id,
        announced: front.announced,
        effective: date,
        sequence,
        captured: front.captured,
        source: front.source,
        archive: front.archive,
        summary: front.summary,
        path: rel,
        digest: crate::digest::digest(body.as_bytes()),
        body,
        body_line,
    })
}

/// Reads again the bodies of versions loaded before whose bodies were dropped (a large hub's
/// texts are read a part at a time): each must be the body that was loaded, by its digest.
pub fn reload_bodies(root: &Path, orgs: &mut [Org]) -> Result<(), Diagnostics> {
    let versions = orgs
        .iter_mut()
        .flat_map(|o| o.policies.iter_mut())
        .flat_map(|p| p.versions.iter_mut());
    let mut versions: Vec<&mut Version> = versions.filter(|v| v.body.is_empty()).collect();
    let bodies = read_each(&versions, |version| body_again(root, version));
    let mut problems = Vec::new();
    for (version, body) in versions.iter_mut().zip(bodies) {
        match body {
            Ok(body) => version.body = body,
            Err(found) => problems.extend(found.0),
        }
    }
    Diagnostics(problems).into_result(())
}

/// A version's body read again, when it is still the one that was loaded.
fn body_again(root: &Path, version: &Version) -> Result<String, Diagnostics> {
    let text = read_text_file(root, &root.join(&version.path))?;
    let (_, body_start, body_line) = front_matter::split(&version.path, &text)?;
    let body = &text[body_start..];
    if crate::digest::digest(body.as_bytes()) != version.digest || body_line != version.body_line {
        return Err(
            Diagnostic::new(version.path.clone(), "the file changed while the hub was being built")
                .hint("build again")
                .into(),
        );
    }
    Ok(body.to_string())
}

fn effective_line(text: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().starts_with("effective"))
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new hub folder and its policy folder `content/acme/privacy-policy`, made.
    fn policy_folder() -> (tempfile::TempDir, PathBuf) {
        let hub = tempfile::tempdir().unwrap();
        let folder = hub.path().join("content/acme/privacy-policy");
        std::fs::create_dir_all(&folder).unwrap();
        (hub, folder)
    }

    #[test]
    fn bodies_read_again_are_those_loaded_and_a_file_changed_meanwhile_is_an_error() {
        let (hub, folder) = policy_folder();
        let root = hub.path();
        std::fs::write(root.join("content/acme/org.toml"), "name = \"Acme\"\n").unwrap();
        std::fs::write(folder.join("2020-01-01.md"), "+++\n+++\n# Data\n\nWe keep data.\n").unwrap();
        std::fs::write(folder.join("2021-01-01.md"), "+++\n+++\n# Data\n\nWe sell data.\n").unwrap();
        let loaded = load_content(root).unwrap();
        let mut orgs = loaded.orgs.clone();
        for version in orgs
            .iter_mut()
            .flat_map(|o| o.policies.iter_mut())
            .flat_map(|p| p.versions.iter_mut())
        {
            version.body = String::new();
        }
        reload_bodies(root, &mut orgs).unwrap();
        assert_eq!(orgs, loaded.orgs);

        orgs[0].policies[0].versions[1].body = String::new();
        std::fs::write(folder.join("2021-01-01.md"), "+++\n+++\n# Data\n\nWe rent data.\n").unwrap();
        let problems = reload_bodies(root, &mut orgs).unwrap_err();
        assert!(
            problems.to_string().contains("changed while the hub was being built"),
            "{problems}"
        );
    }

    #[test]
    fn toml_escapes_write_no_control_characters_into_names() {
        let (hub, folder) = policy_folder();
        let root = hub.path();
        std::fs::write(
            root.join("content/acme/org.toml"),
            "name = \"Acme\\u001b[2J\"\ndescription = \"A\\bB\\u0085C\"\n",
        )
        .unwrap();
        std::fs::write(folder.join("policy.toml"), "title = \"Privacy\\u0007 Policy\"\n").unwrap();
        std::fs::write(folder.join("2020-01-01.md"), "+++\n+++\nWe keep data.\n").unwrap();
        let loaded = load_content(root).unwrap();
        let org = &loaded.orgs[0];
        assert_eq!(org.name, "Acme[2J");
        assert_eq!(org.description.as_deref(), Some("ABC"));
        assert_eq!(org.policies[0].title, "Privacy Policy");
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_or_a_link_to_a_device_is_an_error_not_a_hang() {
        let (hub, folder) = policy_folder();
        let root = hub.path();
        std::fs::write(folder.join("2020-01-01.md"), "+++\n+++\nWe keep data.\n").unwrap();
        let fifo = folder.join("2020-01-02.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        std::os::unix::fs::symlink("/dev/zero", folder.join("2020-01-03.md")).unwrap();
        let (tree, problems) = scan_content(root);
        let said = problems.to_string();
        for name in ["2020-01-02.md", "2020-01-03.md"] {
            assert!(said.contains(&format!("{name}: error: not a plain file")), "{said}");
        }
        let versions = &tree["acme"].policies["privacy-policy"].versions;
        assert_eq!(versions, &[folder.join("2020-01-01.md")]);
        let read = read_text_file(root, &fifo).unwrap_err();
        assert!(read.message.starts_with("not a plain file"), "{read:?}");
        std::fs::create_dir(root.join("site.toml")).unwrap();
        let folder = read_text_file(root, &root.join("site.toml")).unwrap_err();
        assert_eq!(
            folder.to_string().lines().next(),
            Some("site.toml: error: a folder where a file belongs")
        );
    }

    #[test]
    fn stray_control_characters_are_dropped_and_page_breaks_become_spaces() {
        let read = |text: &str| without_controls(text.to_string());
        assert_eq!(
            read("We keep\tdata.\r\nFor 30 days.\n"),
            "We keep\tdata.\r\nFor 30 days.\n"
        );
        assert_eq!(read("bell\u{7} \u{1b}[2Jclear\u{0}"), "bell [2Jclear");
        assert_eq!(read("page\u{c}break\u{b}here"), "page break here");
        assert_eq!(read("C1\u{85}\u{9b}31m ©§·"), "C131m ©§·");
        assert_eq!(read("\u{7f}DEL"), "DEL");
        assert_eq!(
            read("Acme\u{202e}Corp \u{2067}isolated\u{2069} “quoted” — \u{200f}mark"),
            "AcmeCorp isolated “quoted” — \u{200f}mark"
        );
        assert_eq!(
            read("non\u{fffe}characters\u{ffff} ｆｕｌｌ\u{fffd}"),
            "noncharacters ｆｕｌｌ\u{fffd}"
        );
        for c in ['\t', '\n', '\r', ' ', '©', '\u{a0}', '\u{fffd}', '\u{ff41}'] {
            assert!(!is_stray_control(c), "{c:?}");
        }
    }

    #[test]
    fn the_byte_scan_finds_exactly_the_stray_characters_wherever_they_fall() {
        // Every character, alone and straddling the scan's 64-byte blocks.
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            for lead in [0, 61, 62, 63] {
                let text = format!("{}{c}©", "a".repeat(lead));
                assert_eq!(
                    has_stray_controls(&text),
                    is_stray_control(c),
                    "{c:?} after {lead} bytes"
                );
            }
        }
    }

    #[test]
    fn a_slug_too_long_is_given_a_shorter_one_to_take() {
        let long = "a".repeat(101);
        let problem = bad_slug(PathBuf::from("content/x"), "organisation", &long, "too long");
        let want = format!("rename the folder to `{}`", "a".repeat(100));
        assert_eq!(problem.hint.as_deref(), Some(want.as_str()));
    }

    #[test]
    fn titles_from_slugs() {
        assert_eq!(title_from_slug("privacy-policy"), "Privacy policy");
    }

    #[test]
    fn ignores_editor_files() {
        assert!(is_ignored(".DS_Store"));
        assert!(is_ignored("2015-01-01.md~"));
        assert!(is_ignored(".2015-01-01.md.swp"));
        assert!(!is_ignored("2015-01-01.md"));
    }
}
