//! Diagnostics: every user mistake becomes a `Diagnostic` naming the file, line and column,
//! what was expected and how to fix it. A build collects all of them and reports them together.

use std::fmt;
use std::path::PathBuf;

/// One problem found in the user's input, with its location and a hint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// The file at fault (relative to the hub's root where possible).
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file.
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Points the diagnostic at a line and column (1-based).
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Points the diagnostic at a line (1-based).
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Adds a hint saying how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, "error")
    }
}

impl Diagnostic {
    /// The diagnostic as a warning: the same file, line, message and hint, for problems that
    /// do not stop a run.
    pub fn as_warning(&self) -> impl fmt::Display + '_ {
        struct AsWarning<'a>(&'a Diagnostic);
        impl fmt::Display for AsWarning<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.write(f, "warning")
            }
        }
        AsWarning(self)
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, severity: &str) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {severity}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  help: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem a run found, reported together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// True when nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records one more problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Records every problem another part of the run found.
    pub fn append(&mut self, found: Diagnostics) {
        self.0.extend(found.0);
    }

    /// `Ok(value)` when no problem was recorded, else every problem, sorted by location.
    pub fn into_result<T>(mut self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            self.0
                .sort_by(|a, b| (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message)));
            self.0.dedup();
            Err(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{}", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// Line and column (1-based) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

/// A TOML error as a diagnostic pointing at its line and column. `first_line` is the line of
/// the file on which `text` starts (0 for a whole file; front matter starts after `+++`).
pub fn toml_diagnostic(
    path: impl Into<std::path::PathBuf>,
    text: &str,
    first_line: usize,
    e: &toml::de::Error,
) -> Diagnostic {
    // One line: the toml crate writes some messages over two ("invalid date-time\nvalue is out
    // of range").
    let lines: Vec<&str> = e.message().lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let message = match lines.is_empty() {
        true => "a character TOML does not allow here".to_string(),
        false => lines.join(": "),
    };
    let mut d = Diagnostic::new(path, format!("invalid TOML: {message}"));
    if message.contains("date") {
        d = d.hint("dates are written YYYY-MM-DD, unquoted, and must exist in the calendar");
    } else {
        d = d.hint("see the content format in README.md; strings need double quotes");
    }
    match e.span() {
        Some(span) => {
            let (line, column) = line_col(text, span.start);
            d.at(first_line + line, column)
        }
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "ab\ncd\né f";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 4), (2, 2));
        assert_eq!(line_col(text, 9), (3, 3));
    }

    #[test]
    fn display_names_file_line_and_hint() {
        let d = Diagnostic::new("content/a/b/2015-01-01.md", "bad date")
            .at(2, 13)
            .hint("write YYYY-MM-DD");
        assert_eq!(
            d.to_string(),
            "content/a/b/2015-01-01.md:2:13: error: bad date\n  help: write YYYY-MM-DD"
        );
    }
}
