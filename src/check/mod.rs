//! `folio check`: findings that stop a wrong, overdue or inaccessible publication.
//!
//! Model checks read the parsed publication (no typesetting); layout checks read the
//! laid-out editions that `build` makes too. Each finding has a severity, a stable code,
//! a message, a location (source line, or publication/edition/page) and a hint. The codes
//! are one enum, [`Code`], documented in README.md ("Findings").

pub mod approval;
pub mod glyphs;
pub mod languages;
pub mod layout;
pub mod readability;
pub mod review;
pub mod structure;
pub mod text;
pub mod translation;
pub mod words;

use chrono::NaiveDate;

use crate::content::Publication;
pub use crate::finding::{blocking, Code, Finding};
use crate::project::Project;

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
