//! Rendering: the Tera environment (the only user of Tera), each template's input (one page
//! struct per template, `page_inputs`; one input per item of a long list, `partial`), the
//! clause markup of a version's body and redlines. It turns a loaded [`Site`] into pages in
//! memory; it writes nothing.
//!
//! [`Site`]: crate::site::Site

mod body;
mod chart;
mod clauses_page;
mod context;
mod crosslinks;
mod diff_page;
mod hub_links;
mod includes;
mod outline;
mod page_inputs;
mod pages;
mod partial;
mod point_in_time;
mod redline;
mod releases_page;
mod template_lines;
#[cfg(test)]
mod templates_doc;
mod theme;
mod timeline;
mod version_page;

pub use diff_page::diff_html;
pub use redline::Redlines;
pub use theme::{default_templates, Theme};

pub(crate) use hub_links::{topic_figures, TopicFigure};
pub(crate) use pages::{page_count, page_count_of, render_pages, topic_ranges};
pub(crate) use releases_page::releases_page;
pub(crate) use theme::default_static_files;
pub(crate) use timeline::{class_label, org_timeline, policy_timeline, recent_changes, ChangeView};
