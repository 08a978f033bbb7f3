//! Compiling one edition: World → laid-out document, and Typst's diagnostics kept as data.
//!
//! A diagnostic is resolved to a file, line and column and a copy of the source it points
//! into while the world is at hand, so that it can be printed later (in the terminal, or
//! on the preview page) without the world and without colour decided here.

use typst::diag::{Severity as TypstSeverity, SourceDiagnostic, Warned};
use typst::syntax::DiagSpan;
use typst::{World, WorldExt};
use typst_kit::diagnostics::DiagnosticWorld;
use typst_layout::PagedDocument;

use crate::diag::{FailureReport, Location, Problem, Severity, Snippet};
use crate::world::FolioWorld;

/// Why an edition could not be made.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A problem in the content, the project file or the edition's page rules.
    #[error("{0}")]
    Problem(#[from] Problem),
    /// Typst reported errors, each with its source location.
    #[error("{publication} ({edition}): Typst reported {} error(s)", diagnostics.len())]
    Typst {
        publication: String,
        edition: String,
        diagnostics: Vec<Problem>,
    },
    /// Not made: the session was interrupted before the edition started (`folio watch`, a
    /// newer save). Not a problem of the publication; it is made again after.
    #[error("{publication} ({edition}): left for a newer save")]
    Interrupted {
        publication: String,
        edition: String,
    },
}

impl BuildError {
    /// What to print: a headline (for Typst errors) and the problems under it.
    pub fn report(&self) -> FailureReport {
        match self {
            BuildError::Problem(p) => p.clone().into(),
            BuildError::Typst {
                publication,
                edition,
                diagnostics,
            } => FailureReport {
                headline: Some(format!("{publication} ({edition}) could not be typeset:")),
                problems: diagnostics.clone(),
            },
            BuildError::Interrupted { .. } => {
                let mut note = Problem::error(self.to_string());
                note.severity = crate::diag::Severity::Note;
                note.into()
            }
        }
    }

    /// How many problems this failure counts as.
    pub fn count(&self) -> usize {
        match self {
            BuildError::Problem(_) => 1,
            BuildError::Typst { diagnostics, .. } => diagnostics.len().max(1),
            BuildError::Interrupted { .. } => 0,
        }
    }
}

/// Compiles the world's main file into pages; warnings come back as data.
pub fn compile(
    world: &FolioWorld,
    publication: &str,
    edition: &str,
) -> Result<(PagedDocument, Vec<Problem>), BuildError> {
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    match output {
        Ok(doc) => Ok((doc, diagnostics(world, &warnings))),
        Err(errors) => Err(typst_error(world, publication, edition, &errors)),
    }
}

/// Wraps Typst errors as a [`BuildError`].
pub fn typst_error(
    world: &FolioWorld,
    publication: &str,
    edition: &str,
    errors: &[SourceDiagnostic],
) -> BuildError {
    BuildError::Typst {
        publication: publication.into(),
        edition: edition.into(),
        diagnostics: diagnostics(world, errors),
    }
}

/// Typst diagnostics as folio problems: location, source snippet, hints and call trace.
pub fn diagnostics(world: &FolioWorld, diagnostics: &[SourceDiagnostic]) -> Vec<Problem> {
    diagnostics
        .iter()
        .map(|d| {
            let mut problem = Problem::error(d.message.to_string());
            if d.severity == TypstSeverity::Warning {
                problem.severity = Severity::Warning;
            }
            if let Some((location, snippet)) = locate(world, d.span) {
                problem.location = Some(location);
                problem.snippet = Some(snippet);
            }
            let mut notes: Vec<String> = d.hints.iter().map(|h| h.v.to_string()).collect();
            for point in &d.trace {
                let at = locate(world, point.span)
                    .map(|(l, _)| format!(" at {l}"))
                    .unwrap_or_default();
                notes.push(format!("{}{at}", point.v));
            }
            if !notes.is_empty() {
                problem.hint = Some(notes.join("\n"));
            }
            problem
        })
        .collect()
}

/// Where a span points: the file (as the user knows it), line and column, and the source.
fn locate(world: &FolioWorld, span: impl Into<DiagSpan>) -> Option<(Location, Snippet)> {
    let span: DiagSpan = span.into();
    let id = span.id()?;
    let source = world.source(id).ok()?;
    let range = world.range(span)?;
    let lines = source.lines();
    let line = lines.byte_to_line(range.start)?;
    let column = lines.byte_to_column(range.start)?;
    let location = Location::at(world.name(id), line + 1, column + 1);
    let snippet = Snippet {
        text: source.text().into(),
        range,
    };
    Some((location, snippet))
}
