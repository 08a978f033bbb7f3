//! PDF/X-4 (ISO 15930-7:2010) for press PDFs: what [`press::finish`](super::press::finish)
//! adds to Typst's PDF ([`make`]), and what the preflight reads back of it ([`Conformance`]).
//!
//! Typst 0.15 writes no PDF/X. Its press PDF (untagged, CMYK, embedded fonts) is made one
//! by: a PDF 1.6 header; an `/OutputIntents` entry of subtype `GTS_PDFX` with the output
//! profile embedded; `GTS_PDFXVersion` and `Trapped` in the document information dictionary;
//! Typst's XMP packet with `pdfxid:GTS_PDFXVersion`, `pdf:Trapped` and the other PDF/X
//! fields added and the fields the dictionary also has (title, dates, producer) set from it,
//! so that the two agree; and no annotations, forms, actions or JavaScript: links mean
//! nothing on paper, and PDF/X forbids annotations inside the BleedBox.
//!
//! - [`write`]: the pass itself ([`make`]);
//! - [`xmp`]: the XMP packet, made from Typst's and read back;
//! - [`profile`]: the output profile's stream, written and read back;
//! - [`text`]: PDF text strings;
//! - [`read`]: what the written file says about itself ([`Conformance`]), which the
//!   preflight turns into findings ([`crate::print::preflight::pdfx`]).

mod profile;
mod read;
mod text;
mod write;
mod xmp;

pub use read::{Conformance, Intent};
pub use text::decode_text;
pub use write::make;
pub use xmp::{xmp_date, xmp_field};

/// The version string PDF/X-4 files carry in their XMP (and, by custom, in `Info`).
pub const PDFX_VERSION: &str = "PDF/X-4";
/// The PDF version PDF/X-4 is based on.
pub const PDF_VERSION: &str = "1.6";

/// Catalog entries that make a PDF interactive: none belongs in a file for a press.
const INTERACTIVE: [&[u8]; 3] = [b"AcroForm", b"OpenAction", b"AA"];
