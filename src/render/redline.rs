//! Redlines as HTML: `<del>` and `<ins>` inside the text, escaped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::history::{redline, PolicyHistory, Segment};
use crate::html::push_escaped;

/// The redlines of one policy's edited clauses, each made once: a version's redline page and
/// the policy's clause-history page show the same ones. Shared by the threads that make the
/// policy's pages.
pub struct Redlines<'h> {
    history: &'h PolicyHistory,
    /// By (version, block of that version).
    made: Mutex<HashMap<(usize, usize), Arc<str>>>,
}

impl<'h> Redlines<'h> {
    pub fn new(history: &'h PolicyHistory) -> Self {
        Redlines {
            history,
            made: Mutex::new(HashMap::new()),
        }
    }

    /// The redline of block `block` of version `v` from its text in the version before.
    pub fn of(&self, v: usize, block: usize) -> Arc<str> {
        if let Some(known) = self.made().get(&(v, block)) {
            return Arc::clone(known);
        }
        // Made outside the lock: another thread may make the same one meanwhile (the first
        // kept is the one all share; they are equal).
        let history = self.history;
        let version = &history.versions[v];
        let old = v
            .checked_sub(1)
            .zip(version.blocks[block].previous)
            .map_or("", |(p, b)| &*history.versions[p].blocks[b].block.text);
        let html: Arc<str> = redline_html(old, &version.blocks[block].block.text).into();
        Arc::clone(self.made().entry((v, block)).or_insert(html))
    }

    fn made(&self) -> std::sync::MutexGuard<'_, HashMap<(usize, usize), Arc<str>>> {
        self.made.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The word-level redline from `old` to `new` as HTML.
pub(super) fn redline_html(old: &str, new: &str) -> String {
    let mut out = String::with_capacity(old.len() + new.len() + 32);
    for segment in redline(old, new) {
        match segment {
            Segment::Same(t) => push_escaped(&mut out, &t),
            Segment::Inserted(t) => {
                out.push_str("<ins>");
                push_escaped(&mut out, &t);
                out.push_str("</ins>");
            }
            Segment::Deleted(t) => {
                out.push_str("<del>");
                push_escaped(&mut out, &t);
                out.push_str("</del>");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_and_escapes() {
        assert_eq!(
            redline_html("Keep <data> for two years.", "Keep <data> for one year."),
            "Keep &lt;data&gt; for <del>two years</del><ins>one year</ins>."
        );
    }
}
