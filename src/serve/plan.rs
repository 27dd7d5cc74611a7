//! Deciding what a batch of file changes touches, as pure functions: which paths matter,
//! and what must be rebuilt for them. Unit-tested without a file system.

use std::collections::BTreeSet;
use std::path::{Component, Path};

/// What one changed path touches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Touch {
    /// `site.toml`: everything.
    Config,
    /// A template: every page, without re-reading content.
    Templates,
    /// A static file (path relative to `static/`).
    Static(String),
    /// An organisation's folder (`org.toml`, a policy, a version).
    Org(String),
    /// The set of organisations itself (an org folder created, renamed or deleted).
    Content,
}

/// The work a batch of changes needs, from the most to the least.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Nothing that the site depends on changed.
    Nothing,
    /// Re-read everything (`site.toml`).
    Full,
    /// Re-read the templates and/or content and static files as listed.
    Partial {
        /// Reload the templates (every page is re-rendered).
        templates: bool,
        /// Re-read the whole content tree.
        content: bool,
        /// Re-read these organisations' folders.
        orgs: BTreeSet<String>,
        /// Re-read these static files.
        statics: BTreeSet<String>,
    },
}

/// A part of the hub a plan re-reads, to tell what a failed rebuild left behind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// `site.toml`: everything.
    Site,
    Templates,
    /// Every organisation.
    Content,
    /// One organisation, by its slug.
    Org(String),
    /// One static file, by its path under `static/`.
    Static(String),
}

impl Plan {
    /// The parts of the hub this plan re-reads.
    pub fn parts(&self) -> BTreeSet<Part> {
        match self {
            Plan::Nothing => BTreeSet::new(),
            Plan::Full => BTreeSet::from([Part::Site]),
            Plan::Partial {
                templates,
                content,
                orgs,
                statics,
            } => {
                let whole = [(*templates, Part::Templates), (*content, Part::Content)];
                let whole = whole.into_iter().filter(|(on, _)| *on).map(|(_, part)| part);
                let orgs = orgs.iter().cloned().map(Part::Org);
                whole
                    .chain(orgs)
                    .chain(statics.iter().cloned().map(Part::Static))
                    .collect()
            }
        }
    }
}

/// True when rebuilding `rebuilt` rebuilds `part` too.
pub(super) fn covers(rebuilt: &BTreeSet<Part>, part: &Part) -> bool {
    rebuilt.contains(part)
        || rebuilt.contains(&Part::Site)
        || (rebuilt.contains(&Part::Content) && matches!(part, Part::Org(_)))
}

/// Editor backups, swap files and hidden files never matter.
pub(super) fn is_noise(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".kate-swp")
        || name == "4913"
}

/// What a changed path (absolute, under `root`) touches, if anything.
pub fn classify(root: &Path, path: &Path) -> Option<Touch> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if parts.last().is_some_and(|name| is_noise(name)) {
        return None;
    }
    match parts.as_slice() {
        ["site.toml"] => Some(Touch::Config),
        ["templates", ..] => Some(Touch::Templates),
        ["static"] => Some(Touch::Static(String::new())),
        ["static", rest @ ..] => Some(Touch::Static(rest.join("/"))),
        ["content"] | ["content", _] => Some(Touch::Content),
        ["content", org, ..] => Some(Touch::Org(org.to_string())),
        _ => None,
    }
}

/// The plan for a batch of touches.
pub fn plan(touches: &BTreeSet<Touch>) -> Plan {
    if touches.is_empty() {
        return Plan::Nothing;
    }
    if touches.contains(&Touch::Config) {
        return Plan::Full;
    }
    let mut templates = false;
    let mut content = false;
    let mut orgs = BTreeSet::new();
    let mut statics = BTreeSet::new();
    for touch in touches {
        match touch {
            Touch::Templates => templates = true,
            Touch::Content => content = true,
            Touch::Org(org) => {
                orgs.insert(org.clone());
            }
            Touch::Static(path) => {
                statics.insert(path.clone());
            }
            Touch::Config => {}
        }
    }
    if content {
        orgs.clear();
    }
    Plan::Partial {
        templates,
        content,
        orgs,
        statics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &str) -> Option<Touch> {
        classify(Path::new("/hub"), &Path::new("/hub").join(path))
    }

    #[test]
    fn classifies_hub_paths() {
        assert_eq!(touch("site.toml"), Some(Touch::Config));
        assert_eq!(touch("templates/base.html"), Some(Touch::Templates));
        assert_eq!(touch("static/css/site.css"), Some(Touch::Static("css/site.css".into())));
        assert_eq!(
            touch("content/acme/privacy-policy/2020-01-01.md"),
            Some(Touch::Org("acme".into()))
        );
        assert_eq!(touch("content/acme/org.toml"), Some(Touch::Org("acme".into())));
        assert_eq!(touch("content/acme"), Some(Touch::Content));
        assert_eq!(touch("public/index.html"), None);
        assert_eq!(touch("README.md"), None);
    }

    #[test]
    fn ignores_editor_files() {
        assert_eq!(touch("content/acme/privacy-policy/.2020-01-01.md.swp"), None);
        assert_eq!(touch("content/acme/privacy-policy/2020-01-01.md~"), None);
        assert_eq!(touch("content/acme/privacy-policy/4913"), None);
        assert_eq!(touch("templates/#base.html#"), None);
    }

    #[test]
    fn outside_the_hub_is_nothing() {
        assert_eq!(classify(Path::new("/hub"), Path::new("/elsewhere/site.toml")), None);
    }

    #[test]
    fn plans_the_least_work() {
        let set = |t: &[Touch]| t.iter().cloned().collect::<BTreeSet<_>>();
        assert_eq!(plan(&set(&[])), Plan::Nothing);
        assert_eq!(plan(&set(&[Touch::Org("a".into()), Touch::Config])), Plan::Full);
        assert_eq!(
            plan(&set(&[Touch::Org("a".into()), Touch::Static("x.css".into())])),
            Plan::Partial {
                templates: false,
                content: false,
                orgs: ["a".to_string()].into(),
                statics: ["x.css".to_string()].into()
            }
        );
        // A structural change re-reads all content, which covers every organisation.
        assert_eq!(
            plan(&set(&[Touch::Org("a".into()), Touch::Content, Touch::Templates])),
            Plan::Partial {
                templates: true,
                content: true,
                orgs: BTreeSet::new(),
                statics: BTreeSet::new()
            }
        );
    }
}
