//! Redlines for the terminal (`policyhub diff`): which version to compare with which, chosen by
//! id or by date ("what did it say on 2016-01-01", with the point-in-time lookup of the
//! `/at/` page), and the changed clauses with their words marked: in colour on a terminal,
//! `[-deleted-]{+inserted+}` otherwise. Any two versions are compared by clause id, as the
//! compare page does.

use std::fmt::Write;
use std::path::Path;

use crate::content::in_force::{in_force_on, none_in_force, periods};
use crate::content::{Date, Policy};
use crate::document::parse;
use crate::error::{Diagnostic, Diagnostics};
use crate::history::{
    anchor_policy, classify_change, compare, redline, Change, ChangeRules, Class, DiffRow, PolicyHistory, Segment,
    Verdict,
};
use crate::site::Site;

/// How to mark changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// ANSI colours: red struck-through deletions, green underlined insertions.
    Colour,
    /// Plain text: `[-deleted-]` and `{+inserted+}`.
    Plain,
}

/// The redline of `<org>/<policy>` between two versions, as text for the terminal.
/// `from` and `to` are dates (the version in force that day) or version ids; by default the
/// two latest versions.
pub fn diff(
    root: &Path,
    spec: &str,
    from: Option<&str>,
    to: Option<&str>,
    style: Style,
) -> Result<String, Diagnostics> {
    let (config, content) = Site::read(root, None)?;
    let (org_slug, policy_slug) = spec.split_once('/').unwrap_or((spec, "privacy-policy"));
    let not_found = |what: String| {
        let known: Vec<String> = content
            .orgs
            .iter()
            .flat_map(|o| o.policies.iter().map(move |p| format!("{}/{}", o.slug, p.slug)))
            .take(8)
            .collect();
        Diagnostic::new("content", what).hint(format!("name a policy as ORG/POLICY, e.g. {}", known.join(", ")))
    };
    let org = content
        .orgs
        .iter()
        .find(|o| o.slug == org_slug)
        .ok_or_else(|| not_found(format!("no organisation `{org_slug}`")))?;
    let policy = org
        .policies
        .iter()
        .find(|p| p.slug == policy_slug)
        .ok_or_else(|| not_found(format!("no policy `{org_slug}/{policy_slug}`")))?;
    let name = format!("{}/{}", org.slug, policy.slug);
    // Read in the command line's order, so that of two wrong versions the first is reported.
    let from = from.map(|f| pick(policy, &name, f)).transpose()?;
    let to = to.map(|t| pick(policy, &name, t)).transpose()?;
    let to_index = to.as_ref().map_or(policy.versions.len() - 1, |p| p.index);
    let from_index = from.as_ref().map_or(to_index.saturating_sub(1), |p| p.index);
    let history = anchor_policy(policy.versions.iter().map(|v| parse(&v.body)).collect());
    let (from_v, to_v) = (&policy.versions[from_index], &policy.versions[to_index]);
    let mut out = String::new();
    let bold = |s: &str| {
        if style == Style::Colour {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let _ = writeln!(out, "{}", bold(&format!("{name}: {} → {}", from_v.id, to_v.id)));
    for said in [&from, &to].into_iter().flatten().filter_map(|p| p.in_force.as_deref()) {
        let _ = writeln!(out, "{said}");
    }
    if from_index == to_index {
        let _ = writeln!(
            out,
            "The same version: nothing to compare.\n(The policy has {} versions: {})",
            policy.versions.len(),
            ids(policy)
        );
        return Ok(out);
    }
    let comparison = compare(&history, from_index, to_index);
    let rules = ChangeRules::new(&config.changes);
    let verdicts: Vec<Option<Verdict>> = comparison
        .rows
        .iter()
        .map(|row| {
            let old = row.old.map(|o| &history.versions[from_index].blocks[o].block);
            let new = row.new.map(|n| &history.versions[to_index].blocks[n].block);
            classify_change(old, new, row.change, &rules)
        })
        .collect();
    let _ = writeln!(out, "{}", comparison.figures.describe());
    let mut counts = [0usize; 3];
    for verdict in verdicts.iter().flatten() {
        counts[verdict.class as usize] += 1;
    }
    let _ = writeln!(
        out,
        "Classes: {} substantive, {} editorial, {} formatting.\n",
        counts[Class::Substantive as usize],
        counts[Class::Editorial as usize],
        counts[Class::Formatting as usize]
    );
    write_rows(
        &mut out,
        &comparison.rows,
        &verdicts,
        &history,
        from_index,
        to_index,
        style,
    );
    Ok(out)
}

fn ids(policy: &Policy) -> String {
    policy
        .versions
        .iter()
        .map(|v| v.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A version asked for on the command line.
struct Picked {
    /// Its index among the policy's versions.
    index: usize,
    /// For a date, what was in force that day: "On 1 June 2020, in force from 1 January 2020
    /// to 31 December 2020: version of 1 January 2020".
    in_force: Option<String>,
}

/// The version in force on a date (`YYYY-MM-DD`: the lookup of the policy's `/at/` page), or
/// a version by id (`2018-05-25.2`, and `2018-05-25.1` for the first version of a day, whose
/// id is its bare date).
fn pick(policy: &Policy, name: &str, wanted: &str) -> Result<Picked, Diagnostic> {
    let first_of_day = wanted.strip_suffix(".1").filter(|d| d.parse::<Date>().is_ok());
    let id = first_of_day.unwrap_or(wanted);
    let by_id = policy.versions.iter().position(|v| v.id == id);
    let date = wanted.parse::<Date>();
    let date = match (by_id, date) {
        (_, Ok(date)) => date,
        (Some(index), Err(_)) => return Ok(Picked { index, in_force: None }),
        (None, Err(_)) => {
            return Err(
                Diagnostic::new("content", format!("`{wanted}` is neither a version nor a date")).hint(format!(
            "give a date (YYYY-MM-DD: the version in force that day) or a version id (YYYY-MM-DD.N); versions: {}",
            ids(policy)
        )),
            )
        }
    };
    let periods = periods(policy);
    let Some(period) = in_force_on(&periods, date) else {
        return Err(
            Diagnostic::new("content", none_in_force(policy, name, date)).hint(format!(
                "give a date from {} on; the periods of every version are listed on the policy's /at/ page",
                policy.versions[0].effective
            )),
        );
    };
    Ok(Picked {
        index: period.version,
        in_force: Some(format!("On {}, in force {}", date.long(), period.describe(policy))),
    })
}

/// The changed rows, each with its words marked and its class and reason on a line of its own
/// (`  · substantive: “30 days” → “90 days”`); runs of unchanged clauses counted.
fn write_rows(
    out: &mut String,
    rows: &[DiffRow],
    verdicts: &[Option<Verdict>],
    full: &PolicyHistory,
    from: usize,
    to: usize,
    style: Style,
) {
    let mut unchanged = 0;
    let flush = |out: &mut String, unchanged: &mut usize| {
        if *unchanged > 0 {
            let _ = writeln!(out, "  … {} unchanged", *unchanged);
            *unchanged = 0;
        }
    };
    for (row, verdict) in rows.iter().zip(verdicts) {
        if row.change == Change::Unchanged {
            unchanged += 1;
            continue;
        }
        flush(out, &mut unchanged);
        let (sign, label) = match row.change {
            Change::Added | Change::Restored => ('+', "added"),
            Change::Removed => ('-', "removed"),
            Change::Moved => ('>', "moved"),
            Change::MovedModified => ('~', "moved and edited"),
            _ => ('~', "edited"),
        };
        let id = match (row.new, row.old) {
            (Some(n), _) => &full.versions[to].blocks[n].id,
            (None, Some(o)) => &full.versions[from].blocks[o].id,
            _ => continue,
        };
        let header = format!("{sign} {id} ({label})");
        let _ = writeln!(out, "{}", paint(&header, style, row.change));
        let old = row.old.map(|o| &*full.versions[from].blocks[o].block.text);
        let new = row.new.map(|n| &*full.versions[to].blocks[n].block.text);
        let text = match (old, new, row.change) {
            (Some(o), Some(n), Change::Modified | Change::MovedModified) => marked(o, n, style),
            (_, Some(n), _) => n.to_string(),
            (Some(o), None, _) => o.to_string(),
            _ => String::new(),
        };
        let _ = writeln!(out, "  {text}");
        if let Some(verdict) = verdict {
            let _ = writeln!(out, "  · {}: {}", verdict.class.name(), verdict.reason);
        }
    }
    flush(out, &mut unchanged);
}

fn paint(text: &str, style: Style, change: Change) -> String {
    if style == Style::Plain {
        return text.to_string();
    }
    let code = match change {
        Change::Added | Change::Restored => "1;32",
        Change::Removed => "1;31",
        _ => "1;33",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

fn marked(old: &str, new: &str, style: Style) -> String {
    let mut out = String::new();
    for segment in redline(old, new) {
        match (segment, style) {
            (Segment::Same(t), _) => out.push_str(&t),
            (Segment::Inserted(t), Style::Plain) => {
                let _ = write!(out, "{{+{t}+}}");
            }
            (Segment::Deleted(t), Style::Plain) => {
                let _ = write!(out, "[-{t}-]");
            }
            (Segment::Inserted(t), Style::Colour) => {
                let _ = write!(out, "\x1b[32;4m{t}\x1b[0m");
            }
            (Segment::Deleted(t), Style::Colour) => {
                let _ = write!(out, "\x1b[31;9m{t}\x1b[0m");
            }
        }
    }
    out
}
