//! `policyhub init DIR`: a new hub with `site.toml`, an example organisation and policy.
//! The theme is not copied: it comes from the binary, and the hub may override it later.

use std::fs;
use std::path::Path;

use crate::error::Diagnostic;

const SITE_TOML: &str = r#"# The hub's settings. See the README for every key.
title = "Privacy Policy Hub"
base_url = "https://example.org"
description = "Privacy policies, every version of them, and every change."
"#;

const ORG_TOML: &str = r#"name = "Example Org"
website = "https://example.org"
description = "An example organisation: replace it with real captures."
"#;

const POLICY_TOML: &str = r#"title = "Privacy Policy"
url = "https://example.org/privacy"
"#;

const VERSION: &str = r#"+++
effective = 2024-01-15
captured = 2024-02-01
source = "https://example.org/privacy"
+++
# Privacy Policy

This policy explains what Example Org collects and why.

## Information we collect

- Your name and e-mail address, when you contact us.
- Technical data such as your IP address, when you visit our site.

## How long we keep it

We keep your information for as long as your account is active.

## Contact

Write to privacy@example.org with any question about this policy.
"#;

const GITIGNORE: &str = "public/\n.policyhub-cache/\n";

/// Creates a new hub in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<(), Diagnostic> {
    if dir.exists() && !dir.is_dir() {
        return Err(
            Diagnostic::new(dir, "this is a file, not a folder").hint("pass a new folder name: policyhub init my-hub")
        );
    }
    if dir.exists() && fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(Diagnostic::new(dir, "the folder exists and is not empty")
            .hint("pass a new folder name: policyhub init my-hub"));
    }
    let files = [
        ("site.toml", SITE_TOML),
        (".gitignore", GITIGNORE),
        ("content/example-org/org.toml", ORG_TOML),
        ("content/example-org/privacy-policy/policy.toml", POLICY_TOML),
        ("content/example-org/privacy-policy/2024-01-15.md", VERSION),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        let fail = |e: std::io::Error| Diagnostic::new(&path, format!("cannot write: {e}"));
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(fail)?;
        }
        fs::write(&path, text).map_err(fail)?;
    }
    Ok(())
}
