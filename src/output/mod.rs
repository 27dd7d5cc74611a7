//! Writing the site: pages, the JSON API, feeds, the sitemap and the search index; pages and
//! static files go into a fresh folder beside the target, which is then swapped in, so a
//! failed or interrupted build never damages the previous output.

mod api;
mod changes_csv;
mod feeds;
mod journal;
mod search;
mod sitemap;
mod static_files;
mod write;

pub(crate) use api::api_files;
pub(crate) use feeds::feed_files;
pub(crate) use search::{policy_docs, search_files};
pub(crate) use sitemap::sitemap_files;
pub(crate) use static_files::static_files;

pub(crate) use crate::output_file::OutputFile;
pub(crate) use write::{guard_output, remove_stopped_builds, Staging};
