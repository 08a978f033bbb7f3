//! A made edition's file, with what the catalogue and the service say of it: every kind
//! of edition (a Typst PDF, a braille file, an e-book) hands one of these to the rest of
//! the build, so staging, the cache, the catalogue entry and `serve` need not know kinds.

/// One edition's file, made.
#[derive(Debug, Clone)]
pub struct EditionFile {
    pub bytes: Vec<u8>,
    /// Its file name extension, without the dot (`pdf`).
    pub extension: &'static str,
    /// Its media type (`application/pdf`).
    pub media_type: &'static str,
    /// What it is for, as the catalogue names it: `screen` and `press` PDFs, and the
    /// profiles other kinds give.
    pub profile: String,
    /// Its pages (a braille file's braille pages).
    pub pages: usize,
    /// Its page as the catalogue describes it (`A5`, `A4 landscape`, `40 cells × 25 lines`).
    pub paper: String,
}
