//! What writing the catalogue did ([`CatalogueWritten`]), withdrawn publications taken down
//! included ([`Withdrawn`]): what `folio build` reports of it.

use std::path::PathBuf;

use crate::diag::Problem;

/// What writing the catalogue did.
#[derive(Debug, Clone, Default)]
pub struct CatalogueWritten {
    /// The catalogue's files, `index.html` first (those already as they should be are
    /// left untouched).
    pub files: Vec<PathBuf>,
    /// Publications listed as current (including those listed as overdue on purpose).
    pub listed: usize,
    /// Publications past their review date, listed apart as not current.
    pub not_current: Vec<String>,
    /// Entries left out because their publication is no longer under `content/`.
    pub removed: Vec<String>,
    /// What was removed of each withdrawn publication (see site/takedown.rs).
    pub withdrawn: Vec<Withdrawn>,
    /// Entries that could not be read or are not where they belong, left out (each
    /// publication's problem is its own: the catalogue of the others is still written).
    pub refused: Vec<Problem>,
}

/// A publication no longer under `content/`, whose files were taken down.
#[derive(Debug, Clone, Default)]
pub struct Withdrawn {
    pub id: String,
    /// Its output folder.
    pub folder: PathBuf,
    /// Files removed: those its entry lists, and the entry itself.
    pub removed: usize,
    /// Files left in its folder that folio has no record of making (kept: not folio's).
    pub left: usize,
}
