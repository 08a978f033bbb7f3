//! PDF export: standards per edition profile, fixed identity and timestamp for byte-identical
//! output.

use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::compile::{typst_error, BuildError};
use crate::project::PdfProfile;
use crate::world::FolioWorld;

/// The PDF options folio always uses for an edition.
pub fn options(profile: PdfProfile, ident: &str, timestamp: i64) -> PdfOptions {
    let standards = match profile {
        PdfProfile::Screen => PdfStandards::new(&[PdfStandard::Ua_1, PdfStandard::A_2a])
            .expect("PDF/UA-1 and PDF/A-2a combine"),
        PdfProfile::Press => PdfStandards::default(),
    };
    PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("folio {}", env!("CARGO_PKG_VERSION")))),
        timestamp: datetime(timestamp).map(Timestamp::new_utc),
        page_ranges: None,
        standards,
        tagged: profile == PdfProfile::Screen,
        pretty: false,
    }
}

fn datetime(timestamp: i64) -> Option<typst::foundations::Datetime> {
    use chrono::{Datelike, Timelike};
    let t = chrono::DateTime::from_timestamp(timestamp, 0)?;
    typst::foundations::Datetime::from_ymd_hms(
        t.year(),
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
}

/// Exports `doc` to PDF bytes, reporting standard violations (e.g. missing alt text) with spans.
pub fn export(
    world: &FolioWorld,
    doc: &PagedDocument,
    options: &PdfOptions,
    publication: &str,
    edition: &str,
) -> Result<Vec<u8>, BuildError> {
    typst_pdf::pdf(doc, options).map_err(|errors| typst_error(world, publication, edition, &errors))
}
