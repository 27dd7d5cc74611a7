//! Redlines as HTML: `<del>` and `<ins>` inside the text, escaped.

use super::escape_html;
use crate::history::{redline, Segment};

/// The word-level redline from `old` to `new` as HTML.
pub fn redline_html(old: &str, new: &str) -> String {
    let mut out = String::with_capacity(old.len() + new.len() + 32);
    for segment in redline(old, new) {
        match segment {
            Segment::Same(t) => out.push_str(&escape_html(&t)),
            Segment::Inserted(t) => {
                out.push_str("<ins>");
                out.push_str(&escape_html(&t));
                out.push_str("</ins>");
            }
            Segment::Deleted(t) => {
                out.push_str("<del>");
                out.push_str(&escape_html(&t));
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
