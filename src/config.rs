//! `site.toml` → [`Config`]: the hub's settings, parsed strictly (an unknown key is an error,
//! not silence) and resolved once into the values the rest of the pipeline uses.

use std::path::Path;

use serde::Deserialize;

use crate::error::{line_col, Diagnostic};

/// The hub's settings as written in `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteToml {
    title: String,
    base_url: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    language: Option<String>,
}

/// The hub's resolved settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The hub's name, shown in every page header.
    pub title: String,
    /// One sentence about the hub, for the home page and meta descriptions.
    pub description: String,
    /// Absolute URL of the site without trailing slash, e.g. `https://example.org/hub`.
    pub base_url: String,
    /// The path part of `base_url` without trailing slash (`/hub`, or empty at a domain's root).
    /// Every internal link starts with it, so the site works from a sub-path.
    pub base_path: String,
    /// The pages' language tag (`lang` attribute).
    pub language: String,
}

impl Config {
    /// Reads `site.toml` in `root`. `base_url_override` (from `--base-url`) wins over the file.
    pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Config, Diagnostic> {
        let path = root.join("site.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Diagnostic::new("site.toml", "this hub has no site.toml").hint(format!(
                    "run policyhub in a hub's folder or pass --root DIR; `policyhub init DIR` creates a new hub (looked in {})",
                    root.display()
                )))
            }
            Err(e) => return Err(Diagnostic::new("site.toml", format!("cannot read site.toml: {e}"))),
        };
        Config::parse(&text, base_url_override)
    }

    /// Parses the text of a `site.toml`.
    pub fn parse(text: &str, base_url_override: Option<&str>) -> Result<Config, Diagnostic> {
        let site: SiteToml = toml::from_str(text).map_err(|e| toml_diagnostic("site.toml", text, 0, &e))?;
        let base_url = base_url_override.unwrap_or(&site.base_url);
        let base_url = resolve_base_url(base_url).map_err(|why| {
            Diagnostic::new("site.toml", format!("base_url `{base_url}` {why}"))
                .hint("write an absolute URL such as \"https://example.org\" or \"https://example.org/hub\"")
        })?;
        let base_path = base_url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
            .unwrap_or_default();
        Ok(Config {
            description: site
                .description
                .unwrap_or_else(|| format!("{}: privacy policies, their versions and every change.", site.title)),
            title: site.title,
            base_url,
            base_path,
            language: site.language.unwrap_or_else(|| "en".to_string()),
        })
    }
}

fn resolve_base_url(url: &str) -> Result<String, &'static str> {
    let url = url.trim().trim_end_matches('/');
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err("is not an absolute URL");
    };
    if !matches!(scheme, "http" | "https") || rest.is_empty() {
        return Err("must start with http:// or https:// and name a host");
    }
    if url.contains(['?', '#', '"', '<', '>', ' ']) {
        return Err("may not hold a query, a fragment, quotes or spaces");
    }
    Ok(url.to_string())
}

/// A TOML error as a diagnostic pointing at its line and column. `first_line` is the line of
/// the file on which `text` starts (0 for a whole file; front matter starts after `+++`).
pub fn toml_diagnostic(
    path: impl Into<std::path::PathBuf>,
    text: &str,
    first_line: usize,
    e: &toml::de::Error,
) -> Diagnostic {
    let message = e.message().trim().to_string();
    let mut d = Diagnostic::new(path, format!("invalid TOML: {message}"));
    if message.contains("date") {
        d = d.hint("dates are written YYYY-MM-DD, unquoted, and must exist in the calendar");
    } else {
        d = d.hint("see the content format in README.md; strings need double quotes");
    }
    match e.span() {
        Some(span) => {
            let (line, column) = line_col(text, span.start);
            d.at(first_line + line, column)
        }
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_sub_path() {
        let c = Config::parse("title = \"Hub\"\nbase_url = \"https://example.org/hub/\"\n", None).unwrap();
        assert_eq!(c.base_url, "https://example.org/hub");
        assert_eq!(c.base_path, "/hub");
        let c = Config::parse("title = \"Hub\"\nbase_url = \"https://example.org\"\n", None).unwrap();
        assert_eq!(c.base_path, "");
    }

    #[test]
    fn override_wins() {
        let c = Config::parse(
            "title = \"Hub\"\nbase_url = \"https://example.org\"\n",
            Some("http://localhost:1/x"),
        )
        .unwrap();
        assert_eq!(c.base_path, "/x");
    }

    #[test]
    fn unknown_key_is_an_error_with_line() {
        let e = Config::parse("title = \"Hub\"\nbase_url = \"https://e.org\"\ntitel = \"x\"\n", None).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("titel"), "{e}");
    }

    #[test]
    fn relative_base_url_is_refused() {
        let e = Config::parse("title = \"Hub\"\nbase_url = \"/hub\"\n", None).unwrap_err();
        assert!(e.to_string().contains("absolute"), "{e}");
    }
}
