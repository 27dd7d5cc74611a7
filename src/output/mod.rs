//! Writing the site: pages, the JSON API, feeds, the sitemap and the search index; pages and
//! static files go into a fresh folder beside the target, which is then swapped in, so a
//! failed or interrupted build never damages the previous output.

mod api;
mod changes_csv;
mod feeds;
mod search;
mod sitemap;
mod static_files;
mod write;

pub use api::api_files;
pub use feeds::feed_files;
pub use search::{clause_topics, policy_records, search_files, search_records, SearchRecord};
pub use sitemap::sitemap_files;
pub use static_files::static_files;

pub use crate::output_file::OutputFile;
pub use write::{guard_output, write_site, Staging};
