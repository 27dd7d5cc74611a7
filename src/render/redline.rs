//! Redlines as HTML: `<del>` and `<ins>` inside the text, escaped.

use std::collections::HashMap;

use crate::history::{redline, PolicyHistory, Segment};
use crate::html::push_escaped;

/// The redlines of one policy's edited clauses, each made once: a version's redline page and
/// the policy's clause-history page show the same ones.
pub struct Redlines<'h> {
    history: &'h PolicyHistory,
    /// By (version, block of that version).
    made: HashMap<(usize, usize), String>,
}

impl<'h> Redlines<'h> {
    pub fn new(history: &'h PolicyHistory) -> Self {
        Redlines {
            history,
            made: HashMap::new(),
        }
    }

    /// The redline of block `block` of version `v` from its text in the version before.
    pub fn of(&mut self, v: usize, block: usize) -> &str {
        let history = self.history;
        self.made.entry((v, block)).or_insert_with(|| {
            let version = &history.versions[v];
            let old = v
                .checked_sub(1)
                .zip(version.blocks[block].previous)
                .map_or("", |(p, b)| &*history.versions[p].blocks[b].block.text);
            redline_html(old, &version.blocks[block].block.text)
        })
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
