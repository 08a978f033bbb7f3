//! Catalogue entries as read back from an output folder, with their dates and status: what
//! the catalogue page, the manifest and the partners' pages are all made from.

use chrono::NaiveDate;

use super::entry::CatalogueEntry;
use super::view::ReviewState;

/// The version of `catalogue.json`'s format (`schema-version`).
pub const CATALOGUE_SCHEMA: u32 = 1;

/// An entry read back, with its dates and status.
pub struct Read {
    pub entry: CatalogueEntry,
    pub reviewed: NaiveDate,
    pub next: NaiveDate,
    pub status: ReviewState,
}
