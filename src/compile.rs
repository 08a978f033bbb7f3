//! Compiling one edition: World → laid-out document, then the edition's page rules.

use ecow::EcoVec;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

use crate::diag::Problem;
use crate::world::FolioWorld;

/// Why an edition could not be made.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A problem in the content, the project file or the edition's page rules.
    #[error("{0}")]
    Problem(#[from] Problem),
    /// Typst reported errors; `rendered` shows them with their source spans.
    #[error("{publication} ({edition}): Typst reported {count} error(s)")]
    Typst {
        publication: String,
        edition: String,
        count: usize,
        rendered: String,
    },
}

/// Renders Typst diagnostics as `typst compile` does (codespan style).
pub fn render_diagnostics(
    world: &FolioWorld,
    diagnostics: &[SourceDiagnostic],
    color: bool,
) -> String {
    use typst_kit::diagnostics::{emit, termcolor, DiagnosticFormat};
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let _ = emit(&mut buffer, world, diagnostics, DiagnosticFormat::Human);
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// Compiles the world's main file into pages. Warnings are returned rendered.
pub fn compile(
    world: &FolioWorld,
    publication: &str,
    edition: &str,
    color: bool,
) -> Result<(PagedDocument, Vec<SourceDiagnostic>), BuildError> {
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    match output {
        Ok(doc) => Ok((doc, warnings.to_vec())),
        Err(errors) => Err(typst_error(world, publication, edition, &errors, color)),
    }
}

/// Wraps Typst errors as a [`BuildError`].
pub fn typst_error(
    world: &FolioWorld,
    publication: &str,
    edition: &str,
    errors: &EcoVec<SourceDiagnostic>,
    color: bool,
) -> BuildError {
    BuildError::Typst {
        publication: publication.into(),
        edition: edition.into(),
        count: errors.len(),
        rendered: render_diagnostics(world, errors, color),
    }
}

/// What a layout reports about how its text fits (`<folio-fit>` metadata), in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub available: f64,
    pub needed: f64,
}

/// Reads the layout's `<folio-fit>` report, if it made one.
pub fn fit_report(doc: &PagedDocument) -> Option<Fit> {
    let label = Label::new(PicoStr::intern("folio-fit"))?;
    let found = doc.introspector().query(&Selector::Label(label));
    let elem = found.first()?.to_packed::<MetadataElem>()?;
    let Value::Dict(dict) = &elem.value else {
        return None;
    };
    let number = |key: &str| match dict.get(key).ok()? {
        Value::Float(f) => Some(*f),
        Value::Int(i) => Some(*i as f64),
        Value::Length(l) => Some(l.abs.to_pt()),
        _ => None,
    };
    Some(Fit {
        available: number("available")?,
        needed: number("needed")?,
    })
}
