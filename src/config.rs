//! `site.toml` → [`Config`]: the hub's settings, parsed strictly (an unknown key is an error,
//! not silence) and resolved once into the values the rest of the pipeline uses.

use std::path::Path;

use serde::Deserialize;

use crate::content::{clean_optional, clean_string};
use crate::date::Date;
use crate::error::{toml_diagnostic, Diagnostic};

/// The hub's settings as written in `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteToml {
    #[serde(deserialize_with = "clean_string")]
    title: String,
    base_url: String,
    #[serde(default, deserialize_with = "clean_optional")]
    description: Option<String>,
    #[serde(default, deserialize_with = "clean_optional")]
    language: Option<String>,
    #[serde(default, deserialize_with = "clean_optional")]
    credits: Option<String>,
    #[serde(default)]
    remote_images: bool,
    #[serde(default)]
    topics: Option<TopicsToml>,
    #[serde(default)]
    changes: ChangesConfig,
}

/// `[topics]`: `mode` and one `[topics.<slug>]` table per rule.
#[derive(Debug, Clone, Deserialize)]
struct TopicsToml {
    #[serde(default)]
    mode: Option<String>,
    #[serde(flatten)]
    rules: std::collections::BTreeMap<String, TopicToml>,
}

/// `[topics.<slug>]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicToml {
    #[serde(default, deserialize_with = "clean_optional")]
    title: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
}

/// `[changes]`: what the change classifier reads beyond its defaults (every entry adds to them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangesConfig {
    /// Names that changed (`[["Facebook", "Meta"]]`): the rename is an editorial change.
    #[serde(default)]
    pub renames: Vec<(String, String)>,
    /// Groups of spellings of one thing (`[["e-mail", "email"]]`): editorial.
    #[serde(default)]
    pub equivalents: Vec<Vec<String>>,
    /// Words whose coming or going is always substantive (`["sell", "biometric"]`).
    #[serde(default)]
    pub substantive: Vec<String>,
    /// Words whose coming or going alone is editorial (`["kindly"]`).
    #[serde(default)]
    pub editorial: Vec<String>,
    /// Phrases of a "last updated" line (`["date of this notice"]`): its date changing is editorial.
    #[serde(default)]
    pub updated: Vec<String>,
}

/// Whether a hub's topic rules add to the default set or replace it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TopicsMode {
    /// The defaults plus the hub's rules (a rule with a default's slug amends it).
    #[default]
    Extend,
    /// Only the hub's rules.
    Replace,
}

/// One topic rule of `site.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicRuleConfig {
    /// The topic's slug (`data-retention`): its page is `/topics/<slug>/`.
    pub slug: String,
    /// Its title; defaults to the default rule's or to the slug in words.
    pub title: Option<String>,
    /// Words or phrases matched case-insensitively at the start of a word.
    pub keywords: Vec<String>,
    /// Regular expressions (case-insensitive), each with its line in `site.toml` (checked
    /// by `links::check_patterns`, the only user of `regex`).
    pub patterns: Vec<(String, usize)>,
}

/// The hub's `[topics]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopicsConfig {
    pub mode: TopicsMode,
    pub rules: Vec<TopicRuleConfig>,
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
    /// Attribution of the hub's data, shown in every page's footer (`credits`; `import --ota`
    /// adds the one Open Terms Archive's licence asks for).
    pub credits: Option<String>,
    /// Whether a policy's images on other sites are shown (`remote_images`, default false: each
    /// becomes a link named by its alt text, and the pages' Content-Security-Policy loads images
    /// only from the hub).
    pub remote_images: bool,
    /// The hub's topic rules (`[topics]`), merged with the defaults by the links stage.
    pub topics: TopicsConfig,
    /// The hub's additions to the change classifier's rules (`[changes]`).
    pub changes: ChangesConfig,
    /// The UTC day of `SOURCE_DATE_EPOCH` when it is set (not from `site.toml`): the hub's
    /// reference date, which decides what is pending (see `content::notice`).
    pub source_date: Option<Date>,
}

impl Config {
    /// Reads `site.toml` in `root`. `base_url_override` (from `--base-url`) wins over the file.
    pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Config, Diagnostic> {
        let path = root.join("site.toml");
        if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
            return Err(Diagnostic::new("site.toml", "this hub has no site.toml").hint(format!(
                "run policyhub in a hub's folder or pass --root DIR; `policyhub init DIR` creates a new hub (looked in {})",
                root.display()
            )));
        }
        // As content is read: a plain file, UTF-8 (or where it is not), no stray controls.
        let text = crate::content::read_text_file(root, &path)?;
        let mut config = Config::parse(&text, base_url_override)?;
        let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().filter(|v| !v.is_empty());
        config.source_date = epoch.as_deref().map(source_date).transpose()?;
        Ok(config)
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
        let topics = resolve_topics(text, site.topics)?;
        Ok(Config {
            topics,
            changes: site.changes,
            description: site
                .description
                .unwrap_or_else(|| format!("{}: privacy policies, their versions and every change.", site.title)),
            title: site.title,
            base_url,
            base_path,
            language: site.language.unwrap_or_else(|| "en".to_string()),
            credits: site.credits.filter(|c| !c.trim().is_empty()),
            remote_images: site.remote_images,
            source_date: None,
        })
    }
}

/// The UTC day of a `SOURCE_DATE_EPOCH` value (seconds since 1970-01-01).
pub fn source_date(text: &str) -> Result<Date, Diagnostic> {
    let seconds = text.trim().parse::<i64>().map_err(|_| {
        Diagnostic::new("SOURCE_DATE_EPOCH", format!("`{text}` is not a number of seconds"))
            .hint("set it to a Unix time, e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), or unset it")
    })?;
    Date::from_unix_seconds(seconds)
        .ok_or_else(|| Diagnostic::new("SOURCE_DATE_EPOCH", "the time is outside the years 1 to 9999"))
}

fn resolve_topics(text: &str, topics: Option<TopicsToml>) -> Result<TopicsConfig, Diagnostic> {
    let Some(topics) = topics else {
        return Ok(TopicsConfig::default());
    };
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).map(|i| i + 1);
    let mode = match topics.mode.as_deref() {
        None | Some("extend") => TopicsMode::Extend,
        Some("replace") => TopicsMode::Replace,
        Some(other) => {
            let d = Diagnostic::new("site.toml", format!("[topics] mode = \"{other}\" is not a mode"))
                .hint("write mode = \"extend\" (add to the default topics) or mode = \"replace\"");
            return Err(match line_of("mode") {
                Some(line) => d.at(line, 1),
                None => d,
            });
        }
    };
    let mut rules = Vec::new();
    for (slug, rule) in topics.rules {
        let header = format!("[topics.{slug}]");
        if slug.is_empty()
            || !slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            let d = Diagnostic::new("site.toml", format!("topic slug `{slug}` is not a slug"))
                .hint("topic slugs are lowercase ASCII letters, digits and `-`, e.g. [topics.data-retention]");
            return Err(match line_of(&header) {
                Some(line) => d.at(line, 1),
                None => d,
            });
        }
        let mut patterns = Vec::new();
        for pattern in rule.patterns {
            // The pattern as TOML writes it in a basic string, or as a literal string.
            let line = line_of(&pattern.replace('\\', "\\\\"))
                .or_else(|| line_of(&pattern))
                .or_else(|| line_of(&header))
                .unwrap_or(0);
            patterns.push((pattern, line));
        }
        rules.push(TopicRuleConfig {
            slug,
            title: rule.title,
            keywords: rule.keywords,
            patterns,
        });
    }
    Ok(TopicsConfig { mode, rules })
}

fn resolve_base_url(url: &str) -> Result<String, &'static str> {
    let url = url.trim().trim_end_matches('/');
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err("is not an absolute URL");
    };
    if !matches!(scheme, "http" | "https") || rest.is_empty() {
        return Err("must start with http:// or https:// and name a host");
    }
    if url.contains(['?', '#', '"', '<', '>', ' ', '\\']) || url.chars().any(char::is_control) {
        return Err("may not hold a query, a fragment, quotes, spaces or backslashes");
    }
    // The path's segments: none empty (`//evil.example/x.css` would name another host) and
    // none a dot segment (a browser resolves `/../x` to another folder than the one written).
    let path = rest.find('/').map_or("", |at| &rest[at..]);
    if path
        .split('/')
        .skip(1)
        .any(|segment| matches!(segment, "" | "." | ".."))
    {
        return Err("may not hold an empty, `.` or `..` path segment");
    }
    Ok(url.to_string())
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
    fn toml_escapes_write_no_control_characters_into_the_hub_title() {
        let c = Config::parse(
            "title = \"Hub\\u001b]0;x\\u0007\"\nbase_url = \"https://example.org\"\ndescription = \"A\\fB\"\n",
            None,
        )
        .unwrap();
        assert_eq!(c.title, "Hub]0;x");
        assert_eq!(c.description, "A B", "a form feed is a space");
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
    fn topics_are_read_with_their_lines() {
        let base = "title = \"Hub\"\nbase_url = \"https://e.org\"\n";
        let c = Config::parse(
            &format!("{base}[topics]\nmode = \"replace\"\n[topics.data-retention]\nkeywords = [\"retain\"]\npatterns = ['\\bpurged\\b']\n"),
            None,
        )
        .unwrap();
        assert_eq!(c.topics.mode, TopicsMode::Replace);
        assert_eq!(c.topics.rules[0].patterns, [(r"\bpurged\b".to_string(), 7)]);
        let e = Config::parse(&format!("{base}[topics.x]\nkeyword = [\"a\"]\n"), None).unwrap_err();
        assert!(e.message.contains("keyword"), "{e}");
        let e = Config::parse(&format!("{base}[topics]\nmode = \"merge\"\n"), None).unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
    }

    #[test]
    fn a_base_url_whose_path_could_name_another_host_or_folder_is_refused() {
        for url in [
            "https://example.org//evil.example",
            "https://example.org/../x",
            "https://example.org/hub/./x",
            "https://example.org/a\\b",
        ] {
            let e = Config::parse("title = \"Hub\"\nbase_url = \"https://e.org\"\n", Some(url)).unwrap_err();
            assert!(e.message.contains("may not hold"), "{url}: {e}");
        }
        for url in [
            "https://example.org",
            "https://example.org/",
            "https://example.org/a/b/",
            "http://x:8080/hub",
        ] {
            assert!(
                Config::parse("title = \"Hub\"\nbase_url = \"https://e.org\"\n", Some(url)).is_ok(),
                "{url}"
            );
        }
    }

    #[test]
    fn relative_base_url_is_refused() {
        let e = Config::parse("title = \"Hub\"\nbase_url = \"/hub\"\n", None).unwrap_err();
        assert!(e.to_string().contains("absolute"), "{e}");
    }
}
