//! `folio check`: findings that stop a wrong, overdue or inaccessible publication.
//!
//! Model checks read the parsed publication (no typesetting); layout checks read the
//! laid-out editions that `build` makes too. Each finding has a severity, a stable code,
//! a message, a location (source line, or publication/edition/page) and a hint. The codes
//! are documented in README.md ("Findings").

pub mod layout;
pub mod readability;
pub mod review;
pub mod structure;
pub mod text;
pub mod words;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::content::Publication;
use crate::diag::{Location, Problem, Severity};
use crate::project::Project;

/// One result of a check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Stable, documented code, e.g. `review-overdue`.
    pub code: &'static str,
    pub message: String,
    pub publication: String,
    /// Source location, for findings in the Markdown file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Edition, for findings in a laid-out edition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// 1-based page, for findings on a page of an edition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    pub hint: String,
}

impl Finding {
    pub fn new(
        severity: Severity,
        code: &'static str,
        publication: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Finding {
            severity,
            code,
            message: message.into(),
            publication: publication.to_string(),
            location: None,
            edition: None,
            page: None,
            hint: hint.into(),
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn on(mut self, edition: &str, page: Option<usize>) -> Self {
        self.edition = Some(edition.to_string());
        self.page = page;
        self
    }

    /// The finding as a diagnostic, for printing in the one style folio uses.
    pub fn to_problem(&self) -> Problem {
        let place = self.edition.as_ref().map(|e| match self.page {
            Some(p) => format!("{} ({e}), page {p}", self.publication),
            None => format!("{} ({e})", self.publication),
        });
        Problem {
            severity: self.severity,
            code: Some(self.code.to_string()),
            message: self.message.clone(),
            location: self.location.clone(),
            place,
            hint: Some(self.hint.clone()),
        }
    }
}

/// Check settings from `folio.yaml` (`checks:`), with documented defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Settings {
    /// The reading age the writing aims at (NHS: 9 to 11). Default 11.
    pub target_reading_age: f64,
    /// A section above this estimated reading age gets a warning. Default 14.
    pub warn_reading_age: f64,
    /// A next-review date this many days away or fewer gets a warning. Default 90.
    pub review_warning_days: i64,
    /// Terms that must be explained where they are first used.
    pub explain_terms: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            target_reading_age: 11.0,
            warn_reading_age: 14.0,
            review_warning_days: 90,
            explain_terms: Vec::new(),
        }
    }
}

/// Runs every check that needs no typesetting.
pub fn model(publication: &Publication, project: &Project, today: NaiveDate) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(review::check(publication, project, today));
    findings.extend(structure::check(publication));
    findings.extend(text::check(publication, &project.checks));
    // Reading order: the file from top to bottom (stable, so same-line findings keep their order).
    findings.sort_by_key(|f| f.location.as_ref().and_then(|l| l.line).unwrap_or(0));
    findings
}

/// Whether any finding stops a build: errors, or warnings too when `strict`.
pub fn blocking(findings: &[Finding], strict: bool) -> bool {
    findings
        .iter()
        .any(|f| f.severity == Severity::Error || (strict && f.severity == Severity::Warning))
}
