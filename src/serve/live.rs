//! The site as watch mode keeps it: templates, loaded content and every rendered file in
//! memory, updated by plans. A plan either succeeds as a whole or leaves everything as it was.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::plan::Plan;
use crate::content::{load_content, load_org_dir, Org, Policy};
use crate::document::{parse, Document};
use crate::error::Diagnostics;
use crate::history::{anchor_policy, PolicyHistory};
use crate::links::link_org;
use crate::output::OutputFile;
use crate::render::Theme;
use crate::site::{OrgEntry, Scope, Site};
use crate::{render_scopes, Stages};

/// The documents of a policy's versions: a version whose text did not change since the last
/// build reuses its parsed document, only the edited ones are parsed again.
fn reparse(policy: &Policy, before: Option<(&Policy, &PolicyHistory)>) -> Vec<Document> {
    policy
        .versions
        .iter()
        .map(|version| {
            before
                .and_then(|(old_policy, history)| {
                    let v = old_policy.versions.iter().position(|old| old.body == version.body)?;
                    Some(history.versions[v].document.clone())
                })
                .unwrap_or_else(|| parse(&version.body))
        })
        .collect()
}

/// Files to put in place and paths to take away, after a successful rebuild.
#[derive(Debug, Default)]
pub struct Changes {
    /// New or changed files.
    pub upserts: Vec<(String, Arc<Vec<u8>>)>,
    /// Files that no longer exist.
    pub removals: Vec<String>,
    /// What was rebuilt, for the terminal.
    pub summary: String,
    /// The time each step took.
    pub stages: Stages,
}

impl Changes {
    /// True when only stylesheets changed: open pages can swap them without reloading.
    pub fn css_only(&self) -> bool {
        self.removals.is_empty() && !self.upserts.is_empty() && self.upserts.iter().all(|(p, _)| p.ends_with(".css"))
    }
}

/// The hub in memory.
pub struct LiveSite {
    root: PathBuf,
    base_url: String,
    theme: Theme,
    site: Site,
    /// The paths each scope produced.
    owners: HashMap<Scope, Vec<String>>,
    /// Every file's bytes, to tell which changed.
    files: HashMap<String, Arc<Vec<u8>>>,
    /// Hub-wide scopes (home, changes, topics, glossary, search index, sitemap) waiting for
    /// [`LiveSite::refresh_hub`]: an edit serves its own pages first.
    pending: Vec<Scope>,
}

impl LiveSite {
    /// Loads and renders the whole hub.
    pub fn build(root: &Path, base_url: &str) -> Result<LiveSite, Diagnostics> {
        let theme = Theme::load(root)?;
        let site = Site::load(root, Some(base_url))?;
        let mut live = LiveSite {
            root: root.to_path_buf(),
            base_url: base_url.to_string(),
            theme,
            site,
            owners: HashMap::new(),
            files: HashMap::new(),
            pending: Vec::new(),
        };
        let mut scopes = live.site.scopes();
        scopes.push(Scope::Static);
        scopes.push(Scope::Releases);
        let rendered = live.render(&scopes, &mut Stages::default())?;
        live.commit(&scopes, rendered);
        Ok(live)
    }

    /// Every file of the site.
    pub fn files(&self) -> &HashMap<String, Arc<Vec<u8>>> {
        &self.files
    }

    /// Carries out a plan; on error nothing changes.
    pub fn apply(&mut self, plan: &Plan) -> Result<Changes, Diagnostics> {
        match plan {
            Plan::Nothing => Ok(Changes::default()),
            Plan::Full => {
                let fresh = LiveSite::build(&self.root, &self.base_url)?;
                let changes = self.difference(&fresh);
                *self = fresh;
                Ok(Changes {
                    summary: "everything (site.toml changed)".into(),
                    ..changes
                })
            }
            Plan::Partial {
                templates,
                content,
                orgs,
                statics,
            } => {
                let mut what = Vec::new();
                let mut stages = Stages::default();
                let mut scopes: BTreeSet<Scope> = BTreeSet::new();
                let theme = if *templates {
                    Some(Theme::load(&self.root)?)
                } else {
                    None
                };
                let mut undo: Vec<(String, Option<OrgEntry>)> = Vec::new();
                let mut fresh_site = None;
                if *content {
                    let content = load_content(&self.root)?;
                    fresh_site = Some(Site::anchor(self.site.config.clone(), content));
                    what.push("all content".to_string());
                } else {
                    for slug in orgs {
                        match self.reload_org(slug, &mut scopes, &mut stages) {
                            Ok(previous) => undo.push((slug.clone(), previous)),
                            Err(e) => {
                                self.undo(undo);
                                return Err(e);
                            }
                        }
                        what.push(slug.clone());
                    }
                }
                if *templates || *content {
                    what.push(if *templates { "templates".into() } else { String::new() });
                }
                if !statics.is_empty() {
                    scopes.insert(Scope::Static);
                    what.push(format!(
                        "static ({})",
                        statics.iter().cloned().collect::<Vec<_>>().join(", ")
                    ));
                }
                // Render with the new theme or content, then commit or undo.
                let old_theme = theme.map(|t| std::mem::replace(&mut self.theme, t));
                let old_site = fresh_site.map(|s| std::mem::replace(&mut self.site, s));
                if old_theme.is_some() || old_site.is_some() {
                    scopes.extend(self.site.scopes());
                    scopes.extend(self.owners.keys().filter(|s| **s != Scope::Static).cloned());
                    scopes.insert(Scope::Releases);
                }
                // An edit of organisations renders their own pages now and the hub's later.
                let defer_hub = old_theme.is_none() && old_site.is_none();
                let deferred: Vec<Scope> = if defer_hub {
                    Scope::HUB_WIDE.into_iter().filter(|s| scopes.remove(s)).collect()
                } else {
                    Vec::new()
                };
                let scopes: Vec<Scope> = scopes.into_iter().collect();
                match self.render(&scopes, &mut stages) {
                    Ok(rendered) => {
                        for scope in deferred {
                            if !self.pending.contains(&scope) {
                                self.pending.push(scope);
                            }
                        }
                        let mut changes = stages.time("commit", || self.commit(&scopes, rendered));
                        what.retain(|w| !w.is_empty());
                        changes.summary = what.join(", ");
                        changes.stages = stages;
                        Ok(changes)
                    }
                    Err(e) => {
                        if let Some(t) = old_theme {
                            self.theme = t;
                        }
                        if let Some(s) = old_site {
                            self.site = s;
                        }
                        self.undo(undo);
                        Err(e)
                    }
                }
            }
        }
    }

    /// True when an edit's hub-wide pages are still to be rendered.
    pub fn hub_stale(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Renders the next waiting hub-wide scope (the hub's pages, the search index, the topic
    /// pages, the glossary: one at a time, so an edit saved meanwhile waits for one step at
    /// most); returns what changed.
    pub fn refresh_hub(&mut self) -> Result<Changes, Diagnostics> {
        if self.pending.is_empty() {
            return Ok(Changes::default());
        }
        let scopes = [self.pending.remove(0)];
        let mut stages = Stages::default();
        let rendered = self.render(&scopes, &mut stages)?;
        let mut changes = stages.time("commit", || self.commit(&scopes, rendered));
        changes.summary = match &scopes[0] {
            Scope::Hub => "hub pages",
            Scope::Topics => "topic pages",
            Scope::Glossary => "glossary",
            Scope::Search => "search index",
            _ => "pages",
        }
        .into();
        changes.stages = stages;
        Ok(changes)
    }

    /// Re-reads one organisation's folder into the site, re-anchoring only the policies that
    /// changed, and adds the scopes to re-render. Returns what it replaced.
    fn reload_org(
        &mut self,
        slug: &str,
        scopes: &mut BTreeSet<Scope>,
        stages: &mut Stages,
    ) -> Result<Option<OrgEntry>, Diagnostics> {
        let new_org = stages.time("read", || load_org_dir(&self.root, slug))?;
        let old = self
            .site
            .org_index(slug)
            .map(|o| (&self.site.content.orgs[o], &self.site.histories[o]));
        let old_links = self.site.org_index(slug).map(|o| &self.site.links[o]);
        let same_manifest = |a: &Org, b: &Org| {
            (&a.name, &a.website, &a.description, &a.country) == (&b.name, &b.website, &b.description, &b.country)
        };
        scopes.extend(Scope::HUB_WIDE);
        scopes.insert(Scope::Org(slug.to_string()));
        // The index of a policy (by slug) in the organisation as it was.
        let previous =
            |policy: &Policy| old.and_then(|(old_org, _)| old_org.policies.iter().position(|p| p.slug == policy.slug));
        let mut replacement = None;
        if let Some(org) = new_org {
            let mut histories = Vec::with_capacity(org.policies.len());
            for policy in &org.policies {
                let before = old.zip(previous(policy)).map(|((o, h), p)| (&o.policies[p], &h[p]));
                let kept = before.and_then(|(old_policy, history)| (old_policy == policy).then(|| history.clone()));
                let changed = kept.is_none() || old.is_some_and(|(o, _)| !same_manifest(o, &org));
                if changed {
                    scopes.insert(Scope::Policy(slug.to_string(), policy.slug.clone()));
                }
                histories.push(
                    kept.unwrap_or_else(|| stages.time("parse+align", || anchor_policy(reparse(policy, before)))),
                );
            }
            // Links cross policies (references to a sibling policy): recompute the whole
            // organisation's and re-render every policy whose links changed.
            let links = stages.time("links", || link_org(&org, &histories, &self.site.topics));
            for (policy, fresh) in org.policies.iter().zip(&links) {
                let before = old_links.zip(previous(policy)).and_then(|(l, p)| l.get(p));
                if before != Some(fresh) {
                    scopes.insert(Scope::Policy(slug.to_string(), policy.slug.clone()));
                }
            }
            replacement = Some((org, histories, links));
        }
        // Policies that went away.
        if let Some((old_org, _)) = old {
            let remaining: HashSet<&str> = replacement
                .as_ref()
                .map(|(o, _, _)| o.policies.iter().map(|p| p.slug.as_str()).collect())
                .unwrap_or_default();
            for policy in old_org.policies.iter().filter(|p| !remaining.contains(p.slug.as_str())) {
                scopes.insert(Scope::Policy(slug.to_string(), policy.slug.clone()));
            }
        }
        Ok(self.site.replace_org(slug, replacement))
    }

    fn undo(&mut self, undo: Vec<(String, Option<OrgEntry>)>) {
        for (slug, previous) in undo.into_iter().rev() {
            self.site.replace_org(&slug, previous);
        }
    }

    /// Renders `scopes` (the Hub scope with the search index).
    fn render(&self, scopes: &[Scope], stages: &mut Stages) -> Result<Vec<(Scope, OutputFile)>, Diagnostics> {
        render_scopes(&self.site, &self.theme, &self.root, scopes, true, stages)
    }

    /// Puts the rendered files of `scopes` in place; returns what changed.
    fn commit(&mut self, scopes: &[Scope], rendered: Vec<(Scope, OutputFile)>) -> Changes {
        let mut changes = Changes::default();
        let mut produced: HashMap<Scope, Vec<String>> = scopes.iter().map(|s| (s.clone(), Vec::new())).collect();
        let mut fresh: HashSet<String> = HashSet::new();
        for (scope, file) in rendered {
            produced.entry(scope).or_default().push(file.path.clone());
            fresh.insert(file.path.clone());
            if self.files.get(&file.path).is_some_and(|old| **old == file.bytes) {
                continue;
            }
            let bytes = Arc::new(file.bytes);
            self.files.insert(file.path.clone(), bytes.clone());
            changes.upserts.push((file.path, bytes));
        }
        for (scope, paths) in produced {
            if let Some(previous) = self.owners.insert(scope, paths) {
                for path in previous.into_iter().filter(|p| !fresh.contains(p)) {
                    self.files.remove(&path);
                    changes.removals.push(path);
                }
            }
        }
        changes
    }

    /// The changes that turn this site's files into `other`'s.
    fn difference(&self, other: &LiveSite) -> Changes {
        let mut changes = Changes::default();
        for (path, bytes) in &other.files {
            if self.files.get(path) != Some(bytes) {
                changes.upserts.push((path.clone(), bytes.clone()));
            }
        }
        changes.removals = self
            .files
            .keys()
            .filter(|p| !other.files.contains_key(*p))
            .cloned()
            .collect();
        changes
    }
}
