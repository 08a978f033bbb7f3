//! What folio reports, as data: its own errors, Typst's diagnostics and check findings.
//!
//! A [`Problem`] is an error or warning with an optional source location and a hint. It stays
//! data (no colour, no layout) until the edge, where [`render`] prints it like a compiler
//! diagnostic.

pub mod render;
pub mod text;

pub use render::{render, Colors};

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How bad a problem is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

/// A place a problem points at: a file and, where known, a line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Location {
    pub file: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Self {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// An error or warning for the user, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// A stable code for findings (e.g. `review-overdue`); none for plain errors.
    pub code: Option<String>,
    pub message: String,
    pub location: Option<Location>,
    /// Where in a laid-out edition, for problems found in the pages rather than the source.
    pub place: Option<String>,
    pub hint: Option<String>,
    /// The source text the location points into, when it is not a file on disk to read back
    /// (Typst's generated files) or must be shown as it was compiled.
    pub snippet: Option<Snippet>,
}

/// Problems under an optional headline (`X (edition) could not be typeset:`): what one
/// failure prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureReport {
    pub headline: Option<String>,
    pub problems: Vec<Problem>,
}

impl FailureReport {
    /// The report as diagnostics text, coloured or not.
    pub fn render(&self, color: bool) -> String {
        render::render_report(self.headline.as_deref(), &self.problems, color)
    }
}

impl fmt::Display for FailureReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl From<Problem> for FailureReport {
    fn from(problem: Problem) -> Self {
        FailureReport {
            headline: None,
            problems: vec![problem],
        }
    }
}

/// The text a problem's location points into, and the byte range to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: Arc<str>,
    pub range: std::ops::Range<usize>,
}

impl Problem {
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code: None,
            message: message.into(),
            location: None,
            place: None,
            hint: None,
            snippet: None,
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problem {}

/// A path as the user should see it: relative to the working directory when it is below it.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    shown.display().to_string()
}

/// A date in folio's messages to editors: `1 September 2026`. (Dates readers see are
/// formatted by the layouts.)
pub fn long_date(date: chrono::NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}
