//! Every URL and output path of the site: the site path of each kind of page, feed, JSON file
//! and download, the file each is written to, and [`Urls`], which puts the base path or the
//! base URL before a site path. A leaf: it reads slugs, ids and the base path, nothing else of
//! the crate; a new kind of page is one new function here.
//!
//! A site path is relative to the site's root, without a leading slash (`acme/privacy/`); a
//! page's ends with `/` (its file is `index.html` inside, see [`output_path`]).

/// How many organisations a topic page compares; more go on further pages, so a topic page
/// stays readable on a phone however large the hub.
pub const TOPIC_ORGS_PER_PAGE: usize = 25;

/// The site folder under which builds publish the archived releases: `releases`.
pub const PUBLISH_DIR: &str = "releases";

/// The site folder of the search index: `search-index`.
pub const SEARCH_DIR: &str = "search-index";

// Pages.

/// The top-level folders of the hub's own pages: no organisation may take one as its slug,
/// or its pages would overwrite the hub's.
pub const HUB_FOLDERS: [&str; 7] = ["api", "changes", "glossary", "releases", "search", SEARCH_DIR, "topics"];

/// The home page: `` (the site's root).
pub fn home() -> &'static str {
    ""
}

/// An organisation's page: `acme/`.
pub fn org(org: &str) -> String {
    format!("{org}/")
}

/// The output folders that hold an organisation's files and no one else's: its pages
/// (`acme/`), its JSON (`api/acme/`) and its search records (`search-index/docs/acme/`).
pub fn org_folders(org: &str) -> [String; 3] {
    [org.to_string(), format!("api/{org}"), search_docs_folder(org)]
}

/// True when the output path `path` lies inside the output folder `folder`: `acme/x.html` in
/// `acme`, not `acme-2/x.html`.
pub fn inside(path: &str, folder: &str) -> bool {
    path.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/'))
}

/// A policy's canonical page, its latest version: `acme/privacy/`.
pub fn policy(org: &str, policy: &str) -> String {
    format!("{org}/{policy}/")
}

/// A version's permanent page: `acme/privacy/2024-01-01/`.
pub fn version(org: &str, policy: &str, version: &str) -> String {
    format!("{org}/{policy}/{version}/")
}

/// A version's redline against the version before it: `acme/privacy/2024-01-01/diff/`.
pub fn redline(org: &str, policy: &str, version: &str) -> String {
    format!("{org}/{policy}/{version}/diff/")
}

/// A policy's clause history: `acme/privacy/clauses/`.
pub fn clauses(org: &str, policy: &str) -> String {
    format!("{org}/{policy}/clauses/")
}

/// The clause history relative to the policy's page (`clauses/`) or to a version's page
/// (`../clauses/`): clause links are many, so they are short.
pub fn clauses_relative(from_version: bool) -> &'static str {
    if from_version {
        "../clauses/"
    } else {
        "clauses/"
    }
}

/// A policy's timeline, every version and what changed in each: `acme/privacy/changes/`.
pub fn timeline(org: &str, policy: &str) -> String {
    format!("{org}/{policy}/changes/")
}

/// A policy's point-in-time page, which version was in force on a day: `acme/privacy/at/`.
pub fn point_in_time(org: &str, policy: &str) -> String {
    format!("{org}/{policy}/at/")
}

/// A policy's compare page, the redline of any two versions: `acme/privacy/compare/`.
pub fn compare(org: &str, policy: &str) -> String {
    format!("{org}/{policy}/compare/")
}

/// The compare page opened on two versions (as `version_ref` names them):
/// `acme/privacy/compare/?from=2023-01-01&to=2024-01-01`.
pub fn compare_versions(org: &str, policy: &str, from: &str, to: &str) -> String {
    format!("{}?from={from}&to={to}", compare(org, policy))
}

/// A clause on a page (any URL of it, with or without the base path): `acme/privacy/#retention-1`.
pub fn anchor(page: &str, id: &str) -> String {
    format!("{page}#{id}")
}

/// The hub's recent changes: `changes/`.
pub fn recent_changes() -> &'static str {
    "changes/"
}

/// The glossary of defined terms: `glossary/`.
pub fn glossary() -> &'static str {
    "glossary/"
}

/// The search page: `search/`.
pub fn search() -> &'static str {
    "search/"
}

/// The list of topics: `topics/`.
pub fn topics() -> &'static str {
    "topics/"
}

/// A topic's (first) page: `topics/cookies/`.
pub fn topic(slug: &str) -> String {
    format!("topics/{slug}/")
}

/// The pages of a topic for a hub of `orgs` organisations, [`TOPIC_ORGS_PER_PAGE`] to a page:
/// `topics/cookies/`, then `topics/cookies/2/`, `topics/cookies/3/`...
pub fn topic_pages(slug: &str, orgs: usize) -> Vec<String> {
    let pages = orgs.div_ceil(TOPIC_ORGS_PER_PAGE).max(1);
    (1..=pages)
        .map(|n| match n {
            1 => topic(slug),
            n => format!("topics/{slug}/{n}/"),
        })
        .collect()
}

/// The page for any URL that leads nowhere: `404.html` (a file, not a folder).
pub fn not_found() -> &'static str {
    "404.html"
}

/// The index of the archived releases: `releases/`.
pub fn releases() -> String {
    format!("{PUBLISH_DIR}/")
}

/// A release's published copy of its site: `releases/r1/`.
pub fn release(name: &str) -> String {
    format!("{PUBLISH_DIR}/{name}/")
}

/// A file of a release's published site, by its path in the release: `releases/r1/acme/index.html`.
pub fn release_file(name: &str, path: &str) -> String {
    format!("{PUBLISH_DIR}/{name}/{path}")
}

/// A release's three downloads, tarball, manifest and metadata:
/// `releases/r1.tar.gz`, `releases/r1.SHA256SUMS.txt`, `releases/r1.release.toml`.
pub fn release_downloads(name: &str) -> [String; 3] {
    [
        format!("{PUBLISH_DIR}/{name}.tar.gz"),
        format!("{PUBLISH_DIR}/{name}.SHA256SUMS.txt"),
        format!("{PUBLISH_DIR}/{name}.release.toml"),
    ]
}

/// The stamp recording how a release was published: `releases/.published/r1`.
pub fn release_stamp(name: &str) -> String {
    format!("{PUBLISH_DIR}/.published/{name}")
}

// Feeds.

/// The hub's feed of recent changes: `feed.xml`.
pub fn hub_feed() -> &'static str {
    "feed.xml"
}

/// The hub's feed of recent substantive changes: `feed-substantive.xml`.
pub fn hub_substantive_feed() -> &'static str {
    "feed-substantive.xml"
}

/// An organisation's feed: `acme/feed.xml`.
pub fn org_feed(org: &str) -> String {
    format!("{org}/feed.xml")
}

/// A policy's feed: `acme/privacy/feed.xml`.
pub fn policy_feed(org: &str, policy: &str) -> String {
    format!("{org}/{policy}/feed.xml")
}

/// A policy's feed of substantive changes: `acme/privacy/feed-substantive.xml`.
pub fn policy_substantive_feed(org: &str, policy: &str) -> String {
    format!("{org}/{policy}/feed-substantive.xml")
}

/// A topic's feed of substantive changes: `topics/cookies/feed.xml`.
pub fn topic_feed(slug: &str) -> String {
    format!("topics/{slug}/feed.xml")
}

// The JSON API and data files.

/// The API's index of every organisation and policy: `api/index.json`.
pub fn api_index() -> &'static str {
    "api/index.json"
}

/// A policy's JSON, its versions and lineages: `api/acme/privacy.json`.
pub fn api_policy(org: &str, policy: &str) -> String {
    format!("api/{org}/{policy}.json")
}

/// A version's JSON, its clauses: `api/acme/privacy/2024-01-01.json`.
pub fn api_version(org: &str, policy: &str, version: &str) -> String {
    format!("api/{org}/{policy}/{version}.json")
}

/// The changes dataset: `api/changes.csv`.
pub fn changes_csv() -> &'static str {
    "api/changes.csv"
}

/// The search index's first file, what the client reads first: `search-index/meta.json`.
pub fn search_meta() -> String {
    format!("{SEARCH_DIR}/meta.json")
}

/// A chunk of a policy's records in the search index: `search-index/docs/acme/privacy-policy/0.json`.
pub fn search_docs(org: &str, policy: &str, chunk: usize) -> String {
    format!("{}/{policy}/{chunk}.json", search_docs_folder(org))
}

/// The folder of an organisation's records in the search index: `search-index/docs/acme`.
fn search_docs_folder(org: &str) -> String {
    format!("{SEARCH_DIR}/{SEARCH_DOCS}/{org}")
}

/// The search index's folder of records, in [`SEARCH_DIR`]: `docs`.
pub const SEARCH_DOCS: &str = "docs";

/// A shard of the search index's terms: `search-index/terms/6162.json`.
pub fn search_terms(shard: &str) -> String {
    format!("{SEARCH_DIR}/terms/{shard}.json")
}

/// The ids of a topic's records in the search index: `search-index/topics/cookies.json`.
pub fn search_topic(slug: &str) -> String {
    format!("{SEARCH_DIR}/topics/{slug}.json")
}

/// The sitemap: `sitemap.xml`.
pub fn sitemap() -> &'static str {
    "sitemap.xml"
}

/// The rules for crawlers: `robots.txt`.
pub fn robots() -> &'static str {
    "robots.txt"
}

/// The generated code-highlighting stylesheet, beside the theme's static files: `syntax.css`.
pub fn syntax_css() -> &'static str {
    "syntax.css"
}

// Output paths.

/// The file a site path is written to: a page's `index.html` (`acme/` → `acme/index.html`,
/// `` → `index.html`); any other file is its own path (`404.html`, `feed.xml`).
pub fn output_path(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The site path of an output file, the inverse of [`output_path`]: `acme/index.html` →
/// `acme/`, `index.html` → ``; any other file is its own path.
pub fn site_path(file: &str) -> String {
    if file == "index.html" {
        return String::new();
    }
    match file.strip_suffix("/index.html") {
        Some(folder) => format!("{folder}/"),
        None => file.to_string(),
    }
}

/// URLs of the site, all with the base path so the site works from a sub-path.
#[derive(Debug, Clone)]
pub struct Urls {
    base_path: String,
    base_url: String,
}

impl Urls {
    /// The URLs of a site at `base_path` (`/hub`, or empty) of `base_url` (`https://example.org/hub`).
    pub fn new(base_path: &str, base_url: &str) -> Self {
        Urls {
            base_path: base_path.to_string(),
            base_url: base_url.to_string(),
        }
    }

    /// A site path with the base path: `acme/` → `/hub/acme/`.
    pub fn path(&self, path: &str) -> String {
        format!("{}/{}", self.base_path, path)
    }

    /// The absolute URL of a site path: `acme/` → `https://example.org/hub/acme/`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}/{}", self.base_url, path)
    }

    /// The absolute URL of a URL with the base path: `/hub/acme/` → `https://example.org/hub/acme/`.
    pub fn to_absolute(&self, url: &str) -> String {
        self.absolute(url.trim_start_matches(&self.path("")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_a_policy() {
        assert_eq!(home(), "");
        assert_eq!(org("acme"), "acme/");
        assert_eq!(policy("acme", "privacy"), "acme/privacy/");
        assert_eq!(version("acme", "privacy", "2024-01-01"), "acme/privacy/2024-01-01/");
        assert_eq!(
            redline("acme", "privacy", "2024-01-01"),
            "acme/privacy/2024-01-01/diff/"
        );
        assert_eq!(clauses("acme", "privacy"), "acme/privacy/clauses/");
        assert_eq!(timeline("acme", "privacy"), "acme/privacy/changes/");
        assert_eq!(point_in_time("acme", "privacy"), "acme/privacy/at/");
        assert_eq!(compare("acme", "privacy"), "acme/privacy/compare/");
        assert_eq!(
            compare_versions("acme", "privacy", "2023-01-01", "2024-01-01.1"),
            "acme/privacy/compare/?from=2023-01-01&to=2024-01-01.1"
        );
        assert_eq!(
            anchor(&policy("acme", "privacy"), "retention-1"),
            "acme/privacy/#retention-1"
        );
    }

    #[test]
    fn clause_history_is_relative_to_the_page() {
        // From `acme/privacy/` and from `acme/privacy/2024-01-01/`, both reach `acme/privacy/clauses/`.
        assert_eq!(clauses_relative(false), "clauses/");
        assert_eq!(clauses_relative(true), "../clauses/");
    }

    #[test]
    fn hub_pages() {
        assert_eq!(recent_changes(), "changes/");
        assert_eq!(glossary(), "glossary/");
        assert_eq!(search(), "search/");
        assert_eq!(topics(), "topics/");
        assert_eq!(topic("cookies"), "topics/cookies/");
        assert_eq!(not_found(), "404.html");
        assert_eq!(releases(), "releases/");
        assert_eq!(release("r1"), "releases/r1/");
        assert_eq!(release_file("r1", "acme/index.html"), "releases/r1/acme/index.html");
        assert_eq!(
            release_downloads("r1"),
            [
                "releases/r1.tar.gz",
                "releases/r1.SHA256SUMS.txt",
                "releases/r1.release.toml"
            ]
        );
        assert_eq!(release_stamp("r1"), "releases/.published/r1");
    }

    #[test]
    fn a_topic_has_a_page_per_so_many_organisations() {
        assert_eq!(topic_pages("cookies", 0), ["topics/cookies/"]);
        assert_eq!(topic_pages("cookies", TOPIC_ORGS_PER_PAGE), ["topics/cookies/"]);
        assert_eq!(
            topic_pages("cookies", 2 * TOPIC_ORGS_PER_PAGE + 1),
            ["topics/cookies/", "topics/cookies/2/", "topics/cookies/3/"]
        );
    }

    #[test]
    fn feeds_and_data_files() {
        assert_eq!(hub_feed(), "feed.xml");
        assert_eq!(hub_substantive_feed(), "feed-substantive.xml");
        assert_eq!(org_feed("acme"), "acme/feed.xml");
        assert_eq!(policy_feed("acme", "privacy"), "acme/privacy/feed.xml");
        assert_eq!(
            policy_substantive_feed("acme", "privacy"),
            "acme/privacy/feed-substantive.xml"
        );
        assert_eq!(topic_feed("cookies"), "topics/cookies/feed.xml");
        assert_eq!(api_index(), "api/index.json");
        assert_eq!(api_policy("acme", "privacy"), "api/acme/privacy.json");
        assert_eq!(
            api_version("acme", "privacy", "2024-01-01"),
            "api/acme/privacy/2024-01-01.json"
        );
        assert_eq!(changes_csv(), "api/changes.csv");
        assert_eq!(search_meta(), "search-index/meta.json");
        assert_eq!(
            search_docs("acme", "privacy-policy", 3),
            "search-index/docs/acme/privacy-policy/3.json"
        );
        assert_eq!(search_terms("6162"), "search-index/terms/6162.json");
        assert_eq!(search_topic("cookies"), "search-index/topics/cookies.json");
        assert_eq!(sitemap(), "sitemap.xml");
        assert_eq!(robots(), "robots.txt");
        assert_eq!(syntax_css(), "syntax.css");
    }

    #[test]
    fn an_organisations_folders_hold_only_its_paths() {
        assert_eq!(org_folders("acme"), ["acme", "api/acme", "search-index/docs/acme"]);
        for folder in org_folders("acme") {
            assert!(inside(&format!("{folder}/x.json"), &folder));
        }
        assert!(inside(&search_docs("acme", "privacy", 0), &org_folders("acme")[2]));
        assert!(!inside(&search_docs("acme-2", "privacy", 0), &org_folders("acme")[2]));
        assert!(!inside("acme-2/index.html", "acme"));
        assert!(!inside("acme", "acme"));
        assert!(!inside("api/acme.json", "api/acme"));
    }

    #[test]
    fn a_page_is_written_to_its_index_html_and_read_back() {
        assert_eq!(output_path(home()), "index.html");
        assert_eq!(output_path(&org("acme")), "acme/index.html");
        assert_eq!(
            output_path(&redline("acme", "p", "2024-01-01")),
            "acme/p/2024-01-01/diff/index.html"
        );
        assert_eq!(output_path(not_found()), "404.html");
        assert_eq!(output_path(hub_feed()), "feed.xml");
        for path in [home().to_string(), org("acme"), topic("cookies"), not_found().into()] {
            assert_eq!(site_path(&output_path(&path)), path);
        }
        assert_eq!(site_path("acme/style.css"), "acme/style.css");
    }

    #[test]
    fn urls_carry_the_base_path() {
        let urls = Urls::new("/hub", "https://example.org/hub");
        assert_eq!(urls.path(home()), "/hub/");
        assert_eq!(urls.path(&policy("acme", "privacy")), "/hub/acme/privacy/");
        assert_eq!(urls.absolute(&org("acme")), "https://example.org/hub/acme/");
        assert_eq!(urls.absolute(sitemap()), "https://example.org/hub/sitemap.xml");
        assert_eq!(
            urls.to_absolute("/hub/acme/privacy/"),
            "https://example.org/hub/acme/privacy/"
        );
    }

    #[test]
    fn urls_at_the_root_of_a_domain() {
        let urls = Urls::new("", "https://example.org");
        assert_eq!(urls.path(home()), "/");
        assert_eq!(urls.path(&topic("cookies")), "/topics/cookies/");
        assert_eq!(urls.absolute(hub_feed()), "https://example.org/feed.xml");
        assert_eq!(
            urls.to_absolute("/acme/2024-01-01/"),
            "https://example.org/acme/2024-01-01/"
        );
    }
}
