//! One style for everything folio reports: its own errors, Typst's diagnostics and check findings.
//!
//! A [`Problem`] is an error or warning with an optional source location and a hint. It is
//! printed like a compiler diagnostic (codespan-reporting), with the offending source line
//! shown when the file can be read.

use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

/// A place a problem points at: a file and, where known, a line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
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

/// Whether standard error should get colours: a terminal, and `NO_COLOR` not set.
pub fn stderr_color() -> termcolor::ColorChoice {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        termcolor::ColorChoice::Auto
    } else {
        termcolor::ColorChoice::Never
    }
}

/// Renders problems as compiler-style diagnostics, showing the source line where there is one.
pub fn render(problems: &[Problem], color: bool) -> String {
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    for problem in problems {
        let mut files = SimpleFiles::new();
        let mut diagnostic = match problem.severity {
            Severity::Error => Diagnostic::error(),
            Severity::Warning => Diagnostic::warning(),
            Severity::Note => Diagnostic::note(),
        }
        .with_message(&problem.message);
        if let Some(code) = &problem.code {
            diagnostic = diagnostic.with_code(code);
        }
        let mut shown = false;
        if let Some(loc) = &problem.location {
            // Only a located line is shown, so only then is the file read (a problem about a
            // FIFO or a refused link names the file without opening it).
            if let Some((line, text)) = loc.line.and_then(|l| Some((l, source_text(&loc.file)?))) {
                let name = display_path(&loc.file);
                if let Some(range) = line_range(&text, line, loc.column.unwrap_or(1)) {
                    let id = files.add(name, text);
                    diagnostic = diagnostic.with_labels(vec![Label::primary(id, range)]);
                    shown = true;
                }
            }
            if !shown {
                diagnostic = diagnostic.with_notes(vec![format!("in {loc}")]);
            }
        }
        // `with_notes` appends.
        if let Some(place) = &problem.place {
            diagnostic = diagnostic.with_notes(vec![format!("in {place}")]);
        }
        if let Some(hint) = &problem.hint {
            diagnostic = diagnostic.with_notes(vec![format!("hint: {hint}")]);
        }
        // Rendering into an in-memory buffer cannot fail for files we just added.
        let _ = term::emit(&mut buffer, &config, &files, &diagnostic);
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// The text of a source file to quote from: a regular file of at most
/// [`crate::confine::MAX_TEXT_BYTES`], checked before it is opened.
fn source_text(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > crate::confine::MAX_TEXT_BYTES {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// The byte range from a line and column to the end of that line's visible text.
fn line_range(text: &str, line: usize, column: usize) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let content = l.trim_end_matches(['\n', '\r']);
            let col = content
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(0, |(b, _)| b);
            let end = content.len().max(col + 1).min(l.len());
            return Some(start + col..start + end.max(col));
        }
        start += l.len();
    }
    None
}

/// A path as the user should see it: relative to the working directory when it is below it.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    shown.display().to_string()
}
