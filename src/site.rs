//! The loaded hub: settings, and every organisation as a record holding its policies, each
//! with its anchored history and cross-links. Everything a page needs is known here, before a
//! single page is rendered.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::clause_index::PolicyIndex;
use crate::config::Config;
use crate::content::notice::{judged_alike, reference_date};
use crate::content::{load_content, Content, Date, Org, Policy};
use crate::document::{parse_versions, share_texts, Document};
use crate::error::{Diagnostic, Diagnostics};
use crate::history::{anchor_policy, classify_history, ChangeRules, PolicyHistory};
use crate::links::{check_patterns, link_org, resolve_policy_links, PolicyLinks, TopicRules};
use crate::stages::Stages;
use crate::summary::{clause_changes, ClauseChange};

/// A hub loaded and anchored, ready to render. Each organisation is shared (`Arc`): cloning a
/// site copies pointers, not documents, and watch mode swaps one organisation at a time.
#[derive(Debug, Clone)]
pub struct Site {
    /// The resolved `site.toml`.
    pub config: Config,
    /// The organisations, sorted by slug, with their policies, histories and cross-links.
    pub orgs: Vec<Arc<SiteOrg>>,
    /// The hub's topics (the defaults merged with `site.toml`'s `[topics]`).
    pub topics: Arc<TopicRules>,
    /// The change classifier's rules (the defaults extended by `site.toml`'s `[changes]`).
    pub changes: Arc<ChangeRules>,
    /// The hub's reference date, on which versions are pending or in force
    /// ([`reference_date`]): kept in step with `orgs` by [`Site::replace_org`].
    pub reference: Option<Date>,
}

/// An organisation of the loaded hub: `org.toml` and its policies, each with its history and
/// cross-links.
pub type SiteOrg = Org<SitePolicy>;

/// A policy of the loaded hub: its versions, their anchored history and their cross-links.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SitePolicy {
    /// `policy.toml` and the versions.
    pub policy: Policy,
    /// The anchored versions, parallel to `policy.versions`.
    pub history: PolicyHistory,
    /// The cross-links of each version, parallel to `history.versions`.
    pub links: PolicyLinks,
    /// Its share of the search index: its distinct clause texts and their terms.
    pub index: PolicyIndex,
    /// Its changed clauses, every version's, for the hub-wide lists of changes.
    pub changes: Vec<ClauseChange>,
}

impl SiteOrg {
    /// The scopes of its pages: its own and each of its policies'.
    pub fn scopes(&self) -> impl Iterator<Item = Scope> + '_ {
        std::iter::once(Scope::Org(self.slug.clone())).chain(
            self.policies
                .iter()
                .map(|p| Scope::Policy(self.slug.clone(), p.policy.slug.clone())),
        )
    }

    /// An organisation's record from its content, the histories of its policies and their
    /// cross-links (both in the order of its policies, as [`link_org`] takes and makes them);
    /// each policy's share of the search index is made here.
    pub fn new(mut org: Org, histories: Vec<PolicyHistory>, links: Vec<PolicyLinks>) -> SiteOrg {
        // The versions' texts are parsed: the record keeps their digests, not the texts.
        for version in org.policies.iter_mut().flat_map(|p| p.versions.iter_mut()) {
            version.body = String::new();
        }
        let org_slug = org.slug.clone();
        org.with_policies(|policies| {
            let records = policies.into_iter().zip(histories).zip(links);
            records
                .map(|((policy, history), links)| {
                    let index = PolicyIndex::new(&org_slug, &policy, &history, &links);
                    let changes = clause_changes(&history, &links);
                    SitePolicy {
                        policy,
                        history,
                        links,
                        index,
                        changes,
                    }
                })
                .collect()
        })
    }
}

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

    /// The organisation whose own pages the scope is (its page, or one of its policies').
    pub fn org(&self) -> Option<&str> {
        match self {
            Scope::Org(org) | Scope::Policy(org, _) => Some(org),
            _ => None,
        }
    }

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

/// The documents of a policy's versions, their equal texts shared: what its history is
/// anchored from (parsed from the bodies each time: an anchored history's blocks hold links
/// already resolved against its clause ids and source addresses, which an edit may change).
pub(crate) fn parse_policy(policy: &Policy) -> Vec<Document> {
    let mut documents = parse_versions(policy.versions.iter().map(|v| v.body.as_str()));
    share_texts(documents.iter_mut().flat_map(|d| d.blocks.iter_mut()));
    documents
}

impl Site {
    /// Loads `site.toml` and `content/`, parses every version and anchors its clauses.
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Site, Diagnostics> {
        let (config, content) = Site::read(root, base_url)?;
        Ok(Site::anchor(config, content))
    }

    /// Reads `site.toml` and `content/`, reporting the problems of both together.
    pub fn read(root: &Path, base_url: Option<&str>) -> Result<(Config, Content), Diagnostics> {
        match (Site::read_config(root, base_url), load_content(root)) {
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

    /// Reads `site.toml` (with its topic patterns checked).
    pub fn read_config(root: &Path, base_url: Option<&str>) -> Result<Config, Diagnostic> {
        Config::load(root, base_url).and_then(|c| check_patterns(&c.topics).map(|()| c))
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
        let orgs = Site::anchor_orgs(&config, &topics, &changes, content, stages);
        Site::with_rules(config, orgs, topics, changes)
    }

    /// The organisations of `content` parsed, anchored and cross-linked by the hub's rules,
    /// in the order they come, timing the stages (each in parallel over the organisations).
    pub(crate) fn anchor_orgs(
        config: &Config,
        topics: &TopicRules,
        changes: &ChangeRules,
        mut content: Content,
        stages: &mut Stages,
    ) -> Vec<Arc<SiteOrg>> {
        let documents: Vec<Vec<Vec<Document>>> = stages.time("parse", || {
            content
                .orgs
                .par_iter()
                .map(|org| org.policies.par_iter().map(parse_policy).collect())
                .collect()
        });
        // The texts are parsed: only their digests are kept (a tenth of a large hub's memory).
        content
            .orgs
            .par_iter_mut()
            .flat_map(|org| org.policies.par_iter_mut())
            .for_each(|policy| policy.versions.iter_mut().for_each(|v| v.body = String::new()));
        let mut histories: Vec<Vec<PolicyHistory>> = stages.time("align", || {
            documents
                .into_par_iter()
                .map(|policies| policies.into_par_iter().map(anchor_policy).collect())
                .collect()
        });
        // A policy's links to itself and its site resolve against its anchored clauses.
        stages.time("own links", || {
            histories
                .par_iter_mut()
                .zip(&content.orgs)
                .for_each(|(histories, org)| {
                    histories
                        .par_iter_mut()
                        .zip(&org.policies)
                        .for_each(|(history, policy)| resolve_policy_links(policy, history, config.remote_images));
                });
        });
        stages.time("classify", || {
            histories
                .par_iter_mut()
                .flat_map(|policies| policies.par_iter_mut())
                .for_each(|history| classify_history(history, changes));
        });
        let links: Vec<Vec<PolicyLinks>> = stages.time("links", || {
            content
                .orgs
                .par_iter()
                .zip(&histories)
                .map(|(org, histories)| link_org(org, histories, topics))
                .collect()
        });
        stages.time("index", || {
            content
                .orgs
                .into_par_iter()
                .zip(histories)
                .zip(links)
                .map(|((org, histories), links)| Arc::new(SiteOrg::new(org, histories, links)))
                .collect()
        })
    }

    /// A site of the same settings and rules with other organisations (sorted by slug), on
    /// the reference date given: a part of the hub, whose own pages are rendered from it
    /// while the other organisations are made.
    pub(crate) fn with_orgs(&self, orgs: Vec<Arc<SiteOrg>>, reference: Option<Date>) -> Site {
        Site {
            config: self.config.clone(),
            orgs,
            topics: self.topics.clone(),
            changes: self.changes.clone(),
            reference,
        }
    }

    /// A site of organisations anchored before (by a build, kept in the cache), sorted by slug.
    pub(crate) fn from_orgs(config: Config, orgs: Vec<Arc<SiteOrg>>) -> Site {
        let topics = TopicRules::new(&config.topics);
        let changes = ChangeRules::new(&config.changes);
        Site::with_rules(config, orgs, topics, changes)
    }

    fn with_rules(config: Config, orgs: Vec<Arc<SiteOrg>>, topics: TopicRules, changes: ChangeRules) -> Site {
        let mut site = Site {
            config,
            orgs,
            topics: Arc::new(topics),
            changes: Arc::new(changes),
            reference: None,
        };
        site.reference = site.reference_date();
        site
    }

    /// The hub's reference date as its versions and `SOURCE_DATE_EPOCH` say.
    fn reference_date(&self) -> Option<Date> {
        reference_date(self.config.source_date, self.policies().map(|(_, p)| &p.policy))
    }

    /// An organisation by slug.
    pub fn org(&self, slug: &str) -> Option<&SiteOrg> {
        let found = self.orgs.binary_search_by(|o| o.slug.as_str().cmp(slug));
        found.ok().map(|o| &*self.orgs[o])
    }

    /// A policy by organisation and policy slug, with its organisation.
    pub fn policy(&self, org: &str, policy: &str) -> Option<(&SiteOrg, &SitePolicy)> {
        let org = self.org(org)?;
        let found = org.policies.binary_search_by(|p| p.policy.slug.as_str().cmp(policy));
        Some((org, &org.policies[found.ok()?]))
    }

    /// Every policy with its organisation, in the hub's order.
    pub fn policies(&self) -> impl Iterator<Item = (&SiteOrg, &SitePolicy)> {
        self.orgs
            .iter()
            .flat_map(|org| org.policies.iter().map(move |policy| (&**org, policy)))
    }

    /// Replaces an organisation (by slug) with a new one, or removes it (`None`), keeping
    /// organisations sorted, and the reference date in step. Returns what was there, to undo
    /// the change.
    pub fn replace_org(&mut self, slug: &str, new: Option<Arc<SiteOrg>>) -> Option<Arc<SiteOrg>> {
        let found = self.orgs.binary_search_by(|o| o.slug.as_str().cmp(slug));
        let replaced = match (found, new) {
            (Ok(i), Some(org)) => Some(std::mem::replace(&mut self.orgs[i], org)),
            (Ok(i), None) => Some(self.orgs.remove(i)),
            (Err(i), Some(org)) => {
                self.orgs.insert(i, org);
                None
            }
            (Err(_), None) => None,
        };
        self.reference = self.reference_date();
        replaced
    }

    /// Every scope of the site: what a full build renders.
    pub fn scopes(&self) -> Vec<Scope> {
        let mut scopes = Scope::HUB_WIDE.to_vec();
        for org in &self.orgs {
            scopes.extend(org.scopes());
        }
        scopes
    }

    /// The organisations whose pages read otherwise judged on reference date `then` than on
    /// the site's ([`crate::content::notice::judged_alike`]).
    pub(crate) fn rejudged(&self, then: Option<Date>) -> impl Iterator<Item = &SiteOrg> {
        self.orgs.iter().map(|o| &**o).filter(move |org| {
            org.policies
                .iter()
                .any(|p| !judged_alike(&p.policy, then, self.reference))
        })
    }

    /// True when the site renders `scope`: always for the hub's own scopes, for an
    /// organisation's or a policy's while the site has it.
    pub fn has_scope(&self, scope: &Scope) -> bool {
        match scope {
            Scope::Org(org) => self.org(org).is_some(),
            Scope::Policy(org, policy) => self
                .org(org)
                .is_some_and(|o| o.policies.iter().any(|p| p.policy.slug == *policy)),
            _ => true,
        }
    }

    /// How many organisations, policies and versions the hub has.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts {
            orgs: self.orgs.len(),
            ..Counts::default()
        };
        for (_, record) in self.policies() {
            counts.policies += 1;
            counts.versions += record.policy.versions.len();
        }
        counts
    }
}
