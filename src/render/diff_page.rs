//! A version's redline page (`/<org>/<policy>/<version>/diff/`) as HTML rows: every clause
//! marked added, removed, edited, moved or unchanged, with the change said in words (not only
//! colour), word-level `<ins>`/`<del>` inside edits, and runs of unchanged clauses folded into
//! `<details>` so the page reads without JavaScript.

use std::fmt::Write;

use super::outline::Outline;
use super::redline::Redlines;
use crate::document::BlockKind;
use crate::history::{version_diff, AnchoredBlock, Change, Class, DiffRow, PolicyHistory, Verdict};
use crate::html::push_escaped;

/// Unchanged runs at least this long are folded.
const FOLD: usize = 3;

/// The HTML of the rows of version `v`'s redline.
pub fn diff_html(history: &PolicyHistory, v: usize, redlines: &Redlines<'_>) -> String {
    let rows = version_diff(history, v);
    // The verdicts are the classed rows' own, in the rows' order: one walk pairs them.
    let mut classed = history.versions[v].classes.clauses.iter().peekable();
    let verdicts: Vec<Option<&Verdict>> = rows
        .iter()
        .map(|row| {
            classed
                .next_if(|c| c.new == row.new && c.old == row.old)
                .map(|c| &c.verdict)
        })
        .collect();
    // A clause that kept its words and its place (not even restyled).
    let quiet = |i: usize| rows[i].change == Change::Unchanged && verdicts[i].is_none();
    let mut out = String::new();
    let mut outline = Outline::under(1);
    let mut i = 0;
    while i < rows.len() {
        let run = (i..rows.len()).take_while(|&k| quiet(k)).count();
        if run >= FOLD {
            let _ = writeln!(
                out,
                "<details class=\"unchanged-run\"><summary>{run} unchanged clause{}</summary>",
                if run == 1 { "" } else { "s" }
            );
            for k in i..i + run {
                write_row(&mut out, history, v, &rows[k], verdicts[k], redlines, &mut outline);
            }
            out.push_str("</details>\n");
            i += run;
        } else {
            write_row(&mut out, history, v, &rows[i], verdicts[i], redlines, &mut outline);
            i += 1;
        }
    }
    out
}

fn label(change: Change) -> &'static str {
    match change {
        Change::Added => "Added",
        Change::Removed => "Removed",
        Change::Modified => "Edited",
        Change::Moved => "Moved",
        Change::MovedModified => "Moved and edited",
        Change::Restored => "Restored",
        Change::Unchanged => "",
    }
}

fn write_row(
    out: &mut String,
    history: &PolicyHistory,
    v: usize,
    row: &DiffRow,
    verdict: Option<&Verdict>,
    redlines: &Redlines<'_>,
    outline: &mut Outline,
) {
    let version = &history.versions[v];
    let AnchoredBlock { block, id, .. } = match (row.new, row.old) {
        (Some(n), _) => &version.blocks[n],
        (None, Some(o)) => &history.versions[v - 1].blocks[o],
        (None, None) => return,
    };
    let tag = match block.kind {
        BlockKind::Heading => {
            ["h1", "h2", "h3", "h4", "h5", "h6"][usize::from(outline.level(block.level)).clamp(2, 6) - 1]
        }
        _ => "p",
    };
    let _ = write!(
        out,
        "<div class=\"row row-{} row-{}",
        row.change.name(),
        block.kind.name()
    );
    if let Some(verdict) = verdict {
        let _ = write!(out, " class-{}", verdict.class.name());
    }
    let _ = write!(out, "\"><{tag} id=\"{id}\">");
    let label = match (row.change, verdict) {
        (Change::Unchanged, Some(_)) => "Restyled",
        (change, _) => label(change),
    };
    if !label.is_empty() {
        let _ = write!(out, "<span class=\"change-label\">{label}</span> ");
    }
    if block.kind == BlockKind::ListItem {
        out.push_str("• ");
    }
    match row.change {
        Change::Unchanged | Change::Moved => push_escaped(out, &block.text),
        Change::Added | Change::Restored => {
            out.push_str("<ins>");
            push_escaped(out, &block.text);
            out.push_str("</ins>");
        }
        Change::Removed => {
            out.push_str("<del>");
            push_escaped(out, &block.text);
            out.push_str("</del>");
        }
        Change::Modified | Change::MovedModified => match row.new {
            Some(n) => out.push_str(&redlines.of(v, n)),
            None => push_escaped(out, &block.text),
        },
    }
    // An unchanged clause keeps its id (a link to it still lands) but is no change to link to.
    if row.change != Change::Unchanged || verdict.is_some() {
        let _ = write!(
            out,
            " <a class=\"permalink\" href=\"#{id}\" aria-label=\"Permalink to this change\">¶</a>"
        );
    }
    let _ = write!(out, "</{tag}>");
    if let Some(verdict) = verdict {
        let class = verdict.class;
        let _ = write!(
            out,
            "<p class=\"change-why\"><span class=\"badge-class badge-{}\">{}</span> ",
            class.name(),
            match class {
                Class::Formatting => "Formatting",
                Class::Editorial => "Editorial",
                Class::Substantive => "Substantive",
            }
        );
        push_escaped(out, &verdict.reason);
        out.push_str("</p>");
    }
    out.push_str("</div>\n");
}
