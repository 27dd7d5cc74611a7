//! The loaded hub: settings, content and every policy's anchored history. Everything a page
//! needs is known here, before a single page is rendered.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::notice::reference_date;
use crate::content::{load_content, Content, Date, Org, Policy};
use crate::document::{parse, Document};
use crate::error::Diagnostics;
use crate::history::{anchor_policy, classify_history, ChangeRules, PolicyHistory};
use crate::links::{check_patterns, link_org, resolve_policy_links, PolicyLinks, TopicRules};
use crate::stages::Stages;

/// A hub loaded and anchored, ready to render. Each organisation's part is shared (`Arc`):
/// cloning a site copies pointers, not documents.
#[derive(Debug, Clone)]
pub struct Site {
    /// The resolved `site.toml`.
    pub config: Config,
    /// The organisations, policies and versions.
    pub content: Content,
    /// Each policy's anchored versions: `histories[org][policy]`, parallel to `content`.
    pub histories: Vec<Arc<Vec<PolicyHistory>>>,
    /// Each policy's cross-links: `links[org][policy]`, parallel to `histories`.
    pub links: Vec<Arc<Vec<PolicyLinks>>>,
    /// The hub's topics (the defaults merged with `site.toml`'s `[topics]`).
    pub topics: Arc<TopicRules>,
    /// The change classifier's rules (the defaults extended by `site.toml`'s `[changes]`).
    pub changes: Arc<ChangeRules>,
    /// The hub's reference date, on which versions are pending or in force
    /// ([`reference_date`]): kept in step with `content` by [`Site::replace_org`].
    pub reference: Option<Date>,
}

/// An organisation with the histories and cross-links of its policies: what watch mode swaps
/// in and out.
pub(crate) type OrgEntry = (Arc<Org>, Arc<Vec<PolicyHistory>>, Arc<Vec<PolicyLinks>>);

/// A part of the site that depends on one part of the content: what a change re-renders.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Pages that list the whole hub: home, recent changes, 404, the search page, the hub
    /// feed, the API index, the sitemap.
    Hub,
    /// `/topics/` and every topic's pages.
    Topics,
    /// `/glossary/`.
    Glossary,
    /// The search index.
    Search,
    /// An organisation's page (by slug).
    Org(String),
    /// A policy's pages, feed and JSON (organisation and policy slugs).
    Policy(String, String),
    /// The theme's static files.
    Static,
    /// The archived releases and their index page (`/releases/`).
    Releases,
}

impl Scope {
    /// The scopes that depend on every organisation: what any content edit touches.
    pub const HUB_WIDE: [Scope; 4] = [Scope::Hub, Scope::Topics, Scope::Glossary, Scope::Search];

    /// What the scope is, for the terminal.
    pub fn describe(&self) -> String {
        match self {
            Scope::Hub => "hub pages".into(),
            Scope::Topics => "topic pages".into(),
            Scope::Glossary => "glossary".into(),
            Scope::Search => "search index".into(),
            Scope::Org(org) => org.clone(),
            Scope::Policy(org, policy) => format!("{org}/{policy}"),
            Scope::Static => "static files".into(),
            Scope::Releases => "releases".into(),
        }
    }
}

/// Figures about a hub.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub orgs: usize,
    pub policies: usize,
    pub versions: usize,
}

impl Site {
    /// Loads `site.toml` and `content/`, parses every version and anchors its clauses.
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Site, Diagnostics> {
        let (config, content) = Site::read(root, base_url)?;
        Ok(Site::anchor(config, content))
    }

    /// Reads `site.toml` and `content/`, reporting the problems of both together.
    pub fn read(root: &Path, base_url: Option<&str>) -> Result<(Config, Content), Diagnostics> {
        let config = Config::load(root, base_url).and_then(|c| check_patterns(&c.topics).map(|()| c));
        match (config, load_content(root)) {
            (Ok(config), Ok(content)) => Ok((config, content)),
            (config, content) => {
                let mut problems = Diagnostics::default();
                if let Err(d) = config {
                    problems.push(d);
                }
                if let Err(more) = content {
                    problems.0.extend(more.0);
                }
                Err(problems.into_result(()).unwrap_err())
            }
        }
    }

    /// Parses every version of the content, anchors each policy's clauses and finds its
    /// cross-links.
    pub fn anchor(config: Config, content: Content) -> Site {
        Site::anchor_timed(config, content, &mut Stages::default())
    }

    /// [`Site::anchor`], timing its stages: parse, align, links (each in parallel).
    pub fn anchor_timed(config: Config, content: Content, stages: &mut Stages) -> Site {
        let topics = TopicRules::new(&config.topics);
        let changes = ChangeRules::new(&config.changes);
        let documents: Vec<Vec<Vec<Document>>> = stages.time("parse", || {
            content
                .orgs
                .par_iter()
                .map(|org| {
                    org.policies
                        .par_iter()
                        .map(|policy| policy.versions.par_iter().map(|v| parse(&v.body)).collect())
                        .collect()
                })
                .collect()
        });
        let mut histories: Vec<Vec<PolicyHistory>> = stages.time("align", || {
            documents
                .into_par_iter()
                .zip(&content.orgs)
                .map(|(policies, org)| {
                    let anchored = policies.into_par_iter().zip(&org.policies).map(|(documents, policy)| {
                        let mut history = anchor_policy(documents);
                        resolve_policy_links(policy, &mut history, config.remote_images);
                        history
                    });
                    anchored.collect()
                })
                .collect()
        });
        stages.time("classify", || {
            histories
                .par_iter_mut()
                .flat_map(|policies| policies.par_iter_mut())
                .for_each(|history| classify_history(history, &changes));
        });
        let histories: Vec<Arc<Vec<PolicyHistory>>> = histories.into_iter().map(Arc::new).collect();
        let links = stages.time("links", || {
            content
                .orgs
                .par_iter()
                .zip(&histories)
                .map(|(org, histories)| Arc::new(link_org(org, histories, &topics)))
                .collect()
        });
        Site {
            reference: reference_date(config.source_date, &content),
            config,
            content,
            histories,
            links,
            topics: Arc::new(topics),
            changes: Arc::new(changes),
        }
    }

    /// Every policy with its organisation and history.
    pub fn policies(&self) -> impl Iterator<Item = (&Org, &Policy, &PolicyHistory)> {
        self.content
            .orgs
            .iter()
            .zip(&self.histories)
            .flat_map(|(org, histories)| {
                org.policies
                    .iter()
                    .zip(histories.iter())
                    .map(move |(policy, history)| (&**org, policy, history))
            })
    }

    /// Replaces an organisation (by slug) with a new one and its histories, or removes it
    /// (`None`), keeping organisations sorted, and the reference date in step. Returns what was
    /// there, to undo the change.
    pub fn replace_org(&mut self, slug: &str, new: Option<OrgEntry>) -> Option<OrgEntry> {
        let replaced = self.swap_org(slug, new);
        self.reference = reference_date(self.config.source_date, &self.content);
        replaced
    }

    fn swap_org(&mut self, slug: &str, new: Option<OrgEntry>) -> Option<OrgEntry> {
        let found = self.content.orgs.binary_search_by(|o| o.slug.as_str().cmp(slug));
        match (found, new) {
            (Ok(i), Some((org, histories, links))) => Some((
                std::mem::replace(&mut self.content.orgs[i], org),
                std::mem::replace(&mut self.histories[i], histories),
                std::mem::replace(&mut self.links[i], links),
            )),
            (Ok(i), None) => Some((
                self.content.orgs.remove(i),
                self.histories.remove(i),
                self.links.remove(i),
            )),
            (Err(i), Some((org, histories, links))) => {
                self.content.orgs.insert(i, org);
                self.histories.insert(i, histories);
                self.links.insert(i, links);
                None
            }
            (Err(_), None) => None,
        }
    }

    /// Every scope of the site: what a full build renders.
    pub fn scopes(&self) -> Vec<Scope> {
        let mut scopes = Scope::HUB_WIDE.to_vec();
        for org in &self.content.orgs {
            scopes.push(Scope::Org(org.slug.clone()));
            scopes.extend(
                org.policies
                    .iter()
                    .map(|p| Scope::Policy(org.slug.clone(), p.slug.clone())),
            );
        }
        scopes
    }

    /// The index of an organisation by slug.
    pub fn org_index(&self, slug: &str) -> Option<usize> {
        self.content.orgs.binary_search_by(|o| o.slug.as_str().cmp(slug)).ok()
    }

    /// The indexes of a policy by organisation and policy slug.
    pub fn policy_index(&self, org: &str, policy: &str) -> Option<(usize, usize)> {
        let o = self.org_index(org)?;
        let p = self.content.orgs[o]
            .policies
            .binary_search_by(|p| p.slug.as_str().cmp(policy))
            .ok()?;
        Some((o, p))
    }

    /// How many organisations, policies and versions the hub has.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts {
            orgs: self.content.orgs.len(),
            ..Counts::default()
        };
        for (_, policy, _) in self.policies() {
            counts.policies += 1;
            counts.versions += policy.versions.len();
        }
        counts
    }
}
