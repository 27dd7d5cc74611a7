//! Partials: the default theme's templates of one item of a long list (a timeline's entry, a
//! clause's lineage, …), each with its input and a Rust writer of the same bytes. A list is
//! written in Rust while the theme's partial is the default one, else by Tera, item by item,
//! so a theme changes an item's markup by changing its partial. Pages are assembled elsewhere.

mod write;

use std::collections::BTreeMap;

use serde::Serialize;

use super::clauses_page::{EventView, LineageView};
use super::context::{TocEntry, VersionLink};
use super::hub_links::TopicOrg;
use super::theme::{default_templates, Theme};
use super::timeline::ChangeView;
use crate::error::Diagnostic;

/// A partial of the default theme that policyhub can write in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Partial {
    ChangeEntry,
    TocEntry,
    NearbyVersion,
    TopicOrg,
    Lineage,
    LineageEvent,
}

impl Partial {
    pub(crate) const ALL: [Partial; 6] = [
        Partial::ChangeEntry,
        Partial::TocEntry,
        Partial::NearbyVersion,
        Partial::TopicOrg,
        Partial::Lineage,
        Partial::LineageEvent,
    ];

    /// Its template's name.
    pub(crate) fn template(self) -> &'static str {
        match self {
            Partial::ChangeEntry => "_change_entry.html",
            Partial::TocEntry => "_toc_entry.html",
            Partial::NearbyVersion => "_nearby_version.html",
            Partial::TopicOrg => "_topic_org.html",
            Partial::Lineage => "_lineage.html",
            Partial::LineageEvent => "_lineage_event.html",
        }
    }
}

/// Which partials of a theme are the default theme's own text, which policyhub writes in Rust.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DefaultPartials([bool; Partial::ALL.len()]);

impl DefaultPartials {
    /// The partials of `sources` (template name → (where it came from, its text)) whose text
    /// is the embedded default's, byte for byte.
    pub(crate) fn of(sources: &BTreeMap<String, (String, String)>) -> Self {
        let defaults = default_templates();
        let mut found = DefaultPartials::default();
        for (i, partial) in Partial::ALL.into_iter().enumerate() {
            let default = defaults.iter().find(|(name, _)| *name == partial.template());
            let text = sources.get(partial.template()).map(|(_, text)| text.as_bytes());
            found.0[i] = matches!((default, text), (Some((_, bytes)), Some(text)) if *bytes == text);
        }
        found
    }

    /// None of them: every list written by Tera (what the tests compare the writers with).
    #[cfg(test)]
    pub(crate) fn none() -> Self {
        DefaultPartials::default()
    }

    fn contains(self, partial: Partial) -> bool {
        Partial::ALL
            .iter()
            .position(|&p| p == partial)
            .is_some_and(|i| self.0[i])
    }
}

/// What a partial receives for one item, and the Rust writer of the default partial's markup.
pub(crate) trait PartialInput: Serialize {
    /// The partial that writes it.
    const PARTIAL: Partial;

    /// Appends what the default partial writes for this input, byte for byte, every value
    /// escaped as Tera's autoescape does.
    fn write(&self, out: &mut String);

    /// About how many bytes it writes.
    fn size(&self) -> usize;
}

/// `_change_entry.html`: one entry of a timeline.
#[derive(Debug, Serialize)]
pub(crate) struct ChangeEntryInput<'a> {
    pub(crate) entry: &'a ChangeView,
    /// Whether the entry names its organisation and policy (on hub-wide timelines, and on an
    /// organisation's when it has more than one policy).
    pub(crate) show_policy: bool,
}

/// `_toc_entry.html`: one entry of a version page's table of contents.
#[derive(Debug, Serialize)]
pub(crate) struct TocEntryInput<'a> {
    pub(crate) entry: &'a TocEntry,
}

/// `_nearby_version.html`: one version listed at the foot of a version page.
#[derive(Debug, Serialize)]
pub(crate) struct NearbyVersionInput<'a> {
    pub(crate) version: &'a VersionLink,
    /// True for the version the page shows.
    pub(crate) current: bool,
}

/// `_topic_org.html`: one organisation on a topic page.
#[derive(Debug, Serialize)]
pub(crate) struct TopicOrgInput<'a> {
    pub(crate) org: &'a TopicOrg,
    /// Its 1-based position on the page.
    pub(crate) number: usize,
}

/// `_lineage.html`: one clause's lineage on the clause-history page.
#[derive(Debug, Serialize)]
pub(crate) struct LineageInput<'a> {
    pub(crate) lineage: &'a LineageView,
}

/// `_lineage_event.html`: one event of a lineage.
#[derive(Debug, Serialize)]
pub(crate) struct LineageEventInput<'a> {
    /// The clause's id.
    pub(crate) id: &'a str,
    pub(crate) event: &'a EventView,
}

/// Every input written through its partial, one after the other: by the Rust writer while the
/// theme's partial is the default one, else by rendering the theme's partial for each.
pub(crate) fn write_each<I: PartialInput>(
    theme: &Theme,
    inputs: impl IntoIterator<Item = I>,
) -> Result<String, Diagnostic> {
    let inputs: Vec<I> = inputs.into_iter().collect();
    let size = inputs.iter().map(PartialInput::size).sum();
    if theme.default_partials.contains(I::PARTIAL) {
        let mut out = String::with_capacity(size);
        for input in &inputs {
            input.write(&mut out);
        }
        return Ok(out);
    }
    let template = I::PARTIAL.template();
    let mut out = Vec::with_capacity(size);
    for input in &inputs {
        let context = tera::Context::from_serialize(input)
            .map_err(|e| Diagnostic::new(format!("templates/{template}"), e.to_string()))?;
        #[cfg(test)]
        record(template, &context);
        theme.render_into(template, &context, &mut out)?;
    }
    // Tera writes only strings: the bytes are UTF-8 already.
    String::from_utf8(out).map_err(|_| Diagnostic::new(format!("templates/{template}"), "rendered invalid UTF-8"))
}

#[cfg(test)]
thread_local! {
    /// The inputs of the partials rendered by Tera on this thread, while a test records them.
    pub(crate) static RECORDED: std::cell::RefCell<Option<Vec<(&'static str, serde_json::Value)>>> =
        const { std::cell::RefCell::new(None) };
}

#[cfg(test)]
fn record(template: &'static str, context: &tera::Context) {
    RECORDED.with_borrow_mut(|recorded| {
        if let Some(recorded) = recorded {
            recorded.push((template, context.clone().into_json()));
        }
    });
}

#[cfg(test)]
mod tests;
