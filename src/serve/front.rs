//! The home page `serve` served, kept in the build cache for its next start: while the hub's
//! inputs are exactly as they were (content, templates, static files, archive, `site.toml`,
//! the binary and the address served), `serve` answers with it at once and loads the hub
//! behind it, in the time a rebuild with nothing changed takes to see that nothing did.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::live::path_key;
use super::packed::Packed;
use crate::cache::Inputs;
use crate::pipeline::{hub_inputs, HubScan};

/// The file of the build cache that holds it.
const NAME: &str = "serve-front.bin";

/// What `serve` serves before the hub is loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Front {
    /// What a browser loads of the home page's scope (the home page, recent changes, feeds)
    /// and the static files (not those over a megabyte).
    pub files: Vec<FrontFile>,
    /// The path keys of the site's other pages: a request for one of them waits for the hub
    /// to load and the page to render, where it would have found a 404.
    pub waiting: Vec<String>,
}

/// A file of the [`Front`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontFile {
    pub path: String,
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

impl Front {
    /// The front of a site whose home page's scope and static files are `files`, and whose
    /// other pages have the path keys `waiting`. The data files among `files` (the JSON API,
    /// the changes dataset, the sitemap: megabytes on a large hub) are left out, their path
    /// keys waited for like the other pages'.
    pub fn new(files: &[(String, Arc<Packed>)], mut waiting: BTreeSet<String>) -> Front {
        let (shown, data): (Vec<_>, Vec<_>) = files.iter().partition(|(path, bytes)| for_readers(path, bytes.len()));
        waiting.extend(data.iter().map(|(path, _)| path_key(path).to_string()));
        let files = shown.into_iter().map(|(path, bytes)| FrontFile {
            path: path.clone(),
            bytes: bytes.bytes(),
        });
        let mut files: Vec<FrontFile> = files.collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Front {
            files,
            waiting: waiting.into_iter().collect(),
        }
    }

    /// The front kept for the hub in `root` served at `base_url`, if its inputs are still
    /// those it was kept for.
    pub fn cached(root: &Path, base_url: &str) -> Option<Front> {
        Front::scanned(&HubScan::of(root, Some(base_url)))
    }

    /// [`Front::cached`], for the hub as `scan` read it (at the address it was read for).
    pub(crate) fn scanned(scan: &HubScan) -> Option<Front> {
        let (cache, inputs) = scan.inputs()?;
        cache.kept(NAME, inputs)
    }

    /// Keeps this front for the next start of `serve` on the hub in `root` at `base_url`,
    /// unless the hub's inputs are no longer `made_from` (those its pages were made from,
    /// where known), or an input file changed since `read_since` (nanoseconds since 1970: when
    /// the site last read the hub's files; a file saved since may not be in its pages). Says
    /// whether it was kept; failing to is never an error (it is a shortcut).
    pub(crate) fn keep(&self, root: &Path, base_url: &str, made_from: Option<&Inputs>, read_since: i128) -> bool {
        let Some((cache, now, last_change)) = hub_inputs(root, Some(base_url)) else {
            return false;
        };
        let unchanged = made_from.is_none_or(|then| *then == now) && last_change < read_since;
        unchanged && cache.keep(NAME, &now, self).is_ok()
    }

    /// Forgets the front kept for the hub in `root`, if any.
    pub fn forget(root: &Path) {
        crate::cache::BuildCache::open(root).forget(NAME);
    }

    /// The files, to serve.
    pub fn into_files(self) -> Vec<(String, Arc<Packed>)> {
        self.files
            .into_iter()
            .map(|f| (f.path, Arc::new(Packed::new(&f.bytes))))
            .collect()
    }
}

/// False for the data files a browser does not load to show a page (the JSON API, the
/// changes dataset, the sitemap) and for a large file that is not a page (a video in
/// `static/`): kept, they would be read and written at every start and stop.
fn for_readers(path: &str, size: usize) -> bool {
    let data = path.starts_with("api/") || path.ends_with(".json") || path.ends_with(".csv");
    let large = size > LARGE && !path.ends_with(".html");
    !data && !large && !path.starts_with("sitemap")
}

/// Bytes past which a file that is not a page is left out of the front.
const LARGE: usize = 1 << 20;
