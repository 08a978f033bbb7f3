//! Print-ready output for print teams: press PDFs with honest page boxes, imposed printer
//! spreads for saddle stitching, a preflight, and a job sheet. Their settings are read from
//! [`crate::project::print`].
//!
//! - [`saddle_stitch`]: the saddle-stitch page order and creep (a pure plan);
//! - [`imposed_edition`]: the second pass that places a made edition's PDF pages on sheets;
//! - [`trim`]: a screen edition cut from a press edition's laid-out pages;
//! - [`press`]: the BleedBox post-process and reading boxes, fonts and colours back;
//! - [`pdfx`]: making the press PDF a PDF/X-4 file, and reading its conformance back;
//! - [`preflight`]: findings a printer would reject;
//! - [`jobsheet`]: `<publication>-print-spec.json` and `.txt`;
//! - [`sources`]: which Markdown image a placed image is, for the preflight's messages.

pub mod imposed_edition;
pub mod jobsheet;
pub mod pdfx;
pub mod preflight;
pub mod press;
pub mod saddle_stitch;
pub mod sources;
pub mod trim;

use typst_layout::PagedDocument;

use crate::diag::Problem;
use crate::project::print::OutputIntent;
use crate::project::{Edition, PdfProfile};

/// A made edition as the print modules read it: its name, laid-out pages and, for a press
/// edition, what its PDF says about itself.
#[derive(Clone, Copy)]
pub struct PrintEdition<'a> {
    pub edition: &'a str,
    pub doc: &'a PagedDocument,
    pub press: Option<&'a press::Facts>,
}

/// The finished PDF of an edition: press PDFs get their BleedBox, become PDF/X-4 files for
/// `intent` and are read back (see [`press::finish`]); screen PDFs are returned untouched,
/// with no facts.
pub fn finish_pdf(
    edition: &Edition,
    intent: &OutputIntent,
    pdf: Vec<u8>,
) -> Result<(Vec<u8>, Option<press::Facts>), Problem> {
    if edition.pdf != PdfProfile::Press {
        return Ok((pdf, None));
    }
    press::finish(&pdf, edition.bleed_mm(), edition.impose.is_some(), intent)
        .map(|(pdf, facts)| (pdf, Some(facts)))
}
