//! Writing an imported version into the hub: the version file (never over an existing one
//! without `--force`), and `org.toml` / `policy.toml` when they are missing (existing ones are
//! never touched). With `--dry-run` nothing is written.

use std::fs;
use std::path::{Path, PathBuf};

use super::report::{ImportReport, Warning};
use super::{Conversion, ImportOptions};
use crate::content::{shortened, slug_problem, slugify};
use crate::error::{Diagnostic, Diagnostics};

/// Checks, before reading the capture, that the hub and the slugs are usable.
pub(super) fn check_target(options: &ImportOptions) -> Result<(), Diagnostics> {
    check_hub(
        &options.root,
        &[
            ("--org", "organisation", &options.org),
            ("--policy", "policy", &options.policy),
        ],
    )?;
    check_source(options.source.as_deref()).map_err(Diagnostics::from)
}

/// Checks `--source`: an absolute http(s) address, as a build accepts.
pub(super) fn check_source(source: Option<&str>) -> Result<(), Diagnostic> {
    match source {
        Some(source) if !crate::content::is_web_url(source) => Err(Diagnostic::new(
            "--source",
            format!("`{source}` is not an absolute http:// or https:// URL"),
        )
        .hint("pass the policy's web address, e.g. --source https://example.com/privacy")),
        _ => Ok(()),
    }
}

/// Checks that `root` is a hub and that each (flag, what, slug) is a valid slug, before
/// anything is read.
pub(super) fn check_hub(root: &Path, slugs: &[(&str, &str, &str)]) -> Result<(), Diagnostics> {
    let mut problems = Diagnostics::default();
    if !root.join("site.toml").is_file() {
        problems.push(
            Diagnostic::new(root.join("site.toml"), "no site.toml here: this folder is not a hub")
                .hint("run the import in the hub's folder or pass --root DIR (`policyhub init DIR` creates a hub)"),
        );
    }
    for (flag, what, slug) in slugs {
        if let Some(why) = slug_problem(slug) {
            let suggestion = shortened(slugify(slug));
            let hint = if suggestion.is_empty() {
                format!("pass {flag} with lowercase ASCII letters, digits and '-'")
            } else {
                format!("pass {flag} {suggestion}")
            };
            problems.push(Diagnostic::new(*flag, format!("`{slug}` is not a valid {what} slug: {why}")).hint(hint));
        } else if *flag == "--org" && crate::permalinks::HUB_FOLDERS.contains(slug) {
            problems.push(
                Diagnostic::new(
                    *flag,
                    format!("the organisation slug `{slug}` is reserved for the hub's own /{slug}/ pages"),
                )
                .hint(format!("pass --org {slug}-inc")),
            );
        }
    }
    problems.into_result(())
}

/// The text of a new `org.toml` for `slug`, or `None` when one exists (it is never touched);
/// warns when `name` is missing, or given but not the existing file's.
pub(super) fn org_manifest(
    root: &Path,
    org_toml: &Path,
    slug: &str,
    name: Option<&str>,
    source: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> Option<String> {
    if root.join(org_toml).exists() {
        if let Some(name) = name {
            if existing_name(&root.join(org_toml)).as_deref() != Some(name) {
                warnings.push(Warning::general(format!(
                    "{} already exists: --name \"{name}\" was not applied (edit the file to rename)",
                    org_toml.display()
                )));
            }
        }
        return None;
    }
    let name = name.map_or_else(
        || {
            warnings.push(Warning::general(format!(
                "{} names the organisation \"{slug}\": pass --name or edit it",
                org_toml.display()
            )));
            slug.to_string()
        },
        str::to_string,
    );
    let website = source.and_then(origin);
    Some(toml_file(&[("name", Some(name)), ("website", website)]))
}

/// Writes the conversion into the hub (or only reports what it would write).
pub(super) fn write(
    options: &ImportOptions,
    input: String,
    conversion: Conversion,
) -> Result<ImportReport, Diagnostic> {
    let org_dir = Path::new("content").join(&options.org);
    let policy_dir = org_dir.join(&options.policy);
    let version_path = policy_dir.join(format!("{}.md", conversion.effective));
    let target = options.root.join(&version_path);
    let replaced = target.exists();
    let text = conversion.text();
    // A safety net: what an import writes, a build reads (as a build does, without stray
    // control characters).
    let as_read = crate::content::without_controls(text.clone());
    crate::content::front_matter::split(&version_path, &as_read).map_err(|found| {
        let said: Vec<&str> = found.0.iter().map(|d| d.message.as_str()).collect();
        let message = format!(
            "the import would write a version the build rejects: {}",
            said.join("; ")
        );
        let hint = Some("nothing was written; please report the capture that led here".to_string());
        match found.0.first() {
            Some(first) => Diagnostic {
                message,
                hint,
                ..first.clone()
            },
            None => Diagnostic::new(&version_path, message),
        }
    })?;
    let mut warnings = conversion.warnings;
    if replaced && !options.force && options.dry_run {
        warnings.push(Warning::general(format!(
            "{} already exists: writing this text needs --force",
            version_path.display()
        )));
    } else if replaced && !options.force {
        return Err(Diagnostic::new(version_path.clone(), "this version already exists")
            .hint(format!(
                "pass --force to replace it (--dry-run shows the new text first); a second version of the same day is named {}.2.md",
                conversion.effective
            )));
    }
    let mut manifests = Vec::new();
    let org_toml = org_dir.join("org.toml");
    let name = options.name.as_deref();
    let source = conversion.source.as_deref();
    if let Some(text) = org_manifest(&options.root, &org_toml, &options.org, name, source, &mut warnings) {
        manifests.push((org_toml, text));
    }
    let policy_toml = policy_dir.join("policy.toml");
    if !options.root.join(&policy_toml).exists() {
        let title = conversion
            .front_matter_title
            .clone()
            .unwrap_or_else(|| title_from_slug(&options.policy));
        manifests.push((
            policy_toml,
            toml_file(&[("title", Some(title)), ("url", conversion.source.clone())]),
        ));
    }
    let created: Vec<PathBuf> = manifests.iter().map(|(path, _)| path.clone()).collect();
    if !options.dry_run {
        let io = |path: &Path, e: std::io::Error| Diagnostic::new(path, format!("cannot write: {e}"));
        let dir = options.root.join(&policy_dir);
        fs::create_dir_all(&dir).map_err(|e| io(&policy_dir, e))?;
        for (path, contents) in &manifests {
            fs::write(options.root.join(path), contents).map_err(|e| io(path, e))?;
        }
        let temporary = target.with_extension("md.tmp");
        fs::write(&temporary, &text).map_err(|e| io(&version_path, e))?;
        fs::rename(&temporary, &target).map_err(|e| io(&version_path, e))?;
    }
    Ok(ImportReport {
        input,
        version_path,
        effective: conversion.effective,
        found: conversion.found,
        structure: conversion.structure,
        dropped: conversion.dropped,
        warnings,
        created,
        text,
        dry_run: options.dry_run,
        replaced,
    })
}

/// The `name` of an existing org.toml.
pub(super) fn existing_name(path: &Path) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    let value: toml::Value = toml::from_str(&text).ok()?;
    value.get("name")?.as_str().map(str::to_string)
}

/// A small TOML file of string keys (absent values left out).
pub(super) fn toml_file(pairs: &[(&str, Option<String>)]) -> String {
    pairs
        .iter()
        .filter_map(|(key, value)| {
            value
                .as_ref()
                .map(|v| format!("{key} = {}\n", toml::Value::String(v.clone())))
        })
        .collect()
}

/// `https://www.example.com/en/privacy` → `https://www.example.com`.
fn origin(url: &str) -> Option<String> {
    let scheme_end = url.find("://")? + 3;
    let host_end = url[scheme_end..].find('/').map_or(url.len(), |i| scheme_end + i);
    (host_end > scheme_end).then(|| url[..host_end].to_string())
}

/// "privacy-policy" → "Privacy Policy".
pub(super) fn title_from_slug(slug: &str) -> String {
    slug.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map_or_else(String::new, |c| c.to_ascii_uppercase().to_string() + chars.as_str())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisation_slug_of_the_hubs_own_pages_or_too_long_is_refused_before_anything_is_read() {
        let hub = tempfile::tempdir().unwrap();
        std::fs::write(hub.path().join("site.toml"), "title = \"H\"\n").unwrap();
        let reserved = check_hub(hub.path(), &[("--org", "organisation", "api")]).unwrap_err();
        assert!(reserved.to_string().contains("`api` is reserved"), "{reserved}");
        assert!(reserved.to_string().contains("--org api-inc"), "{reserved}");
        let long = "a".repeat(101);
        let too_long = check_hub(hub.path(), &[("--policy", "policy", &long)]).unwrap_err();
        assert!(too_long.to_string().contains("longer than 100"), "{too_long}");
        assert!(check_hub(
            hub.path(),
            &[("--org", "organisation", "acme"), ("--policy", "policy", "api")]
        )
        .is_ok());
    }

    #[test]
    fn origins_and_titles() {
        assert_eq!(
            origin("https://www.example.com/en/privacy").as_deref(),
            Some("https://www.example.com")
        );
        assert_eq!(origin("http://example.org").as_deref(), Some("http://example.org"));
        assert_eq!(origin("not a url"), None);
        assert_eq!(title_from_slug("privacy-policy"), "Privacy Policy");
        assert_eq!(title_from_slug("terms"), "Terms");
    }

    #[test]
    fn toml_files_quote_their_strings() {
        assert_eq!(
            toml_file(&[("name", Some("Acme \"A\" Inc.".into())), ("website", None)]),
            "name = 'Acme \"A\" Inc.'\n"
        );
    }
}
