//! A version file's `+++` TOML front matter: split from the body and checked field by field.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::Date;
use crate::error::{line_col, toml_diagnostic, Diagnostic, Diagnostics};

/// The front matter's fields as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    announced: Option<Spanned<toml::Value>>,
    effective: Option<Spanned<toml::Value>>,
    captured: Option<Spanned<toml::Value>>,
    source: Option<String>,
    archive: Option<String>,
    commit: Option<String>,
    // A TOML escape can write what the file's text cannot hold (`"\u0007"`).
    #[serde(default, deserialize_with = "super::load::clean_optional")]
    summary: Option<String>,
}

/// The front matter's fields, checked.
#[derive(Debug, Default)]
pub(crate) struct FrontMatter {
    /// When the version was made public, ahead of taking effect or not.
    pub announced: Option<Date>,
    pub effective: Option<Date>,
    pub captured: Option<Date>,
    pub source: Option<String>,
    pub archive: Option<String>,
    /// The git commit the version was imported from (`policyhub import --git` / `--ota`).
    pub commit: Option<String>,
    pub summary: Option<String>,
}

/// Splits a version file into its front matter and its body (with the body's first line); a
/// front matter with several bad fields is refused with a problem for each.
pub(crate) fn split(path: &Path, text: &str) -> Result<(FrontMatter, usize, usize), Diagnostics> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err(not_front_matter(path, first).into());
    }
    let toml_start = first.len();
    let mut offset = toml_start;
    for (index, line) in lines.enumerate() {
        if line.trim_end() == "+++" {
            let toml_text = &text[toml_start..offset];
            let body_start = offset + line.len();
            let front = parse(path, toml_text)?;
            return Ok((front, body_start, index + 3));
        }
        offset += line.len();
    }
    Err(Diagnostic::new(path, "the front matter is never closed")
        .at(1, 1)
        .hint("end the front matter with a line holding only `+++`")
        .into())
}

/// What is wrong with a first line that is not `+++`, said for the shapes met in practice:
/// YAML front matter (other generators' `---`), and line ends of a lone CR (old Mac files), which
/// make the whole file one line.
fn not_front_matter(path: &Path, first: &str) -> Diagnostic {
    let (message, hint) = if first.contains('\r') && !first.ends_with("\r\n") {
        (
            "the file's lines end with a lone carriage return (CR)",
            "save it with LF or CRLF line ends, e.g. tr '\\r' '\\n' < OLD > NEW",
        )
    } else if first.trim_end() == "---" {
        (
            "a version file must start with a `+++` line (TOML front matter), not `---` (YAML)",
            "write the front matter as TOML between `+++` lines: `effective: 2020-01-01` becomes\n  \
             +++\n  effective = 2020-01-01\n  +++\nor let `policyhub import FILE --org ORG` convert the file",
        )
    } else {
        (
            "a version file must start with a `+++` line (TOML front matter)",
            "begin the file with\n  +++\n  effective = YYYY-MM-DD\n  +++\nthen the policy text",
        )
    };
    Diagnostic::new(path, message).at(1, 1).hint(hint)
}

fn parse(path: &Path, toml_text: &str) -> Result<FrontMatter, Diagnostics> {
    let raw: Raw = toml::from_str(toml_text).map_err(|e| toml_diagnostic(path, toml_text, 1, &e))?;
    let date = |field: &str, value: Option<Spanned<toml::Value>>| -> Result<Option<Date>, Diagnostic> {
        let Some(value) = value else { return Ok(None) };
        let (line, column) = line_col(toml_text, value.span().start);
        let at = |d: Diagnostic| d.at(line + 1, column);
        let text = match value.get_ref() {
            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            toml::Value::String(s) => s.clone(),
            other => {
                return Err(at(Diagnostic::new(
                    path,
                    format!("`{field}` must be a date, found {}", other.type_str()),
                )
                .hint(format!("write {field} = YYYY-MM-DD"))))
            }
        };
        text.parse::<Date>().map(Some).map_err(|e| {
            at(Diagnostic::new(path, format!("`{field}` = {text}: {e}"))
                .hint(format!("write {field} = YYYY-MM-DD with a real day")))
        })
    };
    let mut problems = Diagnostics::default();
    for (field, url) in [("source", raw.source.as_deref()), ("archive", raw.archive.as_deref())] {
        if let Err(d) = super::url::check_url(path, toml_text, field, url) {
            let line = d.line.unwrap_or(1) + 1;
            problems.push(d.at_line(line));
        }
    }
    let mut checked = |field, value| {
        date(field, value).unwrap_or_else(|d| {
            problems.push(d);
            None
        })
    };
    let announced = checked("announced", raw.announced);
    let effective = checked("effective", raw.effective);
    let captured = checked("captured", raw.captured);
    problems.into_result(FrontMatter {
        announced,
        effective,
        captured,
        source: raw.source,
        archive: raw.archive,
        commit: raw.commit,
        summary: raw.summary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one problem found in a version file's front matter.
    fn refused(text: &str) -> Diagnostic {
        let mut problems = split(Path::new("a.md"), text).unwrap_err().0;
        assert_eq!(problems.len(), 1, "{problems:?}");
        problems.remove(0)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let text = "+++\neffective = 2015-12-10\nsource = \"https://x\"\n+++\n# Title\n";
        let (front, start, line) = split(Path::new("a.md"), text).unwrap();
        assert_eq!(front.effective.unwrap().to_string(), "2015-12-10");
        assert_eq!(&text[start..], "# Title\n");
        assert_eq!(line, 5);
    }

    #[test]
    fn reads_the_three_dates() {
        let text = "+++\nannounced = 2027-02-01\neffective = 2027-03-01\ncaptured = \"2027-02-10\"\n+++\n";
        let (front, _, _) = split(Path::new("a.md"), text).unwrap();
        let dates = [front.announced, front.effective, front.captured].map(|d| d.unwrap().to_string());
        assert_eq!(dates, ["2027-02-01", "2027-03-01", "2027-02-10"]);
        let none = split(Path::new("a.md"), "+++\n+++\n").unwrap().0;
        assert!(none.announced.is_none() && none.effective.is_none() && none.captured.is_none());
    }

    #[test]
    fn a_bad_announced_date_points_at_its_line() {
        for (value, expected) in [
            ("\"2027-02-30\"", "no such day"),
            ("\"1 February\"", "not a date"),
            ("2027-02-01T10:00:00", "must be a date"),
            ("12", "must be a date, found integer"),
        ] {
            let text = format!("+++\neffective = 2027-03-01\nannounced = {value}\n+++\n");
            let e = refused(&text);
            assert_eq!(e.line, Some(3), "{value}: {e}");
            assert!(
                e.message.contains("`announced`") && e.message.contains(expected),
                "{value}: {e}"
            );
            assert!(e.hint.unwrap().contains("announced = YYYY-MM-DD"), "{value}");
        }
        // TOML itself refuses an impossible bare date, on its line.
        let e = refused("+++\neffective = 2027-03-01\nannounced = 2027-02-30\n+++\n");
        assert_eq!(e.line, Some(3), "{e}");
    }

    #[test]
    fn crlf_front_matter_is_read() {
        let text = "+++\r\neffective = 2015-12-10\r\n+++\r\nBody\r\n";
        let (front, start, _) = split(Path::new("a.md"), text).unwrap();
        assert!(front.effective.is_some());
        assert_eq!(&text[start..], "Body\r\n");
    }

    #[test]
    fn toml_error_points_at_file_line() {
        let text = "+++\neffective = 2015-12-10\nsource = \"unterminated\n+++\n";
        let e = refused(text);
        assert_eq!(e.line, Some(3), "{e}");
    }

    #[test]
    fn impossible_date_points_at_value() {
        let text = "+++\nsource = \"x\"\neffective = 2015-02-30\n+++\n";
        let e = refused(text);
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.hint.unwrap().contains("YYYY-MM-DD"));
        assert!(!e.message.contains('\n'), "one line: {}", e.message);
    }

    #[test]
    fn yaml_front_matter_and_lone_cr_line_ends_are_named() {
        let yaml = refused("---\neffective: 2020-01-01\n---\nBody\n");
        assert!(yaml.message.contains("not `---` (YAML)"), "{yaml}");
        assert!(yaml.hint.unwrap().contains("effective = 2020-01-01"));
        let cr = refused("+++\reffective = 2020-01-01\r+++\rBody\r");
        assert!(cr.message.contains("carriage return"), "{cr}");
        let yaml_cr = refused("---\reffective: 2020-01-01\r---\rBody\r");
        assert!(yaml_cr.message.contains("carriage return"), "{yaml_cr}");
        let other = refused("Body\n");
        assert!(other.message.ends_with("(TOML front matter)"), "{other}");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let text =
            "+++\nsource = \"javascript:alert(1)\"\narchive = \"vbscript:x\"\neffective = \"2020-02-30\"\n+++\nText.\n";
        let problems = split(Path::new("a.md"), text).unwrap_err().0;
        let said: Vec<(Option<usize>, &str)> = problems.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(said[0].0 == Some(2) && said[0].1.contains("`source`"), "{said:?}");
        assert!(said[1].0 == Some(3) && said[1].1.contains("`archive`"), "{said:?}");
        assert!(said[2].0 == Some(4) && said[2].1.contains("`effective`"), "{said:?}");
    }
}
