//! Which hub folders the documents of an Open Terms Archive collection go to. Services and
//! terms types are slugged ([`document_slugs`]); names that differ but slug alike ("Foo Bar"
//! and "foo-bar", or a service's "Privacy Policy" and "privacy policy") get folders of their
//! own, decided from the whole collection and the hub, never from what one import selects: so
//! importing a few services first, then the rest, or a collection that gained a service since,
//! puts every document's versions where the earlier imports put them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::Path;

use super::ota::{document_slugs, untransliterated_terms_slug};
use super::write::existing_name;

/// The organisation and policy folders of every document of a collection.
pub(super) struct Folders {
    orgs: HashMap<String, String>,
    policies: HashMap<(String, String), String>,
}

impl Folders {
    /// The folders of the documents of `collection` (each service with its files' names, in
    /// the collection's order; a document is a `.md` file) in the hub at `root`.
    ///
    /// Of services that slug alike, one whose folder (the plain slug or one with `-2`, `-3`,
    /// …) names it in its `org.toml` keeps that folder, as an earlier import made it; the
    /// others take, in the collection's order, the first of those slugs that no other
    /// service's folder is (the plain slug's folder, or one whose name slugs as it, that names
    /// no service of the collection was renamed by its curator: it is taken as the next
    /// one's). Terms types of a service that slug alike get
    /// `-2`, `-3`, … in the collection's order; a terms type whose folder an earlier import
    /// named without transliterating (`pol-tica-de-privacidad`) keeps it.
    pub(super) fn new(root: &Path, collection: &[(String, Vec<String>)]) -> Folders {
        let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for (service, _) in collection {
            let (slug, _) = document_slugs(service, "");
            let members = groups.entry(slug).or_default();
            if !members.contains(&service.as_str()) {
                members.push(service);
            }
        }
        let services: HashSet<&str> = collection.iter().map(|(s, _)| s.as_str()).collect();
        let plain: HashSet<String> = groups.keys().cloned().collect();
        let named = org_names(root);
        let mut orgs = HashMap::new();
        for (slug, members) in &groups {
            // The plain slug, then -2, -3, … that are not another group's plain slug.
            let candidates = || {
                (1..)
                    .map(move |n| match n {
                        1 => slug.clone(),
                        n => format!("{slug}-{n}"),
                    })
                    .filter(|c| c == slug || !plain.contains(c))
            };
            let mut used = HashSet::new();
            for candidate in candidates().take(members.len() + named.len()) {
                let owner = named.get(&candidate).and_then(|n| n.as_deref());
                if let Some(owner) = owner.filter(|o| members.contains(o) && !orgs.contains_key(*o)) {
                    orgs.insert(owner.to_string(), candidate.clone());
                    used.insert(candidate);
                }
            }
            for member in members {
                if orgs.contains_key(*member) {
                    continue;
                }
                // A folder is free when there is none, or it names no service of the
                // collection and is the plain slug's or slugs as it (a curator's rename, not
                // a service that left the collection).
                let free = candidates()
                    .find(|c| {
                        !used.contains(c)
                            && named.get(c).is_none_or(|owner| {
                                owner.as_deref().is_none_or(|o| {
                                    !services.contains(o) && (c == slug || document_slugs(o, "").0 == *slug)
                                })
                            })
                    })
                    .expect("slugs without end");
                used.insert(free.clone());
                orgs.insert(member.to_string(), free);
            }
        }
        let mut policies = HashMap::new();
        for (service, files) in collection {
            let org = root
                .join("content")
                .join(orgs.get(service.as_str()).map_or("", String::as_str));
            let mut slugs: Vec<String> = Vec::new();
            for terms in files.iter().filter_map(|f| f.strip_suffix(".md")) {
                let (_, mut slug) = document_slugs(service, terms);
                // A folder an import made before slugs were transliterated stays the policy's.
                let before = untransliterated_terms_slug(terms);
                if before != slug && !before.is_empty() && org.join(&before).is_dir() && !org.join(&slug).is_dir() {
                    slug = before;
                }
                let mut free = slug.clone();
                let mut n = 2;
                while slugs.contains(&free) || (free != slug && terms_slug_taken(service, terms, &free, files)) {
                    free = format!("{slug}-{n}");
                    n += 1;
                }
                slugs.push(free.clone());
                policies.insert((service.clone(), terms.to_string()), free);
            }
        }
        Folders { orgs, policies }
    }

    /// The organisation and policy folders of a document of the collection.
    pub(super) fn of(&self, service: &str, terms: &str) -> (String, String) {
        let (org, policy) = document_slugs(service, terms);
        let org = self.orgs.get(service).cloned().unwrap_or(org);
        let policy = self
            .policies
            .get(&(service.to_string(), terms.to_string()))
            .cloned()
            .unwrap_or(policy);
        (org, policy)
    }
}

/// True when `slug` is the plain slug of another terms type of `service`, whose files are
/// `files`.
fn terms_slug_taken(service: &str, terms: &str, slug: &str, files: &[String]) -> bool {
    files
        .iter()
        .filter_map(|f| f.strip_suffix(".md"))
        .any(|other| other != terms && document_slugs(service, other).1 == slug)
}

/// The organisation folders of the hub at `root`, each with the name its `org.toml` gives.
fn org_names(root: &Path) -> HashMap<String, Option<String>> {
    let Ok(entries) = fs::read_dir(root.join("content")) else {
        return HashMap::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| {
            let name = existing_name(&e.path().join("org.toml"));
            (e.file_name().to_string_lossy().into_owned(), name)
        })
        .collect()
}
