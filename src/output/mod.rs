//! Writing the site: pages and static files go into a fresh folder beside the target, which
//! is then swapped in, so a failed or interrupted build never damages the previous output.

mod api;
mod feeds;
mod sitemap;
mod write;

pub use api::api_files;
pub use feeds::feed_files;
pub use sitemap::sitemap_files;

pub use write::{guard_output, write_site, write_site_carrying, OutputFile};
